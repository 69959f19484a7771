/* SPDX-License-Identifier: MIT */
/*
 * A result as the sources fill it in: marked failed, reasons added, and
 * compared. Below the sources and probe.c, which both call it; it calls
 * nothing of theirs.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capability.h"
#include "probe_internal.h"

void probe_fail(struct probe_result *out, const char *fmt, ...)
{
	va_list ap;

	/* Nothing half-learnt survives a failed query. */
	out->valid = false;
	PM_FOR_EACH_CAPABILITY(c)
		pm_capability_set(out, c, PM_UNKNOWN);
	out->has_suspend_stats = false;
	out->suspend_success = out->suspend_fail = 0;
	out->policy[0] = '\0';
	out->reason[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(out->error, sizeof(out->error), fmt, ap);
	va_end(ap);
}

void probe_reason(struct probe_result *out, const char *fmt, ...)
{
	size_t used = strlen(out->reason);
	va_list ap;

	if (used && used + 2 < sizeof(out->reason)) {
		memcpy(out->reason + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= sizeof(out->reason))
		return;
	va_start(ap, fmt);
	vsnprintf(out->reason + used, sizeof(out->reason) - used, fmt, ap);
	va_end(ap);
}

bool probe_result_same_answer(const struct probe_result *a,
			      const struct probe_result *b)
{
	if (a->valid != b->valid)
		return false;
	if (!a->valid)
		return true;
	PM_FOR_EACH_CAPABILITY(c)
		if (pm_capability_in_fragment(c) &&
		    pm_capability_get(a, c) != pm_capability_get(b, c))
			return false;
	return true;
}
