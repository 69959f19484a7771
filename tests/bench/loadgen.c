/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's load generator: one process sends N requests back to
 * back through net-snmp's library, checks every answer against the table
 * every exporter serves, and prints one JSON object with the figures.
 *
 *   loadgen get   -p PEER -b BASE -s SPEC [-k table|extend] [-n N]
 *                 [-w WARMUP] [-t MAX_SECONDS]  (stops at N or MAX_SECONDS)
 *   loadgen walk  ...   one walk = GETNEXTs from BASE until it leaves it
 *   loadgen bulk  ...   one GETBULK of every cell (and the fence)
 *   loadgen get2  ...   two clients (two processes) doing GETs at once
 *   loadgen first -p PEER -b BASE -s SPEC [-T SECONDS] [-O LOG] -- COMMAND...
 *                       starts COMMAND (its output to LOG, or nowhere) and
 *                       times its first right answer through the master;
 *                       COMMAND is left running.
 *   loadgen dump  -p PEER -b BASE
 *                       prints the table under BASE as a table file.
 *
 * BASE is the table's OID (hostPmTable for hostpmd) and SPEC the table
 * file (spec.h): -k table, its cells under BASE, followed by the fence
 * BASE.2.0; -k extend, BASE is nsExtendOutLine."NAME" and line N is the
 * N-th cell's value as text. Gauges and counters may have any value.
 *
 * Exit status: 0 every answer was right; 1 some were not (the figures
 * are still printed); 2 usage or set-up errors.
 */
#define _GNU_SOURCE
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "snmpclient.h"
#include "spec.h"

#define MAX_ERRORS_SHOWN 5

enum kind { KIND_TABLE, KIND_EXTEND };

static struct {
	const char *peer;
	const char *community;
	oid base[MAX_OID_LEN];
	size_t base_len;
	enum kind kind;
	long n;
	long warmup;
	double max_s; /* stop a run after this long, even before N */
	double first_timeout_s;
	const char *command_log;
	const char *spec;
	char **command;
} opt = {
	.community = "public",
	.kind = KIND_TABLE,
	.n = 1000,
	.warmup = 50,
	.max_s = 0,
	.first_timeout_s = 10,
};

static struct spec_cell *cells; /* what every answer must be */
static size_t ncells;
static unsigned char *any_value; /* gauges, counters: any value */
static oid fence[MAX_OID_LEN];
static size_t fence_len;
static long errors;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void build_expectations(void)
{
	size_t i;

	if (spec_load(opt.spec, opt.base, opt.base_len, &cells, &ncells) != 0)
		exit(2);
	any_value = calloc(ncells, 1);
	if (!any_value)
		exit(2);
	for (i = 0; i < ncells; i++) {
		struct spec_cell *c = &cells[i];

		any_value[i] = c->type == ASN_GAUGE || c->type == ASN_COUNTER;
		if (opt.kind == KIND_EXTEND) {
			/* nsExtendOutLine."NAME".LINE: every value as text */
			c->len = opt.base_len + 1;
			c->name[opt.base_len] = (oid)(i + 1);
			c->type = ASN_OCTET_STR;
		}
	}
	memcpy(fence, opt.base, opt.base_len * sizeof(oid));
	fence_len = opt.base_len;
	fence[fence_len++] = 2;
	fence[fence_len++] = 0;
}

static void complain(const char *what, const netsnmp_variable_list *vb)
{
	char buf[512];

	errors++;
	if (errors > MAX_ERRORS_SHOWN)
		return;
	if (vb)
		snprint_variable(buf, sizeof(buf), vb->name, vb->name_length,
				 vb);
	else
		snprintf(buf, sizeof(buf), "(no variable)");
	fprintf(stderr, "loadgen: wrong answer (%s): %s\n", what, buf);
}

/* True when vb is cell i: its name, its type and (but for gauges and
 * counters, which count) its value. */
static int cell_matches(size_t i, const netsnmp_variable_list *vb)
{
	const struct spec_cell *e = &cells[i];

	if (snmp_oid_compare(vb->name, vb->name_length, e->name, e->len) != 0)
		return 0;
	if (vb->type != e->type)
		return 0;
	if (any_value[i])
		return 1;
	switch (e->type) {
	case ASN_OCTET_STR:
		return vb->val_len == strlen(e->text) &&
		       memcmp(vb->val.string, e->text, vb->val_len) == 0;
	case ASN_INTEGER:
		return *vb->val.integer == e->num;
	default:
		return 1;
	}
}

static netsnmp_session *open_session(void)
{
	/* µs: a slow pass script must not time out */
	return snmpclient_open("loadgen", opt.peer, opt.community, 2000000);
}

/* One request; the response or NULL (counted as an error). */
static netsnmp_pdu *ask(netsnmp_session *ss, netsnmp_pdu *pdu)
{
	netsnmp_pdu *resp = NULL;
	int st = snmp_synch_response(ss, pdu, &resp);

	if (st != STAT_SUCCESS || !resp) {
		errors++;
		if (errors <= MAX_ERRORS_SHOWN)
			fprintf(stderr, "loadgen: %s\n",
				st == STAT_TIMEOUT ? "timeout" :
				snmp_api_errstring(ss->s_snmp_errno));
		if (resp)
			snmp_free_pdu(resp);
		return NULL;
	}
	if (resp->errstat != SNMP_ERR_NOERROR) {
		complain(snmp_errstring((int)resp->errstat), resp->variables);
		snmp_free_pdu(resp);
		return NULL;
	}
	return resp;
}

static void one_get(netsnmp_session *ss, long i)
{
	size_t k = (size_t)i % ncells;
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp;

	snmp_add_null_var(pdu, cells[k].name, cells[k].len);
	resp = ask(ss, pdu);
	if (!resp)
		return;
	if (!resp->variables || !cell_matches(k, resp->variables))
		complain("get", resp->variables);
	snmp_free_pdu(resp);
}

/* A walk of the table: GETNEXT from BASE until an answer leaves it. */
static void one_walk(netsnmp_session *ss, long i)
{
	oid cur[MAX_OID_LEN];
	size_t cur_len = opt.base_len, seen = 0;

	(void)i;
	memcpy(cur, opt.base, opt.base_len * sizeof(oid));
	for (;;) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETNEXT), *resp;
		netsnmp_variable_list *vb;

		snmp_add_null_var(pdu, cur, cur_len);
		resp = ask(ss, pdu);
		if (!resp)
			return;
		vb = resp->variables;
		if (!vb || vb->name_length < opt.base_len ||
		    snmp_oid_compare(vb->name, opt.base_len, opt.base,
				     opt.base_len) != 0 ||
		    vb->type == SNMP_ENDOFMIBVIEW) {
			/* Left the table: the fence, for a table exporter. */
			if (seen != ncells)
				complain("walk: wrong number of cells", vb);
			snmp_free_pdu(resp);
			return;
		}
		if (opt.kind == KIND_TABLE &&
		    snmp_oid_compare(vb->name, vb->name_length, fence,
				     fence_len) == 0) {
			if (seen != ncells)
				complain("walk: wrong number of cells", vb);
			snmp_free_pdu(resp);
			return;
		}
		if (seen >= ncells || !cell_matches(seen, vb)) {
			complain("walk", vb);
			snmp_free_pdu(resp);
			return;
		}
		seen++;
		memcpy(cur, vb->name, vb->name_length * sizeof(oid));
		cur_len = vb->name_length;
		snmp_free_pdu(resp);
	}
}

/* One GETBULK of every cell and one more (the fence). */
static void one_bulk(netsnmp_session *ss, long i)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK), *resp;
	netsnmp_variable_list *vb;
	size_t seen = 0;

	(void)i;
	pdu->non_repeaters = 0;
	pdu->max_repetitions = (long)ncells + 1;
	snmp_add_null_var(pdu, opt.base, opt.base_len);
	resp = ask(ss, pdu);
	if (!resp)
		return;
	for (vb = resp->variables; vb && seen < ncells; vb = vb->next_variable)
		if (!cell_matches(seen++, vb)) {
			complain("bulk", vb);
			break;
		}
	if (seen != ncells || !vb)
		complain("bulk: too few cells", vb);
	else if (opt.kind == KIND_TABLE &&
		 snmp_oid_compare(vb->name, vb->name_length, fence,
				  fence_len) != 0)
		complain("bulk: no fence after the table", vb);
	snmp_free_pdu(resp);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct_us(const uint64_t *sorted, long n, double p)
{
	long k = (long)(p * (double)(n - 1) + 0.5);

	return n > 0 ? (double)sorted[k] / 1000.0 : 0;
}

struct run_result {
	double seconds;
	double p50_us, p99_us;
	long n;
};

static void run_loop(netsnmp_session *ss,
		     void (*op)(netsnmp_session *, long), long n,
		     struct run_result *r)
{
	uint64_t *lat = calloc((size_t)n, sizeof(*lat));
	uint64_t t0, t1, start;
	long i;

	if (!lat) {
		fprintf(stderr, "loadgen: out of memory\n");
		exit(2);
	}
	start = now_ns();
	for (i = 0; i < opt.warmup; i++) {
		op(ss, i);
		/* a tenth of the run at most */
		if (opt.max_s > 0 &&
		    (double)(now_ns() - start) > opt.max_s * 1e8)
			break;
	}
	errors = 0;
	start = now_ns();
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		op(ss, i);
		t1 = now_ns();
		lat[i] = t1 - t0;
		if (opt.max_s > 0 && (double)(t1 - start) > opt.max_s * 1e9) {
			n = i + 1;
			break;
		}
	}
	r->seconds = (double)(now_ns() - start) / 1e9;
	qsort(lat, (size_t)n, sizeof(*lat), cmp_u64);
	r->p50_us = pct_us(lat, n, 0.50);
	r->p99_us = pct_us(lat, n, 0.99);
	r->n = n;
	free(lat);
}

static void print_result(const char *mode, const struct run_result *r,
			 int cells_per_op, int requests_per_op)
{
	printf("{\"op\":\"%s\",\"n\":%ld,\"seconds\":%.6f,"
	       "\"ops_per_s\":%.1f,\"p50_us\":%.2f,\"p99_us\":%.2f,"
	       "\"cells_per_op\":%d,\"requests_per_op\":%d,"
	       "\"us_per_cell_p50\":%.3f,\"errors\":%ld}\n",
	       mode, r->n, r->seconds, (double)r->n / r->seconds, r->p50_us,
	       r->p99_us, cells_per_op, requests_per_op,
	       r->p50_us / cells_per_op, errors);
}

/* Two clients, each its own process and session, started together. */
static int run_two(void)
{
	int go[2], back[2], c;
	pid_t pids[2];
	struct run_result rr[2];
	long errs = 0;
	char token = 'g';

	if (pipe(go) != 0 || pipe(back) != 0) {
		perror("loadgen: pipe");
		return 2;
	}
	fflush(stdout);
	for (c = 0; c < 2; c++) {
		pids[c] = fork();
		if (pids[c] < 0) {
			perror("loadgen: fork");
			return 2;
		}
		if (pids[c] == 0) {
			netsnmp_session *ss = open_session();
			struct { struct run_result r; long e; } msg;
			long i;

			close(go[1]);
			close(back[0]);
			for (i = 0; i < opt.warmup; i++)
				one_get(ss, i);
			if (read(go[0], &token, 1) != 1)
				_exit(2);
			errors = 0;
			opt.warmup = 0;
			run_loop(ss, one_get, opt.n, &msg.r);
			msg.e = errors;
			if (write(back[1], &msg, sizeof(msg)) !=
			    (ssize_t)sizeof(msg))
				_exit(2);
			snmp_close(ss);
			_exit(0);
		}
	}
	close(go[0]);
	close(back[1]);
	usleep(200000); /* both sessions open and warm */
	if (write(go[1], "gg", 2) != 2)
		return 2;
	for (c = 0; c < 2; c++) {
		struct { struct run_result r; long e; } msg;

		if (read(back[0], &msg, sizeof(msg)) != (ssize_t)sizeof(msg)) {
			fprintf(stderr, "loadgen: a client died\n");
			return 2;
		}
		rr[c] = msg.r;
		errs += msg.e;
	}
	for (c = 0; c < 2; c++)
		waitpid(pids[c], NULL, 0);
	{
		double longest = rr[0].seconds > rr[1].seconds ? rr[0].seconds :
								 rr[1].seconds;
		double total = (double)(rr[0].n + rr[1].n);

		printf("{\"op\":\"get2\",\"n\":%ld,\"seconds\":%.6f,"
		       "\"ops_per_s\":%.1f,\"p50_us\":%.2f,\"p99_us\":%.2f,"
		       "\"us_per_request\":%.3f,\"errors\":%ld}\n",
		       rr[0].n + rr[1].n, longest, total / longest,
		       (rr[0].p50_us + rr[1].p50_us) / 2,
		       rr[0].p99_us > rr[1].p99_us ? rr[0].p99_us : rr[1].p99_us,
		       longest * 1e6 / total, errs);
	}
	return errs ? 1 : 0;
}

/* Starts the command and polls the first cell until it answers right. */
static int run_first(void)
{
	netsnmp_session *ss;
	uint64_t start, deadline;
	pid_t pid;
	long tries = 0;

	ss = open_session();
	ss->timeout = 20000;
	fflush(stdout);
	start = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("loadgen: fork");
		return 2;
	}
	if (pid == 0) {
		/* Not our stdout: a caller reading it would wait for the
		 * command to end. */
		int fd = open(opt.command_log ? opt.command_log : "/dev/null",
			      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execvp(opt.command[0], opt.command);
		fprintf(stderr, "loadgen: %s: %s\n", opt.command[0],
			strerror(errno));
		_exit(127);
	}
	deadline = start + (uint64_t)(opt.first_timeout_s * 1e9);
	for (;;) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp = NULL;
		int ok = 0, st;

		snmp_add_null_var(pdu, cells[0].name, cells[0].len);
		tries++;
		st = snmp_synch_response(ss, pdu, &resp);
		if (st == STAT_SUCCESS && resp && resp->variables &&
		    resp->errstat == SNMP_ERR_NOERROR &&
		    cell_matches(0, resp->variables))
			ok = 1;
		if (resp)
			snmp_free_pdu(resp);
		if (ok)
			break;
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			fprintf(stderr, "loadgen: %s exited before answering\n",
				opt.command[0]);
			return 1;
		}
		if (now_ns() > deadline) {
			fprintf(stderr, "loadgen: no answer within %.0f s\n",
				opt.first_timeout_s);
			printf("{\"op\":\"first\",\"pid\":%ld,\"first_answer_ms\":null}\n",
			       (long)pid);
			return 1;
		}
		usleep(500);
	}
	printf("{\"op\":\"first\",\"pid\":%ld,\"first_answer_ms\":%.3f,"
	       "\"tries\":%ld}\n",
	       (long)pid, (double)(now_ns() - start) / 1e6, tries);
	snmp_close(ss);
	return 0;
}

/* Prints the table under BASE as a table file (spec.h), by walking it. */
static int run_dump(void)
{
	netsnmp_session *ss = open_session();
	oid cur[MAX_OID_LEN];
	size_t cur_len = opt.base_len, k;

	memcpy(cur, opt.base, opt.base_len * sizeof(oid));
	for (;;) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETNEXT), *resp;
		netsnmp_variable_list *vb;
		const char *word;

		snmp_add_null_var(pdu, cur, cur_len);
		resp = ask(ss, pdu);
		if (!resp)
			return 1;
		vb = resp->variables;
		if (!vb || vb->name_length <= opt.base_len ||
		    snmp_oid_compare(vb->name, opt.base_len, opt.base,
				     opt.base_len) != 0) {
			snmp_free_pdu(resp);
			break;
		}
		word = spec_type_name(vb->type);
		if (!word) {
			complain("dump: a type the table file cannot hold", vb);
			snmp_free_pdu(resp);
			return 1;
		}
		for (k = opt.base_len; k < vb->name_length; k++)
			printf("%s%lu", k == opt.base_len ? "" : ".",
			       (unsigned long)vb->name[k]);
		if (vb->type == ASN_OCTET_STR) {
			const char *nl = memchr(vb->val.string, '\n',
						vb->val_len);
			int len = nl ? (int)(nl - (const char *)vb->val.string) :
				       (int)vb->val_len;

			printf(" string %.*s\n", len,
			       (const char *)vb->val.string);
		}
		else if (vb->type == ASN_INTEGER)
			printf(" %s %ld\n", word, *vb->val.integer);
		else
			printf(" %s %lu\n", word, (unsigned long)*vb->val.integer);
		memcpy(cur, vb->name, vb->name_length * sizeof(oid));
		cur_len = vb->name_length;
		snmp_free_pdu(resp);
	}
	snmp_close(ss);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: loadgen get|walk|bulk|get2 -p PEER -b BASE_OID -s SPEC [-k table|extend]\n"
		"               [-c COMMUNITY] [-n N] [-w WARMUP] [-t MAX_SECONDS]\n"
		"       loadgen first -p PEER -b BASE_OID -s SPEC [-T SECONDS] [-O LOG] -- COMMAND [ARG...]\n"
		"       loadgen dump -p PEER -b BASE_OID\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode, *base = NULL;
	struct run_result r;
	int o;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((o = getopt(argc, argv, "p:b:k:c:n:w:t:T:O:s:")) != -1) {
		switch (o) {
		case 'p':
			opt.peer = optarg;
			break;
		case 'b':
			base = optarg;
			break;
		case 'k':
			if (!strcmp(optarg, "table"))
				opt.kind = KIND_TABLE;
			else if (!strcmp(optarg, "extend"))
				opt.kind = KIND_EXTEND;
			else
				usage();
			break;
		case 'c':
			opt.community = optarg;
			break;
		case 'n':
			opt.n = strtol(optarg, NULL, 10);
			break;
		case 'w':
			opt.warmup = strtol(optarg, NULL, 10);
			break;
		case 't':
			opt.max_s = strtod(optarg, NULL);
			break;
		case 's':
			opt.spec = optarg;
			break;
		case 'O':
			opt.command_log = optarg;
			break;
		case 'T':
			opt.first_timeout_s = strtod(optarg, NULL);
			break;
		default:
			usage();
		}
	}
	if (!opt.peer || !base || opt.n < 1 || opt.warmup < 0 ||
	    (!opt.spec && strcmp(mode, "dump")))
		usage();
	if (!strcmp(mode, "first")) {
		if (optind >= argc)
			usage();
		opt.command = &argv[optind];
	} else if (optind != argc) {
		usage();
	}

	snmpclient_init("loadgen");
	opt.base_len = MAX_OID_LEN;
	if (!read_objid(base, opt.base, &opt.base_len) ||
	    opt.base_len + 4 > MAX_OID_LEN) {
		fprintf(stderr, "loadgen: bad OID %s\n", base);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	if (!strcmp(mode, "dump"))
		return run_dump();
	build_expectations();
	if (!strcmp(mode, "first"))
		return run_first();
	if (!strcmp(mode, "get2"))
		return run_two();
	{
		netsnmp_session *ss = open_session();

		if (!strcmp(mode, "get")) {
			run_loop(ss, one_get, opt.n, &r);
			print_result("get", &r, 1, 1);
		} else if (!strcmp(mode, "walk")) {
			run_loop(ss, one_walk, opt.n, &r);
			print_result("walk", &r, (int)ncells, (int)ncells + 1);
		} else if (!strcmp(mode, "bulk")) {
			run_loop(ss, one_bulk, opt.n, &r);
			print_result("bulk", &r, (int)ncells, 1);
		} else {
			usage();
		}
		snmp_close(ss);
	}
	return errors ? 1 : 0;
}
