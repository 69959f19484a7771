/* SPDX-License-Identifier: MIT */
/*
 * HOSTPM-MIB as one module, whichever process hosts it: hostpmd, an
 * AgentX subagent (hostpmd.c), or snmpd itself, which loads hostpm.so
 * with dlmod (dlmod.c). The registration, the probe child, the spool and
 * the notification start and stop here, in the host's event loop; the
 * host reads the configuration (config.c) and hands it over.
 */
#ifndef HOSTPMD_MODULE_H
#define HOSTPMD_MODULE_H

#include <stddef.h>

#include "config.h"

enum module_host {
	MODULE_IN_HOSTPMD, /* every child of the process is a probe's */
	MODULE_IN_SNMPD,   /* snmpd's other children are its own */
};

/* After init_agent(): registers hostPmObjects and the sysORTable row. */
int module_register(void);
void module_unregister(void);

/*
 * With the configuration read: writes the spool at the next report, and
 * probes at once and then every interval. 0, or -1 with a message in err.
 */
int module_start(const struct hostpmd_config *cfg, enum module_host host,
		 char *err, size_t errlen);
/* New settings (SIGHUP): as module_start() on a running module. */
void module_reconfigure(const struct hostpmd_config *cfg);
/* Probes at once with the settings in force (a SIGHUP whose files had
 * errors). */
void module_kick(void);
/* Stops probing: the child (its process group), its pipe, the timers;
 * the spool write in hand ends first. */
void module_stop(void);

#endif
