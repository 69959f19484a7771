/* SPDX-License-Identifier: MIT */
/*
 * hostpmd.conf, read as hostpmd reads it at SIGHUP: net-snmp's own reader
 * hands each of hostpmd's tokens to agent/config.c. The input is the whole
 * file. What is accepted must be a configuration hostpmd can run with;
 * what is refused must have been reported with the file's name.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "config.h"
#include "fuzz.h"
#include "testutil.h"

static char *conf_path;
static bool error_logged;

/* net-snmp's log: errors are noted, not printed (the fuzzer would drown). */
static int on_log(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;

	(void)major;
	(void)minor;
	(void)client;
	if (m->priority <= LOG_ERR && conf_path && strstr(m->msg, conf_path))
		error_logged = true;
	return 0;
}

static void set_up(void)
{
	conf_path = tu_path(fuzz_tree(), "hostpmd.conf");
	tu_write(fuzz_tree(), "hostpmd.conf", "", 0644);
	/* As hostpmd -C -c FILE: that file only, no persistent state. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
			      NETSNMP_DS_LIB_OPTIONALCONFIG, conf_path);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE,
			      "hostpmd");
	snmp_disable_log();
	snmp_enable_calllog();
	if (snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
				   on_log, NULL) != SNMPERR_SUCCESS)
		abort();
	config_register();
}

static void check_accepted(const struct hostpmd_config *c)
{
	size_t i, j;

	FUZZ_CHECK(c->interval_s >= 1 && c->interval_s <= 86400);
	FUZZ_CHECK(c->probe.timeout_ms >= 1 &&
		   c->probe.timeout_ms <= 3600u * 1000u);
	FUZZ_CHECK(c->probe.nsources >= 1 &&
		   c->probe.nsources <= PROBE_MAX_SOURCES);
	for (i = 0; i < c->probe.nsources; i++) {
		FUZZ_CHECK((unsigned)c->probe.sources[i] < PROBE_SOURCE_COUNT);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(c->probe.sources[i] != c->probe.sources[j]);
	}
	FUZZ_CHECK(c->dialect == PM_DIALECT_LIBVIRT_2011 ||
		   c->dialect == PM_DIALECT_LIBVIRT);
	FUZZ_CHECK(FUZZ_TERMINATED(c->probe.sysfs_root));
	FUZZ_CHECK(FUZZ_TERMINATED(c->probe.proc_root));
	FUZZ_CHECK(FUZZ_TERMINATED(c->probe.pm_is_supported));
	FUZZ_CHECK(FUZZ_TERMINATED(c->spool_file));
	FUZZ_CHECK(FUZZ_TERMINATED(c->program));
	FUZZ_CHECK(c->probe.sysfs_root[0] && c->probe.proc_root[0] &&
		   c->spool_file[0]);
	/* hostpmd runs its probe program from / once in the background. */
	FUZZ_CHECK(c->program[0] == '/');
	FUZZ_CHECK(c->probe.cancel_fd == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostpmd_config c;
	char *text = fuzz_string(data, size);

	if (!conf_path)
		set_up();
	tu_write(fuzz_tree(), "hostpmd.conf", text, 0644);
	free(text);

	error_logged = false;
	if (config_reread(&c)) {
		/* An error logged, a blank value say, is never accepted. */
		FUZZ_CHECK(!error_logged);
		check_accepted(&c);
	}
	else
		FUZZ_CHECK(error_logged);
	return 0;
}
