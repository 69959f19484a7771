/* SPDX-License-Identifier: MIT */
/*
 * The report hostpmd reads from its probe child (hostpm-probe
 * --format=report): anything the child may print, read as hostpmd reads
 * it. What is accepted must also write back as a report that reads the
 * same: the writer and the reader agree.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hostpm.h"

static void check_result(const struct probe_result *r)
{
	FUZZ_CHECK(FUZZ_TERMINATED(r->error));
	FUZZ_CHECK(FUZZ_TERMINATED(r->reason));
	FUZZ_CHECK(FUZZ_TERMINATED(r->policy));
	FUZZ_CHECK((unsigned)r->source < PROBE_SOURCE_COUNT);
	FUZZ_CHECK(r->when.tv_nsec >= 0 && r->when.tv_nsec < 1000000000L);
}

/* The report of rep and fragment as a malloc'd string. */
static char *write_report(const struct probe_report *rep,
			  const char *fragment)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		abort();
	FUZZ_CHECK(probe_report_write(out, rep, fragment) == 0);
	if (fclose(out) != 0)
		abort();
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), *fragment, *again, *third,
	     *fragment2, *fragment3;
	char err[PROBE_ERROR_MAX];
	struct probe_report rep, rep2, rep3;
	size_t i;

	err[0] = '\0';
	if (probe_report_read(text, &rep, &fragment, err, sizeof(err)) != 0) {
		FUZZ_CHECK(!strncmp(err, "probe report, line ", 19));
		FUZZ_CHECK(fragment == NULL);
		free(text);
		return 0;
	}
	FUZZ_CHECK(fragment != NULL);
	FUZZ_CHECK(rep.nrows <= PROBE_MAX_SOURCES);
	check_result(&rep.effective);
	for (i = 0; i < rep.nrows; i++)
		check_result(&rep.rows[i]);

	/*
	 * Written back, it reads again; the writer makes each string one line,
	 * so the first rewrite may differ from the input, but from then on a
	 * report reads and writes as itself.
	 */
	again = write_report(&rep, fragment);
	FUZZ_CHECK(probe_report_read(again, &rep2, &fragment2, err,
				     sizeof(err)) == 0);
	FUZZ_CHECK(rep2.nrows == rep.nrows);
	FUZZ_CHECK(!strcmp(fragment2, fragment));
	third = write_report(&rep2, fragment2);
	FUZZ_CHECK(probe_report_read(third, &rep3, &fragment3, err,
				     sizeof(err)) == 0);
	FUZZ_CHECK(!memcmp(&rep2, &rep3, sizeof(rep2)));
	free(third);
	free(again);
	free(text);
	return 0;
}
