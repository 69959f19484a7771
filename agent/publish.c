/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "capability.h"
#include "mib.h"
#include "publish.h"
#include "spooler.h"
#include "table.h"

static struct probe_result last; /* the effective answer last published */
static bool have_last;
/* The spool file may not hold the last answer: nothing written yet, the
 * last write failed, the settings changed, or a stale answer is fresh
 * again without a report. */
static bool spool_stale = true;
/* Where the last report's fragment went: an answer turning stale there
 * removes it. */
static char spool_path[4096];
/* Alarm at the moment the answer served turns stale; 0: none. */
static unsigned int stale_timer;

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

/*
 * The fragment as hostpm-probe wrote it; NULL when the query failed. The
 * write itself happens in the spool writer's thread: no request waits
 * for the disk. The file is taken to hold the answer from now on; a
 * failed write says otherwise (publish_spool_written).
 */
static void write_spool(const char *spool_file, const char *fragment)
{
	spooler_submit(spool_file, fragment);
	spool_stale = false;
	DEBUGMSGTL(("hostpmd", "spool %s: %s\n", spool_file,
		    fragment ? "writing" : "removing"));
}

void publish_spool_written(unsigned int failures, const char *err, bool idle)
{
	unsigned int i;

	if (failures) {
		snmp_log(LOG_ERR, "spool: %s (the old file is kept; trying again at the next probe)\n",
			 err);
		for (i = 0; i < failures; i++)
			mib_count_spool_failure();
		spool_stale = true;
	} else if (idle) {
		DEBUGMSGTL(("hostpmd", "spool %s written\n", spool_path));
	}
}

static void arm_stale_timer(long stale_at);

/*
 * The one decision: the effective answer as served now (fresh from a
 * report, or stale by age) against the last one published. fragment is
 * the report's, or NULL when no report came (the answer can then only
 * have turned stale).
 */
static void decide(const char *fragment)
{
	struct probe_result served;
	long stale_at;
	bool first = !have_last, changed;

	if (!mib_effective(&served, &stale_at))
		return;
	changed = first || !probe_result_same_answer(&last, &served);
	last = served;
	have_last = true;
	if (changed) {
		log_answer(&last);
		if (!first)
			mib_notify_changed();
	}
	if (fragment && (changed || spool_stale))
		write_spool(spool_path, last.valid ? fragment : NULL);
	else if (!fragment && changed && !last.valid)
		write_spool(spool_path, NULL);
	else if (!fragment && changed)
		/* Fresh again under a longer limit (SIGHUP): the fragment
		 * comes with the next report. */
		spool_stale = true;
	arm_stale_timer(stale_at);
}

static void on_stale(unsigned int reg, void *data)
{
	(void)reg;
	(void)data;
	stale_timer = 0;
	decide(NULL);
}

/*
 * No wake-up while reports come in time: each one moves the alarm on, so
 * it fires only for an answer that does turn stale.
 */
static void arm_stale_timer(long stale_at)
{
	struct timespec now;
	struct timeval delay = { 0, 1000 };

	if (stale_timer) {
		snmp_alarm_unregister(stale_timer);
		stale_timer = 0;
	}
	if (!stale_at)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* Already past: at once (the table tells by whole seconds). */
	if (now.tv_sec < stale_at) {
		delay.tv_sec = stale_at - now.tv_sec - 1;
		delay.tv_usec = (1000000000L - now.tv_nsec) / 1000 + 1;
		if (delay.tv_usec >= 1000000) {
			delay.tv_sec++;
			delay.tv_usec -= 1000000;
		}
	}
	stale_timer = snmp_alarm_register_hr(delay, 0, on_stale, NULL);
	if (!stale_timer)
		snmp_log(LOG_ERR, "cannot set the timer for a stale answer: a GET shows it, the spool file and the notification wait for the next report\n");
}

void publish_report(const struct probe_report *report, const char *fragment,
		    const char *spool_file)
{
	snprintf(spool_path, sizeof(spool_path), "%s", spool_file);
	mib_set_probe_trouble("");
	mib_publish(report);
	decide(fragment);
}

void publish_stale_after(unsigned int interval_s, unsigned int budget_s)
{
	mib_set_stale_after(table_stale_after_s(interval_s, budget_s));
	/* The alarm follows the new limit; an answer now past it turns
	 * stale at once. */
	if (have_last)
		decide(NULL);
}

void publish_probe_failed(const char *why)
{
	mib_set_probe_trouble(why);
}

void publish_spool_again(void)
{
	spool_stale = true;
}
