/* SPDX-License-Identifier: MIT */
/*
 * The pm-utils source: pm-is-supported answers by exit status, 0 for
 * supported and 1 for not (and 1 for an option it does not know, which is
 * why --suspend-hybrid on an old pm-utils reads as "no"). Anything else
 * means the query failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe_internal.h"

static int find_on_path(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	const char *p, *end;

	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (p = path; *p; p = *end ? end + 1 : end) {
		int n;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (end == p)
			continue;
		n = snprintf(buf, len, "%.*s/%s", (int)(end - p), p, name);
		if (n > 0 && (size_t)n < len && access(buf, X_OK) == 0)
			return 0;
	}
	return -1;
}

static bool is_executable(const char *path, struct probe_result *out)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		probe_fail(out, "cannot run %s: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		probe_fail(out, "cannot run %s: not a regular file", path);
		return false;
	}
	if (access(path, X_OK) != 0) {
		probe_fail(out, "cannot run %s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

static void deadline_after(struct timespec *t, unsigned int ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* What every call of one probe shares. */
struct pm_call {
	const char *path;
	struct timespec deadline;
	unsigned int timeout_ms;
	int cancel_fd;
};

/* Returns 0 with the answer, or -1 having marked out as failed. */
static int ask(const struct pm_call *call, const char *option,
	       enum pm_answer *answer, struct probe_result *out)
{
	const char *path = call->path;
	unsigned int timeout_ms = call->timeout_ms;
	/* posix_spawn takes char *const[]: give it copies it may not touch. */
	char prog[PATH_MAX], opt[32];
	char *argv[] = { prog, opt, NULL };
	char err[PROBE_ERROR_MAX];
	int status = 0;
	enum spawn_outcome how;

	snprintf(prog, sizeof(prog), "%s", path);
	snprintf(opt, sizeof(opt), "%s", option);
	how = spawn_wait(argv, &call->deadline, call->cancel_fd, &status, err,
			 sizeof(err));
	switch (how) {
	case SPAWN_CANCELLED:
		/* SIGTERM or SIGINT to hostpm-probe, e.g. from hostpmd. */
		probe_fail(out, "%s %s: cancelled; killed", path, option);
		return -1;
	case SPAWN_TIMED_OUT:
		probe_fail(out, "%s %s did not answer within %u.%03u s; killed",
			   path, option, timeout_ms / 1000, timeout_ms % 1000);
		return -1;
	case SPAWN_FAILED:
		probe_fail(out, "%s", err);
		return -1;
	case SPAWN_EXITED:
		break;
	}
	if (WIFSIGNALED(status)) {
		probe_fail(out, "%s %s was killed by signal %d (%s)", path,
			   option, WTERMSIG(status), strsignal(WTERMSIG(status)));
		return -1;
	}
	if (!WIFEXITED(status)) {
		probe_fail(out, "%s %s ended abnormally", path, option);
		return -1;
	}
	switch (WEXITSTATUS(status)) {
	case 0:
		*answer = PM_YES;
		return 0;
	case 1:
		*answer = PM_NO;
		return 0;
	default:
		probe_fail(out, "%s %s exited with status %d", path, option,
			   WEXITSTATUS(status));
		return -1;
	}
}

/* "pm-is-supported: no to --hibernate, --suspend-hybrid" */
static void say_which_are_no(struct probe_result *out)
{
	const char *no[3] = { NULL, NULL, NULL };
	size_t n = 0;

	if (out->s3 == PM_NO)
		no[n++] = "--suspend";
	if (out->s4 == PM_NO)
		no[n++] = "--hibernate";
	if (out->hybrid == PM_NO)
		no[n++] = "--suspend-hybrid";
	if (n == 0)
		return;
	probe_reason(out, "pm-is-supported: no to %s%s%s%s%s", no[0],
		     n > 1 ? ", " : "", n > 1 ? no[1] : "",
		     n > 2 ? ", " : "", n > 2 ? no[2] : "");
}

void probe_pmutils_query(const char *path, unsigned int timeout_ms,
			 int cancel_fd, struct probe_result *out)
{
	char found[PATH_MAX];
	struct pm_call call = { .timeout_ms = timeout_ms,
				.cancel_fd = cancel_fd };

	out->source = PROBE_SOURCE_PMUTILS;
	if (!path || !*path) {
		if (find_on_path("pm-is-supported", found, sizeof(found)) != 0) {
			probe_fail(out, "pm-is-supported not found on PATH");
			return;
		}
		path = found;
	}
	/*
	 * Checked here as well as by posix_spawn, because where the spawn
	 * falls back to fork (under valgrind, say) an exec failure only shows
	 * as exit status 127.
	 */
	if (!is_executable(path, out))
		return;
	/* One deadline for the whole source, so a hang costs one timeout. */
	call.path = path;
	deadline_after(&call.deadline, timeout_ms);
	if (ask(&call, "--suspend", &out->s3, out) ||
	    ask(&call, "--hibernate", &out->s4, out) ||
	    ask(&call, "--suspend-hybrid", &out->hybrid, out))
		return;
	out->valid = true;
	say_which_are_no(out);
}
