/* SPDX-License-Identifier: MIT */
/*
 * What hostpmd and hostpm.so both are: the MIB registered, the probe
 * child started, and each report it writes published to the table, the
 * log, the notification and the spool file, with the settings in force.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "mib.h"
#include "module.h"
#include "prober.h"
#include "publish.h"
#include "spooler.h"

static struct hostpmd_config active;

static void on_report(const struct probe_report *report, const char *fragment)
{
	publish_report(report, fragment, active.spool_file);
}

/* When the answer served stops standing for the host (publish.h). */
static void set_stale_after(void)
{
	publish_stale_after(active.interval_s, config_probe_budget_s(&active));
}

int module_register(void)
{
	return mib_register();
}

void module_unregister(void)
{
	mib_unregister();
}

int module_start(const struct hostpmd_config *cfg, enum module_host host,
		 char *err, size_t errlen)
{
	active = *cfg;
	if (spooler_start(publish_spool_written, err, errlen) != 0)
		return -1;
	publish_spool_again();
	set_stale_after();
	prober_on_problem(publish_probe_failed);
	if (prober_start(&active, on_report, host == MODULE_IN_HOSTPMD, err,
			 errlen) != 0) {
		spooler_stop();
		return -1;
	}
	return 0;
}

void module_reconfigure(const struct hostpmd_config *cfg)
{
	active = *cfg;
	publish_spool_again();
	set_stale_after();
	prober_reconfigure(&active);
}

void module_kick(void)
{
	prober_kick();
}

void module_stop(void)
{
	prober_stop();
	/* The last answer's write finishes: nothing is lost at a stop. */
	spooler_stop();
}
