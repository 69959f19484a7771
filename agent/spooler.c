/* SPDX-License-Identifier: MIT */
/*
 * One writer thread and one slot: the event loop puts the latest request
 * in the slot and wakes the thread; the thread takes it, writes, and
 * says so through a pipe the event loop watches. Nothing in the thread
 * touches net-snmp, which is not thread-safe: its reason for a failure
 * travels back as text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "spool.h"
#include "spooler.h"

struct request {
	char path[PATH_MAX];
	char *text; /* NULL: remove the file */
};

static struct {
	pthread_t thread;
	bool running;
	spooler_done_fn done;
	int wake_r, wake_w; /* the thread's word to the event loop */
	char swept[PATH_MAX]; /* the last path whose folder was swept */

	/* Under lock. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool waiting;  /* the slot holds a request */
	bool writing;  /* the thread has one in hand */
	bool quit;
	struct request slot;
	unsigned int failures; /* since the event loop last looked */
	char err[512];
} sp = {
	.wake_r = -1,
	.wake_w = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static void *write_requests(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&sp.lock);
	for (;;) {
		struct request r;
		char err[sizeof(sp.err)];
		int rc;

		while (!sp.waiting && !sp.quit)
			pthread_cond_wait(&sp.cond, &sp.lock);
		if (!sp.waiting)
			break;
		r = sp.slot;
		sp.slot.text = NULL;
		sp.waiting = false;
		sp.writing = true;
		pthread_mutex_unlock(&sp.lock);

		rc = spool_update(r.path, r.text, err, sizeof(err));
		free(r.text);

		pthread_mutex_lock(&sp.lock);
		sp.writing = false;
		if (rc != 0) {
			sp.failures++;
			memcpy(sp.err, err, sizeof(sp.err));
		}
		/* A full pipe already holds a wake-up: nothing is lost. */
		while (write(sp.wake_w, "", 1) < 0 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&sp.lock);
	return NULL;
}

/* The thread's news, in the event loop. */
static void report_outcomes(void)
{
	unsigned int failures;
	char err[sizeof(sp.err)];
	bool idle;

	pthread_mutex_lock(&sp.lock);
	failures = sp.failures;
	sp.failures = 0;
	memcpy(err, sp.err, sizeof(err));
	idle = !sp.waiting && !sp.writing;
	pthread_mutex_unlock(&sp.lock);
	sp.done(failures, failures ? err : "", idle);
}

static void on_wake(int fd, void *data)
{
	char buf[64];

	(void)data;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	report_outcomes();
}

int spooler_start(spooler_done_fn done, char *err, size_t errlen)
{
	int fds[2], rc;
	sigset_t all, old;

	if (sp.running)
		return 0;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "cannot make the spool writer's pipe: %s",
			 strerror(errno));
		return -1;
	}
	sp.wake_r = fds[0];
	sp.wake_w = fds[1];
	sp.done = done;
	sp.quit = false;
	sp.failures = 0;
	/* Signals stay with the event loop (hostpmd's signalfd, snmpd's
	 * handlers): the thread starts with them all blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&sp.thread, NULL, write_requests, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the spool writer: %s",
			 strerror(rc));
		goto out_pipe;
	}
	pthread_setname_np(sp.thread, "hostpm-spool");
	if (register_readfd(sp.wake_r, on_wake, NULL) != 0) {
		snprintf(err, errlen, "cannot watch the spool writer");
		pthread_mutex_lock(&sp.lock);
		sp.quit = true;
		pthread_cond_signal(&sp.cond);
		pthread_mutex_unlock(&sp.lock);
		pthread_join(sp.thread, NULL);
		goto out_pipe;
	}
	sp.running = true;
	return 0;
out_pipe:
	close(fds[0]);
	close(fds[1]);
	sp.wake_r = sp.wake_w = -1;
	return -1;
}

void spooler_submit(const char *path, const char *text)
{
	char *copy = NULL;

	if (!sp.running)
		return;
	if (text && !(copy = strdup(text))) {
		sp.done(1, "out of memory for the fragment", true);
		return;
	}
	pthread_mutex_lock(&sp.lock);
	/* With no write in hand, no temporary file in the folder is this
	 * process's: each is an earlier run's. */
	if (!sp.waiting && !sp.writing && strcmp(sp.swept, path) != 0 &&
	    spool_remove_leftovers(path))
		snprintf(sp.swept, sizeof(sp.swept), "%s", path);
	free(sp.slot.text);
	snprintf(sp.slot.path, sizeof(sp.slot.path), "%s", path);
	sp.slot.text = copy;
	sp.waiting = true;
	pthread_cond_signal(&sp.cond);
	pthread_mutex_unlock(&sp.lock);
}

void spooler_stop(void)
{
	if (!sp.running)
		return;
	pthread_mutex_lock(&sp.lock);
	sp.quit = true;
	pthread_cond_signal(&sp.cond);
	pthread_mutex_unlock(&sp.lock);
	pthread_join(sp.thread, NULL);
	sp.running = false;
	unregister_readfd(sp.wake_r);
	report_outcomes();
	close(sp.wake_r);
	close(sp.wake_w);
	sp.wake_r = sp.wake_w = -1;
}
