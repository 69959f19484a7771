/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "master.h"

/*
 * net-snmp's AgentX subagent (agent/mibgroup/agentx/subagent.c) keeps its
 * session and its ping here; both are exported by libnetsnmpagent, but
 * Debian installs no header for them.
 */
extern netsnmp_session *main_session;
void agentx_check_session(unsigned int clientreg, void *clientarg);

/*
 * How often to try to reach the master while it is away. net-snmp uses
 * its ping interval for that too, and reads it when the session closes:
 * at the default 30 s the table would stay away for up to 30 s after
 * snmpd returns. So net-snmp is given this interval, and the ping alarm
 * it sets up after each connect is replaced by one at the configured
 * interval (ping_every), which is what an idle hostpmd wakes for.
 */
#define MASTER_RETRY_S 1

static bool connected;
static unsigned int ping_every;
static unsigned int ping_alarm;
static long refusal; /* the AgentX error of a refused registration */

/*
 * While the master is away net-snmp retries every second and, left
 * alone, warns at every try. It logs the loss and the return itself, so
 * the warnings are only wanted until the first loss is on record.
 */
static void quiet_retries(bool quiet)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
			       NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, quiet);
}

/*
 * Runs once the session net-snmp opened has its registrations and its
 * ping alarm (same pass of the event loop as the connect): that alarm,
 * at MASTER_RETRY_S, gives way to one at ping_every. net-snmp keeps the
 * ping alarm's number in the session's unused securityModel field and
 * removes that alarm when the session closes; so does this one.
 */
static void slow_down_ping(unsigned int clientreg, void *clientarg)
{
	netsnmp_session *ss = main_session;

	(void)clientreg;
	(void)clientarg;
	if (!ss || ss->securityModel == SNMP_DEFAULT_SECMODEL ||
	    (unsigned int)ss->securityModel == ping_alarm)
		return;
	snmp_alarm_unregister((unsigned int)ss->securityModel);
	ping_alarm = snmp_alarm_register(ping_every, SA_REPEAT,
					 agentx_check_session, ss);
	ss->securityModel = ping_alarm ? (int)ping_alarm : SNMP_DEFAULT_SECMODEL;
}

static int on_index_start(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	connected = true;
	quiet_retries(false);
	if (!snmp_alarm_register(0, 0, slow_down_ping, NULL))
		snmp_log(LOG_WARNING, "cannot set the AgentX ping to %u s; it stays at %d s\n",
			 ping_every, MASTER_RETRY_S);
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
 * After the configuration is read and before net-snmp connects (same
 * event, higher priority): the ping interval configured (hostpmd's
 * default or agentxPingInterval) is kept for the ping, and net-snmp gets
 * the retry interval.
 */
static int take_ping_interval(int major, int minor, void *server,
			      void *client)
{
	int every = netsnmp_ds_get_int(NETSNMP_DS_APPLICATION_ID,
				       NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL);

	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	ping_every = every > 0 ? (unsigned int)every : MASTER_RETRY_S;
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, MASTER_RETRY_S);
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
	netsnmp_register_callback(SNMP_CALLBACK_LIBRARY,
				  SNMP_CALLBACK_POST_READ_CONFIG,
				  take_ping_interval, NULL,
				  NETSNMP_CALLBACK_HIGHEST_PRIORITY);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
			       watch_log, NULL);
	snmp_enable_calllog();
}

void master_check_startup(void)
{
	const char *address;

	if (connected)
		return;
	address = netsnmp_ds_get_string(NETSNMP_DS_APPLICATION_ID,
					NETSNMP_DS_AGENT_X_SOCKET);
	snmp_log(LOG_WARNING,
		 "no AgentX master at %s yet; retrying every %d s without "
		 "further warnings. Check that snmpd runs with 'master agentx' "
		 "and that this user may open its socket (snmpd.conf: "
		 "agentXSocket, agentXPerms)\n",
		 address ? address : "/var/agentx/master", MASTER_RETRY_S);
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
