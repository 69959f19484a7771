/* SPDX-License-Identifier: MIT */
/* The report hostpm-probe writes for hostpmd: what is written is read back
 * whole, and anything else is refused with the line that was wrong. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hostpm.h"

static const char fragment[] = "<power_management>\n  <S3/>\n</power_management>\n";

static void fixture(struct probe_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->nrows = 2;
	rep->rows[0].source = PROBE_SOURCE_LOGIND;
	rep->rows[0].valid = true;
	rep->rows[0].s3 = PM_YES;
	rep->rows[0].s4 = PM_NO;
	rep->rows[0].suspend_then_hibernate = PM_YES;
	strcpy(rep->rows[0].policy, "suspend=challenge hibernate=na");
	strcpy(rep->rows[0].reason, "logind: hibernate na");
	rep->rows[0].when.tv_sec = 1234;
	rep->rows[0].when.tv_nsec = 567;
	rep->rows[1].source = PROBE_SOURCE_SYSFS;
	rep->rows[1].valid = false;
	strcpy(rep->rows[1].error, "cannot read\nacross lines");
	rep->rows[1].has_suspend_stats = true;
	rep->rows[1].suspend_success = 4294967301UL;
	rep->rows[1].suspend_fail = 2;
	rep->effective = rep->rows[0];
}

static char *written(const struct probe_report *rep, const char *frag)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(probe_report_write(f, rep, frag), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void what_is_written_is_read_back(void **state)
{
	struct probe_report in, out;
	char *text, *frag = NULL, err[256] = "";

	(void)state;
	fixture(&in);
	text = written(&in, fragment);
	assert_int_equal(probe_report_read(text, &out, &frag, err, sizeof(err)), 0);
	assert_string_equal(frag, fragment);
	assert_int_equal(out.nrows, 2);
	assert_true(out.effective.valid);
	assert_int_equal(out.effective.source, PROBE_SOURCE_LOGIND);
	assert_int_equal(out.rows[0].s3, PM_YES);
	assert_int_equal(out.rows[0].s4, PM_NO);
	assert_int_equal(out.rows[0].hybrid, PM_UNKNOWN);
	assert_int_equal(out.rows[0].suspend_then_hibernate, PM_YES);
	assert_string_equal(out.rows[0].policy, "suspend=challenge hibernate=na");
	assert_string_equal(out.rows[0].reason, "logind: hibernate na");
	assert_int_equal(out.rows[0].when.tv_sec, 1234);
	assert_int_equal(out.rows[0].when.tv_nsec, 567);
	assert_false(out.rows[1].valid);
	assert_int_equal(out.rows[1].source, PROBE_SOURCE_SYSFS);
	/* One line per string: a newline inside becomes a space. */
	assert_string_equal(out.rows[1].error, "cannot read across lines");
	assert_true(out.rows[1].has_suspend_stats);
	assert_int_equal(out.rows[1].suspend_success, 4294967301UL);
	assert_int_equal(out.rows[1].suspend_fail, 2);
	assert_false(out.rows[0].has_suspend_stats);
	free(text);
}

static void an_empty_fragment_is_no_element(void **state)
{
	struct probe_report in, out;
	char *text, *frag = NULL, err[256];

	(void)state;
	fixture(&in);
	in.effective.valid = false;
	text = written(&in, "");
	assert_int_equal(probe_report_read(text, &out, &frag, err, sizeof(err)), 0);
	assert_string_equal(frag, "");
	assert_false(out.effective.valid);
	free(text);
}

/* Breaks a good report by replacing one line, and expects it refused. */
static void refused(const char *from, const char *to, const char *why)
{
	struct probe_report in, out;
	char *text, *frag, err[256] = "", *at, *bad;

	fixture(&in);
	text = written(&in, fragment);
	at = strstr(text, from);
	if (!at)
		fail_msg("[%s] not in the report", from);
	if (asprintf(&bad, "%.*s%s%s", (int)(at - text), text, to,
		     at + strlen(from)) < 0)
		abort();
	assert_int_equal(probe_report_read(bad, &out, &frag, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "probe report, line "));
	if (!strstr(err, why))
		fail_msg("%s: [%s] not in [%s]", from, why, err);
	free(bad);
	free(text);
}

static void anything_else_is_refused(void **state)
{
	(void)state;
	refused("hostpm-report 1\n", "hostpm-report 2\n", "version 1");
	refused("s3 yes\n", "s3 maybe\n", "unexpected 's3 maybe'");
	refused("valid 1\n", "valid true\n", "unexpected 'valid true'");
	refused("source logind\n", "source acpi\n", "unexpected 'source acpi'");
	refused("when 1234 567\n", "when 1234 -1\n", "unexpected 'when");
	refused("suspend-stats 4294967301 2\n", "suspend-stats 4 x\n", "unexpected 'suspend-stats");
	refused("row effective\n", "row sysfs\n", "the first row, and only it");
	refused("row sysfs\n", "row effective\n", "the first row, and only it");
	refused("end\nrow logind\n", "row logind\n", "row inside a row");
	refused("error cannot read across lines\nend\n", "error x\n", "fragment before the rows end");
	refused("fragment 47\n", "fragment 46\n", "fragment length does not match");
	refused("fragment 47\n", "fragment\n", "fragment length does not match");
	refused("s4 no\n", "colour blue\n", "unexpected 'colour blue'");
}

static void a_report_cut_short_is_refused(void **state)
{
	struct probe_report in, out;
	char *text, *frag, err[256] = "";

	(void)state;
	fixture(&in);
	text = written(&in, fragment);
	*strstr(text, "fragment ") = '\0';
	assert_int_equal(probe_report_read(text, &out, &frag, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ends without a fragment"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(what_is_written_is_read_back),
		cmocka_unit_test(an_empty_fragment_is_no_element),
		cmocka_unit_test(anything_else_is_refused),
		cmocka_unit_test(a_report_cut_short_is_refused),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
