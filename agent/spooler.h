/* SPDX-License-Identifier: MIT */
/*
 * The spool file written by a thread of its own: a write waits for the
 * disk (two fsyncs), and a busy or failing disk can make that seconds;
 * requests go on being answered meanwhile. The thread runs nothing but
 * spool_update() (spool.c); what it finds is handed back to the event
 * loop, which logs it.
 */
#ifndef HOSTPMD_SPOOLER_H
#define HOSTPMD_SPOOLER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Called in the event loop after writes end: failures is how many failed
 * since the last call (0: none did), err the last failure's reason; idle
 * is true when no write is in hand or waiting.
 */
typedef void (*spooler_done_fn)(unsigned int failures, const char *err,
				bool idle);

/* Starts the thread; 0, or -1 with a reason in err. */
int spooler_start(spooler_done_fn done, char *err, size_t errlen);

/*
 * Makes path hold text (NULL: removes it), as spool_update() does. Only
 * the latest request waits while one is being written: an older one
 * that never reached the disk would be replaced at once anyway. The
 * first request for a path clears its folder of the temporary files an
 * earlier run left (spool_remove_leftovers(), here in the event loop,
 * where it may log).
 */
void spooler_submit(const char *path, const char *text);

/* Writes what is in hand and waiting, then ends the thread and reports
 * the last outcomes through done. Nothing is lost at a stop. */
void spooler_stop(void);

#endif
