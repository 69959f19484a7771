/* SPDX-License-Identifier: MIT */
/*
 * bulkcheck: asks hostpmd's objects (hostPmObjects) through a master
 * agent, request after request, and checks every answer.
 *
 *   bulkcheck bulk -p PEER [-c COMMUNITY] [-n N] [-t SECONDS]
 *	one GETBULK of all of hostPmObjects after another
 *   bulkcheck soak -p PEER [-c COMMUNITY] [-n N] [-t SECONDS]
 *	GETs of one cell and of three, GETNEXTs and GETBULKs in turn
 *
 * It stops after N requests or SECONDS, whichever comes first, and
 * prints one line of figures:
 *
 *   requests=N bulks=N mixed=N malformed=N failed=N truncated=N
 *   tables=N changes=N seconds=S
 *
 * Every cell of every answer must be well-formed: a column of the table
 * or one of the two scalars, of its column's type, a TruthValue 1 or 2,
 * a DisplayString of printable ASCII, a source name hostpm knows; a cell
 * that every row has must not be absent.
 *
 * Every GETBULK answer must come from one probe report. The master splits
 * a GETBULK into one AgentX request per cell, so a report that arrives in
 * between would give an answer whose first cells tell of one report and
 * the rest of another. The test flips the host between states that differ
 * in hostPmS3.1, so the answer's hostPmS3.1 names the state, and every
 * answer naming it must hold the same cells, whatever changes over time
 * left aside (hostPmProbeAge, the counters): the first answer for each
 * state is the reference, and an answer that differs from it is counted
 * as mixed (so would all the others be, were the first one the mix).
 * "tables" is how many different states were seen, "changes" how often
 * one GETBULK answer named another state than the one before.
 *
 * Exit status: 0 every answer was right; 1 some were not (the figures
 * are still printed, the first few problems described on stderr); 2 usage
 * or set-up errors.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "snmpclient.h"

#define MAX_PROBLEMS_SHOWN 5
#define MAX_TABLES 8
#define MAX_CELLS 256
#define SIGNATURE_MAX 65536
/* A row per source after the effective one (hostpm.h's PROBE_MAX_SOURCES). */
#define MAX_ROW 9

/* hostPmObjects: 1.3.6.1.4.1.8072.9999.9999.1.1 */
static const oid objects_oid[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1, 1 };
#define OBJECTS_LEN (sizeof(objects_oid) / sizeof(objects_oid[0]))

/* The columns of hostPmEntry, from mibs/HOSTPM-MIB.txt: written out
 * here, not taken from agent/table.c, which is what this checks. */
enum column {
	COL_SOURCE_NAME = 2,
	COL_QUERY_VALID = 3,
	COL_S3 = 4,
	COL_PROBE_AGE = 7,
	COL_ERROR = 8,
	COL_SUSPEND_SUCCESSES = 13,
	COL_SUSPEND_FAILURES = 14,
	COL_POLICY = 15,
	COL_REASON = 16,
	COL_LAST = 16,
};

static struct {
	const char *peer;
	const char *community;
	long n;
	double max_s;
} opt = { .community = "public", .n = 1000000, .max_s = 0 };

static struct {
	long requests, bulks, mixed, malformed, failed, truncated, changes;
} count;

/* What was learnt: each state's cells, named by its hostPmS3.1. */
static struct table_seen {
	char key[32];
	char *signature;
} tables[MAX_TABLES];
static size_t ntables;
static int last_table = -1;

/* The instances of the first walk, asked for by GET and GETNEXT. */
static struct instance {
	oid name[MAX_OID_LEN];
	size_t len;
} cells[MAX_CELLS];
static size_t ncells;
static long max_repetitions;

static void problem(long *counter, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(long *counter, const char *fmt, ...)
{
	static long shown;
	va_list ap;

	(*counter)++;
	if (++shown > MAX_PROBLEMS_SHOWN)
		return;
	fputs("bulkcheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The variable as snmpget would print it, for a problem's description. */
static const char *shown(const netsnmp_variable_list *vb)
{
	static char buf[1024];

	if (snprint_variable(buf, sizeof(buf), vb->name, vb->name_length,
			     vb) < 0)
		snprintf(buf, sizeof(buf), "(a variable too long to show)");
	return buf;
}

/* A cell of hostPmObjects, or whatever the master answered after them. */
static bool in_objects(const netsnmp_variable_list *vb)
{
	return vb->type != SNMP_ENDOFMIBVIEW &&
	       vb->name_length > OBJECTS_LEN &&
	       snmp_oid_compare(vb->name, OBJECTS_LEN, objects_oid,
				OBJECTS_LEN) == 0;
}

/* The column of a table cell (hostPmObjects.1.1.COLUMN.ROW), or 0. */
static unsigned long column_of(const netsnmp_variable_list *vb)
{
	if (vb->name_length != OBJECTS_LEN + 4 || vb->name[OBJECTS_LEN] != 1 ||
	    vb->name[OBJECTS_LEN + 1] != 1)
		return 0;
	return (unsigned long)vb->name[OBJECTS_LEN + 2];
}

static bool is_scalar(const netsnmp_variable_list *vb)
{
	return vb->name_length == OBJECTS_LEN + 2 &&
	       (vb->name[OBJECTS_LEN] == 2 || vb->name[OBJECTS_LEN] == 3) &&
	       vb->name[OBJECTS_LEN + 1] == 0;
}

/* Columns that some rows leave out: capabilities a source cannot tell,
 * and all of them where the query failed. */
static bool column_optional(unsigned long col)
{
	return col != COL_SOURCE_NAME && col != COL_QUERY_VALID &&
	       col != COL_PROBE_AGE && col != COL_ERROR;
}

static bool column_is_string(unsigned long col)
{
	return col == COL_SOURCE_NAME || col == COL_ERROR ||
	       col == COL_POLICY || col == COL_REASON;
}

static bool column_is_counter(unsigned long col)
{
	return col == COL_SUSPEND_SUCCESSES || col == COL_SUSPEND_FAILURES;
}

/* A DisplayString: printable ASCII, at most 255 octets. */
static bool display_string(const netsnmp_variable_list *vb)
{
	size_t i;

	if (vb->val_len > 255)
		return false;
	for (i = 0; i < vb->val_len; i++)
		if (vb->val.string[i] < 0x20 || vb->val.string[i] > 0x7e)
			return false;
	return true;
}

static bool known_source(const netsnmp_variable_list *vb)
{
	static const char *const names[] = { "effective", "logind",
					     "pm-utils", "sysfs" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (vb->val_len == strlen(names[i]) &&
		    memcmp(vb->val.string, names[i], vb->val_len) == 0)
			return true;
	return false;
}

/* Why the cell is not what HOSTPM-MIB says it is, or NULL. */
static const char *malformed_cell(const netsnmp_variable_list *vb)
{
	unsigned long col, row;

	if (!in_objects(vb))
		return "outside hostPmObjects";
	if (vb->type == SNMP_NOSUCHOBJECT)
		return "noSuchObject: hostPmObjects is not registered";
	if (is_scalar(vb))
		return vb->type == ASN_COUNTER ? NULL : "a scalar not a Counter32";
	col = column_of(vb);
	row = (unsigned long)vb->name[vb->name_length - 1];
	if (col < COL_SOURCE_NAME || col > COL_LAST)
		return "no column of hostPmEntry";
	if (row < 1 || row > MAX_ROW)
		return "no row hostpmd serves";
	if (vb->type == SNMP_NOSUCHINSTANCE)
		return column_optional(col) ? NULL :
		       "absent, in a column that every row has";
	if (column_is_string(col)) {
		if (vb->type != ASN_OCTET_STR)
			return "a string column not an OCTET STRING";
		if (!display_string(vb))
			return "a DisplayString not printable ASCII";
		if (col == COL_SOURCE_NAME && !known_source(vb))
			return "no source hostpm knows";
		return NULL;
	}
	if (col == COL_PROBE_AGE)
		return vb->type == ASN_UNSIGNED ? NULL : "not an Unsigned32";
	if (column_is_counter(col))
		return vb->type == ASN_COUNTER ? NULL : "not a Counter32";
	if (vb->type != ASN_INTEGER)
		return "a TruthValue not an INTEGER";
	if (*vb->val.integer != 1 && *vb->val.integer != 2)
		return "a TruthValue neither 1 nor 2";
	return NULL;
}

/* Appends "SUFFIX=VALUE" and a newline (no DisplayString has one) for a
 * cell whose value belongs to one report. */
static void sign(char *sig, size_t *used, const netsnmp_variable_list *vb)
{
	size_t i, room = SIGNATURE_MAX - *used;
	int w;

	for (i = OBJECTS_LEN; i < vb->name_length && room > 1; i++) {
		w = snprintf(sig + *used, room, ".%lu",
			     (unsigned long)vb->name[i]);
		if (w < 0 || (size_t)w >= room)
			return;
		*used += (size_t)w;
		room -= (size_t)w;
	}
	if (vb->type == ASN_OCTET_STR)
		w = snprintf(sig + *used, room, "=\"%.*s\"\n", (int)vb->val_len,
			     (const char *)vb->val.string);
	else if (vb->type == ASN_INTEGER)
		w = snprintf(sig + *used, room, "=%ld\n", *vb->val.integer);
	else
		w = snprintf(sig + *used, room, "=type %d\n", vb->type);
	if (w > 0 && (size_t)w < room)
		*used += (size_t)w;
}

/* The first cell where two signatures differ, for the description. */
static void first_difference(const char *a, const char *b, char *out,
			     size_t len)
{
	const char *start = a;

	while (*a && *a == *b) {
		if (*a == '\n')
			start = a + 1;
		a++;
		b++;
	}
	b -= a - start;
	snprintf(out, len, "the first had %.*s, this one %.*s",
		 (int)strcspn(start, "\n"), start, (int)strcspn(b, "\n"), b);
}

/* An answer's cells against those of the first answer naming its state. */
static void check_consistent(const char *key, const char *sig)
{
	size_t i;
	char diff[512];

	for (i = 0; i < ntables; i++)
		if (strcmp(tables[i].key, key) == 0)
			break;
	if (i == ntables) {
		if (ntables == MAX_TABLES) {
			problem(&count.mixed, "more than %d different states",
				MAX_TABLES);
			return;
		}
		snprintf(tables[i].key, sizeof(tables[i].key), "%s", key);
		tables[i].signature = strdup(sig);
		if (!tables[i].signature) {
			fprintf(stderr, "bulkcheck: out of memory\n");
			exit(2);
		}
		ntables++;
	}
	if (last_table >= 0 && (size_t)last_table != i)
		count.changes++;
	last_table = (int)i;
	if (strcmp(tables[i].signature, sig) != 0) {
		first_difference(tables[i].signature, sig, diff, sizeof(diff));
		problem(&count.mixed,
			"GETBULK %ld mixes two reports: hostPmS3.1 is %s, but %s",
			count.bulks, key, diff);
	}
}

static netsnmp_session *open_session(void)
{
	/* µs: the machine may be busy */
	return snmpclient_open("bulkcheck", opt.peer, opt.community, 5000000);
}

/* One request; the response, or NULL (counted as failed). */
static netsnmp_pdu *ask(netsnmp_session *ss, netsnmp_pdu *pdu)
{
	netsnmp_pdu *resp = NULL;
	int st;

	count.requests++;
	st = snmp_synch_response(ss, pdu, &resp);
	if (st != STAT_SUCCESS || !resp) {
		problem(&count.failed, "request %ld: %s", count.requests,
			st == STAT_TIMEOUT ? "no answer (timeout)" :
			snmp_api_errstring(ss->s_snmp_errno));
		if (resp)
			snmp_free_pdu(resp);
		return NULL;
	}
	if (resp->errstat != SNMP_ERR_NOERROR) {
		problem(&count.failed, "request %ld answered %s", count.requests,
			snmp_errstring((int)resp->errstat));
		snmp_free_pdu(resp);
		return NULL;
	}
	return resp;
}

/* Checks each cell of an answer within hostPmObjects; the number of them,
 * or -1 when one is malformed. */
static long check_cells(const netsnmp_variable_list *vb, const char *what)
{
	long n = 0;
	const char *why;

	for (; vb && in_objects(vb); vb = vb->next_variable, n++) {
		why = malformed_cell(vb);
		if (why) {
			problem(&count.malformed, "%s %ld: %s: %s", what,
				count.requests, why, shown(vb));
			return -1;
		}
	}
	return n;
}

/* One GETBULK of all of hostPmObjects: well-formed, whole, one report. */
static void one_bulk(netsnmp_session *ss)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK), *resp;
	netsnmp_variable_list *vb;
	static char sig[SIGNATURE_MAX];
	char key[32] = "absent";
	size_t used = 0;
	long n;

	pdu->non_repeaters = 0;
	pdu->max_repetitions = max_repetitions;
	snmp_add_null_var(pdu, objects_oid, OBJECTS_LEN);
	resp = ask(ss, pdu);
	if (!resp)
		return;
	count.bulks++;
	n = check_cells(resp->variables, "GETBULK");
	if (n < 0)
		goto out;
	for (vb = resp->variables; vb && in_objects(vb); vb = vb->next_variable)
		;
	if (!vb) {
		problem(&count.truncated,
			"GETBULK %ld: %ld cells and no end of hostPmObjects",
			count.bulks, n);
		goto out;
	}
	sig[0] = '\0';
	for (vb = resp->variables; vb && in_objects(vb); vb = vb->next_variable) {
		unsigned long col = column_of(vb);

		/* Values that change between answers of one report. */
		if (is_scalar(vb) || col == COL_PROBE_AGE ||
		    column_is_counter(col))
			continue;
		if (col == COL_S3 && vb->name[vb->name_length - 1] == 1)
			snprintf(key, sizeof(key), "%ld", *vb->val.integer);
		sign(sig, &used, vb);
	}
	check_consistent(key, sig);
out:
	snmp_free_pdu(resp);
}

/* A GET of the cells k, k+step, ... (count of them). */
static void one_get(netsnmp_session *ss, size_t k, size_t step, size_t n)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp;
	size_t i;
	long answered;

	for (i = 0; i < n; i++) {
		const struct instance *c = &cells[(k + i * step) % ncells];

		snmp_add_null_var(pdu, c->name, c->len);
	}
	resp = ask(ss, pdu);
	if (!resp)
		return;
	answered = check_cells(resp->variables, "GET");
	if (answered >= 0 && answered != (long)n)
		problem(&count.malformed, "GET %ld: %zu cells asked for, not as many answered",
			count.requests, n);
	snmp_free_pdu(resp);
}

static void one_getnext(netsnmp_session *ss, size_t k)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETNEXT), *resp;
	const struct instance *c = &cells[k % ncells];

	snmp_add_null_var(pdu, c->name, c->len);
	resp = ask(ss, pdu);
	if (!resp)
		return;
	/* The last cell's next is outside hostPmObjects: not checked. */
	if (check_cells(resp->variables, "GETNEXT") >= 0 && resp->variables &&
	    snmp_oid_compare(resp->variables->name,
			     resp->variables->name_length, c->name,
			     c->len) <= 0)
		problem(&count.malformed, "GETNEXT %ld: not after the OID asked for: %s",
			count.requests, shown(resp->variables));
	snmp_free_pdu(resp);
}

/*
 * The cells there are now, by GETNEXT. A GETBULK asks for twice as many
 * repetitions, room for a state with more cells, and its answer must
 * reach past hostPmObjects, or it is counted as truncated.
 */
static void learn_cells(netsnmp_session *ss)
{
	oid cur[MAX_OID_LEN];
	size_t cur_len = OBJECTS_LEN;

	memcpy(cur, objects_oid, sizeof(objects_oid));
	for (;;) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETNEXT), *resp;
		netsnmp_variable_list *vb;

		snmp_add_null_var(pdu, cur, cur_len);
		resp = ask(ss, pdu);
		if (!resp) {
			fprintf(stderr, "bulkcheck: cannot walk hostPmObjects at %s\n",
				opt.peer);
			exit(2);
		}
		vb = resp->variables;
		if (!vb || !in_objects(vb) || ncells == MAX_CELLS) {
			snmp_free_pdu(resp);
			break;
		}
		memcpy(cells[ncells].name, vb->name,
		       vb->name_length * sizeof(oid));
		cells[ncells].len = vb->name_length;
		ncells++;
		memcpy(cur, vb->name, vb->name_length * sizeof(oid));
		cur_len = vb->name_length;
		snmp_free_pdu(resp);
	}
	if (ncells == 0) {
		fprintf(stderr, "bulkcheck: hostPmObjects is empty at %s\n",
			opt.peer);
		exit(2);
	}
	max_repetitions = (long)ncells * 2 + 1;
	count.requests = 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bulkcheck bulk|soak -p PEER [-c COMMUNITY] [-n N] [-t SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	netsnmp_session *ss;
	const char *mode;
	double start, seconds;
	char *end;
	long i;
	int o;
	bool soak;

	if (argc < 2)
		usage();
	mode = argv[1];
	if (strcmp(mode, "bulk") && strcmp(mode, "soak"))
		usage();
	soak = !strcmp(mode, "soak");
	optind = 2;
	while ((o = getopt(argc, argv, "p:c:n:t:")) != -1) {
		switch (o) {
		case 'p':
			opt.peer = optarg;
			break;
		case 'c':
			opt.community = optarg;
			break;
		case 'n':
			opt.n = strtol(optarg, &end, 10);
			if (*end || opt.n < 1)
				usage();
			break;
		case 't':
			opt.max_s = strtod(optarg, &end);
			if (*end || opt.max_s <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (!opt.peer || optind != argc)
		usage();

	snmpclient_init("bulkcheck");
	ss = open_session();
	learn_cells(ss);

	start = now_s();
	for (i = 0; i < opt.n; i++) {
		if (!soak) {
			one_bulk(ss);
		} else {
			/* Most requests are GETs, as pollers' are. */
			switch (i % 10) {
			case 7:
				/* Three cells in one GET, as check_snmp asks. */
				one_get(ss, (size_t)i, ncells / 3 + 1, 3);
				break;
			case 8:
				one_getnext(ss, (size_t)i);
				break;
			case 9:
				one_bulk(ss);
				break;
			default:
				one_get(ss, (size_t)i, 1, 1);
				break;
			}
		}
		if (opt.max_s > 0 && now_s() - start >= opt.max_s)
			break;
	}
	seconds = now_s() - start;
	printf("requests=%ld bulks=%ld mixed=%ld malformed=%ld failed=%ld "
	       "truncated=%ld tables=%zu changes=%ld seconds=%.1f\n",
	       count.requests, count.bulks, count.mixed, count.malformed,
	       count.failed, count.truncated, ntables, count.changes, seconds);
	for (i = 0; i < (long)ntables; i++)
		free(tables[i].signature);
	snmp_close(ss);
	snmp_shutdown("bulkcheck");
	return count.mixed || count.malformed || count.failed ||
		       count.truncated ? 1 : 0;
}
