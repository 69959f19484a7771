/* SPDX-License-Identifier: MIT */
/*
 * Whether hibernation could work now, as logind judges it before it lets
 * anyone hibernate: a resume device the booting kernel will look at, and
 * a swap area (a file or a partition: zram is memory, and cannot hold an
 * image of memory) with room for the active anonymous memory.
 *
 * logind picks one swap area, the one of highest priority and, among
 * those, the one with the most free space, and wants Active(anon) to fit
 * in 98% of its free space. So does this check. (When /sys/power/resume
 * names a swap area logind uses that one instead; telling which one it is
 * takes a stat() of each device, which a fake tree cannot answer, and on a
 * host with one swap area it changes nothing.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_internal.h"

#define PROC_FILE_MAX 4096
#define KIB_PER_GIB (1024.0 * 1024.0)

/* Up to max whitespace-separated fields of one line, in place. */
static size_t split_fields(char *line, char **field, size_t max)
{
	size_t n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \t", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t", &save))
		field[n++] = tok;
	return n;
}

static bool parse_u64(const char *text, unsigned long long *out)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	*out = strtoull(text, &end, 10);
	return errno == 0 && *end == '\0';
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

struct swap_choice {
	bool found;
	bool saw_zram;
	long priority;
	unsigned long long free_kib;
};

/*
 * One line of /proc/swaps: "Filename Type Size Used Priority", sizes in
 * KiB, spaces in names escaped as \040.
 */
static void consider_swap(char *line, struct swap_choice *best)
{
	char *f[5];
	unsigned long long size, used, free_kib;
	long priority;
	char *end;

	if (split_fields(line, f, 5) != 5 || !parse_u64(f[2], &size) ||
	    !parse_u64(f[3], &used))
		return;
	errno = 0;
	priority = strtol(f[4], &end, 10);
	if (errno || *end)
		return;
	if (!strcmp(f[1], "partition")) {
		if (!strncmp(f[0], "/dev/zram", 9)) {
			best->saw_zram = true;
			return;
		}
	} else if (!strcmp(f[1], "file")) {
		/* A swap file deleted while in use holds nothing on resume. */
		if (ends_with(f[0], "\\040(deleted)"))
			return;
	} else {
		return;
	}
	free_kib = used < size ? size - used : 0;
	if (best->found && (priority < best->priority ||
			    (priority == best->priority &&
			     free_kib <= best->free_kib)))
		return;
	best->found = true;
	best->priority = priority;
	best->free_kib = free_kib;
}

/* Returns 0, or -errno (-ENOENT: the kernel has no swap at all). */
static int choose_swap(const char *proc_root, struct swap_choice *best)
{
	char text[PROC_FILE_MAX];
	char *line, *save = NULL;
	bool header = true;
	int rc;

	memset(best, 0, sizeof(*best));
	rc = probe_read_under(proc_root, "swaps", text, sizeof(text));
	if (rc)
		return rc;
	/* A full buffer may end in half a line: leave that line out. */
	if (strlen(text) == sizeof(text) - 1) {
		char *last = strrchr(text, '\n');

		if (last)
			last[1] = '\0';
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (header) {
			header = false;
			continue;
		}
		consider_swap(line, best);
	}
	return 0;
}

/* Returns 0 with Active(anon) in KiB, or -1. */
static int active_anon_kib(const char *meminfo, unsigned long long *kib)
{
	static const char key[] = "Active(anon):";
	const char *p = meminfo;

	while (p && *p) {
		if (!strncmp(p, key, sizeof(key) - 1)) {
			char *end;

			p += sizeof(key) - 1;
			p += strspn(p, " \t");
			if (*p < '0' || *p > '9')
				return -1;
			errno = 0;
			*kib = strtoull(p, &end, 10);
			return errno ? -1 : 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* PM_YES, PM_NO or PM_UNKNOWN, adding a reason unless PM_YES. */
static enum pm_answer resume_device_set(const char *sys_root,
					struct probe_result *out)
{
	char resume[64];
	int rc = probe_read_under(sys_root, "power/resume", resume,
				  sizeof(resume));

	if (rc) {
		probe_reason(out, "cannot read power/resume: %s",
			     strerror(-rc));
		return PM_UNKNOWN;
	}
	resume[strcspn(resume, "\n")] = '\0';
	if (!strcmp(resume, "0:0") || !resume[0]) {
		probe_reason(out, "no resume device (power/resume is 0:0)");
		return PM_NO;
	}
	return PM_YES;
}

static enum pm_answer swap_big_enough(const char *proc_root,
				      struct probe_result *out)
{
	char meminfo[PROC_FILE_MAX];
	struct swap_choice swap;
	unsigned long long anon;
	int rc;

	rc = choose_swap(proc_root, &swap);
	if (rc == -ENOENT) {
		probe_reason(out, "no swap (no %s/swaps)", proc_root);
		return PM_NO;
	}
	if (rc) {
		probe_reason(out, "cannot read %s/swaps: %s", proc_root,
			     strerror(-rc));
		return PM_UNKNOWN;
	}
	if (!swap.found) {
		probe_reason(out, swap.saw_zram ?
				  "no swap file or partition (zram does not count)" :
				  "no swap file or partition");
		return PM_NO;
	}
	rc = probe_read_under(proc_root, "meminfo", meminfo, sizeof(meminfo));
	if (rc) {
		probe_reason(out, "cannot read %s/meminfo: %s", proc_root,
			     strerror(-rc));
		return PM_UNKNOWN;
	}
	if (active_anon_kib(meminfo, &anon)) {
		probe_reason(out, "no Active(anon) in %s/meminfo", proc_root);
		return PM_UNKNOWN;
	}
	/*
	 * logind's threshold: 98% of the free space, in whole numbers, as
	 * anon * 100 > free * 98 without the products, which wrap for the
	 * numbers a file can hold (and then said yes to 176 EiB).
	 */
	if (anon > swap.free_kib / 50 * 49 + swap.free_kib % 50 * 49 / 50) {
		probe_reason(out,
			     "no swap large enough for %.1f GiB of anonymous memory",
			     (double)anon / KIB_PER_GIB);
		return PM_NO;
	}
	return PM_YES;
}

void probe_hibernate_check(const char *sys_root, const char *proc_root,
			   struct probe_result *out)
{
	enum pm_answer resume = resume_device_set(sys_root, out);
	enum pm_answer swap = swap_big_enough(proc_root, out);

	if (resume == PM_NO || swap == PM_NO)
		out->hibernate_ready = PM_NO;
	else if (resume == PM_UNKNOWN || swap == PM_UNKNOWN)
		out->hibernate_ready = PM_UNKNOWN;
	else
		out->hibernate_ready = PM_YES;
}
