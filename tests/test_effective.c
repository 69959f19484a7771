/* SPDX-License-Identifier: MIT */
/* The effective answer: the first source that answered, except that the
 * kernel's mem_sleep has the last word on S3. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "hostpm.h"
#include "testutil.h"

/* pm-utils as the only source (or first), sysfs at <dir>/sys. */
static struct probe_report run(const char *dir, const char *pm,
			       const char *sources)
{
	struct probe_config cfg;
	struct probe_report rep;
	char err[PROBE_ERROR_MAX];

	probe_config_init(&cfg);
	snprintf(cfg.sysfs_root, sizeof(cfg.sysfs_root), "%s/sys", dir);
	snprintf(cfg.proc_root, sizeof(cfg.proc_root), "%s/proc", dir);
	snprintf(cfg.pm_is_supported, sizeof(cfg.pm_is_supported), "%s", pm);
	assert_int_equal(probe_sources_parse(sources, cfg.sources,
					     &cfg.nsources, err, sizeof(err)),
			 0);
	probe_run(&cfg, &rep);
	return rep;
}

/* <dir>/sys, made. */
static char *sys_dir(const char *dir)
{
	char *sys = tu_path(dir, "sys");

	assert_int_equal(mkdir(sys, 0755), 0);
	return sys;
}

static void s2idle_only_overrides_a_source_saying_s3(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 0", "exit 0", "exit 1");
	char *sys = sys_dir(*state);
	struct probe_report rep;

	tu_fake_sysfs(sys, "freeze mem disk\n", "[s2idle]\n", NULL);
	rep = run(*state, pm, "pm-utils");
	assert_true(rep.effective.valid);
	assert_int_equal(rep.effective.source, PROBE_SOURCE_PMUTILS);
	assert_int_equal(rep.effective.s3, PM_NO);
	assert_int_equal(rep.effective.s4, PM_YES);
	/* S3's reason first, then the source's own. */
	assert_string_equal(rep.effective.reason,
			    "mem_sleep offers s2idle only; "
			    "pm-is-supported: no to --suspend-hybrid");
	/* The source's own row keeps its raw answer. */
	assert_int_equal(rep.rows[0].s3, PM_YES);
	assert_string_equal(rep.rows[0].reason,
			    "pm-is-supported: no to --suspend-hybrid");
	free(sys);
	free(pm);
}

static void deep_offered_keeps_the_sources_s3(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 0", "exit 0", "exit 0");
	char *sys = sys_dir(*state);
	struct probe_report rep;

	tu_fake_sysfs(sys, "freeze mem disk\n", "[s2idle] deep\n", NULL);
	rep = run(*state, pm, "pm-utils");
	assert_int_equal(rep.effective.s3, PM_YES);
	assert_string_equal(rep.effective.reason, "");
	free(sys);
	free(pm);
}

static void no_mem_sleep_keeps_the_sources_s3(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 0", "exit 0", "exit 0");
	char *sys = sys_dir(*state);
	struct probe_report rep;

	/* Before Linux 4.10, or no sysfs at all: nothing to go by. */
	tu_fake_sysfs(sys, "mem disk\n", NULL, NULL);
	rep = run(*state, pm, "pm-utils");
	assert_int_equal(rep.effective.s3, PM_YES);
	rep = run("/nonexistent", pm, "pm-utils");
	assert_int_equal(rep.effective.s3, PM_YES);
	free(sys);
	free(pm);
}

static void a_source_saying_no_gets_no_second_reason(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 1", "exit 0", "exit 0");
	char *sys = sys_dir(*state);
	struct probe_report rep;

	tu_fake_sysfs(sys, "freeze mem\n", "[s2idle]\n", NULL);
	rep = run(*state, pm, "pm-utils");
	assert_int_equal(rep.effective.s3, PM_NO);
	assert_string_equal(rep.effective.reason,
			    "pm-is-supported: no to --suspend");

	/* sysfs answering: its reason once, not twice. */
	rep = run(*state, pm, "sysfs,pm-utils");
	assert_int_equal(rep.effective.source, PROBE_SOURCE_SYSFS);
	assert_int_equal(rep.effective.s3, PM_NO);
	assert_non_null(strstr(rep.effective.reason,
			       "mem_sleep offers s2idle only"));
	assert_null(strstr(strstr(rep.effective.reason, "mem_sleep") + 1,
			   "mem_sleep"));
	free(sys);
	free(pm);
}

static void a_failed_probe_is_not_overridden(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 3", "exit 0", "exit 0");
	char *sys = sys_dir(*state);
	struct probe_report rep;

	tu_fake_sysfs(sys, "freeze mem\n", "[s2idle]\n", NULL);
	rep = run(*state, pm, "pm-utils");
	assert_false(rep.effective.valid);
	assert_int_equal(rep.effective.s3, PM_UNKNOWN);
	assert_string_equal(rep.effective.reason, "");
	assert_non_null(strstr(rep.effective.error, "exited with status 3"));
	free(sys);
	free(pm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(s2idle_only_overrides_a_source_saying_s3, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(deep_offered_keeps_the_sources_s3, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(no_mem_sleep_keeps_the_sources_s3, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(a_source_saying_no_gets_no_second_reason, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(a_failed_probe_is_not_overridden, tu_setup_dir, tu_teardown_dir),
	};

	return cmocka_run_group_tests_name("effective", tests, NULL, NULL);
}
