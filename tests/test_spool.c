/* SPDX-License-Identifier: MIT */
/* The spool file: exact bytes, atomic replacement, removal, and failures
 * that leave the old file whole; and its writer thread: writes reach the
 * file, the latest request wins, a stop loses nothing, and failures come
 * back to the event loop. */
#define _GNU_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/fd_event_manager.h>

#include "spool.h"
#include "spooler.h"
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

static void crash_leftovers_are_removed_and_logged(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char err[256], want[512];

	leftover(*state, "pm.xml.tmp.a1B2c3");
	leftover(*state, "pm.xml.tmp.ZZZZZZ");
	logged_reset();
	assert_true(spool_remove_leftovers(path));
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

/* A folder that cannot be read is not cleared, and says so: the
 * spooler tries again at its next write. */
static void a_missing_folder_is_not_cleared(void **state)
{
	char *path = tu_path(*state, "later/pm.xml");

	assert_false(spool_remove_leftovers(path));
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
	assert_true(spool_remove_leftovers(path));
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

/* --- the writer thread (spooler.c) --- */

static struct {
	unsigned int calls, failures;
	bool idle;
	char err[512];
} done;

static void on_done(unsigned int failures, const char *err, bool idle)
{
	done.calls++;
	done.failures += failures;
	done.idle = idle;
	if (failures)
		snprintf(done.err, sizeof(done.err), "%s", err);
}

static int spooler_setup(void **state)
{
	char err[256];

	memset(&done, 0, sizeof(done));
	logged_reset();
	if (tu_setup_dir(state) != 0)
		return -1;
	if (spooler_start(on_done, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int spooler_teardown(void **state)
{
	spooler_stop();
	return tu_teardown_dir(state);
}

/* Runs the event loop's side (the fds registered with register_readfd)
 * until the writer has reported, or 10 s pass. */
static void run_until_reported(void)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (done.calls == 0) {
		int n = 0;
		fd_set r, w, e;
		struct timeval tv = { 0, 100000 };

		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&e);
		netsnmp_external_event_info(&n, &r, &w, &e);
		n = select(n, &r, &w, &e, &tv);
		if (n > 0)
			netsnmp_dispatch_external_events(&n, &r, &w, &e);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 10)
			fail_msg("the spool writer did not report within 10 s");
	}
}

/* The event loop goes on while the thread writes, and hears of it. */
static void a_write_is_reported_to_the_event_loop(void **state)
{
	char *path = tu_path(*state, "pm.xml");

	spooler_submit(path, "<power_management/>\n");
	run_until_reported();
	assert_string_equal(slurp(path), "<power_management/>\n");
	assert_int_equal(done.failures, 0);
	free(path);
}

/* A stop writes what was asked for last: nothing is lost. */
static void a_stop_loses_nothing_and_the_latest_wins(void **state)
{
	char *path = tu_path(*state, "pm.xml");

	spooler_submit(path, "<power_management>\n  <S3/>\n</power_management>\n");
	spooler_submit(path, NULL);
	spooler_submit(path, "<power_management>\n  <S4/>\n</power_management>\n");
	spooler_stop();
	assert_string_equal(slurp(path), "<power_management>\n  <S4/>\n</power_management>\n");
	assert_true(done.calls >= 1);
	assert_true(done.idle);
	assert_int_equal(done.failures, 0);
	free(path);
}

/* A removal is a request like any other. */
static void a_failed_query_removes_the_file(void **state)
{
	char *path = tu_path(*state, "pm.xml");

	tu_write(*state, "pm.xml", "<power_management/>\n", 0644);
	spooler_submit(path, NULL);
	spooler_stop();
	assert_null(slurp(path));
	assert_int_equal(done.failures, 0);
	free(path);
}

/* The reason reaches the event loop, which logs and counts it. */
static void a_failure_comes_back_with_its_reason(void **state)
{
	char *path = tu_path(*state, "absent/pm.xml");

	spooler_submit(path, "<power_management/>\n");
	spooler_stop();
	assert_int_equal(done.failures, 1);
	assert_non_null(strstr(done.err, "absent/pm.xml"));
	free(path);
}

/* What a crash left is cleared, and logged, before the first write. */
static void the_first_write_clears_what_a_crash_left(void **state)
{
	char *path = tu_path(*state, "pm.xml");
	char want[512];

	tu_write(*state, "pm.xml.tmp.a1B2c3", "<power_manag", 0600);
	spooler_submit(path, "<power_management/>\n");
	spooler_stop();
	assert_string_equal(slurp(path), "<power_management/>\n");
	snprintf(want, sizeof(want), "spool: removed %s/pm.xml.tmp.a1B2c3, a temporary file left by an earlier run\n",
		 (char *)*state);
	assert_non_null(strstr(logged, want));
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
		cmocka_unit_test_setup_teardown(crash_leftovers_are_removed_and_logged, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(a_missing_folder_is_not_cleared, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(nothing_else_is_removed, tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(a_write_is_reported_to_the_event_loop, spooler_setup, spooler_teardown),
		cmocka_unit_test_setup_teardown(a_stop_loses_nothing_and_the_latest_wins, spooler_setup, spooler_teardown),
		cmocka_unit_test_setup_teardown(a_failed_query_removes_the_file, spooler_setup, spooler_teardown),
		cmocka_unit_test_setup_teardown(a_failure_comes_back_with_its_reason, spooler_setup, spooler_teardown),
		cmocka_unit_test_setup_teardown(the_first_write_clears_what_a_crash_left, spooler_setup, spooler_teardown),
	};

	snmp_enable_calllog();
	if (snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
				   on_log, NULL) != SNMPERR_SUCCESS) {
		fprintf(stderr, "cannot catch net-snmp's log messages\n");
		return 1;
	}

	return cmocka_run_group_tests_name("spool", tests, NULL, NULL);
}
