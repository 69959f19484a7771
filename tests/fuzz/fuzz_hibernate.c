/* SPDX-License-Identifier: MIT */
/*
 * Whether hibernation could work now: power/resume, /proc/swaps and
 * /proc/meminfo, one NUL-separated section of the input each, read by the
 * check the sysfs source runs where it offers S4.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "probe_internal.h"

static const char *const files[] = {
	"sys/power/resume",
	"proc/swaps",
	"proc/meminfo",
};

/* Active(anon) as the kernel writes it, or false when meminfo lacks it. */
static bool active_anon(const char *meminfo, unsigned long long *kib)
{
	static const char key[] = "Active(anon):";
	const char *line;

	for (line = meminfo; line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, key, sizeof(key) - 1)) {
			line += sizeof(key) - 1;
			line += strspn(line, " \t");
			*kib = strtoull(line, NULL, 10);
			return *line >= '0' && *line <= '9';
		}
	}
	return false;
}

/*
 * A "yes" needs a swap area whose free space holds Active(anon) with 2%
 * to spare, in exact arithmetic. Any line of /proc/swaps will do here
 * (whichever the check chose is one of them), so this only fails when no
 * area could hold it. Left out where \r, \v or \f would split fields
 * differently for sscanf than for the kernel's format.
 */
static void check_room(const char *swaps, const char *meminfo)
{
	unsigned long long anon, size, used;
	const char *line;
	bool room = false;

	if (strpbrk(swaps, "\r\v\f") || !active_anon(meminfo, &anon))
		return;
	for (line = strchr(swaps, '\n'); line; line = strchr(line + 1, '\n'))
		if (sscanf(line + 1, "%*s %*s %llu %llu", &size, &used) == 2 &&
		    (unsigned __int128)anon * 100 <=
			    (unsigned __int128)(used < size ? size - used : 0) * 98)
			room = true;
	FUZZ_CHECK(room);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_result r;
	char sys[4096], proc[4096];

	fuzz_tree_fill(files, sizeof(files) / sizeof(files[0]), data, size);
	snprintf(sys, sizeof(sys), "%s/sys", fuzz_tree());
	snprintf(proc, sizeof(proc), "%s/proc", fuzz_tree());

	memset(&r, 0, sizeof(r));
	probe_hibernate_check(sys, proc, &r);
	FUZZ_CHECK(FUZZ_TERMINATED(r.reason));
	FUZZ_CHECK(r.hibernate_ready == PM_YES || r.hibernate_ready == PM_NO ||
		   r.hibernate_ready == PM_UNKNOWN);
	/* A reason for anything short of yes, and none for yes. */
	FUZZ_CHECK((r.hibernate_ready == PM_YES) == !r.reason[0]);
	/* The check adds to a result; it decides nothing else. */
	FUZZ_CHECK(!r.valid && !r.error[0] && r.s3 == PM_UNKNOWN &&
		   r.s4 == PM_UNKNOWN && !r.has_suspend_stats);
	if (r.hibernate_ready == PM_YES) {
		char *text = fuzz_string(data, size);
		const char *swaps = text + strlen(text) + 1;

		/* A yes means three sections: resume, swaps, meminfo. */
		check_room(swaps, swaps + strlen(swaps) + 1);
		free(text);
	}
	return 0;
}
