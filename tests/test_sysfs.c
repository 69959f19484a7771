/* SPDX-License-Identifier: MIT */
/* The sysfs source against fake sysfs and procfs trees, one per
 * combination a kernel shows. */
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

static struct probe_result probe_tree(const char *root)
{
	struct probe_config cfg;
	struct probe_result r;

	probe_config_init(&cfg);
	snprintf(cfg.sysfs_root, sizeof(cfg.sysfs_root), "%s", root);
	snprintf(cfg.proc_root, sizeof(cfg.proc_root), "%s/proc", root);
	probe_run_source(&cfg, PROBE_SOURCE_SYSFS, &r);
	return r;
}

#define SWAPS_HEADER "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
#define GIB_KIB 1048576UL

/* A host that offers hibernation; swaps lines follow the header. */
static void fake_hibernation(const char *root, const char *resume,
			     const char *swaps, unsigned long active_anon_kib)
{
	char *text;

	/* Every state offered, so that only hibernation gives reasons. */
	tu_fake_sysfs(root, "freeze standby mem disk\n",
		      "s2idle shallow [deep]\n",
		      "[platform] shutdown reboot suspend\n");
	if (resume)
		tu_write(root, "power/resume", resume, 0644);
	if (swaps) {
		if (asprintf(&text, SWAPS_HEADER "%s", swaps) < 0)
			abort();
		tu_write(root, "proc/swaps", text, 0444);
		free(text);
	}
	if (asprintf(&text,
		     "MemTotal:       32596112 kB\n"
		     "MemFree:         1418168 kB\n"
		     "MemAvailable:   14870136 kB\n"
		     "Buffers:          876120 kB\n"
		     "Cached:         12213156 kB\n"
		     "SwapCached:          104 kB\n"
		     "Active:         20000000 kB\n"
		     "Inactive:       10000000 kB\n"
		     "Active(anon):   %lu kB\n"
		     "Inactive(anon):  1000000 kB\n",
		     active_anon_kib) < 0)
		abort();
	tu_write(root, "proc/meminfo", text, 0444);
	free(text);
}

static void mem_with_s2idle_only_is_no_s3(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, "freeze mem disk\n", "[s2idle]\n",
		      "[platform] shutdown reboot suspend test_resume\n");
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.source, PROBE_SOURCE_SYSFS);
	assert_int_equal(r.s3, PM_NO);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hybrid, PM_YES);
	assert_int_equal(r.suspend_to_idle, PM_YES);
	assert_int_equal(r.standby, PM_NO);
	assert_non_null(strstr(r.reason, "mem_sleep offers s2idle only"));
	assert_non_null(strstr(r.reason, "no standby or shallow"));
	assert_string_equal(r.error, "");
}

static void s2idle_in_mem_sleep_is_suspend_to_idle(void **state)
{
	struct probe_result r;

	/* No "freeze" in state: mem_sleep alone says s2idle. */
	tu_fake_sysfs(*state, "mem\n", "[s2idle]\n", NULL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.suspend_to_idle, PM_YES);
	assert_int_equal(r.standby, PM_NO);
	assert_int_equal(r.s3, PM_NO);
}

static void shallow_is_standby(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, "mem\n", "s2idle [shallow]\n", NULL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.standby, PM_YES);
	assert_int_equal(r.suspend_to_idle, PM_YES);
	assert_int_equal(r.s3, PM_NO);
	assert_non_null(strstr(r.reason, "mem_sleep offers s2idle, shallow only"));
}

static void standby_in_state_is_standby(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, "standby\n", NULL, NULL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.standby, PM_YES);
	assert_int_equal(r.suspend_to_idle, PM_NO);
	assert_int_equal(r.s3, PM_NO);
	assert_non_null(strstr(r.reason, "state offers no mem"));
	assert_non_null(strstr(r.reason, "no freeze or s2idle"));
}

static void sysfs_cannot_tell_suspend_then_hibernate(void **state)
{
	struct probe_result r;

	fake_hibernation(*state, "8:3\n",
			 "/dev/sda3 partition 16777212 0 -2\n", GIB_KIB);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.suspend_then_hibernate, PM_UNKNOWN);
	assert_string_equal(r.policy, "");
}

static void mem_with_deep_is_s3(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, "freeze mem\n", "s2idle [deep]\n", NULL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s3, PM_YES);
	assert_int_equal(r.s4, PM_NO);
	assert_int_equal(r.hybrid, PM_NO);
	assert_int_equal(r.suspend_to_idle, PM_YES);
	assert_int_equal(r.hibernate_ready, PM_NO);
	assert_string_equal(r.reason, "state offers no disk; no standby or shallow");
}

static void deep_offered_but_not_selected_is_s3(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, "freeze mem\n", "[s2idle] deep\n", NULL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s3, PM_YES);
}

static void mem_without_mem_sleep_is_s3(void **state)
{
	struct probe_result r;

	/* Kernels before 4.10: no mem_sleep, and mem was always S3. */
	tu_fake_sysfs(*state, "standby mem disk\n", NULL,
		      "[platform] shutdown reboot\n");
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s3, PM_YES);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hybrid, PM_NO);
}

static void empty_state_is_valid_with_nothing(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, "", NULL, NULL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s3, PM_NO);
	assert_int_equal(r.s4, PM_NO);
	assert_int_equal(r.hybrid, PM_NO);
}

static void missing_state_fails_naming_the_file(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, NULL, NULL, NULL);
	r = probe_tree(*state);
	assert_false(r.valid);
	assert_int_equal(r.s3, PM_UNKNOWN);
	assert_int_equal(r.s4, PM_UNKNOWN);
	assert_non_null(strstr(r.error, "/power/state"));
	assert_non_null(strstr(r.error, "No such file"));
}

static void unreadable_state_fails(void **state)
{
	struct probe_result r;
	char *dir = tu_path(*state, "power/state");

	/* A folder in its place: unreadable even for root. */
	tu_fake_sysfs(*state, NULL, NULL, NULL);
	assert_int_equal(mkdir(dir, 0755), 0);
	r = probe_tree(*state);
	assert_false(r.valid);
	assert_non_null(strstr(r.error, "cannot read"));
	assert_non_null(strstr(r.error, "Is a directory"));
	free(dir);
}

static void unreadable_mem_sleep_fails(void **state)
{
	struct probe_result r;
	char *dir = tu_path(*state, "power/mem_sleep");

	tu_fake_sysfs(*state, "mem\n", NULL, NULL);
	assert_int_equal(mkdir(dir, 0755), 0);
	r = probe_tree(*state);
	assert_false(r.valid);
	assert_non_null(strstr(r.error, "mem_sleep"));
	free(dir);
}

static void disabled_hibernation_is_no_s4(void **state)
{
	struct probe_result r;

	/* Lockdown and secure boot report hibernation as [disabled]. */
	tu_fake_sysfs(*state, "freeze mem disk\n", "s2idle [deep]\n",
		      "[disabled]\n");
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s3, PM_YES);
	assert_int_equal(r.s4, PM_NO);
	assert_int_equal(r.hybrid, PM_NO);
	assert_int_equal(r.hibernate_ready, PM_NO);
	assert_non_null(strstr(r.reason, "disk is [disabled]"));
}

static void enough_swap_is_ready_to_hibernate(void **state)
{
	struct probe_result r;

	/* 16 GiB of free swap, 15.2 GiB of active anonymous memory. */
	fake_hibernation(*state, "8:3\n",
			 "/dev/sda3 partition 16777212 0 -2\n",
			 15938355UL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hibernate_ready, PM_YES);
	assert_string_equal(r.reason, "");
}

static void resume_0_0_is_not_ready(void **state)
{
	struct probe_result r;

	fake_hibernation(*state, "0:0\n",
			 "/dev/sda3 partition 16777212 0 -2\n", GIB_KIB);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hibernate_ready, PM_NO);
	assert_string_equal(r.reason, "no resume device (power/resume is 0:0)");
}

static void no_swap_is_not_ready(void **state)
{
	struct probe_result r;

	fake_hibernation(*state, "8:3\n", "", GIB_KIB);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hibernate_ready, PM_NO);
	assert_string_equal(r.reason, "no swap file or partition");
}

static void zram_only_is_not_ready(void **state)
{
	struct probe_result r;

	fake_hibernation(*state, "8:3\n",
			 "/dev/zram0 partition 33554428 0 100\n", GIB_KIB);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.hibernate_ready, PM_NO);
	assert_string_equal(r.reason,
			    "no swap file or partition (zram does not count)");
}

static void swap_too_small_is_not_ready(void **state)
{
	struct probe_result r;

	fake_hibernation(*state, "8:3\n",
			 "/dev/sda3 partition 8388604 0 -2\n"
			 "/dev/zram0 partition 33554428 0 100\n",
			 15938355UL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hibernate_ready, PM_NO);
	assert_string_equal(r.reason,
			    "no swap large enough for 15.2 GiB of anonymous memory");
}

static void used_swap_leaves_less_room(void **state)
{
	struct probe_result r;

	/* 16 GiB, 12 GiB of it in use: 4 GiB free for 8 GiB. */
	fake_hibernation(*state, "8:3\n",
			 "/swapfile file 16777212 12582912 -2\n",
			 8 * GIB_KIB);
	r = probe_tree(*state);
	assert_int_equal(r.hibernate_ready, PM_NO);
	assert_non_null(strstr(r.reason, "8.0 GiB of anonymous memory"));
}

static void logind_uses_the_highest_priority_swap(void **state)
{
	struct probe_result r;

	/* The big file has the lower priority: logind would not use it. */
	fake_hibernation(*state, "8:3\n",
			 "/dev/sda3 partition 2097148 0 10\n"
			 "/big.swap file 67108860 0 -2\n",
			 8 * GIB_KIB);
	r = probe_tree(*state);
	assert_int_equal(r.hibernate_ready, PM_NO);

	/* Of equal priority, the one with the most free space. */
	fake_hibernation(*state, "8:3\n",
			 "/dev/sda3 partition 2097148 0 -2\n"
			 "/big.swap file 67108860 0 -2\n",
			 8 * GIB_KIB);
	r = probe_tree(*state);
	assert_int_equal(r.hibernate_ready, PM_YES);
}

static void deleted_swap_file_does_not_count(void **state)
{
	struct probe_result r;

	fake_hibernation(*state, "8:3\n",
			 "/swapfile\\040(deleted) file 67108860 0 -2\n",
			 GIB_KIB);
	r = probe_tree(*state);
	assert_int_equal(r.hibernate_ready, PM_NO);
	assert_string_equal(r.reason, "no swap file or partition");
}

static void unreadable_proc_cannot_tell_readiness(void **state)
{
	struct probe_result r;
	char *meminfo = tu_path(*state, "proc/meminfo");

	fake_hibernation(*state, "8:3\n",
			 "/dev/sda3 partition 16777212 0 -2\n", GIB_KIB);
	assert_int_equal(remove(meminfo), 0);
	r = probe_tree(*state);
	/* The probe itself still succeeds; only this column is unknown. */
	assert_true(r.valid);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hibernate_ready, PM_UNKNOWN);
	assert_non_null(strstr(r.reason, "cannot read"));
	assert_non_null(strstr(r.reason, "proc/meminfo"));
	free(meminfo);
}

static void missing_resume_cannot_tell_readiness(void **state)
{
	struct probe_result r;

	fake_hibernation(*state, NULL,
			 "/dev/sda3 partition 16777212 0 -2\n", GIB_KIB);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.hibernate_ready, PM_UNKNOWN);
	assert_non_null(strstr(r.reason, "cannot read power/resume"));
}

static void suspend_stats_are_read_where_present(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, "mem\n", "[deep]\n", NULL);
	r = probe_tree(*state);
	assert_false(r.has_suspend_stats);

	tu_write(*state, "power/suspend_stats/success", "12\n", 0644);
	tu_write(*state, "power/suspend_stats/fail", "1\n", 0644);
	r = probe_tree(*state);
	assert_true(r.has_suspend_stats);
	assert_int_equal(r.suspend_success, 12);
	assert_int_equal(r.suspend_fail, 1);

	/* Half of them, or garbage, is as good as none. */
	tu_write(*state, "power/suspend_stats/fail", "x\n", 0644);
	r = probe_tree(*state);
	assert_false(r.has_suspend_stats);
	assert_int_equal(r.suspend_success, 0);
}

static void disk_without_disk_file_cannot_tell_hybrid(void **state)
{
	struct probe_result r;

	tu_fake_sysfs(*state, "disk\n", NULL, NULL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s4, PM_YES);
	assert_int_equal(r.hybrid, PM_UNKNOWN);
}

static void tokens_are_whole_words(void **state)
{
	struct probe_result r;

	/* "memory" and "diskless" are not "mem" and "disk". */
	tu_fake_sysfs(*state, "memory diskless\n", NULL, NULL);
	r = probe_tree(*state);
	assert_true(r.valid);
	assert_int_equal(r.s3, PM_NO);
	assert_int_equal(r.s4, PM_NO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(mem_with_s2idle_only_is_no_s3, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(mem_with_deep_is_s3, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(deep_offered_but_not_selected_is_s3, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(mem_without_mem_sleep_is_s3, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(empty_state_is_valid_with_nothing, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(missing_state_fails_naming_the_file, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(unreadable_state_fails, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(unreadable_mem_sleep_fails, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(disabled_hibernation_is_no_s4, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(disk_without_disk_file_cannot_tell_hybrid, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(tokens_are_whole_words, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(s2idle_in_mem_sleep_is_suspend_to_idle, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(shallow_is_standby, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(standby_in_state_is_standby, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(sysfs_cannot_tell_suspend_then_hibernate, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(enough_swap_is_ready_to_hibernate, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(resume_0_0_is_not_ready, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(no_swap_is_not_ready, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(zram_only_is_not_ready, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(swap_too_small_is_not_ready, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(used_swap_leaves_less_room, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(logind_uses_the_highest_priority_swap, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(deleted_swap_file_does_not_count, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(unreadable_proc_cannot_tell_readiness, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(missing_resume_cannot_tell_readiness, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(suspend_stats_are_read_where_present, tu_setup_dir, tu_teardown_dir),
	};

	return cmocka_run_group_tests_name("sysfs", tests, NULL, NULL);
}
