/* SPDX-License-Identifier: MIT */
/*
 * The small text files of sysfs and procfs: read whole into a buffer, and
 * searched for whole words. No stdio: these run on every probe, and the
 * sysfs probe is meant to stay well under 100 microseconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe_internal.h"

int probe_read_text(const char *path, char *buf, size_t len)
{
	size_t used = 0;
	int fd, e;

	if (len == 0)
		return -ENOBUFS;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	/* procfs files can come in more than one read; sysfs in one. */
	while (used < len - 1) {
		ssize_t n = read(fd, buf + used, len - 1 - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return 0;
}

int probe_read_under(const char *root, const char *rel, char *buf,
		     size_t len)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", root, rel) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return probe_read_text(path, buf, len);
}

bool probe_next_word(const char **p, const char **word, size_t *len)
{
	size_t n;

	*p += strspn(*p, " \t\n");
	n = strcspn(*p, " \t\n");
	if (n == 0)
		return false;
	*word = *p;
	*len = n;
	*p += n;
	/* sysfs marks the selected mode: "[deep]" is "deep". */
	if (n >= 2 && (*word)[0] == '[' && (*word)[n - 1] == ']') {
		(*word)++;
		*len -= 2;
	}
	return true;
}

bool probe_has_token(const char *list, const char *word)
{
	size_t wlen = strlen(word), n;
	const char *w;

	while (probe_next_word(&list, &w, &n))
		if (n == wlen && !strncmp(w, word, wlen))
			return true;
	return false;
}
