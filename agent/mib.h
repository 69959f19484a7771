/* SPDX-License-Identifier: MIT */
/* HOSTPM-MIB over AgentX: registration, requests, the change notification. */
#ifndef HOSTPMD_MIB_H
#define HOSTPMD_MIB_H

#include <stdbool.h>

#include "hostpm.h"

/* After init_agent(): registers hostPmObjects and the sysORTable row. */
int mib_register(void);
void mib_unregister(void);

/*
 * A new report to serve, counted in hostPmProbeCount: to every SNMP
 * request that comes after it; one under way (the rest of a GETBULK)
 * goes on with the report it started with.
 */
void mib_publish(const struct probe_report *report);

/*
 * Sends hostPmCapabilitiesChanged with the cells of the report served now
 * (table_notification); whether the answer changed is the caller's word.
 */
void mib_notify_changed(void);

/*
 * Answers more than seconds old (0: never) are served as failed (see
 * table.h), hostPmError naming their age and trouble, what went wrong
 * with the probe program since the last report ("" when nothing is
 * known).
 */
void mib_set_stale_after(long seconds);
void mib_set_probe_trouble(const char *trouble);

/*
 * Row 1 as a request sees it now, stale or not, into *out, and the
 * CLOCK_MONOTONIC second at which it turns stale (table_effective_stale_at:
 * 0 for never or already). False before the first report.
 */
bool mib_effective(struct probe_result *out, long *stale_at);

void mib_count_spool_failure(void);

#endif
