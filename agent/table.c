/* SPDX-License-Identifier: MIT */
/*
 * Row 1 of hostPmTable is the effective answer, rows 2.. the configured
 * sources in order. A failed query has no capability cells at all: the
 * "no element" of the fragment, seen from SNMP as noSuchInstance. So has
 * a stale one: an answer too old to stand for the host any more is
 * served as a failed query, decided here from the time of the request.
 * Every string cell is made a DisplayString here, the one place all of
 * them pass through.
 */
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "capability.h"
#include "table.h"

const oid table_objects_oid[] = { HOSTPM_MIB_OID, 1 };
const size_t table_objects_len = HOSTPM_MIB_LEN + 1;

/*
 * hostPmEntry's columns that are no capability; the capabilities' own
 * columns come from their table (capability.h).
 */
enum column {
	COL_NAME = 2,
	COL_QUERY_VALID = 3,
	COL_PROBE_AGE = 7,
	COL_ERROR = 8,
	COL_SUSPEND_SUCCESSES = 13,
	COL_SUSPEND_FAILURES = 14,
	COL_POLICY = 15,
	COL_REASON = 16,
};

/* A walk tries every column up to the highest; the others have no cells. */
static unsigned int last_column(void)
{
	unsigned int last = COL_REASON;

	PM_FOR_EACH_CAPABILITY(c)
		if (c->mib_column > last)
			last = c->mib_column;
	return last;
}

/* The scalars after the table: hostPmSpoolWriteFailures, hostPmProbeCount. */
static const unsigned int scalars[] = { 2, 3 };
#define NSCALARS (sizeof(scalars) / sizeof(scalars[0]))

static size_t row_count(const struct table_view *v)
{
	return v->report ? 1 + v->report->nrows : 0;
}

long table_stale_after_s(unsigned int interval_s, unsigned int budget_s)
{
	return 3L * (long)interval_s + (long)budget_s;
}

static long age_s(const struct table_view *v, const struct probe_result *r)
{
	long age = v->now_s - (long)r->when.tv_sec;

	return age > 0 ? age : 0;
}

/*
 * The row as served: r itself, or once r is stale, a copy in *buf failed
 * as a source fails, so that every cell follows the rules of a failed
 * query.
 */
static const struct probe_result *served(const struct table_view *v,
					 const struct probe_result *r,
					 struct probe_result *buf)
{
	const char *trouble = v->probe_trouble;
	long age = age_s(v, r);

	if (v->stale_after_s <= 0 || age <= v->stale_after_s)
		return r;
	*buf = *r;
	if (trouble && trouble[0])
		probe_fail(buf, "stale: last answer %ld s old, more than %ld s; probe program failing: %s",
			   age, v->stale_after_s, trouble);
	else
		probe_fail(buf, "stale: last answer %ld s old, more than %ld s; no probe has finished since",
			   age, v->stale_after_s);
	return buf;
}

static const struct probe_result *row_result(const struct table_view *v,
					     size_t row,
					     struct probe_result *buf)
{
	return served(v, row == 1 ? &v->report->effective :
				    &v->report->rows[row - 2],
		      buf);
}

const struct probe_result *table_effective(const struct table_view *v,
					   struct probe_result *buf)
{
	return v->report ? row_result(v, 1, buf) : NULL;
}

long table_effective_stale_at(const struct table_view *v)
{
	if (!v->report || v->stale_after_s <= 0 ||
	    age_s(v, &v->report->effective) > v->stale_after_s)
		return 0;
	return (long)v->report->effective.when.tv_sec + v->stale_after_s + 1;
}

/* One byte as it may appear in a DisplayString: 1, or 4 for \xNN. */
static size_t display_len(unsigned char byte)
{
	return byte >= 0x20 && byte <= 0x7e && byte != '\\' ? 1 : 4;
}

/*
 * text as a DisplayString (table.h): printable ASCII, escapes for the
 * rest, at most TABLE_DISPLAY_MAX octets. The bytes come from files and
 * programs outside hostpmd (sysfs, D-Bus, pm-is-supported), and a
 * control byte or an escape sequence would reach every terminal,
 * log and web page that shows the cell.
 */
static void display_string(struct cell *out, const char *text)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)text;
	size_t total = 0, limit, used = 0;

	for (const unsigned char *q = p; *q; q++)
		total += display_len(*q);
	/* Cut short: room for the "..." that says so. */
	limit = total <= TABLE_DISPLAY_MAX ? TABLE_DISPLAY_MAX :
					     TABLE_DISPLAY_MAX - 3;
	for (; *p && used + display_len(*p) <= limit; p++) {
		if (display_len(*p) == 1) {
			out->string[used++] = (char)*p;
			continue;
		}
		out->string[used++] = '\\';
		out->string[used++] = 'x';
		out->string[used++] = hex[*p >> 4];
		out->string[used++] = hex[*p & 0xf];
	}
	if (*p) {
		memcpy(out->string + used, "...", 3);
		used += 3;
	}
	out->string[used] = '\0';
	out->type = CELL_STRING;
}

static bool capability(const struct probe_result *r, enum pm_answer a,
		       struct cell *out)
{
	if (!r->valid || a == PM_UNKNOWN)
		return false;
	out->type = CELL_TRUTH;
	out->number = a == PM_YES ? 1 : 2;
	return true;
}

/* The kernel's suspend counters, where the source read them. */
static bool counter(const struct probe_result *r, unsigned long n,
		    struct cell *out)
{
	if (!r->valid || !r->has_suspend_stats)
		return false;
	out->type = CELL_COUNTER;
	out->number = n & 0xffffffffUL;
	return true;
}

static bool cell_at(const struct table_view *v, unsigned int col, size_t row,
		    struct cell *out)
{
	const struct pm_capability *cap = pm_capability_by_column(col);
	const struct probe_result *r;
	struct probe_result stale;

	if (row < 1 || row > row_count(v))
		return false;
	r = row_result(v, row, &stale);
	if (cap)
		return capability(r, pm_capability_get(r, cap), out);
	switch ((enum column)col) {
	case COL_NAME:
		display_string(out, row == 1 ? "effective" :
					       probe_source_name(r->source));
		return true;
	case COL_QUERY_VALID:
		out->type = CELL_TRUTH;
		out->number = r->valid ? 1 : 2;
		return true;
	case COL_PROBE_AGE:
		out->type = CELL_UNSIGNED;
		out->number = (unsigned long)age_s(v, r) & 0xffffffffUL;
		return true;
	case COL_ERROR:
		display_string(out, r->valid ? "" : r->error);
		return true;
	case COL_SUSPEND_SUCCESSES:
		return counter(r, r->suspend_success, out);
	case COL_SUSPEND_FAILURES:
		return counter(r, r->suspend_fail, out);
	case COL_POLICY:
		/* Only a source with a policy of its own (logind) has one. */
		if (!r->valid || !r->policy[0])
			return false;
		display_string(out, r->policy);
		return true;
	case COL_REASON:
		display_string(out, r->reason);
		return true;
	}
	return false;
}

static bool scalar_at(const struct table_view *v, unsigned int which,
		      struct cell *out)
{
	out->type = CELL_COUNTER;
	switch (which) {
	case 2:
		out->number = v->spool_failures & 0xffffffffUL;
		return true;
	case 3:
		out->number = v->probes & 0xffffffffUL;
		return true;
	}
	return false;
}

static size_t cell_oid(unsigned int col, size_t row, oid *buf)
{
	memcpy(buf, table_objects_oid, table_objects_len * sizeof(oid));
	buf[table_objects_len] = 1;     /* hostPmTable */
	buf[table_objects_len + 1] = 1; /* hostPmEntry */
	buf[table_objects_len + 2] = (oid)col;
	buf[table_objects_len + 3] = (oid)row;
	return table_objects_len + 4;
}

static size_t scalar_oid(unsigned int which, oid *buf)
{
	memcpy(buf, table_objects_oid, table_objects_len * sizeof(oid));
	buf[table_objects_len] = which;
	buf[table_objects_len + 1] = 0;
	return table_objects_len + 2;
}

bool table_get(const struct table_view *v, const oid *name, size_t len,
	       struct cell *out)
{
	const size_t base = table_objects_len;

	if (len < base + 2 ||
	    snmp_oid_compare(name, base, table_objects_oid, base) != 0)
		return false;
	if (len == base + 4 && name[base] == 1 && name[base + 1] == 1)
		return cell_at(v, (unsigned int)name[base + 2],
			       (size_t)name[base + 3], out);
	if (len == base + 2 && name[base + 1] == 0 && name[base] >= 2 &&
	    name[base] <= 3)
		return scalar_at(v, (unsigned int)name[base], out);
	return false;
}

bool table_next(const struct table_view *v, const oid *name, size_t len,
		oid *next, size_t *next_len, struct cell *out)
{
	unsigned int col, last = last_column();
	size_t row, s, n;

	/* Column by column, row by row: lexicographic order. */
	for (col = 1; col <= last; col++)
		for (row = 1; row <= row_count(v); row++) {
			n = cell_oid(col, row, next);
			if (snmp_oid_compare(next, n, name, len) > 0 &&
			    cell_at(v, col, row, out)) {
				*next_len = n;
				return true;
			}
		}
	for (s = 0; s < NSCALARS; s++) {
		n = scalar_oid(scalars[s], next);
		if (snmp_oid_compare(next, n, name, len) > 0 &&
		    scalar_at(v, scalars[s], out)) {
			*next_len = n;
			return true;
		}
	}
	return false;
}

/* One cell of the effective row, through the lookup a GET makes. */
static int notify_cell(const struct table_view *v, unsigned int col,
		       table_cell_fn fn, void *arg)
{
	oid name[TABLE_MAX_OID];
	size_t len = cell_oid(col, 1, name);
	struct cell c;

	if (!table_get(v, name, len, &c))
		return 0;
	return fn(name, len, &c, arg);
}

int table_notification(const struct table_view *v, table_cell_fn fn,
		       void *arg)
{
	if (notify_cell(v, COL_QUERY_VALID, fn, arg))
		return -1;
	PM_FOR_EACH_CAPABILITY(c)
		if (c->notified && notify_cell(v, c->mib_column, fn, arg))
			return -1;
	return 0;
}
