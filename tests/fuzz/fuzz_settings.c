/* SPDX-License-Identifier: MIT */
/*
 * What administrators type, as hostpm-probe's options and hostpmd.conf's
 * values both reach it: a source list, a timeout and a dialect. Each
 * input is tried as all three.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hostpm.h"

static void check_sources(const char *text)
{
	enum probe_source_id ids[PROBE_MAX_SOURCES], ids2[PROBE_MAX_SOURCES];
	size_t n = 0, n2 = 0, i, j;
	char err[PROBE_ERROR_MAX], formatted[PROBE_MAX_SOURCES * 16];

	err[0] = '\0';
	if (probe_sources_parse(text, ids, &n, err, sizeof(err)) != 0) {
		FUZZ_CHECK(err[0] && FUZZ_TERMINATED(err));
		return;
	}
	FUZZ_CHECK(n >= 1 && n <= PROBE_MAX_SOURCES);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK((unsigned)ids[i] < PROBE_SOURCE_COUNT);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(ids[i] != ids[j]);
	}
	/* A list accepted is exactly its names, comma-separated. */
	probe_sources_format(ids, n, formatted, sizeof(formatted));
	FUZZ_CHECK(!strcmp(formatted, text));
	FUZZ_CHECK(probe_sources_parse(formatted, ids2, &n2, err,
				       sizeof(err)) == 0);
	FUZZ_CHECK(n2 == n && !memcmp(ids, ids2, n * sizeof(ids[0])));
}

static void check_timeout(const char *text)
{
	unsigned int ms = 0;
	char err[PROBE_ERROR_MAX];

	err[0] = '\0';
	if (probe_timeout_parse(text, &ms, err, sizeof(err)) != 0) {
		FUZZ_CHECK(err[0] && FUZZ_TERMINATED(err));
		return;
	}
	FUZZ_CHECK(ms >= 1 && ms <= 3600u * 1000u);
}

static void check_dialect(const char *text)
{
	enum pm_dialect d = (enum pm_dialect)-1;

	if (pm_dialect_parse(text, &d) != 0)
		return;
	/* Only the names, exactly; "seed" is libvirt-2011's alias. */
	FUZZ_CHECK((d == PM_DIALECT_LIBVIRT_2011 &&
		    (!strcmp(text, "libvirt-2011") || !strcmp(text, "seed"))) ||
		   (d == PM_DIALECT_LIBVIRT && !strcmp(text, "libvirt")));
	FUZZ_CHECK(!strcmp(pm_dialect_name(d), text) || !strcmp(text, "seed"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);

	check_sources(text);
	check_timeout(text);
	check_dialect(text);
	free(text);
	return 0;
}
