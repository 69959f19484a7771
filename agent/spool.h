/* SPDX-License-Identifier: MIT */
/* The spool file: the fragment for legacy scripts, replaced atomically. */
#ifndef HOSTPMD_SPOOL_H
#define HOSTPMD_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Makes path hold exactly text: a temporary file in the same folder is
 * written, synced and renamed over it (mode 0644), so a reader sees the
 * old bytes or the new, never a mix. text == NULL removes the file (the
 * query failed: no element); a file already absent is no error. Whether
 * a write is needed at all is the caller's decision (publish.c). Returns
 * 0, or -1 with a one-line reason in err; the old file is then left whole.
 * It logs nothing and keeps no state, so it may run in a thread of its
 * own (spooler.c).
 */
int spool_update(const char *path, const char *text, char *err,
		 size_t errlen);

/*
 * Removes, and logs, the temporary files a run left in path's folder
 * when it stopped between creating one and renaming it: regular files
 * named path.tmp. and six letters or digits; nothing else, and nothing
 * through a symlink. Call it while no spool_update() of this process is
 * under way. false when the folder cannot be read (the write that
 * follows says why).
 */
bool spool_remove_leftovers(const char *path);

#endif
