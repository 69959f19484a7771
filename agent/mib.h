/* SPDX-License-Identifier: MIT */
/* HOSTPM-MIB over AgentX: registration, requests, the change notification. */
#ifndef HOSTPMD_MIB_H
#define HOSTPMD_MIB_H

#include "hostpm.h"

/* After init_agent(): registers hostPmObjects and the sysORTable row. */
int mib_register(void);
void mib_unregister(void);

/*
 * A new report to serve. Sends hostPmCapabilitiesChanged when the
 * effective answer differs from the one served before (not for the first).
 */
void mib_publish(const struct probe_report *report);

void mib_count_spool_failure(void);

#endif
