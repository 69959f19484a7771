/* SPDX-License-Identifier: MIT */
/*
 * What administrators type and read: source names and lists, timeouts,
 * dialects. Apart from the probing itself, so that a program that only
 * configures probes (hostpmd) links none of the sources' libraries.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostpm.h"

static const char *const source_names[PROBE_SOURCE_COUNT] = {
	[PROBE_SOURCE_PMUTILS] = "pm-utils",
	[PROBE_SOURCE_SYSFS] = "sysfs",
	[PROBE_SOURCE_LOGIND] = "logind",
};

/* For messages, in the default order rather than the enum's. */
#define KNOWN_SOURCES "logind, pm-utils, sysfs"

const char *probe_source_name(enum probe_source_id id)
{
	return (unsigned)id < PROBE_SOURCE_COUNT ? source_names[id] : "?";
}

void probe_config_init(struct probe_config *cfg)
{
	size_t n = 0;
	char err[PROBE_ERROR_MAX];

	memset(cfg, 0, sizeof(*cfg));
	if (probe_sources_parse(PROBE_DEFAULT_SOURCES, cfg->sources, &n, err,
				sizeof(err)) == 0)
		cfg->nsources = n;
	snprintf(cfg->sysfs_root, sizeof(cfg->sysfs_root), "%s",
		 PROBE_DEFAULT_SYSFS_ROOT);
	snprintf(cfg->proc_root, sizeof(cfg->proc_root), "%s",
		 PROBE_DEFAULT_PROC_ROOT);
	cfg->timeout_ms = PROBE_DEFAULT_TIMEOUT_MS;
	cfg->cancel_fd = -1;
}

int probe_sources_parse(const char *list, enum probe_source_id *out,
			size_t *n, char *err, size_t errlen)
{
	const char *p = list;
	size_t count = 0;

	if (!list || !*list) {
		snprintf(err, errlen, "the source list is empty");
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		enum probe_source_id id;
		size_t i;

		for (id = 0; id < PROBE_SOURCE_COUNT; id++)
			if (strlen(source_names[id]) == len &&
			    !strncmp(p, source_names[id], len))
				break;
		if (id == PROBE_SOURCE_COUNT) {
			snprintf(err, errlen,
				 "unknown source '%.*s' (known: " KNOWN_SOURCES ")",
				 (int)len, p);
			return -1;
		}
		for (i = 0; i < count; i++)
			if (out[i] == id) {
				snprintf(err, errlen, "source '%s' is named twice",
					 source_names[id]);
				return -1;
			}
		out[count++] = id;
		if (!p[len])
			break;
		p += len + 1;
		if (count == PROBE_MAX_SOURCES) {
			snprintf(err, errlen, "too many sources");
			return -1;
		}
	}
	*n = count;
	return 0;
}

void probe_sources_format(const enum probe_source_id *ids, size_t n,
			  char *buf, size_t len)
{
	size_t used = 0, i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 probe_source_name(ids[i]));
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int probe_timeout_parse(const char *text, unsigned int *ms, char *err,
			size_t errlen)
{
	char *end;
	double s;

	if (!text || !*text) {
		snprintf(err, errlen, "the timeout is empty");
		return -1;
	}
	s = strtod(text, &end);
	if (*end || end == text || !isfinite(s)) {
		snprintf(err, errlen, "'%s' is not a number of seconds", text);
		return -1;
	}
	if (s < 0.001 || s > 3600) {
		snprintf(err, errlen,
			 "timeout %s s is out of range (0.001 to 3600)", text);
		return -1;
	}
	*ms = (unsigned int)(s * 1000 + 0.5);
	return 0;
}

int pm_dialect_parse(const char *name, enum pm_dialect *d)
{
	/* "seed" is what libvirt-2011 was called first: kept as an alias. */
	if (!strcmp(name, "libvirt-2011") || !strcmp(name, "seed"))
		*d = PM_DIALECT_LIBVIRT_2011;
	else if (!strcmp(name, "libvirt"))
		*d = PM_DIALECT_LIBVIRT;
	else
		return -1;
	return 0;
}

const char *pm_dialect_name(enum pm_dialect d)
{
	return d == PM_DIALECT_LIBVIRT ? "libvirt" : "libvirt-2011";
}

int probe_path_parse(const char *text, char *dst, size_t len, char *err,
		     size_t errlen)
{
	size_t n = strlen(text);

	if (n == 0) {
		snprintf(err, errlen, "the path is empty");
		return -1;
	}
	if (n >= len) {
		snprintf(err, errlen, "the path is too long (at most %zu bytes)",
			 len - 1);
		return -1;
	}
	memcpy(dst, text, n + 1);
	return 0;
}
