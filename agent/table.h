/* SPDX-License-Identifier: MIT */
/*
 * hostPmObjects as data: which instances exist for a probe report and what
 * each holds. No SNMP traffic here, so the unit tests can walk it directly.
 */
#ifndef HOSTPMD_TABLE_H
#define HOSTPMD_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/types.h>

#include "hostpm.h"

/* hostPmMIB: 1.3.6.1.4.1.8072.9999.9999.1 (net-snmp's playpen). */
#define HOSTPM_MIB_OID 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1
#define HOSTPM_MIB_LEN 10

/* hostPmObjects and what sits under it: .1 the table, .2.0 and .3.0. */
extern const oid table_objects_oid[];
extern const size_t table_objects_len;

enum cell_type {
	CELL_STRING,
	CELL_TRUTH,    /* TruthValue: 1 true, 2 false */
	CELL_UNSIGNED, /* Unsigned32 */
	CELL_COUNTER,  /* Counter32 */
};

/* DisplayString (SNMPv2-TC): at most 255 octets. */
#define TABLE_DISPLAY_MAX 255

struct cell {
	enum cell_type type;
	unsigned long number;
	/*
	 * A string cell as served: printable ASCII (0x20 to 0x7e) only, at
	 * most TABLE_DISPLAY_MAX octets. Every other byte of the source's
	 * text, and the backslash itself, is written \xNN (two lower-case
	 * hex digits); text that does not fit is cut at a whole character
	 * or escape and ends in "...".
	 */
	char string[TABLE_DISPLAY_MAX + 1];
};

/* What the objects are read from. */
struct table_view {
	const struct probe_report *report; /* NULL before the first probe */
	long now_s;                         /* CLOCK_MONOTONIC seconds */
	/*
	 * A row whose answer is more than stale_after_s seconds old (its
	 * hostPmProbeAge) is served as a failed query: hostPmQueryValid
	 * false, no capability cells, hostPmError saying how old it is and
	 * probe_trouble (why no probe answered since; NULL or "" when none
	 * is known). 0: never.
	 */
	long stale_after_s;
	const char *probe_trouble;
	unsigned long spool_failures;
	unsigned long probes;
};

/*
 * The age past which an answer is stale: three probe intervals and the
 * time a probe may take, so that two probes in a row may fail or be
 * killed before a row is served as failed.
 */
long table_stale_after_s(unsigned int interval_s, unsigned int budget_s);

/*
 * Row 1 (the effective answer) as a request sees it at v->now_s: the
 * report's result while it is fresh, or a copy in *buf marked failed
 * once it is stale. NULL before the first probe.
 */
const struct probe_result *table_effective(const struct table_view *v,
					   struct probe_result *buf);

/*
 * The CLOCK_MONOTONIC second at which row 1, fresh at v->now_s, turns
 * stale, for a timer that acts on the change; 0 when it is stale
 * already, never turns stale, or there is no report.
 */
long table_effective_stale_at(const struct table_view *v);

#define TABLE_MAX_OID (HOSTPM_MIB_LEN + 6)

/*
 * GET: the instance named exactly by name, if it exists. Returns true and
 * fills *out.
 */
bool table_get(const struct table_view *v, const oid *name, size_t len,
	       struct cell *out);

/*
 * GETNEXT: the first instance after name in lexicographic order, within
 * hostPmObjects. Returns true, its OID in next/next_len and its value.
 */
bool table_next(const struct table_view *v, const oid *name, size_t len,
		oid *next, size_t *next_len, struct cell *out);

typedef int (*table_cell_fn)(const oid *name, size_t len,
			     const struct cell *c, void *arg);

/*
 * hostPmCapabilitiesChanged's objects: the effective row's QueryValid and
 * each capability the notification carries (capability.h), looked up as a
 * GET would, so that a cell a GET would not find is left out. Calls fn for
 * each in order; returns 0, or -1 as soon as fn does.
 */
int table_notification(const struct table_view *v, table_cell_fn fn,
		       void *arg);

#endif
