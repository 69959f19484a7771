/* SPDX-License-Identifier: MIT */
/*
 * The cached probe: hostpm-probe runs as a child process at start-up,
 * every interval and on demand, watched through net-snmp's event loop, so
 * that no request waits for a probe and hostpmd itself loads none of the
 * libraries probing takes. Each finished report is handed to a callback.
 */
#ifndef HOSTPMD_PROBER_H
#define HOSTPMD_PROBER_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

typedef void (*prober_report_fn)(const struct probe_report *report,
				 const char *fragment);

/*
 * After init_snmp(): probes at once, then every interval. own_children:
 * every child of this process is the prober's (hostpmd), so what a probe
 * leaves running is adopted (a subreaper) and killed; false inside snmpd,
 * whose other children are its own: only the probe's process group is.
 */
int prober_start(const struct hostpmd_config *cfg, prober_report_fn fn,
		 bool own_children, char *err, size_t errlen);
/* New settings; probes at once with them. A probe under way with the old
 * ones is left to finish, and its report is not handed over. */
void prober_reconfigure(const struct hostpmd_config *cfg);
/* fn hears every failure of the probe program, as it is logged ("PROGRAM
 * exited with status 3"), also those not logged again. */
typedef void (*prober_problem_fn)(const char *why);
void prober_on_problem(prober_problem_fn fn);
/* Probes at once (SIGHUP); after the one under way, if any. */
void prober_kick(void);
/* Kills a probe under way (its whole process group) and stops. */
void prober_stop(void);

#endif
