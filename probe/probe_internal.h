/* SPDX-License-Identifier: MIT */
/*
 * Shared by the probe library's own files; not installed, not public.
 * Calls point down only: probe.c calls the sources; the sources call the
 * helpers below them (spawn.c, textfile.c, result.c); no helper calls a
 * source or probe.c.
 */
#ifndef HOSTPM_PROBE_INTERNAL_H
#define HOSTPM_PROBE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "hostpm.h"

/* --- The sources, called by probe.c ------------------------------------ */

void probe_pmutils_query(const char *path, unsigned int timeout_ms,
			 int cancel_fd, struct probe_result *out);
void probe_sysfs_read_state(const char *sys_root, const char *proc_root,
			    struct probe_result *out);
void probe_logind_query(unsigned int timeout_ms, struct probe_result *out);

/*
 * hibernate.c, for the sysfs source: whether hibernation could work now,
 * for a host whose sysfs offers it:
 * sets out->hibernate_ready and, when it is not PM_YES, a reason.
 */
void probe_hibernate_check(const char *sys_root, const char *proc_root,
			   struct probe_result *out);

/*
 * True when <sys_root>/power/mem_sleep can be read and does not offer
 * "deep", so that "mem" is no ACPI S3 whatever a source says; why[] then
 * says what it offers.
 */
bool probe_sysfs_lacks_deep(const char *sys_root, char *why, size_t len);

/* --- Helpers below the sources ----------------------------------------- */

/* spawn.c. */
enum spawn_outcome {
	SPAWN_EXITED,    /* it ran and ended: *status says how */
	SPAWN_FAILED,    /* it could not be run or waited for: err says why */
	SPAWN_TIMED_OUT, /* the deadline passed: it was killed */
	SPAWN_CANCELLED, /* cancel_fd became readable: it was killed */
};

/*
 * Runs argv[0] (no shell, stdio on /dev/null, its own process group) and
 * waits for it until deadline (CLOCK_MONOTONIC); past it the whole group is
 * killed and reaped; so it is when cancel_fd (-1: none) becomes readable.
 */
enum spawn_outcome spawn_wait(char *const argv[],
			      const struct timespec *deadline, int cancel_fd,
			      int *status, char *err, size_t errlen);

/* True once cancel_fd (see struct probe_config) is readable. */
bool probe_cancelled(int cancel_fd);

/* textfile.c. */
/* A whole small file (at most len - 1 bytes of it), NUL-terminated.
 * Returns 0 or -errno. */
int probe_read_text(const char *path, char *buf, size_t len);
/* The same for root/rel ("/sys" and "power/state"). */
int probe_read_under(const char *root, const char *rel, char *buf,
		     size_t len);
/*
 * The one whitespace tokenizer of sysfs and procfs lists: the next word
 * of *p, without the brackets that mark the selected one ("[deep]" is
 * "deep"), in word[0..len); *p moves past it. False at the end.
 */
bool probe_next_word(const char **p, const char **word, size_t *len);
/* True when word is one of the words of list, bare or in brackets. */
bool probe_has_token(const char *list, const char *word);

/* result.c. */
/* probe_fail() is public (hostpm.h): hostpmd marks a stale answer failed. */
/* Adds one item to out->reason, "; "-separated. */
void probe_reason(struct probe_result *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
