/* SPDX-License-Identifier: MIT */
/*
 * hostpm probe library: asks a host which power states it can enter.
 *
 * The three states of a query are kept apart everywhere:
 *   valid with features   the query succeeded and something is supported
 *   valid with none       the query succeeded and nothing is supported
 *   invalid               the query itself failed (error[] says why)
 * This header knows nothing of SNMP; nothing here logs or exits.
 */
#ifndef HOSTPM_H
#define HOSTPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#define HOSTPM_VERSION "0.1.0"

/* A capability as one source sees it. */
enum pm_answer {
	PM_UNKNOWN = 0, /* the source cannot tell */
	PM_NO,
	PM_YES,
};

/* Numbered in the order they were added; the default order is elsewhere. */
enum probe_source_id {
	PROBE_SOURCE_PMUTILS,
	PROBE_SOURCE_SYSFS,
	PROBE_SOURCE_LOGIND,
	PROBE_SOURCE_COUNT
};

#define PROBE_MAX_SOURCES 8
#define PROBE_ERROR_MAX 256

struct probe_result {
	bool valid;
	enum pm_answer s3;
	enum pm_answer s4;
	enum pm_answer hybrid;
	/* States beyond S3, S4 and hybrid; PM_UNKNOWN where the source cannot
	 * tell. */
	enum pm_answer suspend_to_idle;        /* freeze / s2idle */
	enum pm_answer standby;                /* standby / shallow, ACPI S1 */
	enum pm_answer suspend_then_hibernate;
	enum pm_answer hibernate_ready;        /* could hibernate work now */
	/* /sys/power/suspend_stats, where the source read it. */
	bool has_suspend_stats;
	unsigned long suspend_success;
	unsigned long suspend_fail;
	/* logind's own answers, e.g. "suspend=challenge hibernate=na"; empty
	 * for sources without a policy. */
	char policy[128];
	/* Why a capability is false or absent, one short line; may be empty. */
	char reason[PROBE_ERROR_MAX];
	enum probe_source_id source;
	struct timespec when; /* CLOCK_MONOTONIC, end of the query */
	char error[PROBE_ERROR_MAX];
};

/*
 * The fragment's vocabulary: libvirt's 2011 host power-management names
 * (<S3/>, <S4/>) or today's libvirt (<suspend_mem/> ...).
 */
enum pm_dialect {
	PM_DIALECT_LIBVIRT_2011,
	PM_DIALECT_LIBVIRT,
	PM_DIALECT_COUNT
};

struct probe_config {
	enum probe_source_id sources[PROBE_MAX_SOURCES];
	size_t nsources;
	char sysfs_root[4096];
	char proc_root[4096];       /* /proc, for swap and memory */
	char pm_is_supported[4096]; /* empty: looked up on PATH */
	unsigned int timeout_ms;    /* per source */
	/*
	 * -1, or an fd that becomes readable when a probe under way must give
	 * up at once: its helper programs are killed, the rest of its sources
	 * fail as cancelled. hostpm-probe's signalfd for SIGTERM and SIGINT.
	 */
	int cancel_fd;
};

/* The effective answer and one row per configured source, in order. */
struct probe_report {
	struct probe_result effective;
	struct probe_result rows[PROBE_MAX_SOURCES];
	size_t nrows;
};

#define PROBE_DEFAULT_TIMEOUT_MS 5000u
#define PROBE_DEFAULT_SYSFS_ROOT "/sys"
#define PROBE_DEFAULT_PROC_ROOT "/proc"
#define PROBE_DEFAULT_SOURCES "logind,pm-utils,sysfs"

void probe_config_init(struct probe_config *cfg);

const char *probe_source_name(enum probe_source_id id);

/* Parses "logind,pm-utils,sysfs". Returns 0, or -1 with a message in err. */
int probe_sources_parse(const char *list, enum probe_source_id *out,
			size_t *n, char *err, size_t errlen);
/* Formats the list back, comma-separated. */
void probe_sources_format(const enum probe_source_id *ids, size_t n,
			  char *buf, size_t len);

/*
 * Parses a timeout in seconds ("5", "0.5"), at least 1 ms and at most one
 * hour. Returns 0, or -1 with a message in err.
 */
int probe_timeout_parse(const char *text, unsigned int *ms, char *err,
			size_t errlen);

void probe_run_source(const struct probe_config *cfg, enum probe_source_id id,
		      struct probe_result *out);

/*
 * Runs every configured source in order. The effective answer is the first
 * one whose query succeeded; if none did, it is invalid and its error joins
 * the sources' errors. Where <sysfs_root>/power/mem_sleep can be read and
 * does not offer "deep", the effective S3 is PM_NO whatever the answering
 * source said (its own row keeps its raw answer). It touches no global
 * state.
 */
void probe_run(const struct probe_config *cfg, struct probe_report *report);

/*
 * Marks out as failed, as a source whose query failed does: every answer
 * unknown, no counters, policy or reason, error[] from fmt.
 */
void probe_fail(struct probe_result *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * True when two results give the same answer: both failed, or both
 * succeeded with the same word for every capability of the fragment
 * (capability.h), so that neither dialect's XML would change.
 */
bool probe_result_same_answer(const struct probe_result *a,
			      const struct probe_result *b);

/*
 * The libvirt-style <power_management> fragment of a result, as a
 * NUL-terminated malloc'd string (free with free()). For an invalid result
 * the fragment is empty: no element at all. Returns NULL on allocation or
 * libxml2 failure.
 */
char *pm_fragment_write(const struct probe_result *r, enum pm_dialect d);

/*
 * A report and its fragment as text, for a process that probes on behalf
 * of another (hostpm-probe --format=report for hostpmd).
 */
int probe_report_write(FILE *out, const struct probe_report *rep,
		       const char *fragment);
/*
 * Reads what probe_report_write wrote. text is changed in place; on
 * success *fragment points into it. Returns 0, or -1 with the line and
 * what was wrong in err.
 */
int probe_report_read(char *text, struct probe_report *rep, char **fragment,
		      char *err, size_t errlen);

/*
 * Starts argv[0] without a shell: stdin and stderr on /dev/null, stdout on
 * out_fd (-1: /dev/null), no other descriptor open, in a process group of
 * its own (so that a kill of the group takes a script's children too),
 * with no signal blocked. Returns 0, or an errno value.
 */
int hostpm_spawn(char *const argv[], int out_fd, pid_t *pid);

/*
 * Makes this process a subreaper (PR_SET_CHILD_SUBREAPER): the orphans of
 * the programs it starts, in whatever session or group, become its
 * children rather than init's, for hostpm_end_children(). 0, or -1 with
 * errno.
 */
int hostpm_adopt_orphans(void);
/*
 * Kills (SIGKILL) and reaps every child of this process, and the children
 * that each one leaves to it in turn, waiting up to wait_ms for them to
 * die (0: only those already dead are reaped). Returns how many are left
 * (0 once there is none), or -1 when the children cannot be listed.
 */
int hostpm_end_children(unsigned int wait_ms);
/*
 * At most max children of this process into pids; their number, or -1.
 * From /proc/self/task/TID/children, or with scan_proc (or where those
 * files are missing) from every /proc/PID/stat.
 */
int hostpm_list_children(pid_t *pids, size_t max, bool scan_proc);

/*
 * Blocks the n signals and returns a signalfd that reads them,
 * non-blocking and close-on-exec; -1 with errno set.
 */
int hostpm_signalfd(const int *signals, size_t n);

/*
 * A path setting (--sysfs-root, sysfsRoot, ...) copied into dst, len
 * bytes. Returns 0, or -1 with a message in err: empty, or too long.
 */
int probe_path_parse(const char *text, char *dst, size_t len, char *err,
		     size_t errlen);

/* The dialects' names, for messages and help. */
#define PM_DIALECT_NAMES "libvirt-2011 or libvirt"
/*
 * "libvirt-2011" or "libvirt" to a dialect; "seed", the first name of
 * libvirt-2011, is still understood. -1 when unknown.
 */
int pm_dialect_parse(const char *name, enum pm_dialect *d);
/* The dialect's name, as pm_dialect_parse() reads it. */
const char *pm_dialect_name(enum pm_dialect d);

#endif
