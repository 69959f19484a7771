/* SPDX-License-Identifier: MIT */
/* settings.c: parsing what administrators type: sources, timeouts, paths. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hostpm.h"

static void sources_parse_in_order(void **state)
{
	enum probe_source_id ids[PROBE_MAX_SOURCES];
	size_t n = 0;
	char err[PROBE_ERROR_MAX] = "", buf[64];

	(void)state;
	assert_int_equal(probe_sources_parse("sysfs,pm-utils", ids, &n, err,
					     sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], PROBE_SOURCE_SYSFS);
	assert_int_equal(ids[1], PROBE_SOURCE_PMUTILS);
	probe_sources_format(ids, n, buf, sizeof(buf));
	assert_string_equal(buf, "sysfs,pm-utils");

	assert_int_equal(probe_sources_parse("logind,sysfs", ids, &n, err,
					     sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], PROBE_SOURCE_LOGIND);
	assert_string_equal(probe_source_name(ids[0]), "logind");
}

static void default_sources_are_logind_pm_utils_then_sysfs(void **state)
{
	struct probe_config cfg;
	char buf[64];

	(void)state;
	probe_config_init(&cfg);
	probe_sources_format(cfg.sources, cfg.nsources, buf, sizeof(buf));
	assert_string_equal(buf, "logind,pm-utils,sysfs");
	assert_string_equal(buf, PROBE_DEFAULT_SOURCES);
	assert_int_equal(cfg.timeout_ms, 5000);
	assert_string_equal(cfg.sysfs_root, "/sys");
	assert_string_equal(cfg.proc_root, "/proc");
}

static void bad_source_lists_are_named(void **state)
{
	enum probe_source_id ids[PROBE_MAX_SOURCES];
	size_t n = 7;
	char err[PROBE_ERROR_MAX];

	(void)state;
	assert_int_equal(probe_sources_parse("sysfs,acpi", ids, &n, err,
					     sizeof(err)), -1);
	assert_string_equal(err, "unknown source 'acpi' (known: logind, pm-utils, sysfs)");
	assert_int_equal(n, 7); /* untouched on error */
	assert_int_equal(probe_sources_parse("sysfs,sysfs", ids, &n, err,
					     sizeof(err)), -1);
	assert_string_equal(err, "source 'sysfs' is named twice");
	assert_int_equal(probe_sources_parse("", ids, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "the source list is empty");
	assert_int_equal(probe_sources_parse("sysfs,", ids, &n, err,
					     sizeof(err)), -1);
	assert_string_equal(err, "unknown source '' (known: logind, pm-utils, sysfs)");
}

static void timeouts_parse_in_seconds(void **state)
{
	unsigned int ms = 0;
	char err[PROBE_ERROR_MAX];

	(void)state;
	assert_int_equal(probe_timeout_parse("5", &ms, err, sizeof(err)), 0);
	assert_int_equal(ms, 5000);
	assert_int_equal(probe_timeout_parse("0.25", &ms, err, sizeof(err)), 0);
	assert_int_equal(ms, 250);
	assert_int_equal(probe_timeout_parse("abc", &ms, err, sizeof(err)), -1);
	assert_string_equal(err, "'abc' is not a number of seconds");
	assert_int_equal(probe_timeout_parse("5s", &ms, err, sizeof(err)), -1);
	assert_int_equal(probe_timeout_parse("0", &ms, err, sizeof(err)), -1);
	assert_string_equal(err, "timeout 0 s is out of range (0.001 to 3600)");
	assert_int_equal(probe_timeout_parse("nan", &ms, err, sizeof(err)), -1);
	assert_int_equal(probe_timeout_parse("", &ms, err, sizeof(err)), -1);
	assert_int_equal(ms, 250);
}

static void paths_are_copied_or_refused(void **state)
{
	char dst[8], err[PROBE_ERROR_MAX] = "";

	(void)state;
	assert_int_equal(probe_path_parse("/sys", dst, sizeof(dst), err,
					  sizeof(err)), 0);
	assert_string_equal(dst, "/sys");
	assert_int_equal(probe_path_parse("", dst, sizeof(dst), err,
					  sizeof(err)), -1);
	assert_string_equal(err, "the path is empty");
	assert_int_equal(probe_path_parse("/1234567", dst, sizeof(dst), err,
					  sizeof(err)), -1);
	assert_string_equal(err, "the path is too long (at most 7 bytes)");
	assert_string_equal(dst, "/sys");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sources_parse_in_order),
		cmocka_unit_test(default_sources_are_logind_pm_utils_then_sysfs),
		cmocka_unit_test(bad_source_lists_are_named),
		cmocka_unit_test(timeouts_parse_in_seconds),
		cmocka_unit_test(paths_are_copied_or_refused),
	};

	return cmocka_run_group_tests_name("settings", tests, NULL, NULL);
}
