/* SPDX-License-Identifier: MIT */
/*
 * The sysfs source over a fake tree: power/state, mem_sleep, disk, resume,
 * suspend_stats, and the /proc/swaps and /proc/meminfo its hibernation
 * check reads, one NUL-separated section of the input each (in the order
 * of files[] below), through the same functions a probe calls.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "probe_internal.h"

static const char *const files[] = {
	"sys/power/state",
	"sys/power/mem_sleep",
	"sys/power/disk",
	"sys/power/resume",
	"sys/power/suspend_stats/success",
	"sys/power/suspend_stats/fail",
	"proc/swaps",
	"proc/meminfo",
};

static bool known(enum pm_answer a)
{
	return a == PM_UNKNOWN || a == PM_NO || a == PM_YES;
}

/* What every result promises, whatever the files held. */
static void check_result(const struct probe_result *r)
{
	FUZZ_CHECK(r->source == PROBE_SOURCE_SYSFS);
	FUZZ_CHECK(FUZZ_TERMINATED(r->error));
	FUZZ_CHECK(FUZZ_TERMINATED(r->reason));
	FUZZ_CHECK(FUZZ_TERMINATED(r->policy));
	FUZZ_CHECK(known(r->s3) && known(r->s4) && known(r->hybrid) &&
		   known(r->suspend_to_idle) && known(r->standby) &&
		   known(r->suspend_then_hibernate) &&
		   known(r->hibernate_ready));
	FUZZ_CHECK(!r->policy[0]);
	/* Suspend-then-hibernate is logind's, never the kernel's. */
	FUZZ_CHECK(r->suspend_then_hibernate == PM_UNKNOWN);
	if (!r->valid) {
		/* A failed query says why and claims nothing. */
		FUZZ_CHECK(r->error[0]);
		FUZZ_CHECK(r->s3 == PM_UNKNOWN && r->s4 == PM_UNKNOWN &&
			   r->hybrid == PM_UNKNOWN);
		FUZZ_CHECK(!r->has_suspend_stats);
		return;
	}
	FUZZ_CHECK(!r->error[0]);
	FUZZ_CHECK(r->s3 != PM_UNKNOWN && r->s4 != PM_UNKNOWN);
	FUZZ_CHECK(r->suspend_to_idle != PM_UNKNOWN &&
		   r->standby != PM_UNKNOWN);
	if (r->s4 == PM_NO)
		FUZZ_CHECK(r->hybrid == PM_NO && r->hibernate_ready == PM_NO);
	/* Every "no" has its reason. */
	if (r->s3 == PM_NO || r->s4 == PM_NO)
		FUZZ_CHECK(r->reason[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_result r;
	char sys[4096], proc[4096], why[PROBE_ERROR_MAX];
	bool lacks_deep;

	fuzz_tree_fill(files, sizeof(files) / sizeof(files[0]), data, size);
	snprintf(sys, sizeof(sys), "%s/sys", fuzz_tree());
	snprintf(proc, sizeof(proc), "%s/proc", fuzz_tree());

	memset(&r, 0, sizeof(r));
	probe_sysfs_read_state(sys, proc, &r);
	check_result(&r);

	/* The effective row's S3 rule reads mem_sleep on its own. */
	why[0] = '\0';
	lacks_deep = probe_sysfs_lacks_deep(sys, why, sizeof(why));
	FUZZ_CHECK(FUZZ_TERMINATED(why));
	if (lacks_deep) {
		FUZZ_CHECK(!strncmp(why, "mem_sleep offers ", 17));
		FUZZ_CHECK(r.s3 != PM_YES);
	}
	return 0;
}
