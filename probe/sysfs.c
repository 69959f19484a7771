/* SPDX-License-Identifier: MIT */
/*
 * The sysfs source: the kernel's own word in <root>/power.
 *
 * "mem" in power/state is whatever power/mem_sleep selects (since 4.10),
 * often s2idle, which is no S3: "mem" counts as S3 only where mem_sleep
 * offers "deep", or where mem_sleep does not exist (older kernels, where
 * mem was always S3).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe_internal.h"

#define SYSFS_FILE_MAX 512

/* Returns 0, or -errno. A sysfs attribute is one short read. */
static int read_attr(const char *root, const char *name, char *buf,
		     size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, e;

	if (snprintf(path, sizeof(path), "%s/power/%s", root, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf, len - 1);
	} while (n < 0 && errno == EINTR);
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	return 0;
}

/*
 * True when word is one of the whitespace-separated tokens of list, bare
 * or as the selected one in brackets ("[deep]").
 */
static bool has_token(const char *list, const char *word)
{
	size_t wlen = strlen(word);
	const char *p = list;

	while (*p) {
		size_t n;

		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (n == 0)
			break;
		if ((n == wlen && !strncmp(p, word, wlen)) ||
		    (n == wlen + 2 && p[0] == '[' && p[n - 1] == ']' &&
		     !strncmp(p + 1, word, wlen)))
			return true;
		p += n;
	}
	return false;
}

void probe_sysfs_read_state(const char *root, struct probe_result *out)
{
	char state[SYSFS_FILE_MAX], mem_sleep[SYSFS_FILE_MAX],
		disk[SYSFS_FILE_MAX];
	bool mem, hib, disk_known = false;
	int rc;

	out->source = PROBE_SOURCE_SYSFS;
	rc = read_attr(root, "state", state, sizeof(state));
	if (rc) {
		probe_fail(out, "cannot read %s/power/state: %s", root,
			   strerror(-rc));
		return;
	}

	mem = has_token(state, "mem");
	if (mem) {
		rc = read_attr(root, "mem_sleep", mem_sleep, sizeof(mem_sleep));
		if (rc == 0)
			mem = has_token(mem_sleep, "deep");
		else if (rc != -ENOENT) {
			probe_fail(out, "cannot read %s/power/mem_sleep: %s",
				   root, strerror(-rc));
			return;
		}
	}

	hib = has_token(state, "disk");
	disk[0] = '\0';
	if (hib) {
		rc = read_attr(root, "disk", disk, sizeof(disk));
		if (rc == 0) {
			hib = !has_token(disk, "disabled");
			disk_known = true;
		} else if (rc != -ENOENT) {
			probe_fail(out, "cannot read %s/power/disk: %s", root,
				   strerror(-rc));
			return;
		}
	}

	out->valid = true;
	out->s3 = mem ? PM_YES : PM_NO;
	out->s4 = hib ? PM_YES : PM_NO;
	if (!hib)
		out->hybrid = PM_NO;
	else if (!disk_known)
		out->hybrid = PM_UNKNOWN;
	else
		out->hybrid = has_token(disk, "suspend") ? PM_YES : PM_NO;
}
