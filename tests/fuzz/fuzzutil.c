/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "testutil.h"

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: broken: %s\n", file, line, what);
	abort();
}

char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char *tree_root;

static void tree_remove(void)
{
	tu_rmtree(tree_root);
	free(tree_root);
	tree_root = NULL;
}

const char *fuzz_tree(void)
{
	if (!tree_root) {
		tree_root = tu_mkdtemp();
		if (atexit(tree_remove) != 0)
			abort();
	}
	return tree_root;
}

/* Whatever the last input left at path (a file, a folder or nothing) goes. */
static void clear(const char *path)
{
	if (unlink(path) == 0 || errno == ENOENT)
		return;
	if (errno == EISDIR && rmdir(path) == 0)
		return;
	fprintf(stderr, "fuzz tree: cannot remove %s: %s\n", path,
		strerror(errno));
	abort();
}

/*
 * path's content is text; its folders are made only when missing, since
 * tu_write's mkdir of every parent would cost more than the parse.
 */
static void put_file(const char *root, const char *rel, const char *path,
		     const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 && errno == EISDIR) {
		clear(path);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd < 0 && errno == ENOENT) {
		tu_write(root, rel, text, 0644);
		return;
	}
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0) {
		fprintf(stderr, "fuzz tree: cannot write %s: %s\n", path,
			strerror(errno));
		abort();
	}
}

void fuzz_tree_fill(const char *const rel[], size_t n, const uint8_t *data,
		    size_t size)
{
	const char *root = fuzz_tree();
	char *text = fuzz_string(data, size), *section = text;
	const char *end = text + size;
	size_t i;

	for (i = 0; i < n; i++) {
		char *path = tu_path(root, rel[i]);

		if (!section || !strcmp(section, "-")) {
			clear(path);
		} else if (!strcmp(section, "/")) {
			/* tu_write makes the parents of a file, not of a folder. */
			put_file(root, rel[i], path, "");
			clear(path);
			if (mkdir(path, 0755) != 0) {
				fprintf(stderr, "fuzz tree: mkdir %s: %s\n",
					path, strerror(errno));
				abort();
			}
		} else {
			put_file(root, rel[i], path, section);
		}
		free(path);
		/* The next section starts after this one's NUL, if any. */
		if (section)
			section += strlen(section);
		section = section && section < end ? section + 1 : NULL;
	}
	free(text);
}
