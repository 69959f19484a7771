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
#include <net-snmp/agent/agent_sysORTable.h>

#include "mib.h"
#include "table.h"

static struct probe_report served;
static bool have_report;
static unsigned long spool_failures;
static unsigned long probes;
static long stale_after_s;
static char probe_trouble[PROBE_ERROR_MAX * 2];
static netsnmp_handler_registration *registration;

/* Not const: the sysORTable calls take a plain oid *. */
static oid mib_oid[] = { HOSTPM_MIB_OID };
static const oid changed_oid[] = { HOSTPM_MIB_OID, 0, 1 };
static const oid snmptrap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

static void current_view(struct table_view *v)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	v->report = have_report ? &served : NULL;
	v->now_s = (long)now.tv_sec;
	v->stale_after_s = stale_after_s;
	v->probe_trouble = probe_trouble;
	v->spool_failures = spool_failures;
	v->probes = probes;
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
	current_view(&view);
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

	current_view(&view);
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
	served = *report;
	have_report = true;
	probes++;
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

	current_view(&view);
	e = table_effective(&view, &buf);
	if (!e)
		return false;
	*out = *e;
	*stale_at = table_effective_stale_at(&view);
	return true;
}

void mib_count_spool_failure(void)
{
	spool_failures++;
}
