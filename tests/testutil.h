/* SPDX-License-Identifier: MIT */
/* Fixtures the unit tests build for themselves: temporary folders, fake
 * sysfs trees and fake pm-is-supported scripts. */
#ifndef HOSTPM_TESTUTIL_H
#define HOSTPM_TESTUTIL_H

#include <stddef.h>

/* A new empty folder under $TMPDIR; aborts the test run if it cannot. */
char *tu_mkdtemp(void);
/* cmocka set-up and tear-down: *state is a fresh folder, then removed. */
int tu_setup_dir(void **state);
int tu_teardown_dir(void **state);
/* Removes a folder and everything below it. */
void tu_rmtree(const char *dir);
/* Writes dir/rel (making parent folders) with text and mode. */
void tu_write(const char *dir, const char *rel, const char *text, int mode);
/* A fake <root>/power tree; a NULL attribute is left out. */
void tu_fake_sysfs(const char *root, const char *state, const char *mem_sleep,
		   const char *disk);
/*
 * A fake pm-is-supported in dir whose answer to each option is a line of
 * shell ("exit 0"); returns its malloc'd path.
 */
char *tu_fake_pm(const char *dir, const char *suspend, const char *hibernate,
		 const char *hybrid);
/* dir/name as a malloc'd path. */
char *tu_path(const char *dir, const char *name);
/* True while pid runs (a zombie counts as ended). */
int tu_alive(int pid);
/* Milliseconds on the monotonic clock. */
long tu_now_ms(void);

#endif
