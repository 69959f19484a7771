/* SPDX-License-Identifier: MIT */
/*
 * The capabilities, each described once: what a source answers yes, no or
 * "cannot tell" to. Everything that lists capabilities reads this table:
 * the reset of a failed result, the report hostpmd reads (its keys), the
 * fragment (its elements), hostpm-probe's text table (its columns),
 * hostpmd's columns of hostPmTable, its log line and the notification.
 *
 * Adding a capability ("hibernate to a swap file", say):
 *   1. an enum pm_answer field in struct probe_result (hostpm.h);
 *   2. one row in pm_capabilities[] (capability.c): its report key, its
 *      text-table label, the field, its hostPmEntry column and object
 *      name, its fragment element in each dialect (none, mostly), whether
 *      hostPmCapabilitiesChanged carries it, and which sources can tell;
 *   3. the code in the source(s) that fills the field;
 *   4. the OBJECT-TYPE in mibs/HOSTPM-MIB.txt, at that column (test_capability
 *      checks the table against the MIB file), and a line in the README.
 * Nothing else changes: a failed result resets it, the report carries it,
 * the text table shows it and hostpmd serves it.
 *
 * The MIB columns are only numbers here: probe/ speaks no SNMP, it records
 * where hostpmd puts each capability so that the two cannot drift apart.
 */
#ifndef HOSTPM_CAPABILITY_H
#define HOSTPM_CAPABILITY_H

#include <stdbool.h>
#include <stddef.h>

#include "hostpm.h"

struct pm_capability {
	const char *key;         /* in the report: "suspend-to-idle" */
	const char *label;       /* hostpm-probe's text table: "s2idle" */
	size_t offset;           /* of its enum pm_answer in probe_result */
	unsigned int mib_column; /* hostPmEntry.N */
	const char *mib_name;    /* "hostPmSuspendToIdle" */
	/* The fragment's child element in each dialect; NULL: none. */
	const char *element[PM_DIALECT_COUNT];
	bool notified;           /* carried by hostPmCapabilitiesChanged */
	unsigned int told_by;    /* PM_TOLD_BY(source) bits */
};

#define PM_TOLD_BY(source) (1u << (source))

/* In the order of the text table, the report and the fragment. */
extern const struct pm_capability pm_capabilities[];
extern const size_t pm_capability_count;

#define PM_FOR_EACH_CAPABILITY(c)                                   \
	for (const struct pm_capability *c = pm_capabilities;       \
	     c < pm_capabilities + pm_capability_count; c++)

/* NULL when no capability has that key or column. */
const struct pm_capability *pm_capability_by_key(const char *key);
const struct pm_capability *pm_capability_by_column(unsigned int column);

enum pm_answer pm_capability_get(const struct probe_result *r,
				 const struct pm_capability *c);
void pm_capability_set(struct probe_result *r, const struct pm_capability *c,
		       enum pm_answer a);

/* True when the capability has an element in some dialect's fragment:
 * it is part of the answer that the spool file and the log line show. */
bool pm_capability_in_fragment(const struct pm_capability *c);

/* "yes", "no", "unknown": the report's words, and the log's. */
const char *pm_answer_word(enum pm_answer a);
/* The word back; -1 when it is none of the three. */
int pm_answer_parse(const char *word, enum pm_answer *a);

#endif
