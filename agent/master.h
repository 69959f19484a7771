/* SPDX-License-Identifier: MIT */
/*
 * The AgentX link to the master agent: net-snmp reconnects by itself (its
 * AgentX ping); this only keeps the log to one line per loss and return.
 */
#ifndef HOSTPMD_MASTER_H
#define HOSTPMD_MASTER_H

/* Before init_snmp(). */
void master_watch(void);
/* After init_snmp(): says once, with a hint, when the master is not there. */
void master_check_startup(void);

#endif
