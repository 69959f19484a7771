/* SPDX-License-Identifier: MIT */
/*
 * The ordered list of sources and the effective answer: above the sources,
 * which it calls, and above the result helpers (result.c) they share.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_internal.h"


void probe_run_source(const struct probe_config *cfg, enum probe_source_id id,
		      struct probe_result *out)
{
	memset(out, 0, sizeof(*out));
	out->source = id;
	if (probe_cancelled(cfg->cancel_fd)) {
		probe_fail(out, "cancelled");
		clock_gettime(CLOCK_MONOTONIC, &out->when);
		return;
	}
	switch (id) {
	case PROBE_SOURCE_PMUTILS:
		probe_pmutils_query(cfg->pm_is_supported, cfg->timeout_ms,
				    cfg->cancel_fd, out);
		break;
	case PROBE_SOURCE_SYSFS:
		probe_sysfs_read_state(cfg->sysfs_root, cfg->proc_root, out);
		break;
	case PROBE_SOURCE_LOGIND:
		probe_logind_query(cfg->timeout_ms, out);
		break;
	default:
		probe_fail(out, "unknown source %d", (int)id);
		break;
	}
	clock_gettime(CLOCK_MONOTONIC, &out->when);
}

/*
 * pm-is-supported and logind's CanSuspend say yes to "mem" whatever
 * mem_sleep selects, so a host offering s2idle only would show S3. The
 * kernel's word overrides them in the effective answer; each source's own
 * row keeps what it said.
 */
static void no_s3_without_deep(const struct probe_config *cfg,
			       struct probe_result *eff)
{
	char why[PROBE_ERROR_MAX], rest[sizeof(eff->reason)];

	if (eff->s3 == PM_NO ||
	    !probe_sysfs_lacks_deep(cfg->sysfs_root, why, sizeof(why)))
		return;
	eff->s3 = PM_NO;
	/* S3 is the first column, so its reason goes first. */
	memcpy(rest, eff->reason, sizeof(rest));
	eff->reason[0] = '\0';
	probe_reason(eff, "%s", why);
	if (rest[0])
		probe_reason(eff, "%s", rest);
}

void probe_run(const struct probe_config *cfg, struct probe_report *report)
{
	struct probe_result *eff = &report->effective;
	size_t i, used = 0;

	memset(report, 0, sizeof(*report));
	report->nrows = cfg->nsources;
	for (i = 0; i < cfg->nsources; i++)
		probe_run_source(cfg, cfg->sources[i], &report->rows[i]);

	for (i = 0; i < cfg->nsources; i++)
		if (report->rows[i].valid) {
			*eff = report->rows[i];
			no_s3_without_deep(cfg, eff);
			return;
		}

	probe_fail(eff, "no source answered");
	if (cfg->nsources) {
		eff->source = cfg->sources[0];
		eff->when = report->rows[0].when;
	}
	/* Every source failed: say why each did, in one line. */
	for (i = 0; i < cfg->nsources && used < sizeof(eff->error); i++) {
		int w = snprintf(eff->error + used, sizeof(eff->error) - used,
				 "%s%s: %s", i ? "; " : "",
				 probe_source_name(report->rows[i].source),
				 report->rows[i].error);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

