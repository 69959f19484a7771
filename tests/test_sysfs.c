/* SPDX-License-Identifier: MIT */
/* The sysfs source against fake trees, one per combination a kernel shows. */
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

static int setup(void **state)
{
	*state = tu_mkdtemp();
	return 0;
}

static int teardown(void **state)
{
	tu_rmtree(*state);
	free(*state);
	return 0;
}

static struct probe_result probe_tree(const char *root)
{
	struct probe_config cfg;
	struct probe_result r;

	probe_config_init(&cfg);
	snprintf(cfg.sysfs_root, sizeof(cfg.sysfs_root), "%s", root);
	probe_run_source(&cfg, PROBE_SOURCE_SYSFS, &r);
	return r;
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
	assert_string_equal(r.error, "");
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
		cmocka_unit_test_setup_teardown(mem_with_s2idle_only_is_no_s3, setup, teardown),
		cmocka_unit_test_setup_teardown(mem_with_deep_is_s3, setup, teardown),
		cmocka_unit_test_setup_teardown(deep_offered_but_not_selected_is_s3, setup, teardown),
		cmocka_unit_test_setup_teardown(mem_without_mem_sleep_is_s3, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_state_is_valid_with_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_state_fails_naming_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(unreadable_state_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(unreadable_mem_sleep_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(disabled_hibernation_is_no_s4, setup, teardown),
		cmocka_unit_test_setup_teardown(disk_without_disk_file_cannot_tell_hybrid, setup, teardown),
		cmocka_unit_test_setup_teardown(tokens_are_whole_words, setup, teardown),
	};

	return cmocka_run_group_tests_name("sysfs", tests, NULL, NULL);
}
