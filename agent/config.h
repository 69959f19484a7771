/* SPDX-License-Identifier: MIT */
/* hostpmd.conf: the tokens hostpmd adds to net-snmp's configuration. */
#ifndef HOSTPMD_CONFIG_H
#define HOSTPMD_CONFIG_H

#include <stdbool.h>

#include "hostpm.h"

#define HOSTPMD_DEFAULT_SPOOL "/var/spool/hostpm/power_management.xml"
#define HOSTPMD_DEFAULT_INTERVAL 60u
#ifndef HOSTPM_PROBE_PROGRAM
#define HOSTPM_PROBE_PROGRAM "/usr/local/bin/hostpm-probe"
#endif

struct hostpmd_config {
	struct probe_config probe;
	unsigned int interval_s;
	char spool_file[4096];
	enum pm_dialect dialect;
	char program[4096]; /* hostpm-probe, which probes for hostpmd */
};

/*
 * Registers the tokens with net-snmp; they are read by init_snmp() and,
 * at SIGHUP, by config_reread(). Values go to a pending copy, so that a
 * reload with an error keeps the configuration in force. A file that
 * cannot be read, a token without a value and a bad value of one of
 * net-snmp's own tokens are errors too.
 */
void config_register(void);

/*
 * Inside snmpd (hostpm.so): the same tokens, registered for snmpd's own
 * files while snmpd reads them, so a token after the dlmod line, in the
 * same file or one read later (a drop-in), is taken. Only errors about
 * these tokens count; none makes snmpd stop. config_take() after the
 * read. config_unregister() removes the tokens before the module goes.
 */
void config_register_in_snmpd(void);
void config_unregister(void);

/* Defaults, before any file is read. */
void config_defaults(struct hostpmd_config *cfg);

/* The time a probe may take: each source its timeout, and 2 s more. */
unsigned int config_probe_budget_s(const struct hostpmd_config *cfg);

/* SIGHUP: reads the files again; as config_take(). */
bool config_reread(struct hostpmd_config *out);

/*
 * After a read: true when every token parsed, with the result in *out;
 * false after an error (already reported with file, line and token).
 */
bool config_take(struct hostpmd_config *out);

/*
 * After config_take() or config_reread() said false: where the first
 * error is, "FILE: line N: TOKEN", or "FILE: REASON" for a file that
 * could not be read.
 */
const char *config_first_error(void);

#endif
