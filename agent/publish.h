/* SPDX-License-Identifier: MIT */
/*
 * Where each new report arrives. Whether the effective answer changed is
 * decided here, once, and that one decision drives all that follows a
 * change: the log line, hostPmCapabilitiesChanged and the spool file.
 */
#ifndef HOSTPMD_PUBLISH_H
#define HOSTPMD_PUBLISH_H

#include "hostpm.h"

/*
 * A report from the probe child, with its fragment, to serve at once. When
 * the effective answer differs from the last one (probe_result_same_answer),
 * or for the first report: logs it, sends the notification (not for the
 * first) and writes the fragment to spool_file (removes it when the query
 * failed). Without a change the spool file is written only when it may not
 * hold the answer: its last write failed, or publish_spool_again() was
 * called.
 */
void publish_report(const struct probe_report *report, const char *fragment,
		    const char *spool_file);

/*
 * The probe settings in force, for the age past which the answer is
 * stale (table_stale_after_s): from then on row 1 is served as a failed query, and that change, like
 * any change of the answer, is logged, notified and removes the spool
 * file, at the moment it happens, with no report needed; the next report
 * is a change back. At start-up and after each SIGHUP.
 */
void publish_stale_after(unsigned int interval_s, unsigned int budget_s);

/* The probe program failed (why, as logged): hostPmError of a stale row
 * says so. Forgotten at the next report. */
void publish_probe_failed(const char *why);

/* The next report is written to the spool file, changed or not (a new
 * spoolFile or spoolFormat after SIGHUP). */
void publish_spool_again(void);

/* How the spool writer's last writes went (spooler_done_fn): a failure
 * is logged and counted, and the next report written again. */
void publish_spool_written(unsigned int failures, const char *err,
			   bool idle);

#endif
