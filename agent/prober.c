/* SPDX-License-Identifier: MIT */
/*
 * One worker thread, asleep on a condition variable between probes, so an
 * idle hostpmd wakes once per interval and not otherwise. The thread only
 * runs the probe library, which touches no net-snmp state: all SNMP work
 * stays on the main thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "prober.h"

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running;
	bool stop;
	bool kick;
	struct probe_config cfg;
	unsigned int interval_s;
	struct timespec next_due;
	struct probe_report latest;
	bool fresh;
	int pipe_r, pipe_w;
	int cancel; /* an eventfd: written once, when stopping */
} pr = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.pipe_r = -1,
	.pipe_w = -1,
	.cancel = -1,
};

static void *prober_main(void *arg)
{
	static struct probe_report report;
	struct probe_config cfg;

	(void)arg;
	pthread_mutex_lock(&pr.lock);
	while (!pr.stop) {
		if (!pr.kick) {
			int rc = pthread_cond_timedwait(&pr.wake, &pr.lock,
							&pr.next_due);
			if (rc == ETIMEDOUT)
				pr.kick = true;
			continue;
		}
		pr.kick = false;
		cfg = pr.cfg;
		cfg.cancel_fd = pr.cancel;
		pthread_mutex_unlock(&pr.lock);

		probe_run(&cfg, &report);

		pthread_mutex_lock(&pr.lock);
		pr.latest = report;
		pr.fresh = true;
		clock_gettime(CLOCK_MONOTONIC, &pr.next_due);
		pr.next_due.tv_sec += pr.interval_s;
		/*
		 * Non-blocking: when the pipe is full (EAGAIN) the main loop
		 * has a wake-up pending already and takes the newest report.
		 */
		ssize_t w = write(pr.pipe_w, "p", 1);
		(void)w;
	}
	pthread_mutex_unlock(&pr.lock);
	return NULL;
}

int prober_start(const struct probe_config *cfg, unsigned int interval_s,
		 char *err, size_t errlen)
{
	pthread_condattr_t ca;
	int fds[2], rc;

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pr.cancel = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (pr.cancel < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	if (pthread_condattr_init(&ca) != 0 ||
	    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&pr.wake, &ca) != 0) {
		snprintf(err, errlen, "cannot set up the probe thread's clock");
		goto fail;
	}
	pthread_condattr_destroy(&ca);
	pr.pipe_r = fds[0];
	pr.pipe_w = fds[1];
	pr.cfg = *cfg;
	pr.interval_s = interval_s;
	pr.kick = true;
	pr.stop = false;
	rc = pthread_create(&pr.thread, NULL, prober_main, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the probe thread: %s",
			 strerror(rc));
		pthread_cond_destroy(&pr.wake);
		goto fail;
	}
	pr.running = true;
	return pr.pipe_r;
fail:
	close(fds[0]);
	close(fds[1]);
	if (pr.cancel >= 0)
		close(pr.cancel);
	pr.pipe_r = pr.pipe_w = pr.cancel = -1;
	return -1;
}

void prober_reconfigure(const struct probe_config *cfg,
			unsigned int interval_s)
{
	pthread_mutex_lock(&pr.lock);
	pr.cfg = *cfg;
	pr.interval_s = interval_s;
	pr.kick = true;
	pthread_cond_signal(&pr.wake);
	pthread_mutex_unlock(&pr.lock);
}

void prober_kick(void)
{
	pthread_mutex_lock(&pr.lock);
	pr.kick = true;
	pthread_cond_signal(&pr.wake);
	pthread_mutex_unlock(&pr.lock);
}

bool prober_take(struct probe_report *out)
{
	char drain[64];
	bool fresh;

	while (read(pr.pipe_r, drain, sizeof(drain)) > 0)
		;
	pthread_mutex_lock(&pr.lock);
	fresh = pr.fresh;
	if (fresh)
		*out = pr.latest;
	pr.fresh = false;
	pthread_mutex_unlock(&pr.lock);
	return fresh;
}

void prober_stop(void)
{
	uint64_t one = 1;

	if (!pr.running)
		return;
	/*
	 * A probe under way kills its helpers and returns at once; should the
	 * write fail, it ends at its timeout instead.
	 */
	ssize_t w = write(pr.cancel, &one, sizeof(one));

	(void)w;
	pthread_mutex_lock(&pr.lock);
	pr.stop = true;
	pthread_cond_signal(&pr.wake);
	pthread_mutex_unlock(&pr.lock);
	pthread_join(pr.thread, NULL);
	pthread_cond_destroy(&pr.wake);
	close(pr.pipe_r);
	close(pr.pipe_w);
	close(pr.cancel);
	pr.pipe_r = pr.pipe_w = pr.cancel = -1;
	pr.running = false;
}
