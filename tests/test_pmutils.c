/* SPDX-License-Identifier: MIT */
/* The pm-utils source against fake pm-is-supported scripts, and the order
 * of sources that picks the effective answer. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostpm.h"
#include "testutil.h"

static struct probe_result run_pm(const char *path, unsigned int timeout_ms)
{
	struct probe_config cfg;
	struct probe_result r;

	probe_config_init(&cfg);
	snprintf(cfg.pm_is_supported, sizeof(cfg.pm_is_supported), "%s", path);
	cfg.timeout_ms = timeout_ms;
	probe_run_source(&cfg, PROBE_SOURCE_PMUTILS, &r);
	return r;
}

static void exit_0_means_supported(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 0", "exit 0", "exit 0");
	struct probe_result r = run_pm(pm, 5000);

	assert_true(r.valid);
	assert_int_equal(r.source, PROBE_SOURCE_PMUTILS);
	assert_int_equal(r.s3, PM_YES);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hybrid, PM_YES);
	assert_string_equal(r.reason, "");
	free(pm);
}

static void exit_1_means_not_supported(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 0", "exit 1", "exit 1");
	struct probe_result r = run_pm(pm, 5000);

	assert_true(r.valid);
	assert_int_equal(r.s3, PM_YES);
	assert_int_equal(r.s4, PM_NO);
	assert_int_equal(r.hybrid, PM_NO);
	assert_string_equal(r.reason,
			    "pm-is-supported: no to --hibernate, --suspend-hybrid");
	/* pm-utils cannot tell the states beyond these three. */
	assert_int_equal(r.suspend_to_idle, PM_UNKNOWN);
	assert_int_equal(r.standby, PM_UNKNOWN);
	assert_int_equal(r.suspend_then_hibernate, PM_UNKNOWN);
	assert_int_equal(r.hibernate_ready, PM_UNKNOWN);
	assert_false(r.has_suspend_stats);
	free(pm);
}

static void exit_2_means_query_failed(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 0", "exit 2", "exit 0");
	struct probe_result r = run_pm(pm, 5000);

	assert_false(r.valid);
	assert_int_equal(r.s3, PM_UNKNOWN);
	assert_non_null(strstr(r.error, "--hibernate exited with status 2"));
	free(pm);
}

static void exit_127_means_query_failed(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 127", "exit 0", "exit 0");
	struct probe_result r = run_pm(pm, 5000);

	assert_false(r.valid);
	assert_non_null(strstr(r.error, "--suspend exited with status 127"));
	free(pm);
}

static void killed_by_signal_means_query_failed(void **state)
{
	char *pm = tu_fake_pm(*state, "kill -KILL $$", "exit 0", "exit 0");
	struct probe_result r = run_pm(pm, 5000);

	assert_false(r.valid);
	assert_non_null(strstr(r.error, "killed by signal 9"));
	free(pm);
}

static void hang_is_killed_at_the_timeout(void **state)
{
	char *pidfile = tu_path(*state, "child.pid");
	char *hang, *pm;
	struct probe_result r;
	long t0, elapsed;
	FILE *f;
	int child = 0;

	/* A child of the script, to show the whole group is killed. */
	if (asprintf(&hang, "sleep 1000 & echo $! > '%s'; wait", pidfile) < 0)
		abort();
	pm = tu_fake_pm(*state, hang, "exit 0", "exit 0");
	t0 = tu_now_ms();
	r = run_pm(pm, 300);
	elapsed = tu_now_ms() - t0;

	assert_false(r.valid);
	assert_non_null(strstr(r.error, "did not answer within 0.300 s"));
	/* It waited for the timeout, and did not hang past it. */
	assert_true(elapsed >= 250);
	assert_true(elapsed < 3000);

	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &child), 1);
	fclose(f);
	/* Killed: gone, or a zombie waiting for init to reap it. */
	for (int i = 0; i < 200 && tu_alive(child); i++)
		usleep(10000);
	assert_false(tu_alive(child));
	free(hang);
	free(pm);
	free(pidfile);
}

static void cancel_kills_a_hang_at_once(void **state)
{
	char *pm = tu_fake_pm(*state, "exec sleep 100", "exit 0", "exit 0");
	struct probe_config cfg;
	struct probe_result r;
	int fds[2], status;
	long t0, elapsed;
	pid_t canceller;

	assert_int_equal(pipe(fds), 0);
	probe_config_init(&cfg);
	snprintf(cfg.pm_is_supported, sizeof(cfg.pm_is_supported), "%s", pm);
	cfg.timeout_ms = 60000;
	cfg.cancel_fd = fds[0];
	/* Cancelled while pm-is-supported hangs, not before it starts. */
	canceller = fork();
	assert_true(canceller >= 0);
	if (canceller == 0) {
		usleep(200000);
		_exit(write(fds[1], "x", 1) == 1 ? 0 : 1);
	}
	t0 = tu_now_ms();
	probe_run_source(&cfg, PROBE_SOURCE_PMUTILS, &r);
	elapsed = tu_now_ms() - t0;
	assert_int_equal(waitpid(canceller, &status, 0), canceller);
	assert_false(r.valid);
	assert_non_null(strstr(r.error, "--suspend: cancelled"));
	assert_true(elapsed >= 150);
	assert_true(elapsed < 5000); /* not the 60 s timeout */
	close(fds[0]);
	close(fds[1]);
	free(pm);
}

static void missing_program_means_query_failed(void **state)
{
	char *pm = tu_path(*state, "no-such-program");
	struct probe_result r = run_pm(pm, 5000);

	assert_false(r.valid);
	assert_non_null(strstr(r.error, "No such file"));
	assert_non_null(strstr(r.error, "no-such-program"));
	free(pm);
}

static void not_executable_means_query_failed(void **state)
{
	char *pm;
	struct probe_result r;

	tu_write(*state, "pm-is-supported", "#!/bin/sh\nexit 0\n", 0644);
	pm = tu_path(*state, "pm-is-supported");
	r = run_pm(pm, 5000);
	assert_false(r.valid);
	assert_non_null(strstr(r.error, "Permission denied"));
	free(pm);
}

static void found_on_path_when_not_configured(void **state)
{
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	char *pm = tu_fake_pm(*state, "exit 1", "exit 0", "exit 1");
	struct probe_result r;

	setenv("PATH", *state, 1);
	r = run_pm("", 5000);
	assert_true(r.valid);
	assert_int_equal(r.s3, PM_NO);
	assert_int_equal(r.s4, PM_YES);

	setenv("PATH", "/nonexistent", 1);
	r = run_pm("", 5000);
	assert_false(r.valid);
	assert_string_equal(r.error, "pm-is-supported not found on PATH");
	if (old)
		setenv("PATH", old, 1);
	free(old);
	free(pm);
}

static void first_valid_source_is_effective(void **state)
{
	struct probe_config cfg;
	struct probe_report rep;
	char *pm = tu_fake_pm(*state, "exit 0", "exit 1", "exit 1");
	char err[PROBE_ERROR_MAX];

	tu_fake_sysfs(*state, "disk\n", NULL, "[platform]\n");
	probe_config_init(&cfg);
	snprintf(cfg.sysfs_root, sizeof(cfg.sysfs_root), "%s", (char *)*state);
	snprintf(cfg.pm_is_supported, sizeof(cfg.pm_is_supported), "%s", pm);
	assert_int_equal(probe_sources_parse("pm-utils,sysfs", cfg.sources,
					     &cfg.nsources, err, sizeof(err)), 0);

	/* pm-utils first and answering: its word, not sysfs's. */
	probe_run(&cfg, &rep);
	assert_int_equal(rep.nrows, 2);
	assert_true(rep.effective.valid);
	assert_int_equal(rep.effective.source, PROBE_SOURCE_PMUTILS);
	assert_int_equal(rep.effective.s3, PM_YES);
	assert_int_equal(rep.rows[1].source, PROBE_SOURCE_SYSFS);
	assert_int_equal(rep.rows[1].s4, PM_YES);

	/* sysfs first. */
	assert_int_equal(probe_sources_parse("sysfs,pm-utils", cfg.sources,
					     &cfg.nsources, err, sizeof(err)), 0);
	probe_run(&cfg, &rep);
	assert_int_equal(rep.effective.source, PROBE_SOURCE_SYSFS);
	assert_int_equal(rep.effective.s3, PM_NO);
	assert_int_equal(rep.effective.s4, PM_YES);
	free(pm);
}

static void failed_source_falls_to_the_next(void **state)
{
	struct probe_config cfg;
	struct probe_report rep;
	char *pm = tu_fake_pm(*state, "exit 3", "exit 1", "exit 1");
	char err[PROBE_ERROR_MAX];

	tu_fake_sysfs(*state, "", NULL, NULL);
	probe_config_init(&cfg);
	snprintf(cfg.sysfs_root, sizeof(cfg.sysfs_root), "%s", (char *)*state);
	snprintf(cfg.pm_is_supported, sizeof(cfg.pm_is_supported), "%s", pm);
	assert_int_equal(probe_sources_parse("pm-utils,sysfs", cfg.sources,
					     &cfg.nsources, err, sizeof(err)), 0);
	probe_run(&cfg, &rep);
	assert_false(rep.rows[0].valid);
	assert_true(rep.effective.valid);
	assert_int_equal(rep.effective.source, PROBE_SOURCE_SYSFS);
	assert_int_equal(rep.effective.s3, PM_NO);
	free(pm);
}

static void all_failed_names_every_source(void **state)
{
	struct probe_config cfg;
	struct probe_report rep;
	char *pm = tu_fake_pm(*state, "exit 3", "exit 1", "exit 1");
	char err[PROBE_ERROR_MAX];

	probe_config_init(&cfg);
	assert_int_equal(probe_sources_parse("pm-utils,sysfs", cfg.sources,
					     &cfg.nsources, err, sizeof(err)), 0);
	snprintf(cfg.sysfs_root, sizeof(cfg.sysfs_root), "%s/none",
		 (char *)*state);
	snprintf(cfg.pm_is_supported, sizeof(cfg.pm_is_supported), "%s", pm);
	probe_run(&cfg, &rep);
	assert_false(rep.effective.valid);
	assert_non_null(strstr(rep.effective.error, "pm-utils: "));
	assert_non_null(strstr(rep.effective.error, "exited with status 3"));
	assert_non_null(strstr(rep.effective.error, "; sysfs: cannot read"));
	free(pm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(exit_0_means_supported, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(exit_1_means_not_supported, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(exit_2_means_query_failed, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(exit_127_means_query_failed, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(killed_by_signal_means_query_failed, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(hang_is_killed_at_the_timeout, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(cancel_kills_a_hang_at_once, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(missing_program_means_query_failed, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(not_executable_means_query_failed, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(found_on_path_when_not_configured, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(first_valid_source_is_effective, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(failed_source_falls_to_the_next, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(all_failed_names_every_source, tu_setup_dir, tu_teardown_dir),
	};

	return cmocka_run_group_tests_name("pm-utils", tests, NULL, NULL);
}
