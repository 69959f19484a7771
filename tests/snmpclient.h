/* SPDX-License-Identifier: MIT */
/* An SNMPv2c client of net-snmp's library for the test programs. */
#ifndef HOSTPM_TESTS_SNMPCLIENT_H
#define HOSTPM_TESTS_SNMPCLIENT_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* init_snmp(name) with no MIB files, no configuration files and nothing
 * kept under /var/lib/snmp: numeric OIDs only, nothing to read. */
void snmpclient_init(const char *name);

/* A session to peer ("127.0.0.1:PORT"), no retries; exits with status 2,
 * saying why on stderr, when net-snmp cannot open it. */
netsnmp_session *snmpclient_open(const char *name, const char *peer,
				 const char *community, long timeout_us);

#endif
