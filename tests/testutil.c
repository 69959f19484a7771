/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static void die(const char *what, const char *path)
{
	fprintf(stderr, "test fixture: %s %s: %s\n", what, path,
		strerror(errno));
	abort();
}

char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	if (asprintf(&dir, "%s/hostpm-test.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		abort();
	if (!mkdtemp(dir))
		die("mkdtemp", dir);
	return dir;
}

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tu_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_path(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		abort();
	return p;
}

static void mkparents(char *path)
{
	for (size_t i = 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			die("mkdir", path);
		path[i] = '/';
	}
}

void tu_write(const char *dir, const char *rel, const char *text, int mode)
{
	char *path = tu_path(dir, rel);
	size_t len = strlen(text);
	int fd;

	mkparents(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		die("open", path);
	if (write(fd, text, len) != (ssize_t)len)
		die("write", path);
	if (fchmod(fd, (mode_t)mode) != 0)
		die("chmod", path);
	if (close(fd) != 0)
		die("close", path);
	free(path);
}

void tu_fake_sysfs(const char *root, const char *state, const char *mem_sleep,
		   const char *disk)
{
	char *power = tu_path(root, "power");

	if (mkdir(power, 0755) != 0 && errno != EEXIST)
		die("mkdir", power);
	free(power);
	if (state)
		tu_write(root, "power/state", state, 0644);
	if (mem_sleep)
		tu_write(root, "power/mem_sleep", mem_sleep, 0644);
	if (disk)
		tu_write(root, "power/disk", disk, 0644);
}

char *tu_fake_pm(const char *dir, const char *suspend, const char *hibernate,
		 const char *hybrid)
{
	char *text;

	if (asprintf(&text,
		     "#!/bin/sh\n"
		     "case \"$1\" in\n"
		     "--suspend) %s ;;\n"
		     "--hibernate) %s ;;\n"
		     "--suspend-hybrid) %s ;;\n"
		     "*) exit 1 ;;\n"
		     "esac\n",
		     suspend, hibernate, hybrid) < 0)
		abort();
	tu_write(dir, "pm-is-supported", text, 0755);
	free(text);
	return tu_path(dir, "pm-is-supported");
}

long tu_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int tu_alive(int pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!p || !(p = strrchr(buf, ')')))
		return 0;
	return p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

int tu_setup_dir(void **state)
{
	*state = tu_mkdtemp();
	return 0;
}

int tu_teardown_dir(void **state)
{
	tu_rmtree(*state);
	free(*state);
	return 0;
}
