/* SPDX-License-Identifier: MIT */
/* hostPmObjects as the master sees it, walked directly on fixture reports:
 * which cells exist in each of the three states, and their order. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "table.h"

#define ENTRY HOSTPM_MIB_OID, 1, 1, 1

static struct probe_report report;

static struct table_view view(void)
{
	struct table_view v = { .report = &report, .now_s = 1000,
				.spool_failures = 3, .probes = 7 };
	return v;
}

static void fixture(void)
{
	memset(&report, 0, sizeof(report));
	report.nrows = 2;
	/* pm-utils failed; sysfs: S3 yes, S4 no, hybrid unknown. */
	report.rows[0].source = PROBE_SOURCE_PMUTILS;
	report.rows[0].valid = false;
	strcpy(report.rows[0].error, "pm-is-supported not found on PATH");
	report.rows[0].when.tv_sec = 990;
	report.rows[1].source = PROBE_SOURCE_SYSFS;
	report.rows[1].valid = true;
	report.rows[1].s3 = PM_YES;
	report.rows[1].s4 = PM_NO;
	report.rows[1].hybrid = PM_UNKNOWN;
	report.rows[1].when.tv_sec = 995;
	report.effective = report.rows[1];
}

static bool get(unsigned int col, unsigned int row, struct cell *c)
{
	struct table_view v = view();
	oid name[] = { ENTRY, col, row };

	return table_get(&v, name, OID_LENGTH(name), c);
}

static void failed_row_has_no_capability_cells(void **state)
{
	struct cell c;

	(void)state;
	fixture();
	assert_true(get(3, 2, &c));
	assert_int_equal(c.type, CELL_TRUTH);
	assert_int_equal(c.number, 2);
	assert_false(get(4, 2, &c));
	assert_false(get(5, 2, &c));
	assert_false(get(6, 2, &c));
	assert_true(get(8, 2, &c));
	assert_string_equal(c.string, "pm-is-supported not found on PATH");
}

static void valid_row_has_every_cell_it_can_tell(void **state)
{
	struct cell c;

	(void)state;
	fixture();
	assert_true(get(2, 1, &c));
	assert_string_equal(c.string, "effective");
	assert_true(get(2, 3, &c));
	assert_string_equal(c.string, "sysfs");
	assert_true(get(4, 3, &c));
	assert_int_equal(c.number, 1);
	assert_true(get(5, 3, &c));
	assert_int_equal(c.number, 2);
	assert_false(get(6, 3, &c)); /* hybrid: sysfs could not tell */
	assert_true(get(7, 3, &c));
	assert_int_equal(c.type, CELL_UNSIGNED);
	assert_int_equal(c.number, 5);
	assert_true(get(8, 3, &c));
	assert_string_equal(c.string, "");
}

static void nothing_supported_is_false_not_absent(void **state)
{
	struct cell c;

	(void)state;
	fixture();
	report.rows[1].s3 = PM_NO;
	report.rows[1].hybrid = PM_NO;
	report.effective = report.rows[1];
	assert_true(get(4, 1, &c));
	assert_int_equal(c.number, 2);
	assert_true(get(5, 1, &c));
	assert_int_equal(c.number, 2);
	assert_true(get(6, 1, &c));
	assert_int_equal(c.number, 2);
}

static void no_such_row_column_or_instance(void **state)
{
	struct table_view v;
	struct cell c;
	oid short_name[] = { ENTRY, 2 };
	oid long_name[] = { ENTRY, 2, 1, 0 };
	oid scalar_no_zero[] = { HOSTPM_MIB_OID, 1, 2 };

	(void)state;
	fixture();
	v = view();
	assert_false(get(2, 4, &c));
	assert_false(get(2, 0, &c));
	assert_false(get(1, 1, &c)); /* the index is not-accessible */
	assert_false(get(9, 1, &c));
	assert_false(table_get(&v, short_name, OID_LENGTH(short_name), &c));
	assert_false(table_get(&v, long_name, OID_LENGTH(long_name), &c));
	assert_false(table_get(&v, scalar_no_zero, OID_LENGTH(scalar_no_zero), &c));
	{
		oid name_1[] = { ENTRY, 2, 1 };

		/* Before the first probe: no rows at all. */
		assert_true(table_get(&v, name_1, OID_LENGTH(name_1), &c));
		v.report = NULL;
		assert_false(table_get(&v, name_1, OID_LENGTH(name_1), &c));
	}
}

/* Columns beyond the seed: present only where the source could tell. */
static void new_columns_follow_their_source(void **state)
{
	struct cell c;

	(void)state;
	fixture();
	/* sysfs: idle and standby told, counters read, no policy. */
	report.rows[1].suspend_to_idle = PM_YES;
	report.rows[1].standby = PM_NO;
	report.rows[1].hibernate_ready = PM_NO;
	report.rows[1].has_suspend_stats = true;
	report.rows[1].suspend_success = 12;
	report.rows[1].suspend_fail = 0x100000003UL; /* wraps as Counter32 */
	strcpy(report.rows[1].reason, "mem_sleep offers s2idle only");
	/* pm-utils, failed: a policy left behind must not show. */
	strcpy(report.rows[0].policy, "suspend=yes");
	assert_true(get(9, 3, &c));
	assert_int_equal(c.number, 1);
	assert_true(get(10, 3, &c));
	assert_int_equal(c.number, 2);
	assert_false(get(11, 3, &c)); /* sysfs cannot tell */
	assert_true(get(12, 3, &c));
	assert_int_equal(c.number, 2);
	assert_true(get(13, 3, &c));
	assert_int_equal(c.type, CELL_COUNTER);
	assert_int_equal(c.number, 12);
	assert_true(get(14, 3, &c));
	assert_int_equal(c.number, 3);
	assert_false(get(15, 3, &c));
	assert_true(get(16, 3, &c));
	assert_string_equal(c.string, "mem_sleep offers s2idle only");
	for (unsigned int col = 9; col <= 15; col++)
		assert_false(get(col, 2, &c));
	/* A source with a policy (logind) shows it. */
	report.rows[1].source = PROBE_SOURCE_LOGIND;
	strcpy(report.rows[1].policy, "suspend=challenge hibernate=na");
	assert_true(get(15, 3, &c));
	assert_string_equal(c.string, "suspend=challenge hibernate=na");
	assert_true(get(2, 3, &c));
	assert_string_equal(c.string, "logind");
}

static void scalars_count(void **state)
{
	struct table_view v;
	struct cell c;
	oid failures[] = { HOSTPM_MIB_OID, 1, 2, 0 };
	oid probes[] = { HOSTPM_MIB_OID, 1, 3, 0 };

	(void)state;
	fixture();
	v = view();
	assert_true(table_get(&v, failures, OID_LENGTH(failures), &c));
	assert_int_equal(c.type, CELL_COUNTER);
	assert_int_equal(c.number, 3);
	assert_true(table_get(&v, probes, OID_LENGTH(probes), &c));
	assert_int_equal(c.number, 7);
}

/* A whole walk: strictly increasing, and exactly the cells expected. */
static void walk_is_ordered_and_skips_absent_cells(void **state)
{
	struct table_view v;
	oid cur[TABLE_MAX_OID] = { HOSTPM_MIB_OID, 1 };
	size_t len = HOSTPM_MIB_LEN + 1, n = 0;
	oid next[TABLE_MAX_OID];
	size_t next_len;
	struct cell c;
	char seen[512] = "";

	(void)state;
	fixture();
	v = view();
	while (table_next(&v, cur, len, next, &next_len, &c)) {
		char one[32];

		assert_true(snmp_oid_compare(next, next_len, cur, len) > 0);
		if (next_len == HOSTPM_MIB_LEN + 5)
			snprintf(one, sizeof(one), "%lu.%lu ",
				 (unsigned long)next[next_len - 2],
				 (unsigned long)next[next_len - 1]);
		else
			snprintf(one, sizeof(one), "s%lu ",
				 (unsigned long)next[next_len - 2]);
		strcat(seen, one);
		memcpy(cur, next, next_len * sizeof(oid));
		len = next_len;
		assert_true(++n < 100);
	}
	assert_string_equal(seen,
		"2.1 2.2 2.3 3.1 3.2 3.3 4.1 4.3 5.1 5.3 7.1 7.2 7.3 "
		"8.1 8.2 8.3 16.1 16.2 16.3 s2 s3 ");
}

static void walk_from_before_and_inside(void **state)
{
	struct table_view v;
	oid before[] = { 1, 3, 6, 1, 4, 1, 8072 };
	oid mid[] = { ENTRY, 4, 1 };
	oid after[] = { HOSTPM_MIB_OID, 1, 3, 0 };
	oid next[TABLE_MAX_OID];
	oid first[] = { ENTRY, 2, 1 };
	oid s4_1[] = { ENTRY, 4, 3 };
	size_t next_len;
	struct cell c;

	(void)state;
	fixture();
	v = view();
	assert_true(table_next(&v, before, OID_LENGTH(before), next, &next_len, &c));
	assert_int_equal(snmp_oid_compare(next, next_len, first, OID_LENGTH(first)), 0);
	assert_true(table_next(&v, mid, OID_LENGTH(mid), next, &next_len, &c));
	assert_int_equal(snmp_oid_compare(next, next_len, s4_1, OID_LENGTH(s4_1)), 0);
	assert_false(table_next(&v, after, OID_LENGTH(after), next, &next_len, &c));
}

/* The view a notification was built from, and what it carried. */
struct noted {
	const struct table_view *v;
	char *seen;
};

/* "col.row=value " for each cell the notification carries. */
static int note_cell(const oid *name, size_t len, const struct cell *c,
		     void *arg)
{
	struct noted *n = arg;
	char *seen = n->seen, one[32];
	struct cell by_get;

	/* The very cell a GET of that name answers. */
	assert_true(table_get(n->v, name, len, &by_get));
	assert_int_equal(by_get.type, c->type);
	assert_int_equal(by_get.number, c->number);
	snprintf(one, sizeof(one), "%lu.%lu=%lu ", (unsigned long)name[len - 2],
		 (unsigned long)name[len - 1], c->number);
	strcat(seen, one);
	return 0;
}

static void notification_carries_what_get_answers(void **state)
{
	struct table_view v;
	char seen[256] = "";

	(void)state;
	fixture();
	v = view();
	assert_int_equal(table_notification(&v, note_cell,
					    &(struct noted){ &v, seen }), 0);
	assert_string_equal(seen, "3.1=1 4.1=1 5.1=2 ");
	/* A failed effective answer: its capability cells do not exist. */
	report.effective = report.rows[0];
	seen[0] = '\0';
	assert_int_equal(table_notification(&v, note_cell,
					    &(struct noted){ &v, seen }), 0);
	assert_string_equal(seen, "3.1=2 ");
}

static int refuse(const oid *name, size_t len, const struct cell *c, void *arg)
{
	(void)name;
	(void)len;
	(void)c;
	++*(int *)arg;
	return -1;
}

static void notification_stops_at_a_refused_cell(void **state)
{
	struct table_view v;
	int calls = 0;

	(void)state;
	fixture();
	v = view();
	assert_int_equal(table_notification(&v, refuse, &calls), -1);
	assert_int_equal(calls, 1);
}

/* Every byte printable ASCII, and no more than a DisplayString holds. */
static void assert_display_string(const char *s)
{
	size_t n = strlen(s);

	assert_true(n <= 255);
	for (size_t i = 0; i < n; i++)
		assert_true(s[i] >= 0x20 && s[i] <= 0x7e);
}

static void strings_are_printable_ascii_with_escapes(void **state)
{
	struct cell c;

	(void)state;
	fixture();
	/* A hostile mem_sleep, as sysfs would quote it in a reason. */
	strcpy(report.rows[1].reason, "mem_sleep offers \001\033[2J\377 only");
	strcpy(report.rows[1].policy, "suspend=a\\b\tc");
	report.rows[1].source = PROBE_SOURCE_LOGIND;
	strcpy(report.rows[0].error, "bad\nline\x7f");
	assert_true(get(16, 3, &c));
	assert_string_equal(c.string, "mem_sleep offers \\x01\\x1b[2J\\xff only");
	assert_true(get(15, 3, &c));
	/* The backslash is escaped too, so that an escape means one thing. */
	assert_string_equal(c.string, "suspend=a\\x5cb\\x09c");
	assert_true(get(8, 2, &c));
	assert_string_equal(c.string, "bad\\x0aline\\x7f");
	for (unsigned int row = 1; row <= 3; row++)
		for (unsigned int col = 2; col <= 16; col++)
			if (get(col, row, &c) && c.type == CELL_STRING)
				assert_display_string(c.string);
}

static void long_strings_are_cut_to_255_octets(void **state)
{
	struct cell c;
	size_t i, n = sizeof(report.rows[1].reason) - 1;

	(void)state;
	fixture();
	/* 255 printable bytes: exactly a DisplayString, kept whole. */
	memset(report.rows[1].reason, 'r', n);
	report.rows[1].reason[n] = '\0';
	assert_true(get(16, 3, &c));
	assert_int_equal(strlen(c.string), 255);
	assert_memory_equal(c.string, report.rows[1].reason, 255);
	/* Four times that escaped: cut at a whole escape, "..." at the end. */
	memset(report.rows[1].reason, 0xff, n);
	assert_true(get(16, 3, &c));
	assert_display_string(c.string);
	assert_int_equal(strlen(c.string), 252 / 4 * 4 + 3);
	for (i = 0; i + 4 <= 252; i += 4)
		assert_memory_equal(c.string + i, "\\xff", 4);
	assert_string_equal(c.string + 252, "...");
	/* One byte too many: the cut does not split an escape. */
	memset(report.rows[1].reason, 'r', n);
	report.rows[1].reason[250] = '\001';
	assert_true(get(16, 3, &c));
	assert_int_equal(strlen(c.string), 253);
	assert_string_equal(c.string + 250, "...");
}

static void stale_after_three_intervals_and_the_budget(void **state)
{
	(void)state;
	assert_int_equal(table_stale_after_s(60, 17), 197);
	assert_int_equal(table_stale_after_s(1, 4), 7);
}

/* The fixture's rows are 5 s (sysfs, effective) and 10 s (pm-utils) old. */
static void stale_row_is_served_as_a_failed_query(void **state)
{
	struct table_view v;
	struct cell c;
	oid s3_1[] = { ENTRY, 4, 1 };
	oid error_1[] = { ENTRY, 8, 1 };
	oid age_1[] = { ENTRY, 7, 1 };

	(void)state;
	fixture();
	report.rows[1].has_suspend_stats = true;
	strcpy(report.rows[1].reason, "state offers no disk");
	report.effective = report.rows[1];
	v = view();
	v.stale_after_s = 5; /* not more than 5 s old: fresh */
	v.probe_trouble = "/x/hostpm-probe exited with status 3";
	assert_true(table_get(&v, s3_1, OID_LENGTH(s3_1), &c));
	assert_int_equal(c.number, 1);

	v.stale_after_s = 4;
	{
		oid valid_1[] = { ENTRY, 3, 1 };
		oid reason_1[] = { ENTRY, 16, 1 };
		oid stats_1[] = { ENTRY, 13, 1 };

		assert_true(table_get(&v, valid_1, OID_LENGTH(valid_1), &c));
		assert_int_equal(c.number, 2);
		assert_false(table_get(&v, s3_1, OID_LENGTH(s3_1), &c));
		assert_false(table_get(&v, stats_1, OID_LENGTH(stats_1), &c));
		assert_true(table_get(&v, reason_1, OID_LENGTH(reason_1), &c));
		assert_string_equal(c.string, "");
	}
	assert_true(table_get(&v, error_1, OID_LENGTH(error_1), &c));
	assert_string_equal(c.string,
		"stale: last answer 5 s old, more than 4 s; probe program failing: /x/hostpm-probe exited with status 3");
	/* The age goes on counting. */
	assert_true(table_get(&v, age_1, OID_LENGTH(age_1), &c));
	assert_int_equal(c.number, 5);
	/* Without a known failure (a probe hanging, say). */
	v.probe_trouble = NULL;
	assert_true(table_get(&v, error_1, OID_LENGTH(error_1), &c));
	assert_string_equal(c.string,
		"stale: last answer 5 s old, more than 4 s; no probe has finished since");
	/* The source rows too, each by its own age: pm-utils at 10 s. */
	{
		oid error_2[] = { ENTRY, 8, 2 };

		v.stale_after_s = 9;
		assert_true(table_get(&v, error_2, OID_LENGTH(error_2), &c));
		assert_string_equal(c.string,
			"stale: last answer 10 s old, more than 9 s; no probe has finished since");
		assert_true(table_get(&v, s3_1, OID_LENGTH(s3_1), &c));
	}
	/* 0: never stale. */
	v.stale_after_s = 0;
	assert_true(table_get(&v, s3_1, OID_LENGTH(s3_1), &c));
}

static void effective_answer_and_when_it_turns_stale(void **state)
{
	struct table_view v;
	struct probe_result buf;
	const struct probe_result *e;
	char seen[256] = "";

	(void)state;
	fixture();
	v = view();
	v.stale_after_s = 5;
	e = table_effective(&v, &buf);
	assert_non_null(e);
	assert_true(e->valid);
	assert_int_equal(e->s3, PM_YES);
	/* Row 1 is from 995: more than 5 s old from 1001 on. */
	assert_int_equal(table_effective_stale_at(&v), 1001);
	v.now_s = 1001;
	e = table_effective(&v, &buf);
	assert_false(e->valid);
	assert_int_equal(e->s3, PM_UNKNOWN);
	assert_true(strstr(e->error, "stale: last answer 6 s old") == e->error);
	assert_false(probe_result_same_answer(&report.effective, e));
	assert_int_equal(table_effective_stale_at(&v), 0); /* already */
	v.stale_after_s = 0;
	assert_int_equal(table_effective_stale_at(&v), 0); /* never */
	v.report = NULL;
	assert_null(table_effective(&v, &buf));
	assert_int_equal(table_effective_stale_at(&v), 0);
	/* The notification of a stale answer: QueryValid 2, nothing else. */
	v = view();
	v.stale_after_s = 4;
	assert_int_equal(table_notification(&v, note_cell,
					    &(struct noted){ &v, seen }), 0);
	assert_string_equal(seen, "3.1=2 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failed_row_has_no_capability_cells),
		cmocka_unit_test(valid_row_has_every_cell_it_can_tell),
		cmocka_unit_test(nothing_supported_is_false_not_absent),
		cmocka_unit_test(no_such_row_column_or_instance),
		cmocka_unit_test(new_columns_follow_their_source),
		cmocka_unit_test(scalars_count),
		cmocka_unit_test(walk_is_ordered_and_skips_absent_cells),
		cmocka_unit_test(walk_from_before_and_inside),
		cmocka_unit_test(notification_carries_what_get_answers),
		cmocka_unit_test(notification_stops_at_a_refused_cell),
		cmocka_unit_test(strings_are_printable_ascii_with_escapes),
		cmocka_unit_test(long_strings_are_cut_to_255_octets),
		cmocka_unit_test(stale_after_three_intervals_and_the_budget),
		cmocka_unit_test(stale_row_is_served_as_a_failed_query),
		cmocka_unit_test(effective_answer_and_when_it_turns_stale),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
