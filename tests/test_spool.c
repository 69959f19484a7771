/* SPDX-License-Identifier: MIT */
/* The spool file: exact bytes, atomic replacement, removal, and failures
 * that leave the old file whole. */
#define _GNU_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "spool.h"
#include "testutil.h"

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || (e->d_name[1] && e->d_name[1] != '.'))
			n++;
	closedir(d);
	return n;
}

static void writes_exact_bytes_mode_0644(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char err[256];
	struct stat st;
	mode_t old = umask(077);

	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	umask(old);
	assert_string_equal(slurp(path), "<power_management/>\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(entries(*state), 1); /* no temporary left */
	free(path);
}

/* Whether to write is the caller's decision: every write is a new file
 * renamed over the old, the same bytes included. */
static void every_write_replaces_by_rename(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char err[256];
	struct stat a, b;

	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	assert_int_equal(stat(path, &a), 0);
	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	assert_int_equal(stat(path, &b), 0);
	assert_int_not_equal(a.st_ino, b.st_ino);
	assert_int_equal(spool_update(path, "<power_management>\n  <S3/>\n</power_management>\n",
				      err, sizeof(err)), 0);
	assert_int_equal(stat(path, &a), 0);
	assert_int_not_equal(a.st_ino, b.st_ino);
	assert_string_equal(slurp(path), "<power_management>\n  <S3/>\n</power_management>\n");
	assert_int_equal(entries(*state), 1); /* no temporary left */
	free(path);
}

static void a_hand_edited_file_is_put_right(void **state)
{
	char err[256];
	char *path;

	tu_write(*state, "pm.xml", "garbage", 0644);
	path = tu_path(*state, "pm.xml");
	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	assert_string_equal(slurp(path), "<power_management/>\n");
	free(path);
}

static void failed_query_removes_the_file(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char err[256];

	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	assert_int_equal(spool_update(path, NULL, err, sizeof(err)), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(spool_update(path, NULL, err, sizeof(err)), 0);
	free(path);
}

static void missing_folder_fails_and_says_why(void **state)
{
	char *path = tu_path(*state, "nope/pm.xml");
	char err[256] = "";

	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot create"));
	assert_non_null(strstr(err, "No such file or directory"));
	free(path);
}

static void failure_leaves_the_old_file_whole(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char *keep;
	char err[256] = "";

	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	/* A folder where the file should be: rename must fail. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
	tu_write(*state, "pm.xml/keep", "x", 0644);
	assert_int_equal(spool_update(path, "<power_management>\n  <S4/>\n</power_management>\n",
				      err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot rename"));
	keep = tu_path(*state, "pm.xml/keep");
	assert_string_equal(slurp(keep), "x");
	free(keep);
	assert_int_equal(entries(*state), 1); /* the temporary was removed */
	free(path);
}

static void a_symlinked_spool_is_replaced_not_written_through(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char *victim = tu_path(*state, "victim");
	char err[256];

	tu_write(*state, "victim", "untouched", 0644);
	/* rename() replaces the link itself; the file it named is untouched. */
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	assert_string_equal(slurp(victim), "untouched");
	assert_string_equal(slurp(path), "<power_management/>\n");
	free(victim);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_exact_bytes_mode_0644, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(every_write_replaces_by_rename, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(a_hand_edited_file_is_put_right, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(failed_query_removes_the_file, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(missing_folder_fails_and_says_why, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(failure_leaves_the_old_file_whole, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(a_symlinked_spool_is_replaced_not_written_through, tu_setup_dir, tu_teardown_dir),
	};

	return cmocka_run_group_tests_name("spool", tests, NULL, NULL);
}
