/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "capability.h"
#include "mib.h"
#include "publish.h"
#include "spool.h"

static struct probe_result last; /* the effective answer last published */
static bool have_last;
/* The spool file may not hold the last answer: nothing written yet, the
 * last write failed, or the settings changed. */
static bool spool_stale = true;

/* "capabilities from sysfs: S3 yes, S4 yes, hybrid no": the fragment's. */
static void log_answer(const struct probe_result *e)
{
	char line[256] = "";
	size_t used = 0;

	if (!e->valid) {
		snmp_log(LOG_WARNING, "power-management query failed: %s\n",
			 e->error);
		return;
	}
	PM_FOR_EACH_CAPABILITY(c) {
		int w;

		if (!pm_capability_in_fragment(c))
			continue;
		w = snprintf(line + used, sizeof(line) - used, "%s%s %s",
			     used ? ", " : "", c->label,
			     pm_answer_word(pm_capability_get(e, c)));
		if (w < 0 || (size_t)w >= sizeof(line) - used)
			break;
		used += (size_t)w;
	}
	snmp_log(LOG_INFO, "capabilities from %s: %s\n",
		 probe_source_name(e->source), line);
}

/* The fragment as hostpm-probe wrote it; NULL when the query failed. */
static void write_spool(const char *spool_file, const char *fragment)
{
	char err[512];

	if (spool_update(spool_file, fragment, err, sizeof(err)) != 0) {
		snmp_log(LOG_ERR, "spool: %s (the old file is kept; trying again at the next probe)\n",
			 err);
		mib_count_spool_failure();
		spool_stale = true;
		return;
	}
	spool_stale = false;
	DEBUGMSGTL(("hostpmd", "spool %s %s\n", spool_file,
		    fragment ? "written" : "removed"));
}

void publish_report(const struct probe_report *report, const char *fragment,
		    const char *spool_file)
{
	bool first = !have_last;
	bool changed = first ||
		       !probe_result_same_answer(&last, &report->effective);

	last = report->effective;
	have_last = true;
	mib_publish(report);
	if (changed) {
		log_answer(&last);
		if (!first)
			mib_notify_changed();
	}
	if (changed || spool_stale)
		write_spool(spool_file, last.valid ? fragment : NULL);
}

void publish_spool_again(void)
{
	spool_stale = true;
}
