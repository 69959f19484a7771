/* SPDX-License-Identifier: MIT */
/* Shared by the probe library's own files; not installed, not public. */
#ifndef HOSTPM_PROBE_INTERNAL_H
#define HOSTPM_PROBE_INTERNAL_H

#include <stdarg.h>

#include "hostpm.h"

void probe_pmutils_query(const char *path, unsigned int timeout_ms,
			 struct probe_result *out);
void probe_sysfs_read_state(const char *root, struct probe_result *out);

/*
 * Runs argv[0] (no shell, stdio on /dev/null, its own process group) and
 * waits for it until deadline (CLOCK_MONOTONIC); past it the whole group is
 * killed and reaped. Returns 0 with the wait status in *status, -2 when
 * the deadline passed, or -1 with a one-line reason in err.
 */
int spawn_wait(char *const argv[], const struct timespec *deadline,
	       int *status, char *err, size_t errlen);

void probe_fail(struct probe_result *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
