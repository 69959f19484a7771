/* SPDX-License-Identifier: MIT */
/*
 * A probe report as text, so that one process can probe (and load the
 * libraries that takes) while another serves the answer. One "key value"
 * line each; a result opens with "row" and closes with "end"; the fragment
 * follows with its length. Strings run to the end of their line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capability.h"

#define REPORT_MAGIC "hostpm-report 1"

/* Strings are ours, but an error may quote another program: one line. */
static void put_string(FILE *out, const char *key, const char *s)
{
	fprintf(out, "%s ", key);
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
	fputc('\n', out);
}

static void put_result(FILE *out, const char *name,
		       const struct probe_result *r)
{
	fprintf(out, "row %s\n", name);
	fprintf(out, "source %s\n", probe_source_name(r->source));
	fprintf(out, "valid %d\n", r->valid ? 1 : 0);
	PM_FOR_EACH_CAPABILITY(c)
		fprintf(out, "%s %s\n", c->key,
			pm_answer_word(pm_capability_get(r, c)));
	if (r->has_suspend_stats)
		fprintf(out, "suspend-stats %lu %lu\n", r->suspend_success,
			r->suspend_fail);
	fprintf(out, "when %lld %ld\n", (long long)r->when.tv_sec,
		r->when.tv_nsec);
	put_string(out, "policy", r->policy);
	put_string(out, "reason", r->reason);
	put_string(out, "error", r->error);
	fputs("end\n", out);
}

int probe_report_write(FILE *out, const struct probe_report *rep,
		       const char *fragment)
{
	size_t i;

	fprintf(out, "%s\n", REPORT_MAGIC);
	put_result(out, "effective", &rep->effective);
	for (i = 0; i < rep->nrows; i++)
		put_result(out, probe_source_name(rep->rows[i].source),
			   &rep->rows[i]);
	fprintf(out, "fragment %zu\n%s", strlen(fragment), fragment);
	return ferror(out) ? -1 : 0;
}

static int bad(char *err, size_t errlen, unsigned int line, const char *fmt,
	       ...) __attribute__((format(printf, 4, 5)));

static int bad(char *err, size_t errlen, unsigned int line, const char *fmt,
	       ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "probe report, line %u: %s", line, what);
	return -1;
}

static int copy_string(char *dst, size_t len, const char *value)
{
	if (strlen(value) >= len)
		return -1;
	memcpy(dst, value, strlen(value) + 1);
	return 0;
}

/* One "key value" line into r; -1 when it is not one of a result's. */
static int parse_field(struct probe_result *r, const char *key,
		       const char *value)
{
	const struct pm_capability *c = pm_capability_by_key(key);
	enum probe_source_id id;
	enum pm_answer a;
	size_t n = 0;
	char err[PROBE_ERROR_MAX];
	long long sec;
	long nsec;
	int used;

	if (c) {
		if (pm_answer_parse(value, &a))
			return -1;
		pm_capability_set(r, c, a);
		return 0;
	}
	if (!strcmp(key, "source")) {
		if (probe_sources_parse(value, &id, &n, err, sizeof(err)) ||
		    n != 1)
			return -1;
		r->source = id;
		return 0;
	}
	if (!strcmp(key, "valid")) {
		if (strcmp(value, "0") && strcmp(value, "1"))
			return -1;
		r->valid = value[0] == '1';
		return 0;
	}
	if (!strcmp(key, "suspend-stats")) {
		if (sscanf(value, "%lu %lu%n", &r->suspend_success,
			   &r->suspend_fail, &used) != 2 || value[used])
			return -1;
		r->has_suspend_stats = true;
		return 0;
	}
	if (!strcmp(key, "when")) {
		if (sscanf(value, "%lld %ld%n", &sec, &nsec, &used) != 2 ||
		    value[used] || nsec < 0 || nsec >= 1000000000L)
			return -1;
		r->when.tv_sec = (time_t)sec;
		r->when.tv_nsec = nsec;
		return 0;
	}
	if (!strcmp(key, "policy"))
		return copy_string(r->policy, sizeof(r->policy), value);
	if (!strcmp(key, "reason"))
		return copy_string(r->reason, sizeof(r->reason), value);
	if (!strcmp(key, "error"))
		return copy_string(r->error, sizeof(r->error), value);
	return -1;
}

int probe_report_read(char *text, struct probe_report *rep, char **fragment,
		      char *err, size_t errlen)
{
	struct probe_result *cur = NULL;
	unsigned int line = 0;
	size_t nresults = 0;
	char *p = text;

	memset(rep, 0, sizeof(*rep));
	*fragment = NULL;
	for (;;) {
		char *eol = strchr(p, '\n'), *key = p, *value;
		size_t flen;

		line++;
		if (!eol)
			return bad(err, errlen, line, "ends without a fragment");
		*eol = '\0';
		value = strchr(key, ' ');
		if (value)
			*value++ = '\0';
		else
			value = eol;
		if (line == 1) {
			if (strcmp(key, "hostpm-report") || strcmp(value, "1"))
				return bad(err, errlen, line,
					   "not a hostpm report of version 1");
		} else if (!strcmp(key, "row")) {
			if (cur)
				return bad(err, errlen, line, "row inside a row");
			if (nresults > PROBE_MAX_SOURCES)
				return bad(err, errlen, line, "too many rows");
			if ((nresults == 0) != !strcmp(value, "effective"))
				return bad(err, errlen, line,
					   "the first row, and only it, is the effective one");
			cur = nresults == 0 ? &rep->effective :
					      &rep->rows[nresults - 1];
			nresults++;
		} else if (!strcmp(key, "end")) {
			if (!cur)
				return bad(err, errlen, line, "end outside a row");
			cur = NULL;
		} else if (!strcmp(key, "fragment")) {
			char *end;

			if (cur || nresults == 0)
				return bad(err, errlen, line,
					   "fragment before the rows end");
			errno = 0;
			flen = strtoul(value, &end, 10);
			if (errno || *end || !*value ||
			    strlen(eol + 1) != flen)
				return bad(err, errlen, line,
					   "fragment length does not match");
			rep->nrows = nresults - 1;
			*fragment = eol + 1;
			return 0;
		} else if (!cur || parse_field(cur, key, value)) {
			return bad(err, errlen, line, "unexpected '%s %s'", key,
				   value);
		}
		p = eol + 1;
	}
}
