/* SPDX-License-Identifier: MIT */
/*
 * hostpm.so: HOSTPM-MIB served by snmpd itself, loaded with
 * "dlmod hostpm PATH" in snmpd's configuration. snmpd calls init_hostpm()
 * when it reads that line and deinit_hostpm() when it unloads the module:
 * at its shutdown, and at every SIGHUP, which unloads every module, reads
 * the files again and so loads it again at the same line.
 *
 * The tokens are read from snmpd's own files; once they are all read (a
 * post-config callback), the module registers and, from snmpd's event
 * loop, starts probing with them. hostpm.so is linked
 * with -z nodelete: its memory outlives a SIGHUP's unload, so the
 * settings in force and the last report carry over, as in hostpmd. The
 * probe runs in the hostpm-probe child, read through snmpd's own event
 * loop; a request never forks, waits or opens a file.
 */
#include <stdbool.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "config.h"
#include "module.h"

/* What snmpd's dlmod looks up; the only symbols hostpm.so exports. */
#define HOSTPM_EXPORT __attribute__((visibility("default")))
HOSTPM_EXPORT void init_hostpm(void);
HOSTPM_EXPORT void deinit_hostpm(void);

static struct hostpmd_config in_force;
static bool have_in_force;
static bool registered;
static bool running;
static unsigned int start_alarm;
/* Set when snmpd has read its files since init_hostpm(). */
static bool files_read;
static unsigned int loaded_alarm;

/*
 * From snmpd's event loop, not from its reading of the files: at
 * start-up snmpd reads them before it goes to the background (a fork:
 * a child started before it would be the parent's) and before it
 * becomes its -u user, whom the probe is to run as.
 */
static void start(unsigned int reg, void *data)
{
	char err[512];

	(void)reg;
	(void)data;
	start_alarm = 0;
	if (running) {
		module_reconfigure(&in_force);
		return;
	}
	if (module_start(&in_force, MODULE_IN_SNMPD, err, sizeof(err)) != 0) {
		snmp_log(LOG_ERR, "hostpm: %s\n", err);
		return;
	}
	running = true;
}

/* snmpd has read all its files: the tokens after the dlmod line too. */
static int on_config_read(int major, int minor, void *server, void *client)
{
	struct hostpmd_config fresh;

	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	files_read = true;
	if (config_take(&fresh)) {
		in_force = fresh;
		have_in_force = true;
	} else if (have_in_force) {
		snmp_log(LOG_ERR, "hostpm: configuration has errors (the first: %s); keeping the one in force\n",
			 config_first_error());
	} else {
		snmp_log(LOG_ERR, "hostpm: configuration has errors (the first: %s); HOSTPM-MIB is not served until they are mended and snmpd reloads\n",
			 config_first_error());
		return SNMPERR_SUCCESS;
	}
	if (!registered) {
		if (module_register() != 0) {
			snmp_log(LOG_ERR, "hostpm: cannot register HOSTPM-MIB (another module or subagent serves it?)\n");
			return SNMPERR_SUCCESS;
		}
		registered = true;
	}
	if (!start_alarm)
		start_alarm = snmp_alarm_register(0, 0, start, NULL);
	if (!start_alarm)
		snmp_log(LOG_ERR, "hostpm: cannot set the timer that starts the probe\n");
	return SNMPERR_SUCCESS;
}

/*
 * A dlmod line is read with the rest of snmpd's files, which ends with
 * on_config_read() before snmpd's event loop runs this. A module loaded
 * otherwise (a SET of UCD-DLMOD-MIB's dlmodStatus) has no settings: its
 * tokens in snmpd's files were read before it was there. It says so
 * rather than serve defaults nobody chose (a spool file in
 * /var/spool/hostpm, say).
 */
static void check_loaded_with_files(unsigned int reg, void *data)
{
	(void)reg;
	(void)data;
	loaded_alarm = 0;
	if (!files_read)
		snmp_log(LOG_WARNING, "hostpm: loaded while snmpd runs (a dlmodStatus SET?): its settings are read with snmpd's files, so HOSTPM-MIB is not served; put \"dlmod hostpm PATH\" and its tokens in snmpd's configuration and reload snmpd (SIGHUP)\n");
}

void init_hostpm(void)
{
	files_read = false;
	config_register_in_snmpd();
	if (snmp_register_callback(SNMP_CALLBACK_LIBRARY,
				   SNMP_CALLBACK_POST_READ_CONFIG,
				   on_config_read, NULL) != SNMPERR_SUCCESS) {
		snmp_log(LOG_ERR, "hostpm: cannot watch snmpd's configuration; not starting\n");
		config_unregister();
		return;
	}
	loaded_alarm = snmp_alarm_register(0, 0, check_loaded_with_files, NULL);
	snmp_log(LOG_INFO, "hostpm %s loaded into snmpd\n", HOSTPM_VERSION);
}

/*
 * Leaves nothing of the module running: no registration, no token, no
 * callback, no child, descriptor or alarm (module_stop()).
 */
void deinit_hostpm(void)
{
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY,
				 SNMP_CALLBACK_POST_READ_CONFIG,
				 on_config_read, NULL, 1);
	config_unregister();
	if (loaded_alarm) {
		snmp_alarm_unregister(loaded_alarm);
		loaded_alarm = 0;
	}
	if (start_alarm) {
		snmp_alarm_unregister(start_alarm);
		start_alarm = 0;
	}
	if (running) {
		module_stop();
		running = false;
	}
	if (registered) {
		module_unregister();
		registered = false;
	}
}
