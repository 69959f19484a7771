/* SPDX-License-Identifier: MIT */
/*
 * hostpmd: an AgentX subagent serving HOSTPM-MIB from a cached probe, and
 * writing the probe's fragment to a spool file for scripts.
 *
 * Start-up order matters with net-snmp: subagent role and data-store
 * settings, init_agent(), our config tokens and registrations,
 * init_snmp() (reads hostpmd.conf, connects), then the loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "config.h"
#include "master.h"
#include "mib.h"
#include "prober.h"
#include "spool.h"

#define APP "hostpmd"
#define HOSTPMD_DEFAULT_PING_INTERVAL 30

struct options {
	bool foreground;
	bool logging_set;
	const char *pidfile;
	const char *user;
	const char *group;
};

static struct hostpmd_config active;
static bool quit;
static bool pidfile_written;
static const char *pidfile_path;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS]\n"
		"An AgentX subagent that serves HOSTPM-MIB, the host's power-management\n"
		"capabilities, to snmpd, and writes them to a spool file.\n"
		"\n"
		"  -f            stay in the foreground\n"
		"  -c FILE       read FILE as the configuration (hostpmd.conf)\n"
		"  -C            do not read the default configuration files\n"
		"  -x ADDRESS    the master agent's AgentX address\n"
		"                (default /var/agentx/master)\n"
		"  -L[efos...]   logging, as in snmpd: -Le stderr, -Lo stdout,\n"
		"                -Lf FILE, -Ls FACILITY (default: stderr with -f,\n"
		"                else syslog)\n"
		"  -D TOKENS     debug output for TOKENS (comma-separated, e.g. agentx)\n"
		"  -p PIDFILE    write the process id to PIDFILE\n"
		"  -u USER       run as USER once set up\n"
		"  -g GROUP      run as GROUP once set up\n"
		"  -h            show this help\n"
		"  -v            show the version\n"
		"\n"
		"Exit status: 0 after SIGTERM or SIGINT; 1 a start-up error\n"
		"(configuration, privileges) or the master refused to register\n"
		"HOSTPM-MIB (another subagent serves it); 2 a bad option.\n",
		APP);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	int c;

	opterr = 0;
	while ((c = getopt(argc, argv, ":fc:Cx:L:D:p:u:g:hv")) != -1) {
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case 'c':
			if (access(optarg, R_OK) != 0) {
				fprintf(stderr, "%s: -c %s: %s\n", APP, optarg,
					strerror(errno));
				exit(1);
			}
			netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
					      NETSNMP_DS_LIB_OPTIONALCONFIG,
					      optarg);
			break;
		case 'C':
			netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
					       NETSNMP_DS_LIB_DONT_READ_CONFIGS,
					       1);
			break;
		case 'x':
			netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
					      NETSNMP_DS_AGENT_X_SOCKET, optarg);
			break;
		case 'L':
			if (snmp_log_options(optarg, argc, argv) < 0) {
				fprintf(stderr, "%s: -L%s: not a logging option\n",
					APP, optarg);
				return -1;
			}
			o->logging_set = true;
			break;
		case 'D':
			debug_register_tokens(optarg);
			snmp_set_do_debugging(1);
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'v':
			printf("%s %s (net-snmp %s)\n", APP, HOSTPM_VERSION,
			       netsnmp_get_version());
			exit(0);
		case ':':
			fprintf(stderr, "%s: option -%c needs a value\n", APP,
				optopt);
			return -1;
		default:
			fprintf(stderr, "%s: unknown option -%c\n", APP, optopt);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", APP,
			argv[optind]);
		return -1;
	}
	return 0;
}

static int drop_privileges(const struct options *o)
{
	gid_t gid = getgid();
	uid_t uid = getuid();
	struct passwd *pw = NULL;

	if (o->user) {
		pw = getpwnam(o->user);
		if (!pw) {
			snmp_log(LOG_ERR, "-u %s: no such user\n", o->user);
			return -1;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if (o->group) {
		struct group *gr = getgrnam(o->group);

		if (!gr) {
			snmp_log(LOG_ERR, "-g %s: no such group\n", o->group);
			return -1;
		}
		gid = gr->gr_gid;
	}
	if (o->group || o->user) {
		if ((pw ? initgroups(pw->pw_name, gid) : setgroups(0, NULL)) != 0 ||
		    setgid(gid) != 0) {
			snmp_log(LOG_ERR, "cannot change group to %u: %s\n",
				 (unsigned)gid, strerror(errno));
			return -1;
		}
	}
	if (o->user && setuid(uid) != 0) {
		snmp_log(LOG_ERR, "cannot change user to %s: %s\n", o->user,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		snmp_log(LOG_ERR, "cannot write pid file %s: %s\n", path,
			 strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	pidfile_path = path;
	pidfile_written = true;
	return 0;
}

static void log_effective(const struct probe_result *e)
{
	static const char *const word[] = { "unknown", "no", "yes" };

	if (e->valid)
		snmp_log(LOG_INFO,
			 "capabilities from %s: S3 %s, S4 %s, hybrid %s\n",
			 probe_source_name(e->source), word[e->s3], word[e->s4],
			 word[e->hybrid]);
	else
		snmp_log(LOG_WARNING, "power-management query failed: %s\n",
			 e->error);
}

/* The fragment as hostpm-probe wrote it; NULL when the query failed. */
static void spool(const char *fragment)
{
	char err[512];
	int rc = spool_update(active.spool_file, fragment, err, sizeof(err));

	if (rc < 0) {
		snmp_log(LOG_ERR, "spool: %s (the old file is kept; trying again at the next probe)\n",
			 err);
		mib_count_spool_failure();
	} else if (rc > 0) {
		DEBUGMSGTL((APP, "spool %s %s\n", active.spool_file,
			    fragment ? "written" : "removed"));
	}
}

static void on_report(const struct probe_report *report, const char *fragment)
{
	static struct probe_result last;
	static bool have_last;

	if (!have_last || !probe_result_same_answer(&last, &report->effective))
		log_effective(&report->effective);
	last = report->effective;
	have_last = true;
	mib_publish(report);
	spool(report->effective.valid ? fragment : NULL);
}

static void reload(void)
{
	struct hostpmd_config fresh;

	snmp_log(LOG_INFO, "SIGHUP: reading the configuration again\n");
	if (!config_reread(&fresh)) {
		snmp_log(LOG_ERR, "configuration has errors (the first: %s); keeping the one in force\n",
			 config_first_error());
		prober_kick();
		return;
	}
	active = fresh;
	prober_reconfigure(&active);
}

static void on_signal(int fd, void *data)
{
	struct signalfd_siginfo si;

	(void)data;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload();
		} else {
			snmp_log(LOG_INFO, "%s: stopping\n",
				 strsignal((int)si.ssi_signo));
			quit = true;
		}
	}
}

/*
 * Signals arrive through a signalfd in the main loop: no handler runs in
 * signal context, and none can slip in between a check and the select.
 * The probe child gets an empty mask back (prober.c).
 */
static int watch_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	register_readfd(fd, on_signal, NULL);
	signal(SIGPIPE, SIG_IGN);
	return fd;
}

int main(int argc, char **argv)
{
	struct options opt = { 0 };
	char err[512];
	int sig_fd, status = 1;

	if (parse_options(argc, argv, &opt) != 0) {
		fprintf(stderr, "Try '%s -h'.\n", APP);
		return 2;
	}
	if (!opt.logging_set) {
		if (opt.foreground)
			snmp_enable_stderrlog();
		else
			snmp_enable_syslog_ident(APP, LOG_DAEMON);
	}

	netsnmp_enable_subagent();
	/*
	 * No persistent state loaded or saved, and no MIB files: we serve
	 * numbers. Not NETSNMP_DS_LIB_DONT_PERSIST_STATE: net-snmp 5.9 then skips
	 * every configuration file on the search path, hostpmd.conf too.
	 */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	setenv("MIBS", "", 1);
	setenv("MIBDIRS", "", 1);

	if (init_agent(APP) != 0) {
		fprintf(stderr, "%s: cannot initialise the agent library\n", APP);
		return 1;
	}
	/*
	 * The AgentX ping is what wakes an idle subagent: two context
	 * switches a ping. 30 s rather than net-snmp's 15 halves that; set
	 * after init_agent(), which resets it, and before init_snmp(), so
	 * that agentxPingInterval in hostpmd.conf still wins.
	 */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   HOSTPMD_DEFAULT_PING_INTERVAL);
	config_defaults(&active);
	config_register();
	if (mib_register() != 0) {
		snmp_log(LOG_ERR, "cannot register HOSTPM-MIB\n");
		goto out_agent;
	}
	master_watch();
	init_snmp(APP); /* exits on a configuration error */
	if (!config_take(&active) || master_refused())
		goto out_snmp;

	if (!opt.foreground &&
	    netsnmp_daemonize(1, snmp_stderrlog_status()) != 0) {
		snmp_log(LOG_ERR, "cannot go to the background\n");
		goto out_snmp;
	}
	if (opt.pidfile && write_pidfile(opt.pidfile) != 0)
		goto out_snmp;
	if (drop_privileges(&opt) != 0)
		goto out_pid;
	sig_fd = watch_signals();
	if (sig_fd < 0) {
		snmp_log(LOG_ERR, "cannot watch signals: %s\n", strerror(errno));
		goto out_pid;
	}
	if (prober_start(&active, on_report, err, sizeof(err)) != 0) {
		snmp_log(LOG_ERR, "%s\n", err);
		goto out_sig;
	}
	snmp_log(LOG_INFO, "%s %s started\n", APP, HOSTPM_VERSION);
	master_check_startup();

	while (!quit && !master_refused())
		agent_check_and_process(1);

	prober_stop();
	status = master_refused() ? 1 : 0;
out_sig:
	unregister_readfd(sig_fd);
	close(sig_fd);
out_pid:
	if (pidfile_written && unlink(pidfile_path) != 0)
		snmp_log(LOG_WARNING, "cannot remove %s: %s\n", pidfile_path,
			 strerror(errno));
out_snmp:
	if (!master_refused())
		mib_unregister();
	snmp_shutdown(APP);
	return status;
out_agent:
	shutdown_agent();
	return status;
}
