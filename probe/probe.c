/* SPDX-License-Identifier: MIT */
/* The ordered list of sources and the effective answer. */
#define _GNU_SOURCE
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_internal.h"

static const char *const source_names[PROBE_SOURCE_COUNT] = {
	[PROBE_SOURCE_PMUTILS] = "pm-utils",
	[PROBE_SOURCE_SYSFS] = "sysfs",
	[PROBE_SOURCE_LOGIND] = "logind",
};

/* For messages, in the default order rather than the enum's. */
#define KNOWN_SOURCES "logind, pm-utils, sysfs"

const char *probe_source_name(enum probe_source_id id)
{
	return (unsigned)id < PROBE_SOURCE_COUNT ? source_names[id] : "?";
}

void probe_fail(struct probe_result *out, const char *fmt, ...)
{
	va_list ap;

	/* Nothing half-learnt survives a failed query. */
	out->valid = false;
	out->s3 = out->s4 = out->hybrid = PM_UNKNOWN;
	out->suspend_to_idle = out->standby = PM_UNKNOWN;
	out->suspend_then_hibernate = out->hibernate_ready = PM_UNKNOWN;
	out->has_suspend_stats = false;
	out->suspend_success = out->suspend_fail = 0;
	out->policy[0] = '\0';
	out->reason[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(out->error, sizeof(out->error), fmt, ap);
	va_end(ap);
}

void probe_reason(struct probe_result *out, const char *fmt, ...)
{
	size_t used = strlen(out->reason);
	va_list ap;

	if (used && used + 2 < sizeof(out->reason)) {
		memcpy(out->reason + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= sizeof(out->reason))
		return;
	va_start(ap, fmt);
	vsnprintf(out->reason + used, sizeof(out->reason) - used, fmt, ap);
	va_end(ap);
}

void probe_config_init(struct probe_config *cfg)
{
	size_t n = 0;
	char err[PROBE_ERROR_MAX];

	memset(cfg, 0, sizeof(*cfg));
	if (probe_sources_parse(PROBE_DEFAULT_SOURCES, cfg->sources, &n, err,
				sizeof(err)) == 0)
		cfg->nsources = n;
	snprintf(cfg->sysfs_root, sizeof(cfg->sysfs_root), "%s",
		 PROBE_DEFAULT_SYSFS_ROOT);
	snprintf(cfg->proc_root, sizeof(cfg->proc_root), "%s",
		 PROBE_DEFAULT_PROC_ROOT);
	cfg->timeout_ms = PROBE_DEFAULT_TIMEOUT_MS;
	cfg->cancel_fd = -1;
}

int probe_sources_parse(const char *list, enum probe_source_id *out,
			size_t *n, char *err, size_t errlen)
{
	const char *p = list;
	size_t count = 0;

	if (!list || !*list) {
		snprintf(err, errlen, "the source list is empty");
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		enum probe_source_id id;
		size_t i;

		for (id = 0; id < PROBE_SOURCE_COUNT; id++)
			if (strlen(source_names[id]) == len &&
			    !strncmp(p, source_names[id], len))
				break;
		if (id == PROBE_SOURCE_COUNT) {
			snprintf(err, errlen,
				 "unknown source '%.*s' (known: " KNOWN_SOURCES ")",
				 (int)len, p);
			return -1;
		}
		for (i = 0; i < count; i++)
			if (out[i] == id) {
				snprintf(err, errlen, "source '%s' is named twice",
					 source_names[id]);
				return -1;
			}
		out[count++] = id;
		if (!p[len])
			break;
		p += len + 1;
		if (count == PROBE_MAX_SOURCES) {
			snprintf(err, errlen, "too many sources");
			return -1;
		}
	}
	*n = count;
	return 0;
}

void probe_sources_format(const enum probe_source_id *ids, size_t n,
			  char *buf, size_t len)
{
	size_t used = 0, i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 probe_source_name(ids[i]));
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int probe_timeout_parse(const char *text, unsigned int *ms, char *err,
			size_t errlen)
{
	char *end;
	double s;

	if (!text || !*text) {
		snprintf(err, errlen, "the timeout is empty");
		return -1;
	}
	s = strtod(text, &end);
	if (*end || end == text || !isfinite(s)) {
		snprintf(err, errlen, "'%s' is not a number of seconds", text);
		return -1;
	}
	if (s < 0.001 || s > 3600) {
		snprintf(err, errlen,
			 "timeout %s s is out of range (0.001 to 3600)", text);
		return -1;
	}
	*ms = (unsigned int)(s * 1000 + 0.5);
	return 0;
}

bool probe_cancelled(int cancel_fd)
{
	struct pollfd pfd = { .fd = cancel_fd, .events = POLLIN };

	return cancel_fd >= 0 && poll(&pfd, 1, 0) > 0;
}

void probe_run_source(const struct probe_config *cfg, enum probe_source_id id,
		      struct probe_result *out)
{
	memset(out, 0, sizeof(*out));
	out->source = id;
	if (probe_cancelled(cfg->cancel_fd)) {
		probe_fail(out, "cancelled");
		clock_gettime(CLOCK_MONOTONIC, &out->when);
		return;
	}
	switch (id) {
	case PROBE_SOURCE_PMUTILS:
		probe_pmutils_query(cfg->pm_is_supported, cfg->timeout_ms,
				    cfg->cancel_fd, out);
		break;
	case PROBE_SOURCE_SYSFS:
		probe_sysfs_read_state(cfg->sysfs_root, cfg->proc_root, out);
		break;
	case PROBE_SOURCE_LOGIND:
		probe_logind_query(cfg->timeout_ms, out);
		break;
	default:
		probe_fail(out, "unknown source %d", (int)id);
		break;
	}
	clock_gettime(CLOCK_MONOTONIC, &out->when);
}

/*
 * pm-is-supported and logind's CanSuspend say yes to "mem" whatever
 * mem_sleep selects, so a host offering s2idle only would show S3. The
 * kernel's word overrides them in the effective answer; each source's own
 * row keeps what it said.
 */
static void no_s3_without_deep(const struct probe_config *cfg,
			       struct probe_result *eff)
{
	char why[PROBE_ERROR_MAX], rest[sizeof(eff->reason)];

	if (eff->s3 == PM_NO ||
	    !probe_sysfs_lacks_deep(cfg->sysfs_root, why, sizeof(why)))
		return;
	eff->s3 = PM_NO;
	/* S3 is the first column, so its reason goes first. */
	memcpy(rest, eff->reason, sizeof(rest));
	eff->reason[0] = '\0';
	probe_reason(eff, "%s", why);
	if (rest[0])
		probe_reason(eff, "%s", rest);
}

void probe_run(const struct probe_config *cfg, struct probe_report *report)
{
	struct probe_result *eff = &report->effective;
	size_t i, used = 0;

	memset(report, 0, sizeof(*report));
	report->nrows = cfg->nsources;
	for (i = 0; i < cfg->nsources; i++)
		probe_run_source(cfg, cfg->sources[i], &report->rows[i]);

	for (i = 0; i < cfg->nsources; i++)
		if (report->rows[i].valid) {
			*eff = report->rows[i];
			no_s3_without_deep(cfg, eff);
			return;
		}

	probe_fail(eff, "no source answered");
	if (cfg->nsources) {
		eff->source = cfg->sources[0];
		eff->when = report->rows[0].when;
	}
	/* Every source failed: say why each did, in one line. */
	for (i = 0; i < cfg->nsources && used < sizeof(eff->error); i++) {
		int w = snprintf(eff->error + used, sizeof(eff->error) - used,
				 "%s%s: %s", i ? "; " : "",
				 probe_source_name(report->rows[i].source),
				 report->rows[i].error);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

bool probe_result_same_answer(const struct probe_result *a,
			      const struct probe_result *b)
{
	if (a->valid != b->valid)
		return false;
	if (!a->valid)
		return true;
	return a->s3 == b->s3 && a->s4 == b->s4 && a->hybrid == b->hybrid;
}
