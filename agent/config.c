/* SPDX-License-Identifier: MIT */
/*
 * hostpmd's tokens, parsed by net-snmp's own config machinery so that
 * hostpmd.conf behaves like every other net-snmp file: the same search
 * path, the same comments, and errors as "FILE: line N: Error: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/ds_agent.h>

#include "config.h"

static struct hostpmd_config pending;
static bool pending_error;
/*
 * Inside snmpd the files are snmpd's, and most errors in them are about
 * snmpd's own tokens, not ours: only an error reported while one of our
 * tokens is parsed (reporting), or a token of ours without a value,
 * counts.
 */
static bool in_snmpd;
static bool reporting;

/* The first error of the last read, for the one-line summary. */
static struct {
	char file[PATH_MAX];
	long line;		/* 0: the file itself could not be read */
	char reason[128];	/* when line is 0 */
} first;
static char summary[PATH_MAX + 256];

/*
 * The files of the search path that were there at the last good read:
 * at SIGHUP each must still be there. net-snmp skips a missing one
 * silently, and the defaults would replace what it said.
 */
#define SEARCH_FILES_MAX 16
static char *search_found[SEARCH_FILES_MAX];
static size_t search_nfound;

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
	reporting = true;
	config_perror(line);
	reporting = false;
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
	memset(&first, 0, sizeof(first));
}

static bool names_our_token(const char *msg);

/*
 * Every configuration error net-snmp logs comes as "FILE: line N: Error:
 * ...", ours (report()) and its own: a token with no value ("Blank line
 * following X token", and then no handler is called at all), or a bad
 * value of one of its tokens (agentxPingInterval -1). It then carries on
 * and counts the error where no caller can see it; its log line is
 * where it shows.
 */
static int watch_config_errors(int major, int minor, void *server,
			       void *client)
{
	const struct snmp_log_message *m = server;
	static const char marker[] = ": line ";
	const char *at;
	char *end;
	long line;

	(void)major;
	(void)minor;
	(void)client;
	if (!m || !m->msg || m->priority > LOG_ERR)
		return SNMPERR_SUCCESS;
	at = strstr(m->msg, marker);
	if (!at)
		return SNMPERR_SUCCESS;
	line = strtol(at + sizeof(marker) - 1, &end, 10);
	if (end == at + sizeof(marker) - 1 || strncmp(end, ": Error: ", 9))
		return SNMPERR_SUCCESS;
	if (in_snmpd && !reporting && !names_our_token(end + 9))
		return SNMPERR_SUCCESS;
	if (!pending_error) {
		snprintf(first.file, sizeof(first.file), "%.*s",
			 (int)(at - m->msg), m->msg);
		first.line = line;
	}
	pending_error = true;
	return SNMPERR_SUCCESS;
}

/* The first word of LINE of FILE (the token), or "" if it cannot tell. */
static void token_at(const char *file, long line, char *tok, size_t len)
{
	FILE *f = fopen(file, "re");
	char *buf = NULL, *word;
	size_t cap = 0;
	long n = 0;

	tok[0] = '\0';
	if (!f)
		return;
	while (getline(&buf, &cap, f) >= 0) {
		if (++n < line)
			continue;
		word = buf + strspn(buf, " \t");
		/* "[snmp] token value": the token follows the file type. */
		if (*word == '[' && strchr(word, ']')) {
			word = strchr(word, ']') + 1;
			word += strspn(word, " \t");
		}
		snprintf(tok, len, "%.*s", (int)strcspn(word, " \t\r\n"), word);
		break;
	}
	free(buf);
	fclose(f);
}

const char *config_first_error(void)
{
	char tok[64];

	if (!pending_error) {
		summary[0] = '\0';
	} else if (!first.line) {
		snprintf(summary, sizeof(summary), "%s: %s", first.file,
			 first.reason);
	} else {
		token_at(first.file, first.line, tok, sizeof(tok));
		snprintf(summary, sizeof(summary), "%s: line %ld%s%s",
			 first.file, first.line, tok[0] ? ": " : "", tok);
	}
	return summary;
}

static void file_error(const char *path, const char *reason)
{
	snmp_log(LOG_ERR, "%s: cannot read the configuration: %s\n", path,
		 reason);
	if (!pending_error) {
		snprintf(first.file, sizeof(first.file), "%s", path);
		first.line = 0;
		snprintf(first.reason, sizeof(first.reason), "%s", reason);
	}
	pending_error = true;
}

/*
 * A configuration file hostpmd is to read: there, and a regular file it
 * may open. net-snmp reads a directory as an empty file, and skips a
 * missing or unreadable one without a word.
 */
static bool readable_file(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	bool ok = false;

	if (fd < 0) {
		file_error(path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0)
		file_error(path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		file_error(path, "it is a directory");
	else if (!S_ISREG(st.st_mode))
		file_error(path, "it is not a regular file");
	else
		ok = true;
	close(fd);
	return ok;
}

static bool was_found(const char *path)
{
	size_t i;

	for (i = 0; i < search_nfound; i++)
		if (!strcmp(search_found[i], path))
			return true;
	return false;
}

/*
 * The files net-snmp reads for hostpmd from its search path, in its own
 * way (read_config_files_in_path(): SNMPCONFPATH, or the configuration
 * and then the persistent directory; NAME.conf and NAME.local.conf in
 * each), none with -C. Each that is there, or was there at the last good
 * read, must be a readable file; with REMEMBER, those there are noted.
 */
static bool check_search_path(bool remember)
{
	const char *type = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID,
						 NETSNMP_DS_LIB_APPTYPE);
	const char *env = netsnmp_getenv("SNMPCONFPATH");
	static const char *const suffix[] = { ".conf", ".local.conf" };
	char *path, *dir, *save = NULL, file[PATH_MAX];
	char *found[SEARCH_FILES_MAX];
	size_t nfound = 0, i;
	struct stat st;
	bool ok = true;

	if (!type || netsnmp_ds_get_boolean(NETSNMP_DS_LIBRARY_ID,
					    NETSNMP_DS_LIB_DONT_READ_CONFIGS))
		return true;
	if (asprintf(&path, "%s:%s", env ? env : get_configuration_directory(),
		     env ? "" : get_persistent_directory()) < 0)
		return true; /* no memory: net-snmp's own read goes ahead */
	for (dir = strtok_r(path, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		for (i = 0; i < 2; i++) {
			snprintf(file, sizeof(file), "%s/%s%s", dir, type,
				 suffix[i]);
			if (lstat(file, &st) != 0 && !was_found(file))
				continue;
			if (!readable_file(file))
				ok = false;
			else if (remember && nfound < SEARCH_FILES_MAX)
				found[nfound++] = strdup(file);
		}
	}
	free(path);
	if (remember && ok) {
		for (i = 0; i < search_nfound; i++)
			free(search_found[i]);
		for (i = search_nfound = 0; i < nfound; i++)
			if (found[i])
				search_found[search_nfound++] = found[i];
	} else {
		for (i = 0; i < nfound; i++)
			free(found[i]);
	}
	return ok;
}

/* -c FILE, then the search path; false after an error (reported). */
static bool check_files(bool remember)
{
	const char *optional = netsnmp_ds_get_string(
		NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	bool ok = !optional || readable_file(optional);

	return check_search_path(remember) && ok;
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

/* "Blank line following probeInterval token.": one of ours, no value. */
static bool names_our_token(const char *msg)
{
	static const char blank[] = "Blank line following ";
	size_t i, n;

	if (strncmp(msg, blank, sizeof(blank) - 1))
		return false;
	msg += sizeof(blank) - 1;
	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		n = strlen(tokens[i].token);
		if (!strncmp(msg, tokens[i].token, n) &&
		    !strncmp(msg + n, " token", 6))
			return true;
	}
	return false;
}

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
	check_files(true);
	if (pending_error) {
		snmp_log(LOG_ERR, "configuration has errors (the first: %s); not starting\n",
			 config_first_error());
		exit(1);
	}
	return SNMPERR_SUCCESS;
}

/* The tokens, for the application's own files; errors watched. */
static void register_tokens(void)
{
	size_t i;

	reset_pending();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
			       watch_config_errors, NULL);
	snmp_enable_calllog();
	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		register_app_config_handler(tokens[i].token, parse_token,
					    NULL, tokens[i].help);
}

void config_register(void)
{
	netsnmp_register_callback(SNMP_CALLBACK_LIBRARY,
				  SNMP_CALLBACK_POST_READ_CONFIG,
				  refuse_bad_start, NULL,
				  NETSNMP_CALLBACK_HIGHEST_PRIORITY);
	register_tokens();
}

void config_register_in_snmpd(void)
{
	in_snmpd = true;
	register_tokens();
}

void config_unregister(void)
{
	size_t i;

	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		unregister_app_config_handler(tokens[i].token);
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
				 watch_config_errors, NULL, 1);
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

unsigned int config_probe_budget_s(const struct hostpmd_config *cfg)
{
	unsigned long ms = (unsigned long)cfg->probe.timeout_ms *
			   (cfg->probe.nsources ? cfg->probe.nsources : 1);

	return (unsigned int)(ms / 1000 + 2);
}

bool config_reread(struct hostpmd_config *out)
{
	const char *optional = netsnmp_ds_get_string(
		NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OPTIONALCONFIG);
	const char *type = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID,
						 NETSNMP_DS_LIB_APPTYPE);

	/*
	 * The AgentX ping interval is taken at start-up (master.c keeps it
	 * and gives net-snmp a retry interval in its place):
	 * agentxPingInterval is checked here, not applied.
	 */
	int ping = netsnmp_ds_get_int(NETSNMP_DS_APPLICATION_ID,
				      NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL);
	bool ok;

	/*
	 * Not update_config(): its post-read callbacks would have the AgentX
	 * session "re-opened" (net-snmp warns and does nothing). The same
	 * files as at start-up: the search path (unless -C), then -c FILE;
	 * none is read unless all are there.
	 */
	reset_pending();
	if (!check_files(false))
		return false;
	read_config_files(NORMAL_CONFIG);
	if (optional && type)
		read_config_with_type(optional, type);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, ping);
	ok = config_take(out);
	if (ok)
		check_search_path(true);
	return ok;
}

bool config_take(struct hostpmd_config *out)
{
	if (pending_error)
		return false;
	*out = pending;
	return true;
}
