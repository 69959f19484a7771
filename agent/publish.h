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

/* The next report is written to the spool file, changed or not (a new
 * spoolFile or spoolFormat after SIGHUP). */
void publish_spool_again(void);

#endif
