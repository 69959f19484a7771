/* SPDX-License-Identifier: MIT */
/* Running a helper program with a deadline, without a shell. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe_internal.h"

extern char **environ;

static long ms_until(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000L +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000L;
	return ms < 0 ? 0 : ms;
}

/* How a wait for a child's exit ended. */
enum exit_wait {
	EXIT_WAIT_NO_PIDFD,  /* this kernel has no pidfd_open: poll instead */
	EXIT_WAIT_EXITED,    /* it exited; still to be reaped */
	EXIT_WAIT_REAPED,    /* it exited and was reaped: *status says how */
	EXIT_WAIT_DEADLINE,  /* the deadline passed first */
	EXIT_WAIT_CANCELLED, /* cancel_fd became readable first */
};

/*
 * A pidfd lets poll() wait for the child's exit with a timeout and no
 * SIGCHLD handler, which a library must not install behind its caller.
 */
static enum exit_wait wait_exit_pidfd(pid_t pid,
				      const struct timespec *deadline,
				      int cancel_fd)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd[2];
	int rc;

	if (fd < 0)
		return EXIT_WAIT_NO_PIDFD;
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = cancel_fd; /* poll() skips a negative fd */
	pfd[1].events = POLLIN;
	do {
		rc = poll(pfd, 2, (int)ms_until(deadline));
	} while (rc < 0 && errno == EINTR);
	close(fd);
	if (rc > 0 && (pfd[0].revents & POLLIN))
		return EXIT_WAIT_EXITED;
	return rc > 0 ? EXIT_WAIT_CANCELLED : EXIT_WAIT_DEADLINE;
}


/* For kernels without pidfd_open (before 5.3): poll waitpid, backing off. */
static enum exit_wait wait_exit_polling(pid_t pid,
					const struct timespec *deadline,
					int cancel_fd, int *status)
{
	long step_ms = 1;

	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);
		long left;
		struct timespec ts;

		if (w == pid)
			return EXIT_WAIT_REAPED;
		if (probe_cancelled(cancel_fd))
			return EXIT_WAIT_CANCELLED;
		left = ms_until(deadline);
		if (left == 0)
			return EXIT_WAIT_DEADLINE;
		if (step_ms > left)
			step_ms = left;
		ts.tv_sec = step_ms / 1000;
		ts.tv_nsec = (step_ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		if (step_ms < 50)
			step_ms *= 2;
	}
}

static int reap(pid_t pid, int *status)
{
	pid_t w;

	do {
		w = waitpid(pid, status, 0);
	} while (w < 0 && errno == EINTR);
	return w == pid ? 0 : -1;
}

bool probe_cancelled(int cancel_fd)
{
	struct pollfd pfd = { .fd = cancel_fd, .events = POLLIN };

	return cancel_fd >= 0 && poll(&pfd, 1, 0) > 0;
}

int hostpm_spawn(char *const argv[], int out_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dflt;
	int rc, moved_fd = -1;

	/* Out of the way of the /dev/null opens on 0 and 2 below. */
	if (out_fd >= 0 && out_fd <= 2) {
		moved_fd = fcntl(out_fd, F_DUPFD_CLOEXEC, 3);
		if (moved_fd < 0)
			return errno;
		out_fd = moved_fd;
	}
	if (posix_spawn_file_actions_init(&fa) != 0) {
		if (moved_fd >= 0)
			close(moved_fd);
		return ENOMEM;
	}
	if (posix_spawnattr_init(&attr) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		if (moved_fd >= 0)
			close(moved_fd);
		return ENOMEM;
	}
	/* No signal blocked (a caller may block some for a signalfd), and
	 * the ones a daemon catches or ignores at their defaults. */
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGHUP);
	sigaddset(&dflt, SIGCHLD);
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = out_fd >= 0 ?
			posix_spawn_file_actions_adddup2(&fa, out_fd, 1) :
			posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
							 O_WRONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null",
						      O_WRONLY, 0);
	/*
	 * Nothing else: net-snmp opens its log file and its AgentX socket
	 * without O_CLOEXEC, and a helper that holds the socket keeps a dead
	 * hostpmd's registration alive. Closed in the child, whatever the
	 * flags of each descriptor.
	 */
	if (!rc)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!rc)
		rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
						     POSIX_SPAWN_SETSIGMASK |
						     POSIX_SPAWN_SETSIGDEF);
	if (!rc)
		rc = posix_spawnattr_setpgroup(&attr, 0);
	if (!rc)
		rc = posix_spawnattr_setsigmask(&attr, &none);
	if (!rc)
		rc = posix_spawnattr_setsigdefault(&attr, &dflt);
	if (!rc)
		rc = posix_spawn(pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (moved_fd >= 0)
		close(moved_fd);
	return rc;
}

enum spawn_outcome spawn_wait(char *const argv[],
			      const struct timespec *deadline, int cancel_fd,
			      int *status, char *err, size_t errlen)
{
	enum exit_wait how;
	pid_t pid;
	int rc;

	rc = hostpm_spawn(argv, -1, &pid);
	if (rc != 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0],
			 strerror(rc));
		return SPAWN_FAILED;
	}

	how = wait_exit_pidfd(pid, deadline, cancel_fd);
	if (how == EXIT_WAIT_NO_PIDFD)
		how = wait_exit_polling(pid, deadline, cancel_fd, status);
	switch (how) {
	case EXIT_WAIT_REAPED:
		return SPAWN_EXITED;
	case EXIT_WAIT_DEADLINE:
	case EXIT_WAIT_CANCELLED:
		/* The group, so that a script's own children die with it. */
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		reap(pid, status);
		return how == EXIT_WAIT_CANCELLED ? SPAWN_CANCELLED :
						    SPAWN_TIMED_OUT;
	case EXIT_WAIT_EXITED:
	case EXIT_WAIT_NO_PIDFD:
		break;
	}
	if (reap(pid, status) != 0) {
		snprintf(err, errlen, "cannot wait for %s: %s", argv[0],
			 strerror(errno));
		return SPAWN_FAILED;
	}
	return SPAWN_EXITED;
}
