/* SPDX-License-Identifier: MIT */
/*
 * What a probe starts ends with it. A process group is not enough: a
 * helper may start a child in a session of its own (`setsid sleep 990 &`)
 * and exit 0, and the child is then nobody's. A process that probes
 * becomes a subreaper instead, so that whatever its helpers leave behind
 * is reparented to it rather than to init, and it kills and reaps all its
 * children when the probe is over.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostpm.h"

/* Children handled in one round; more wait for the next. */
#define CHILDREN_PER_ROUND 256

int hostpm_adopt_orphans(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : -1;
}

/* Appends the pids listed in text (whitespace-separated) to pids. */
static size_t add_pids(const char *text, pid_t *pids, size_t n, size_t max)
{
	const char *p = text;

	while (n < max) {
		char *end;
		long v;

		while (*p == ' ' || *p == '\n')
			p++;
		if (!*p)
			break;
		v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (v > 0)
			pids[n++] = (pid_t)v;
		p = end;
	}
	return n;
}

/*
 * The children of this process, from each thread's
 * /proc/self/task/TID/children (CONFIG_PROC_CHILDREN, which Debian's
 * kernels have). Returns their number, or -1 when that file is missing.
 */
static int children_from_task_files(pid_t *pids, size_t max)
{
	DIR *tasks = opendir("/proc/self/task");
	struct dirent *d;
	size_t n = 0;
	int rc = 0;

	if (!tasks)
		return -1;
	while ((d = readdir(tasks)) != NULL && n < max) {
		char path[64], buf[4096];
		ssize_t len;
		int fd;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%.20s/children",
			 d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			rc = -1;
			break;
		}
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len < 0) {
			rc = -1;
			break;
		}
		buf[len] = '\0';
		n = add_pids(buf, pids, n, max);
	}
	closedir(tasks);
	return rc < 0 ? -1 : (int)n;
}

/* The same from every /proc/PID/stat whose parent is this process. */
static int children_from_proc_scan(pid_t *pids, size_t max)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;
	pid_t self = getpid();
	size_t n = 0;

	if (!proc)
		return -1;
	while ((d = readdir(proc)) != NULL && n < max) {
		char path[64], buf[1024], *close_paren;
		long ppid;
		ssize_t len;
		int fd;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/stat", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue; /* gone since the readdir */
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "PID (COMM) STATE PPID ...": COMM may hold anything. */
		close_paren = strrchr(buf, ')');
		if (!close_paren || sscanf(close_paren + 1, " %*c %ld", &ppid) != 1)
			continue;
		if (ppid == (long)self)
			pids[n++] = (pid_t)strtol(d->d_name, NULL, 10);
	}
	closedir(proc);
	return (int)n;
}

int hostpm_list_children(pid_t *pids, size_t max, bool scan_proc)
{
	int n = scan_proc ? -1 : children_from_task_files(pids, max);

	return n >= 0 ? n : children_from_proc_scan(pids, max);
}

static long ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000L +
	       (now.tv_nsec - start->tv_nsec) / 1000000L;
}

int hostpm_end_children(unsigned int wait_ms)
{
	pid_t pids[CHILDREN_PER_ROUND];
	struct timespec start, pause = { 0, 0 };
	long step_ms = 1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int n = hostpm_list_children(pids, CHILDREN_PER_ROUND, false);
		int reaped = 0;

		if (n <= 0)
			return n;
		for (int i = 0; i < n; i++) {
			pid_t w;

			/* A child of ours stays ours (its pid cannot be reused)
			 * until we reap it, so the pid is safe to kill. */
			kill(pids[i], SIGKILL);
			do {
				w = waitpid(pids[i], NULL, WNOHANG);
			} while (w < 0 && errno == EINTR);
			if (w == pids[i])
				reaped++;
		}
		/* A reaped child's own children are ours now: list again. */
		if (reaped)
			continue;
		if (ms_since(&start) >= (long)wait_ms)
			return n;
		pause.tv_nsec = step_ms * 1000000L;
		nanosleep(&pause, NULL);
		if (step_ms < 50)
			step_ms *= 2;
	}
}
