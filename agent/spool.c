/* SPDX-License-Identifier: MIT */
/* The spool file, replaced by a rename so that a reader never sees half. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"

#define SPOOL_MAX 4096

static int write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

static int sync_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd, rc;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int spool_replace(const char *path, const char *text, char *err,
			 size_t errlen)
{
	char tmp[PATH_MAX];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >=
	    (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	/*
	 * mkostemp creates with O_CREAT|O_EXCL, which never follows a
	 * symlink: a link planted at the temporary name makes it try
	 * another name, and nothing is written through it.
	 */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
			 strerror(errno));
		return -1;
	}
	/* Whatever the umask, readers must be able to read it. */
	if (fchmod(fd, 0644) != 0 || write_all(fd, text, strlen(text)) != 0 ||
	    fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* The rename itself must survive a crash too. */
	sync_dir(path);
	return 0;
}

int spool_update(const char *path, const char *text, char *err,
		 size_t errlen)
{
	if (!text) {
		if (unlink(path) == 0) {
			sync_dir(path);
			return 0;
		}
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot remove %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (strlen(text) > SPOOL_MAX) {
		snprintf(err, errlen, "fragment of %zu bytes is too large",
			 strlen(text));
		return -1;
	}
	return spool_replace(path, text, err, errlen);
}
