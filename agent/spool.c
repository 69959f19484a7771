/* SPDX-License-Identifier: MIT */
/* The spool file, replaced by a rename so that a reader never sees half. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "spool.h"

#define SPOOL_MAX 4096
/*
 * A temporary file is the spool file's name, TMP_INFIX and mkostemp's
 * six random letters and digits: the template that writes it and the
 * pattern that finds one left by a crash are made of the same two.
 */
#define TMP_INFIX ".tmp."
#define TMP_RANDOM "XXXXXX"

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

/* The folder path is in, into dir (PATH_MAX bytes); returns path's
 * last component. */
static const char *split_path(const char *path, char *dir)
{
	const char *slash = strrchr(path, '/');

	snprintf(dir, PATH_MAX, "%s", path);
	if (!slash) {
		snprintf(dir, PATH_MAX, ".");
		return path;
	}
	if (slash == path)
		dir[1] = '\0';
	else if ((size_t)(slash - path) < PATH_MAX)
		dir[slash - path] = '\0';
	return slash + 1;
}

static int sync_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd, rc;

	split_path(path, dir);
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

	if (snprintf(tmp, sizeof(tmp), "%s" TMP_INFIX TMP_RANDOM, path) >=
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

/* Whether name is base TMP_INFIX and six ASCII letters or digits. */
static bool is_temporary_of(const char *name, const char *base)
{
	size_t base_len = strlen(base), infix_len = strlen(TMP_INFIX);
	const char *random;

	if (strncmp(name, base, base_len) != 0 ||
	    strncmp(name + base_len, TMP_INFIX, infix_len) != 0)
		return false;
	random = name + base_len + infix_len;
	if (strlen(random) != strlen(TMP_RANDOM))
		return false;
	for (; *random; random++)
		if (!((*random >= 'a' && *random <= 'z') ||
		      (*random >= 'A' && *random <= 'Z') ||
		      (*random >= '0' && *random <= '9')))
			return false;
	return true;
}

/*
 * Removes what a run that stopped between mkostemp and rename (a crash, a
 * SIGKILL, a power cut) left: regular files named as spool_replace names
 * its temporary files, in path's folder, and nothing else. No entry is
 * followed: a symlink, a folder or a FIFO of such a name is left alone
 * (hostpmd never makes one), and unlinkat removes a name, never what a
 * link points to. Each removal is logged; a folder that cannot be read
 * is left to the write that follows, which says why, and false returned.
 */
bool spool_remove_leftovers(const char *path)
{
	char dir[PATH_MAX];
	const char *base = split_path(path, dir);
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return false;
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (!is_temporary_of(e->d_name, base) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			snmp_log(LOG_NOTICE, "spool: removed %s/%s, a temporary file left by an earlier run\n",
				 dir, e->d_name);
		else
			snmp_log(LOG_WARNING, "spool: cannot remove %s/%s, a temporary file left by an earlier run: %s\n",
				 dir, e->d_name, strerror(errno));
	}
	closedir(d);
	return true;
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
