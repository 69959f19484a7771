/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "master.h"

static bool connected;
static long refusal; /* the AgentX error of a refused registration */

/*
 * While the master is away net-snmp retries every ping interval and, left
 * alone, warns at every try. It logs the loss and the return itself, so
 * the warnings are only wanted until the first loss is on record.
 */
static void quiet_retries(bool quiet)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
			       NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, quiet);
}

static int on_index_start(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	connected = true;
	quiet_retries(false);
	return SNMPERR_SUCCESS;
}

static int on_index_stop(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	connected = false;
	quiet_retries(true);
	return SNMPERR_SUCCESS;
}

/*
 * A registration the master refuses is only logged by net-snmp
 * (client.c, "registering pdu failed: N!"), and the session stays open
 * serving nothing. Its log line is the one sign of it.
 */
static int watch_log(int major, int minor, void *server, void *client)
{
	const struct snmp_log_message *m = server;
	static const char refused[] = "registering pdu failed: ";
	const char *at;

	(void)major;
	(void)minor;
	(void)client;
	if (!m || !m->msg || m->priority > LOG_ERR)
		return SNMPERR_SUCCESS;
	at = strstr(m->msg, refused);
	if (at) {
		refusal = strtol(at + sizeof(refused) - 1, NULL, 10);
		if (refusal == 0)
			refusal = -1;
	}
	return SNMPERR_SUCCESS;
}

void master_watch(void)
{
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
			       SNMPD_CALLBACK_INDEX_START, on_index_start, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
			       SNMPD_CALLBACK_INDEX_STOP, on_index_stop, NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
			       watch_log, NULL);
	snmp_enable_calllog();
}

void master_check_startup(void)
{
	const char *address;
	int every;

	if (connected)
		return;
	address = netsnmp_ds_get_string(NETSNMP_DS_APPLICATION_ID,
					NETSNMP_DS_AGENT_X_SOCKET);
	every = netsnmp_ds_get_int(NETSNMP_DS_APPLICATION_ID,
				   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL);
	snmp_log(LOG_WARNING,
		 "no AgentX master at %s yet; retrying every %d s without "
		 "further warnings. Check that snmpd runs with 'master agentx' "
		 "and that this user may open its socket (snmpd.conf: "
		 "agentXSocket, agentXPerms)\n",
		 address ? address : "/var/agentx/master", every);
	quiet_retries(true);
}

static const char *agentx_error_name(long error)
{
	switch (error) {
	case 263:
		return "duplicateRegistration: another subagent, another "
		       "hostpmd perhaps, serves HOSTPM-MIB there already";
	case 265:
		return "requestDenied";
	case 266:
		return "processingError";
	default:
		return "refused";
	}
}

bool master_refused(void)
{
	static bool told;
	const char *address;

	if (!refusal)
		return false;
	if (told)
		return true;
	told = true;
	address = netsnmp_ds_get_string(NETSNMP_DS_APPLICATION_ID,
					NETSNMP_DS_AGENT_X_SOCKET);
	snmp_log(LOG_ERR,
		 "the AgentX master at %s refused to register HOSTPM-MIB "
		 "(AgentX error %ld, %s); exiting\n",
		 address ? address : "/var/agentx/master", refusal,
		 agentx_error_name(refusal));
	return true;
}
