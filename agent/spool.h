/* SPDX-License-Identifier: MIT */
/* The spool file: the fragment for legacy scripts, replaced atomically. */
#ifndef HOSTPMD_SPOOL_H
#define HOSTPMD_SPOOL_H

#include <stddef.h>

/*
 * Makes path hold exactly text: nothing is done when it already does;
 * otherwise a temporary file in the same folder is written, synced and
 * renamed over it (mode 0644), so a reader sees the old bytes or the new,
 * never a mix. text == NULL removes the file (the query failed: no element).
 * Returns 1 when the file changed, 0 when it already matched, -1 on error
 * with a one-line reason in err; the old file is then left whole.
 */
int spool_update(const char *path, const char *text, char *err,
		 size_t errlen);

#endif
