/* SPDX-License-Identifier: MIT */
/*
 * Requests are answered from the last published report only: nothing
 * here waits, forks or reads a file, so the master never times out on us.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/agent/agent_sysORTable.h>

#include "mib.h"
#include "table.h"

/*
 * Not kept per transaction: the age limit changes only by SIGHUP, and the
 * failure text only matters once a row has gone stale.
 */
static long stale_after_s;
static char probe_trouble[PROBE_ERROR_MAX * 2];
static netsnmp_handler_registration *registration;

/*
 * One SNMP request is answered from one report. The master turns a
 * GETBULK into one AgentX request per repetition, each sent once the
 * last is answered, and a new report may arrive in between: its answer
 * would start with one probe's cells and end with another's. Every
 * AgentX request made for one SNMP request carries that request's
 * transactionID (RFC 2741, 6.1), so each of the last few transactions
 * keeps the state that was served when its first part came, and a new
 * report is served at once to every transaction that starts after it.
 * Nothing waits and nothing is held back.
 */
struct served {
	struct probe_report report;
	bool have_report;
	unsigned long spool_failures;
	unsigned long probes;
};

/* More than the master has under way at once: one per client asking. */
#define TRANSACTIONS_KEPT 8
/* One state per transaction kept, the newest, and room for the next. */
#define STATES_KEPT (TRANSACTIONS_KEPT + 2)

static struct served states[STATES_KEPT];
static size_t newest; /* the state a new transaction is answered from */

static struct transaction {
	long id;                 /* the AgentX transactionID */
	size_t state;            /* in states[] */
	unsigned long last_part; /* when its last part came, in requests */
	bool used;
} transactions[TRANSACTIONS_KEPT];
static unsigned long requests_seen;

/* Not const: the sysORTable calls take a plain oid *. */
static oid mib_oid[] = { HOSTPM_MIB_OID };
static const oid changed_oid[] = { HOSTPM_MIB_OID, 0, 1 };
static const oid snmptrap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

static void view_of(size_t state, struct table_view *v)
{
	const struct served *s = &states[state];
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	v->report = s->have_report ? &s->report : NULL;
	v->now_s = (long)now.tv_sec;
	v->stale_after_s = stale_after_s;
	v->probe_trouble = probe_trouble;
	v->spool_failures = s->spool_failures;
	v->probes = s->probes;
}

/*
 * The state a request's transaction started with; the newest for a new
 * one, which takes the place of the transaction whose last part is the
 * oldest: a GETBULK under way keeps its place among other clients' GETs.
 */
static void request_view(const netsnmp_agent_request_info *reqinfo,
			 struct table_view *v)
{
	struct transaction *t, *oldest = &transactions[0];
	long id;

	if (!reqinfo->asp || !reqinfo->asp->pdu) {
		view_of(newest, v);
		return;
	}
	id = reqinfo->asp->pdu->transid;
	requests_seen++;
	for (t = transactions; t < transactions + TRANSACTIONS_KEPT; t++) {
		if (t->used && t->id == id) {
			t->last_part = requests_seen;
			view_of(t->state, v);
			return;
		}
		if (!t->used || (oldest->used && t->last_part < oldest->last_part))
			oldest = t;
	}
	*oldest = (struct transaction){ .id = id, .state = newest,
					.last_part = requests_seen,
					.used = true };
	view_of(newest, v);
}

/*
 * A copy of the newest state, made the newest, for a change: a state
 * that a kept transaction started with is never changed. There is always
 * one free: the transactions hold at most TRANSACTIONS_KEPT states.
 */
static struct served *next_state(void)
{
	size_t s, i;

	for (s = 0; s < STATES_KEPT; s++) {
		if (s == newest)
			continue;
		for (i = 0; i < TRANSACTIONS_KEPT; i++)
			if (transactions[i].used && transactions[i].state == s)
				break;
		if (i == TRANSACTIONS_KEPT)
			break;
	}
	states[s] = states[newest];
	newest = s;
	return &states[s];
}

/*
 * The master's transactionIDs start again at its restart: a transaction
 * of the old master is no transaction of the new one.
 */
static int forget_transactions(int major, int minor, void *server,
			       void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	memset(transactions, 0, sizeof(transactions));
	return SNMPERR_SUCCESS;
}

/* A cell as its SNMP type; 0, or -1 when net-snmp could not take it. */
static int set_value(netsnmp_variable_list *vb, const struct cell *c)
{
	long truth;
	u_long number = c->number;

	switch (c->type) {
	case CELL_STRING:
		return snmp_set_var_typed_value(vb, ASN_OCTET_STR, c->string,
						strlen(c->string)) ? -1 : 0;
	case CELL_TRUTH:
		truth = (long)c->number;
		return snmp_set_var_typed_value(vb, ASN_INTEGER, &truth,
						sizeof(truth)) ? -1 : 0;
	case CELL_UNSIGNED:
		return snmp_set_var_typed_value(vb, ASN_UNSIGNED, &number,
						sizeof(number)) ? -1 : 0;
	case CELL_COUNTER:
		return snmp_set_var_typed_value(vb, ASN_COUNTER, &number,
						sizeof(number)) ? -1 : 0;
	}
	return -1;
}

/* A cell a handler could not hand to net-snmp answers genErr. */
static void set_request_value(netsnmp_agent_request_info *reqinfo,
			      netsnmp_request_info *req, const struct cell *c)
{
	if (set_value(req->requestvb, c) != 0)
		netsnmp_set_request_error(reqinfo, req, SNMP_ERR_GENERR);
}

static int handle_objects(netsnmp_mib_handler *handler,
			  netsnmp_handler_registration *reginfo,
			  netsnmp_agent_request_info *reqinfo,
			  netsnmp_request_info *requests)
{
	netsnmp_request_info *req;
	struct table_view view;
	struct cell cell;
	oid next[TABLE_MAX_OID];
	size_t next_len;

	(void)handler;
	(void)reginfo;
	request_view(reqinfo, &view);
	for (req = requests; req; req = req->next) {
		netsnmp_variable_list *vb = req->requestvb;

		if (req->processed)
			continue;
		switch (reqinfo->mode) {
		case MODE_GET:
			if (table_get(&view, vb->name, vb->name_length, &cell))
				set_request_value(reqinfo, req, &cell);
			else
				netsnmp_set_request_error(reqinfo, req,
							  SNMP_NOSUCHINSTANCE);
			break;
		case MODE_GETNEXT:
			/* Nothing after: left unset, net-snmp tries onwards. */
			if (table_next(&view, vb->name, vb->name_length, next,
				       &next_len, &cell)) {
				if (snmp_set_var_objid(vb, next, next_len))
					netsnmp_set_request_error(
						reqinfo, req, SNMP_ERR_GENERR);
				else
					set_request_value(reqinfo, req, &cell);
			}
			break;
		default:
			/* Read-only; the registration refuses SETs first. */
			netsnmp_set_request_error(reqinfo, req,
						  SNMP_ERR_NOTWRITABLE);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

int mib_register(void)
{
	if (snmp_register_callback(SNMP_CALLBACK_APPLICATION,
				   SNMPD_CALLBACK_INDEX_STOP,
				   forget_transactions, NULL) != SNMPERR_SUCCESS)
		return -1;
	registration = netsnmp_create_handler_registration(
		"hostPmObjects", handle_objects, table_objects_oid,
		table_objects_len, HANDLER_CAN_RONLY);
	if (!registration)
		return -1;
	if (netsnmp_register_handler(registration) != MIB_REGISTERED_OK) {
		registration = NULL;
		return -1;
	}
	register_sysORTable(mib_oid, OID_LENGTH(mib_oid),
			    "hostpm: host power-management capabilities (HOSTPM-MIB)");
	return 0;
}

void mib_unregister(void)
{
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION,
				 SNMPD_CALLBACK_INDEX_STOP, forget_transactions,
				 NULL, 1);
	unregister_sysORTable(mib_oid, OID_LENGTH(mib_oid));
	if (registration) {
		netsnmp_unregister_handler(registration);
		registration = NULL;
	}
}

static int add_cell(const oid *name, size_t len, const struct cell *c,
		    void *arg)
{
	netsnmp_variable_list **vars = arg;
	netsnmp_variable_list *vb =
		snmp_varlist_add_variable(vars, name, len, ASN_NULL, NULL, 0);

	return vb ? set_value(vb, c) : -1;
}

void mib_notify_changed(void)
{
	netsnmp_variable_list *vars = NULL;
	struct table_view view;

	view_of(newest, &view);
	if (!snmp_varlist_add_variable(&vars, snmptrap_oid,
				       OID_LENGTH(snmptrap_oid),
				       ASN_OBJECT_ID, changed_oid,
				       sizeof(changed_oid)) ||
	    table_notification(&view, add_cell, &vars) != 0) {
		snmp_log(LOG_ERR, "cannot build hostPmCapabilitiesChanged\n");
		snmp_free_varbind(vars);
		return;
	}
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

void mib_publish(const struct probe_report *report)
{
	struct served *s = next_state();

	s->report = *report;
	s->have_report = true;
	s->probes++;
}

void mib_set_stale_after(long seconds)
{
	stale_after_s = seconds;
}

void mib_set_probe_trouble(const char *trouble)
{
	snprintf(probe_trouble, sizeof(probe_trouble), "%s", trouble);
}

bool mib_effective(struct probe_result *out, long *stale_at)
{
	struct table_view view;
	struct probe_result buf;
	const struct probe_result *e;

	view_of(newest, &view);
	e = table_effective(&view, &buf);
	if (!e)
		return false;
	*out = *e;
	*stale_at = table_effective_stale_at(&view);
	return true;
}

void mib_count_spool_failure(void)
{
	next_state()->spool_failures++;
}
