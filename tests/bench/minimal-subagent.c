/* SPDX-License-Identifier: MIT */
/*
 * The AgentX floor of the benchmark: the smallest useful net-snmp AgentX
 * subagent. One handler answers a constant table (read once from SPEC,
 * see spec.h: the same cells and values as hostpmd's hostPmTable) under
 * the table OID given on the command line; nothing else.
 *
 *   minimal-subagent -x AGENTX_SOCKET -s SPEC [-P PING_SECONDS] TABLE_OID
 *
 * By default it runs exactly as net-snmp sets a subagent up. -P sets the
 * AgentX ping interval (see set_ping_interval()); the benchmark uses it
 * only to show what the ping costs at idle.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec.h"

static struct spec_cell *cells; /* in walk order */
static size_t ncells;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void set_cell(netsnmp_variable_list *vb, const struct spec_cell *c)
{
	if (c->type == ASN_OCTET_STR) {
		snmp_set_var_typed_value(vb, c->type, c->text, strlen(c->text));
	} else if (c->type == ASN_INTEGER) {
		long v = c->num;

		snmp_set_var_typed_value(vb, c->type, &v, sizeof(v));
	} else {
		u_long v = (u_long)c->num;

		snmp_set_var_typed_value(vb, c->type, &v, sizeof(v));
	}
}

static int handle_table(netsnmp_mib_handler *handler,
			netsnmp_handler_registration *reginfo,
			netsnmp_agent_request_info *reqinfo,
			netsnmp_request_info *requests)
{
	netsnmp_request_info *r;
	size_t i;

	(void)handler;
	(void)reginfo;
	for (r = requests; r; r = r->next) {
		netsnmp_variable_list *vb = r->requestvb;

		if (r->processed)
			continue;
		switch (reqinfo->mode) {
		case MODE_GET:
			for (i = 0; i < ncells; i++)
				if (snmp_oid_compare(vb->name, vb->name_length,
						     cells[i].name,
						     cells[i].len) == 0)
					break;
			if (i < ncells)
				set_cell(vb, &cells[i]);
			else
				netsnmp_set_request_error(reqinfo, r,
							  SNMP_NOSUCHINSTANCE);
			break;
		case MODE_GETNEXT:
			for (i = 0; i < ncells; i++)
				if (snmp_oid_compare(vb->name, vb->name_length,
						     cells[i].name,
						     cells[i].len) < 0)
					break;
			/* Past the last cell: leave it; the agent moves on. */
			if (i < ncells) {
				snmp_set_var_objid(vb, cells[i].name,
						   cells[i].len);
				set_cell(vb, &cells[i]);
			}
			break;
		default:
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_GENERR);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/*
 * The AgentX ping is all a plain net-snmp subagent does at idle: one
 * Ping PDU every agentxPingInterval seconds (15 by default), and each
 * costs two voluntary context switches (the timer, then the master's
 * answer). At 1 s, the interval test set-ups like, that is 120 a minute.
 * -P sets it; init_agent() resets it to 15, so this comes after.
 */
static void set_ping_interval(int seconds)
{
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, seconds);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: minimal-subagent -x AGENTX_SOCKET -s SPEC [-P PING_SECONDS] TABLE_OID\n");
	exit(2);
}

int main(int argc, char **argv)
{
	oid table[MAX_OID_LEN];
	size_t tlen = MAX_OID_LEN;
	const char *sock = NULL, *spec = NULL;
	int opt, ping = 0;
	netsnmp_handler_registration *reg;

	while ((opt = getopt(argc, argv, "x:s:P:")) != -1) {
		switch (opt) {
		case 'x':
			sock = optarg;
			break;
		case 's':
			spec = optarg;
			break;
		case 'P':
			ping = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (!sock || !spec || optind != argc - 1)
		usage();

	snmp_enable_stderrlog();
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
			       NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
			      NETSNMP_DS_AGENT_X_SOCKET, sock);
	/* Like hostpmd: no MIB files, nothing under /var/lib/snmp. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	setenv("MIBS", "", 1);
	init_agent("minimal-subagent");

	if (!read_objid(argv[optind], table, &tlen)) {
		fprintf(stderr, "minimal-subagent: bad OID %s\n", argv[optind]);
		return 2;
	}
	if (spec_load(spec, table, tlen, &cells, &ncells) != 0)
		return 2;
	reg = netsnmp_create_handler_registration("minimalTable", handle_table,
						  table, tlen,
						  HANDLER_CAN_RONLY);
	if (!reg || netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		fprintf(stderr, "minimal-subagent: cannot register %s\n",
			argv[optind]);
		return 1;
	}
	if (ping > 0)
		set_ping_interval(ping);
	init_snmp("minimal-subagent");

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop)
		agent_check_and_process(1);
	snmp_shutdown("minimal-subagent");
	return 0;
}
