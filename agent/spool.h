/* SPDX-License-Identifier: MIT */
/* The spool file: the fragment for legacy scripts, replaced atomically. */
#ifndef HOSTPMD_SPOOL_H
#define HOSTPMD_SPOOL_H

#include <stddef.h>

/*
 * Makes path hold exactly text: a temporary file in the same folder is
 * written, synced and renamed over it (mode 0644), so a reader sees the
 * old bytes or the new, never a mix. text == NULL removes the file (the
 * query failed: no element); a file already absent is no error. Whether
 * a write is needed at all is the caller's decision (publish.c). Returns
 * 0, or -1 with a one-line reason in err; the old file is then left whole.
 *
 * The first call for a path (at start-up, or for a new spoolFile) whose
 * folder can be read first removes, and logs, the temporary files an earlier run left in its
 * folder when it stopped between creating one and renaming it: regular
 * files named path.tmp. and six letters or digits; nothing else, and
 * nothing through a symlink.
 */
int spool_update(const char *path, const char *text, char *err,
		 size_t errlen);

#endif
