/* SPDX-License-Identifier: MIT */
/*
 * The AgentX link to the master agent: net-snmp connects and reconnects
 * by itself; this makes it try again within a second of losing the
 * master, pings at the configured interval, keeps the log to one line per
 * loss and return, and notices a registration the master refuses.
 */
#ifndef HOSTPMD_MASTER_H
#define HOSTPMD_MASTER_H

#include <stdbool.h>

/* Before init_snmp(). */
void master_watch(void);
/* After init_snmp(): says once, with a hint, when the master is not there. */
void master_check_startup(void);
/*
 * True once the master has refused to register HOSTPM-MIB (another
 * subagent serves it); says so once. hostpmd then exits without
 * unregistering: the master would drop the other subagent's registration.
 */
bool master_refused(void);

#endif
