/* SPDX-License-Identifier: MIT */
/*
 * The cached probe: a worker thread runs the probe every interval and on
 * demand, so that no request ever waits for one. Each finished report is
 * announced on a pipe that the main loop watches.
 */
#ifndef HOSTPMD_PROBER_H
#define HOSTPMD_PROBER_H

#include <stdbool.h>
#include <stddef.h>

#include "hostpm.h"

/* Starts the worker; it probes at once. Returns the fd to watch, or -1. */
int prober_start(const struct probe_config *cfg, unsigned int interval_s,
		 char *err, size_t errlen);
/* New settings; probes at once with them. */
void prober_reconfigure(const struct probe_config *cfg,
			unsigned int interval_s);
/* Probes at once (SIGHUP). A probe under way is not interrupted. */
void prober_kick(void);
/* When the fd is readable: the newest report, if one came since. */
bool prober_take(struct probe_report *out);
/* Stops the worker; a probe under way is cancelled (its helpers killed). */
void prober_stop(void);

#endif
