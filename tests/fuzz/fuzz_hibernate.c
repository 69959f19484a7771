/* SPDX-License-Identifier: MIT */
/*
 * Whether hibernation could work now: power/resume, /proc/swaps and
 * /proc/meminfo, one NUL-separated section of the input each, read by the
 * check the sysfs source runs where it offers S4.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "probe_internal.h"

static const char *const files[] = {
	"sys/power/resume",
	"proc/swaps",
	"proc/meminfo",
};

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
	return 0;
}
