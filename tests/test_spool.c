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

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "spool.h"
#include "testutil.h"

/* What spool.c logged through net-snmp since the last logged_reset(). */
static char logged[4096];

static int on_log(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	size_t used = strlen(logged);

	(void)major;
	(void)minor;
	(void)client;
	snprintf(logged + used, sizeof(logged) - used, "%s", m->msg);
	return 0;
}

static void logged_reset(void)
{
	logged[0] = '\0';
}

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

/* A leftover of a crash: pm.xml.tmp. and six random letters and digits,
 * with half a fragment in it. */
static void leftover(const char *dir, const char *name)
{
	tu_write(dir, name, "<power_manag", 0600);
}

static void crash_leftovers_are_removed_at_the_first_write(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char err[256], want[512];

	leftover(*state, "pm.xml.tmp.a1B2c3");
	leftover(*state, "pm.xml.tmp.ZZZZZZ");
	logged_reset();
	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	assert_string_equal(slurp(path), "<power_management/>\n");
	assert_int_equal(entries(*state), 1);
	snprintf(want, sizeof(want), "spool: removed %s/pm.xml.tmp.a1B2c3, a temporary file left by an earlier run\n",
		 (char *)*state);
	assert_non_null(strstr(logged, want));
	snprintf(want, sizeof(want), "spool: removed %s/pm.xml.tmp.ZZZZZZ, a temporary file left by an earlier run\n",
		 (char *)*state);
	assert_non_null(strstr(logged, want));
	free(path);
}

/* A failed query writes nothing, and still clears what a crash left. */
static void crash_leftovers_are_removed_when_the_query_failed(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char err[256];

	leftover(*state, "pm.xml.tmp.Q9w8E7");
	assert_int_equal(spool_update(path, NULL, err, sizeof(err)), 0);
	assert_int_equal(entries(*state), 0);
	free(path);
}

/* A spool folder that could not be read at the first write (gone for a
 * while) is cleared at the first write that can read it. */
static void a_folder_back_later_is_cleared_then(void **state)
{
	char *path = tu_path(*state, "later/pm.xml");
	char *folder = tu_path(*state, "later");
	char err[256];

	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), -1);
	assert_int_equal(mkdir(folder, 0755), 0);
	leftover(folder, "pm.xml.tmp.L8tEr0");
	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	assert_int_equal(entries(folder), 1);
	free(folder);
	free(path);
}

/*
 * Only regular files named as spool.c names its temporary files go: not
 * a name one letter short or long, with another character, another
 * spool file's, the spool file itself; not a symlink (nor what it points
 * to), a folder or a FIFO of the right name.
 */
static void nothing_else_is_removed(void **state)
{
	static const char *const others[] = {
		"pm.xml.tmp.abcde", "pm.xml.tmp.abcdefg", "pm.xml.tmp.ab-def",
		"pm.xml.tmp.ab.def", "pm.xml.tmpXabcdef", "pm.xml.TMP.abcdef",
		"other.xml.tmp.abcdef", "xpm.xml.tmp.abcdef", "victim",
	};
	char *path = tu_path(*state, "pm.xml");
	char *victim = tu_path(*state, "victim");
	char *link = tu_path(*state, "pm.xml.tmp.L1nk00");
	char *folder = tu_path(*state, "pm.xml.tmp.D1r000");
	char *fifo = tu_path(*state, "pm.xml.tmp.F1f000");
	char err[256];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		tu_write(*state, others[i], "keep", 0644);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(mkdir(folder, 0755), 0);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	logged_reset();
	assert_int_equal(spool_update(path, "<power_management/>\n", err, sizeof(err)), 0);
	assert_string_equal(logged, "");
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		char *other = tu_path(*state, others[i]);

		assert_string_equal(slurp(other), "keep");
		free(other);
	}
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(folder, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	/* The spool file, its nine neighbours, the link, folder and FIFO. */
	assert_int_equal(entries(*state), 13);
	free(fifo);
	free(folder);
	free(link);
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
		cmocka_unit_test_setup_teardown(crash_leftovers_are_removed_at_the_first_write, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(crash_leftovers_are_removed_when_the_query_failed, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(nothing_else_is_removed, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(a_folder_back_later_is_cleared_then, tu_setup_dir, tu_teardown_dir),
	};

	snmp_enable_calllog();
	if (snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
				   on_log, NULL) != SNMPERR_SUCCESS) {
		fprintf(stderr, "cannot catch net-snmp's log messages\n");
		return 1;
	}

	return cmocka_run_group_tests_name("spool", tests, NULL, NULL);
}
