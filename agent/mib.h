/* SPDX-License-Identifier: MIT */
/* HOSTPM-MIB over AgentX: registration, requests, the change notification. */
#ifndef HOSTPMD_MIB_H
#define HOSTPMD_MIB_H

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

void mib_count_spool_failure(void);

#endif
