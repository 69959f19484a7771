/* SPDX-License-Identifier: MIT */
/*
 * One child at a time: hostpm-probe --format=report, in its own process
 * group, its stdout on a pipe that the main loop reads as it comes. Past
 * its time budget the whole group is killed. A child that fails leaves
 * the last good report in place; the failure is logged once until it
 * changes. hostpmd is a subreaper: whatever a probe leaves running, in
 * any group or session, becomes its child and is killed when the probe
 * ends. Inside snmpd (dlmod) only the probe's own process group is ours.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "prober.h"

#define REPORT_MAX (64 * 1024)

static struct {
	struct hostpmd_config cfg;
	/* The settings the probe under way was started with: a SIGHUP
	 * during it changes cfg, not what its log lines name. */
	struct hostpmd_config run;
	prober_report_fn on_report;
	prober_problem_fn on_problem;
	pid_t pid;
	int out_fd;
	char *buf;
	size_t len;
	bool again;
	bool terminating; /* past its budget: SIGTERM sent */
	bool superseded;  /* started with settings no longer in force */
	unsigned int tick, deadline;
	/* Its output has ended; it has not exited yet: polled, never waited
	 * for, since a child that closes its stdout may still hang. */
	unsigned int reap_poll;
	long reap_step_ms;
	unsigned int sweep; /* alarm: kill what the last probe left, again */
	bool sweep_failed; /* listing our children failed, and was logged */
	/* Every child of this process is a probe's (hostpmd), not only the
	 * one in pr.pid (inside snmpd): orphans are adopted and swept. */
	bool own_children;
	char last_problem[512];
} pr = { .out_fd = -1 };

/* Logs a failure of the probe program unless it is the one logged last. */
static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void problem(const char *fmt, ...)
{
	char msg[sizeof(pr.last_problem)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pr.on_problem)
		pr.on_problem(msg);
	if (!strcmp(msg, pr.last_problem))
		return;
	snprintf(pr.last_problem, sizeof(pr.last_problem), "%s", msg);
	snmp_log(LOG_ERR, "probe: %s; keeping the last answer\n", msg);
}

/* The time the probe under way may take. */
static unsigned int budget_s(void)
{
	return config_probe_budget_s(&pr.run);
}

static void on_output(int fd, void *data);
static void finish(const char *failure, int status);

/* Kills the child's whole group outright. */
static void kill_child(void)
{
	kill(-pr.pid, SIGKILL);
	kill(pr.pid, SIGKILL);
}

/*
 * SIGTERM first: hostpm-probe then kills the pm-is-supported it runs (in a
 * group of its own) and exits; SIGKILL for the group a second later, and
 * the end of the probe then, without waiting for the end of its output: a
 * child in another session may hold the pipe open, and is ours to kill
 * only once the probe is gone.
 */
static void on_deadline(unsigned int reg, void *data)
{
	char why[128];

	(void)reg;
	(void)data;
	pr.deadline = 0;
	if (!pr.pid)
		return;
	if (!pr.terminating) {
		pr.terminating = true;
		kill(pr.pid, SIGTERM);
		pr.deadline = snmp_alarm_register(1, 0, on_deadline, NULL);
		return;
	}
	kill_child();
	snprintf(why, sizeof(why), "did not finish within %u s; killed",
		 budget_s());
	finish(why, 0);
}

/* One argument, malloc'd; NULL when out of memory. */
static char *arg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *arg(const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static char *sources_arg(const struct probe_config *p)
{
	char sources[256];

	probe_sources_format(p->sources, p->nsources, sources, sizeof(sources));
	return arg("--source=%s", sources);
}

/*
 * hostpm-probe --format=report with hostpmd's settings. The vector is
 * sized by its initialiser, so another option is one more line in it and
 * can overflow nothing; the optional --pm-is-supported goes last, where
 * a NULL in its place ends the vector early.
 */
static int spawn_child(int out_w, pid_t *pid)
{
	const struct probe_config *p = &pr.run.probe;
	char *argv[] = {
		arg("%s", pr.run.program),
		arg("--format=report"),
		sources_arg(p),
		arg("--sysfs-root=%s", p->sysfs_root),
		arg("--proc-root=%s", p->proc_root),
		arg("--timeout=%u.%03u", p->timeout_ms / 1000,
		    p->timeout_ms % 1000),
		arg("--dialect=%s", pm_dialect_name(pr.run.dialect)),
		p->pm_is_supported[0] ?
			arg("--pm-is-supported=%s", p->pm_is_supported) :
			NULL,
		NULL,
	};
	const size_t nargs = sizeof(argv) / sizeof(argv[0]);
	/* All but the terminator, less --pm-is-supported when unset. */
	size_t expected = nargs - (p->pm_is_supported[0] ? 1 : 2), i;
	int rc = 0;

	for (i = 0; i < expected; i++)
		if (!argv[i])
			rc = ENOMEM;
	if (!rc)
		rc = hostpm_spawn(argv, out_w, pid);
	for (i = 0; i < nargs; i++)
		free(argv[i]);
	return rc;
}

static void start_probe(void)
{
	int fds[2], rc;

	if (pr.pid) {
		pr.again = true;
		return;
	}
	if (pipe2(fds, O_CLOEXEC) != 0) {
		problem("pipe: %s", strerror(errno));
		return;
	}
	pr.run = pr.cfg;
	rc = spawn_child(fds[1], &pr.pid);
	close(fds[1]);
	if (rc != 0) {
		pr.pid = 0;
		close(fds[0]);
		problem("cannot run %s: %s", pr.run.program, strerror(rc));
		return;
	}
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0)
		snmp_log(LOG_WARNING, "probe: cannot make its pipe non-blocking\n");
	pr.out_fd = fds[0];
	pr.len = 0;
	pr.terminating = false;
	register_readfd(pr.out_fd, on_output, NULL);
	pr.deadline = snmp_alarm_register(budget_s(), 0, on_deadline, NULL);
}

static void stop_reading(void)
{
	if (pr.out_fd >= 0) {
		unregister_readfd(pr.out_fd);
		close(pr.out_fd);
		pr.out_fd = -1;
	}
}

static void on_reap_poll(unsigned int reg, void *data);

/*
 * The child's output has ended. It exits at the same moment, as a rule,
 * and its report is used; but a program may close its stdout and go on
 * (`exec >&-; sleep 600`), so it is never waited for: until it exits it
 * is polled, at 1 ms, then less often, up to every 100 ms, and its
 * deadline (SIGTERM, then SIGKILL) still runs. A child that exits only
 * after its SIGTERM has failed to finish in time, whatever its status.
 */
static void reap_if_exited(void)
{
	struct timeval step;
	char why[128];
	int status = 0;
	pid_t w;

	do {
		w = waitpid(pr.pid, &status, WNOHANG);
	} while (w < 0 && errno == EINTR);
	if (w < 0) {
		snprintf(why, sizeof(why), "cannot be waited for: %s",
			 strerror(errno));
		finish(why, 0);
		return;
	}
	if (w == pr.pid) {
		if (pr.terminating) {
			snprintf(why, sizeof(why),
				 "did not finish within %u s; stopped",
				 budget_s());
			finish(why, 0);
		} else {
			finish(NULL, status);
		}
		return;
	}
	pr.reap_step_ms = pr.reap_step_ms ? pr.reap_step_ms * 2 : 1;
	if (pr.reap_step_ms > 100)
		pr.reap_step_ms = 100;
	step.tv_sec = 0;
	step.tv_usec = (suseconds_t)(pr.reap_step_ms * 1000);
	/* Should the alarm not be set, the deadline still ends the child. */
	pr.reap_poll = snmp_alarm_register_hr(step, 0, on_reap_poll, NULL);
}

static void on_reap_poll(unsigned int reg, void *data)
{
	(void)reg;
	(void)data;
	pr.reap_poll = 0;
	if (pr.pid)
		reap_if_exited();
}

static void on_output(int fd, void *data)
{
	(void)data;
	for (;;) {
		ssize_t n;

		if (pr.len == REPORT_MAX) {
			kill_child();
			finish("wrote too much; killed", 0);
			return;
		}
		n = read(fd, pr.buf + pr.len, REPORT_MAX - pr.len);
		if (n > 0) {
			pr.len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		/* End of output, or an error reading it. */
		stop_reading();
		reap_if_exited();
		return;
	}
}

static void hand_over(int status)
{
	struct probe_report report;
	char err[256], *fragment;

	if (WIFSIGNALED(status)) {
		problem("%s was killed by signal %d", pr.run.program,
			WTERMSIG(status));
		return;
	}
	/* 0: the query succeeded, 1: every source failed; both report. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		problem("%s exited with status %d", pr.run.program,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return;
	}
	pr.buf[pr.len] = '\0';
	if (probe_report_read(pr.buf, &report, &fragment, err, sizeof(err))) {
		problem("%s: %s", pr.run.program, err);
		return;
	}
	pr.last_problem[0] = '\0';
	pr.on_report(&report, fragment);
}

/*
 * The probe is over for hostpmd: its pipe, deadline and polls go. A child
 * not reaped yet (killed, or past its budget) is reaped by sweep(), as
 * whatever else a probe leaves, without blocking the main loop.
 */
static void end_child(void)
{
	stop_reading();
	if (pr.deadline) {
		snmp_alarm_unregister(pr.deadline);
		pr.deadline = 0;
	}
	if (pr.reap_poll) {
		snmp_alarm_unregister(pr.reap_poll);
		pr.reap_poll = 0;
	}
	pr.reap_step_ms = 0;
	pr.pid = 0;
}

static void on_sweep(unsigned int reg, void *data);

/*
 * Kills and reaps what the last probe left running: its orphans are ours.
 * One that is not dead yet (or whose own children are not ours yet) is
 * tried again a second later, without blocking the main loop.
 */
static void sweep(void)
{
	int left;

	if (pr.pid || !pr.own_children)
		return; /* the end of the probe under way sweeps again */
	left = hostpm_end_children(0);
	if (left < 0 && !pr.sweep_failed) {
		pr.sweep_failed = true;
		snmp_log(LOG_WARNING, "probe: cannot list the processes probes left running: %s\n",
			 strerror(errno));
	}
	if (left > 0 && !pr.sweep)
		pr.sweep = snmp_alarm_register(1, 0, on_sweep, NULL);
}

static void on_sweep(unsigned int reg, void *data)
{
	(void)reg;
	(void)data;
	pr.sweep = 0;
	sweep();
}

/* The probe has ended: report its exit status, or say why not (failure). */
static void finish(const char *failure, int status)
{
	end_child();
	if (failure)
		/* Named as it was started, whatever SIGHUP changed since. */
		problem("%s %s", pr.run.program, failure);
	else if (pr.superseded)
		/*
		 * Its word is about the settings before the last SIGHUP
		 * (another program, another spoolFormat): not served. The
		 * next probe is.
		 */
		DEBUGMSGTL(("hostpmd", "probe: a probe of the old settings ended; not used\n"));
	else
		hand_over(status);
	sweep();
	pr.superseded = false;
	if (pr.again) {
		pr.again = false;
		start_probe();
	}
}

static void on_tick(unsigned int reg, void *data)
{
	(void)reg;
	(void)data;
	start_probe();
}

static void schedule(void)
{
	if (pr.tick)
		snmp_alarm_unregister(pr.tick);
	pr.tick = snmp_alarm_register(pr.cfg.interval_s, SA_REPEAT, on_tick,
				      NULL);
}

int prober_start(const struct hostpmd_config *cfg, prober_report_fn fn,
		 bool own_children, char *err, size_t errlen)
{
	pr.own_children = own_children;
	pr.superseded = false;
	pr.last_problem[0] = '\0';
	if (own_children && hostpm_adopt_orphans() != 0)
		snmp_log(LOG_WARNING, "cannot become a subreaper (%s): what a probe leaves running may outlive it\n",
			 strerror(errno));
	pr.buf = malloc(REPORT_MAX + 1);
	if (!pr.buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pr.cfg = *cfg;
	pr.on_report = fn;
	schedule();
	if (!pr.tick) {
		snprintf(err, errlen, "cannot set the probe timer");
		free(pr.buf);
		pr.buf = NULL;
		return -1;
	}
	start_probe();
	return 0;
}

/*
 * Whether a probe started with a would answer as one started with b: the
 * settings it is run with, not the interval or the spool. A SIGHUP that
 * changed none of them leaves the probe under way useful; discarding it
 * would let SIGHUPs faster than a probe starve the table.
 */
static bool same_probe(const struct hostpmd_config *a,
		       const struct hostpmd_config *b)
{
	const struct probe_config *p = &a->probe, *q = &b->probe;

	return p->nsources == q->nsources &&
	       !memcmp(p->sources, q->sources,
		       p->nsources * sizeof(p->sources[0])) &&
	       !strcmp(p->sysfs_root, q->sysfs_root) &&
	       !strcmp(p->proc_root, q->proc_root) &&
	       !strcmp(p->pm_is_supported, q->pm_is_supported) &&
	       p->timeout_ms == q->timeout_ms && a->dialect == b->dialect &&
	       !strcmp(a->program, b->program);
}

void prober_reconfigure(const struct hostpmd_config *cfg)
{
	bool new_interval = cfg->interval_s != pr.cfg.interval_s;

	pr.cfg = *cfg;
	pr.last_problem[0] = '\0';
	if (pr.pid && !same_probe(&pr.run, cfg))
		pr.superseded = true;
	if (new_interval)
		schedule();
	start_probe();
}

void prober_on_problem(prober_problem_fn fn)
{
	pr.on_problem = fn;
}

void prober_kick(void)
{
	start_probe();
}

void prober_stop(void)
{
	int status;

	if (pr.tick) {
		snmp_alarm_unregister(pr.tick);
		pr.tick = 0;
	}
	pr.again = false;
	if (pr.pid) {
		pid_t w = 0;

		/* As at the deadline, but waiting here: hostpmd is stopping. */
		kill(pr.pid, SIGTERM);
		for (int i = 0; i < 200; i++) {
			w = waitpid(pr.pid, &status, WNOHANG);
			if (w != 0)
				break;
			usleep(10000);
		}
		/* Not gone: killed, and reaped with the rest below. */
		if (w == 0)
			kill_child();
		end_child();
	}
	if (pr.sweep) {
		snmp_alarm_unregister(pr.sweep);
		pr.sweep = 0;
	}
	if (pr.own_children && hostpm_end_children(1000) != 0)
		snmp_log(LOG_WARNING, "probe: processes a probe left running did not end within 1 s of SIGKILL\n");
	free(pr.buf);
	pr.buf = NULL;
}
