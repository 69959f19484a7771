/* SPDX-License-Identifier: MIT */
/*
 * The cost of one probe, per source, without process start-up: calls
 * probe_run_source() N times in one process and prints one JSON object
 * per source with the median and 99th percentile time of one probe, and
 * whether it was valid. Whether a source forks is counted by the caller
 * (tests/bench/run runs this under strace -f for that), not assumed.
 *
 *   probecost [-n N] [--sysfs-root=DIR] [--pm-is-supported=PATH] SOURCE...
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hostpm.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct probe_config cfg;
	long n = 100;
	int i;

	probe_config_init(&cfg);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-n") && i + 1 < argc) {
			n = strtol(argv[++i], NULL, 10);
		} else if (!strncmp(a, "--sysfs-root=", 13)) {
			snprintf(cfg.sysfs_root, sizeof(cfg.sysfs_root), "%s",
				 a + 13);
		} else if (!strncmp(a, "--pm-is-supported=", 18)) {
			snprintf(cfg.pm_is_supported,
				 sizeof(cfg.pm_is_supported), "%s", a + 18);
		} else {
			break;
		}
	}
	if (i >= argc || n < 1) {
		fprintf(stderr, "usage: probecost [-n N] [--sysfs-root=DIR] "
				"[--pm-is-supported=PATH] SOURCE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		enum probe_source_id id;
		size_t count = 0;
		char err[PROBE_ERROR_MAX];
		struct probe_result r;
		uint64_t *t = calloc((size_t)n, sizeof(*t));
		long k, valid = 0;

		if (!t || probe_sources_parse(argv[i], &id, &count, err,
					      sizeof(err)) != 0 || count != 1) {
			fprintf(stderr, "probecost: %s: %s\n", argv[i],
				t ? err : "out of memory");
			free(t);
			return 2;
		}
		for (k = 0; k < n; k++) {
			uint64_t t0 = now_ns();

			memset(&r, 0, sizeof(r));
			probe_run_source(&cfg, id, &r);
			t[k] = now_ns() - t0;
			valid += r.valid;
		}
		qsort(t, (size_t)n, sizeof(*t), cmp_u64);
		printf("{\"source\":\"%s\",\"n\":%ld,\"p50_us\":%.2f,"
		       "\"p99_us\":%.2f,\"valid\":%ld}\n",
		       argv[i], n, (double)t[n / 2] / 1000.0,
		       (double)t[(long)((double)(n - 1) * 0.99)] / 1000.0,
		       valid);
		if (!r.valid)
			fprintf(stderr, "probecost: %s: %s\n", argv[i],
				r.error);
		free(t);
	}
	return 0;
}
