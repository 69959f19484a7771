/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): each defines
 * LLVMFuzzerTestOneInput, run by libFuzzer (make fuzz) or by replay.c over
 * files (make check replays the corpus and every input that once failed).
 */
#ifndef HOSTPM_FUZZ_H
#define HOSTPM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A broken promise of the code under test is a finding like a crash:
 * abort, so that libFuzzer keeps the input and a replay fails.
 */
#define FUZZ_CHECK(cond) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))
void fuzz_fail(const char *file, int line, const char *what)
	__attribute__((noreturn));

/* The input as a malloc'd NUL-terminated string (cut at its first NUL). */
char *fuzz_string(const uint8_t *data, size_t size);

/* True when s is NUL-terminated within len bytes. */
#define FUZZ_TERMINATED(s) (memchr((s), '\0', sizeof(s)) != NULL)

/*
 * A folder of fake files made once per process and removed at exit, for
 * the parsers that read by path. fuzz_tree_fill() writes rel[i] (a path
 * under the folder) from the input's i-th NUL-separated section: a section
 * of "-" alone, or none, leaves the file out (as tests/testlib.bash's
 * fake_sysfs does), one of "/" alone makes it a folder (which cannot be
 * read), anything else is its content.
 */
const char *fuzz_tree(void);
void fuzz_tree_fill(const char *const rel[], size_t n, const uint8_t *data,
		    size_t size);

#endif
