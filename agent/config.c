/* SPDX-License-Identifier: MIT */
/*
 * hostpmd's tokens, parsed by net-snmp's own config machinery so that
 * hostpmd.conf behaves like every other net-snmp file: the same search
 * path, the same comments, and errors as "FILE: line N: Error: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "config.h"

static struct hostpmd_config pending;
static bool pending_error;

static void report(const char *token, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(const char *token, const char *fmt, ...)
{
	char msg[512], line[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s: %s", token, msg);
	/* Prints "FILE: line N: Error: TOKEN: ..." */
	config_perror(line);
	pending_error = true;
}

static int parse_seconds(const char *token, const char *value,
			 unsigned int min, unsigned int max,
			 unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (!*value || *end || errno || value[0] == '-' || v < min || v > max) {
		report(token, "'%s' is not a whole number of seconds from %u to %u",
		       value, min, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int copy_path(const char *token, const char *value, char *dst,
		     size_t len)
{
	char err[PROBE_ERROR_MAX];

	if (probe_path_parse(value, dst, len, err, sizeof(err))) {
		report(token, "%s", err);
		return -1;
	}
	return 0;
}

/* net-snmp hands the rest of the line, trailing blanks included. */
static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = '\0';
}

static void parse_token(const char *token, char *value)
{
	char err[PROBE_ERROR_MAX];

	trim(value);
	if (!strcmp(token, "probeInterval")) {
		parse_seconds(token, value, 1, 86400, &pending.interval_s);
	} else if (!strcmp(token, "probeTimeout")) {
		if (probe_timeout_parse(value, &pending.probe.timeout_ms, err,
					sizeof(err)))
			report(token, "%s", err);
	} else if (!strcmp(token, "probeSources")) {
		if (probe_sources_parse(value, pending.probe.sources,
					&pending.probe.nsources, err,
					sizeof(err)))
			report(token, "%s", err);
	} else if (!strcmp(token, "sysfsRoot")) {
		copy_path(token, value, pending.probe.sysfs_root,
			  sizeof(pending.probe.sysfs_root));
	} else if (!strcmp(token, "procRoot")) {
		copy_path(token, value, pending.probe.proc_root,
			  sizeof(pending.probe.proc_root));
	} else if (!strcmp(token, "pmIsSupported")) {
		copy_path(token, value, pending.probe.pm_is_supported,
			  sizeof(pending.probe.pm_is_supported));
	} else if (!strcmp(token, "probeProgram")) {
		/* hostpmd runs in / once in the background. */
		if (value[0] != '/')
			report(token, "'%s' is not an absolute path", value);
		else
			copy_path(token, value, pending.program,
				  sizeof(pending.program));
	} else if (!strcmp(token, "spoolFile")) {
		copy_path(token, value, pending.spool_file,
			  sizeof(pending.spool_file));
	} else if (!strcmp(token, "spoolFormat")) {
		if (pm_dialect_parse(value, &pending.dialect))
			report(token, "'%s' is not a dialect (" PM_DIALECT_NAMES ")",
			       value);
	}
}

/* Before every read: start again from the defaults. */
static void reset_pending(void)
{
	config_defaults(&pending);
	pending_error = false;
}

static const struct {
	const char *token;
	const char *help;
} tokens[] = {
	{ "probeInterval", "SECONDS" },
	{ "probeTimeout", "SECONDS" },
	{ "probeSources", "SOURCE[,SOURCE...]" },
	{ "sysfsRoot", "DIR" },
	{ "procRoot", "DIR" },
	{ "pmIsSupported", "PATH" },
	{ "spoolFile", "PATH" },
	{ "spoolFormat", "libvirt-2011|libvirt" },
	{ "probeProgram", "PATH" },
};

/*
 * Runs before the AgentX connection is opened (same event, higher
 * priority), so a bad file at start-up never reaches the master.
 */
static int refuse_bad_start(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	if (pending_error) {
		snmp_log(LOG_ERR, "configuration has errors; not starting\n");
		exit(1);
	}
	return SNMPERR_SUCCESS;
}

void config_register(void)
{
	size_t i;

	reset_pending();
	netsnmp_register_callback(SNMP_CALLBACK_LIBRARY,
				  SNMP_CALLBACK_POST_READ_CONFIG,
				  refuse_bad_start, NULL,
				  NETSNMP_CALLBACK_HIGHEST_PRIORITY);
	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		register_app_config_handler(tokens[i].token, parse_token,
					    NULL, tokens[i].help);
}

void config_defaults(struct hostpmd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	probe_config_init(&cfg->probe);
	cfg->interval_s = HOSTPMD_DEFAULT_INTERVAL;
	snprintf(cfg->spool_file, sizeof(cfg->spool_file), "%s",
		 HOSTPMD_DEFAULT_SPOOL);
	cfg->dialect = PM_DIALECT_LIBVIRT_2011;
	snprintf(cfg->program, sizeof(cfg->program), "%s",
		 HOSTPM_PROBE_PROGRAM);
}

bool config_reread(struct hostpmd_config *out)
{
	const char *optional = netsnmp_ds_get_string(
		NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	const char *type = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID,
						 NETSNMP_DS_LIB_APPTYPE);

	/*
	 * Not update_config(): its post-read callbacks would have the AgentX
	 * session "re-opened" (net-snmp warns and does nothing). The same
	 * files as at start-up: the search path (unless -C), then -c FILE.
	 */
	reset_pending();
	read_config_files(NORMAL_CONFIG);
	if (optional && type)
		read_config_with_type(optional, type);
	return config_take(out);
}

bool config_take(struct hostpmd_config *out)
{
	if (pending_error)
		return false;
	*out = pending;
	return true;
}
