/* SPDX-License-Identifier: MIT */
/*
 * The sysfs source: the kernel's own word in <root>/power.
 *
 * "mem" in power/state is whatever power/mem_sleep selects (since 4.10),
 * often s2idle, which is no S3: "mem" counts as S3 only where mem_sleep
 * offers "deep", or where mem_sleep does not exist (older kernels, where
 * mem was always S3). The same file tells the lighter states: "s2idle" is
 * suspend-to-idle (as "freeze" in state is), "shallow" is standby (ACPI
 * S1, as "standby" in state is).
 *
 * Suspend-then-hibernate is no kernel state but logind's sequence of two
 * (suspend, wake on a timer, hibernate), so this source leaves it unknown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_internal.h"

#define SYSFS_FILE_MAX 512

/* Returns 0, or -errno. */
static int read_power(const char *root, const char *name, char *buf,
		      size_t len)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "power/%s", name);
	return probe_read_under(root, rel, buf, len);
}

/* "[s2idle] shallow" as "s2idle, shallow"; "nothing" when empty. */
static void list_offered(const char *list, char *buf, size_t len)
{
	const char *p = list, *word;
	size_t used = 0, n;

	buf[0] = '\0';
	while (used < len && probe_next_word(&p, &word, &n)) {
		int w = snprintf(buf + used, len - used, "%s%.*s",
				 used ? ", " : "", (int)n, word);

		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (!buf[0])
		snprintf(buf, len, "nothing");
}

static void mem_sleep_reason(const char *mem_sleep, char *why, size_t len)
{
	/* Room for every mode a kernel knows, with a reason's length left. */
	char offered[128];

	list_offered(mem_sleep, offered, sizeof(offered));
	snprintf(why, len, "mem_sleep offers %s only", offered);
}

bool probe_sysfs_lacks_deep(const char *sys_root, char *why, size_t len)
{
	char mem_sleep[SYSFS_FILE_MAX];

	if (read_power(sys_root, "mem_sleep", mem_sleep, sizeof(mem_sleep)))
		return false;
	if (probe_has_token(mem_sleep, "deep"))
		return false;
	mem_sleep_reason(mem_sleep, why, len);
	return true;
}

static bool parse_count(const char *text, unsigned long *out)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	*out = strtoul(text, &end, 10);
	return errno == 0 && (*end == '\0' || *end == '\n');
}

/* Counters since boot; absent on kernels without CONFIG_PM_SLEEP_DEBUG. */
static void read_suspend_stats(const char *root, struct probe_result *out)
{
	char success[32], fail[32];

	if (read_power(root, "suspend_stats/success", success,
		       sizeof(success)) ||
	    read_power(root, "suspend_stats/fail", fail, sizeof(fail)) ||
	    !parse_count(success, &out->suspend_success) ||
	    !parse_count(fail, &out->suspend_fail)) {
		out->suspend_success = out->suspend_fail = 0;
		return;
	}
	out->has_suspend_stats = true;
}

static enum pm_answer yes_no(bool b)
{
	return b ? PM_YES : PM_NO;
}

void probe_sysfs_read_state(const char *sys_root, const char *proc_root,
			    struct probe_result *out)
{
	char state[SYSFS_FILE_MAX], mem_sleep[SYSFS_FILE_MAX],
		disk[SYSFS_FILE_MAX];
	bool mem, deep, hib, disk_known = false, disabled = false;
	int rc;

	out->source = PROBE_SOURCE_SYSFS;
	rc = read_power(sys_root, "state", state, sizeof(state));
	if (rc) {
		probe_fail(out, "cannot read %s/power/state: %s", sys_root,
			   strerror(-rc));
		return;
	}

	mem = deep = probe_has_token(state, "mem");
	mem_sleep[0] = '\0';
	if (mem) {
		rc = read_power(sys_root, "mem_sleep", mem_sleep,
				sizeof(mem_sleep));
		if (rc == 0)
			deep = probe_has_token(mem_sleep, "deep");
		else if (rc != -ENOENT) {
			probe_fail(out, "cannot read %s/power/mem_sleep: %s",
				   sys_root, strerror(-rc));
			return;
		}
	}

	hib = probe_has_token(state, "disk");
	disk[0] = '\0';
	if (hib) {
		rc = read_power(sys_root, "disk", disk, sizeof(disk));
		if (rc == 0) {
			disabled = probe_has_token(disk, "disabled");
			disk_known = true;
		} else if (rc != -ENOENT) {
			probe_fail(out, "cannot read %s/power/disk: %s",
				   sys_root, strerror(-rc));
			return;
		}
	}

	out->valid = true;
	out->s3 = yes_no(deep);
	if (!mem) {
		probe_reason(out, "state offers no mem");
	} else if (!deep) {
		char why[PROBE_ERROR_MAX];

		mem_sleep_reason(mem_sleep, why, sizeof(why));
		probe_reason(out, "%s", why);
	}

	out->s4 = yes_no(hib && !disabled);
	if (!hib)
		probe_reason(out, "state offers no disk");
	else if (disabled)
		probe_reason(out, "disk is [disabled]");

	if (out->s4 == PM_NO) {
		out->hybrid = PM_NO;
	} else if (!disk_known) {
		out->hybrid = PM_UNKNOWN;
		probe_reason(out, "no power/disk to tell hybrid");
	} else {
		out->hybrid = yes_no(probe_has_token(disk, "suspend"));
		if (out->hybrid == PM_NO)
			probe_reason(out, "disk offers no suspend mode");
	}

	out->suspend_to_idle = yes_no(probe_has_token(state, "freeze") ||
				      probe_has_token(mem_sleep, "s2idle"));
	if (out->suspend_to_idle == PM_NO)
		probe_reason(out, "no freeze or s2idle");
	out->standby = yes_no(probe_has_token(state, "standby") ||
			      probe_has_token(mem_sleep, "shallow"));
	if (out->standby == PM_NO)
		probe_reason(out, "no standby or shallow");

	/* Without S4 the reason above says it all. */
	if (out->s4 == PM_NO)
		out->hibernate_ready = PM_NO;
	else
		probe_hibernate_check(sys_root, proc_root, out);

	read_suspend_stats(sys_root, out);
}
