/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's table, as every exporter serves it: a file of cells,
 * one a line, in walk order, "OID-UNDER-THE-TABLE TYPE VALUE" with TYPE
 * string, integer, gauge or counter ('#' starts a comment line).
 */
#ifndef BENCH_SPEC_H
#define BENCH_SPEC_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#define SPEC_MAX_CELLS 512
#define SPEC_VALUE_MAX 256

struct spec_cell {
	oid name[MAX_OID_LEN]; /* the table's OID and the suffix */
	size_t len;
	u_char type;           /* ASN_OCTET_STR, _INTEGER, _GAUGE, _COUNTER */
	long num;
	char text[SPEC_VALUE_MAX];
};

/*
 * Reads PATH into *cells (malloc'd, *n of them), each under the table
 * OID base. Returns 0, or -1 after a message on stderr.
 */
int spec_load(const char *path, const oid *base, size_t base_len,
	      struct spec_cell **cells, size_t *n);

/* The type's word in the file ("string", ...); NULL for another type. */
const char *spec_type_name(u_char type);

#endif
