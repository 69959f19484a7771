/* SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmpclient.h"

void snmpclient_init(const char *name)
{
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_snmp(name);
}

netsnmp_session *snmpclient_open(const char *name, const char *peer,
				 const char *community, long timeout_us)
{
	char peer_copy[256], community_copy[256], what[64];
	netsnmp_session s, *ss;

	/* snmp_open copies both; the session wants them writable. */
	snprintf(peer_copy, sizeof(peer_copy), "%s", peer);
	snprintf(community_copy, sizeof(community_copy), "%s", community);
	snmp_sess_init(&s);
	s.peername = peer_copy;
	s.version = SNMP_VERSION_2c;
	s.community = (u_char *)community_copy;
	s.community_len = strlen(community_copy);
	s.timeout = timeout_us;
	s.retries = 0;
	ss = snmp_open(&s);
	if (!ss) {
		snprintf(what, sizeof(what), "%s: snmp_open %s", name, peer);
		snmp_sess_perror(what, &s);
		exit(2);
	}
	return ss;
}
