/* SPDX-License-Identifier: MIT */
/* The subreaper's sweep: children listed both ways, and orphans in a
 * session of their own killed and reaped. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostpm.h"
#include "testutil.h"

/*
 * A child that starts a grandchild in a session of its own, reports the
 * grandchild's pid on fd, and exits: the grandchild is then an orphan.
 */
static pid_t orphan_via_child(void)
{
	int fds[2];
	pid_t child, grandchild = 0;

	assert_int_equal(pipe(fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pid_t g = fork();

		if (g == 0) {
			setsid();
			for (;;)
				pause();
		}
		if (write(fds[1], &g, sizeof(g)) != (ssize_t)sizeof(g))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &grandchild, sizeof(grandchild)),
			 (ssize_t)sizeof(grandchild));
	close(fds[0]);
	assert_int_equal(waitpid(child, NULL, 0), child);
	return grandchild;
}

static int contains(const pid_t *pids, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

static void orphans_are_ours_and_listed_both_ways(void **state)
{
	pid_t by_task[16], by_scan[16], orphan;
	int n_task, n_scan;

	(void)state;
	assert_int_equal(hostpm_adopt_orphans(), 0);
	orphan = orphan_via_child();
	assert_true(tu_alive(orphan));
	n_task = hostpm_list_children(by_task, 16, false);
	n_scan = hostpm_list_children(by_scan, 16, true);
	assert_int_equal(n_task, 1);
	assert_int_equal(n_scan, 1);
	assert_true(contains(by_task, n_task, orphan));
	assert_true(contains(by_scan, n_scan, orphan));
	assert_int_equal(hostpm_end_children(5000), 0);
	assert_false(tu_alive(orphan));
	/* Reaped: it is no zombie of ours either. */
	assert_int_equal(waitpid(orphan, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void children_of_children_are_ended_too(void **state)
{
	pid_t child;
	int fds[2];
	char c;

	(void)state;
	assert_int_equal(hostpm_adopt_orphans(), 0);
	assert_int_equal(pipe(fds), 0);
	/* A child whose own child ignores SIGTERM in a session of its own. */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (fork() == 0) {
			setsid();
			signal(SIGTERM, SIG_IGN);
			if (write(fds[1], "x", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	assert_int_equal(hostpm_end_children(5000), 0);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void no_children_is_zero(void **state)
{
	(void)state;
	assert_int_equal(hostpm_end_children(0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(orphans_are_ours_and_listed_both_ways),
		cmocka_unit_test(children_of_children_are_ended_too),
		cmocka_unit_test(no_children_is_zero),
	};

	return cmocka_run_group_tests_name("reaper", tests, NULL, NULL);
}
