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
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "config.h"
#include "master.h"
#include "module.h"

#define APP "hostpmd"
#define HOSTPMD_DEFAULT_PING_INTERVAL 30

struct options {
	bool foreground;
	bool logging_set;
	const char *pidfile;
	const char *user;
	const char *group;
};

static bool quit;
static bool pidfile_written;
static const char *pidfile_path;
static bool probing;

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

/*
 * Empties the capability bounding set, so that nothing this process or
 * its probe children exec can gain a capability back (a file capability,
 * a setuid-root program). Needs CAP_SETPCAP, so it runs before setuid.
 */
static int drop_bounding_set(void)
{
	int cap, in_set;

	for (cap = 0; (in_set = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0; cap++) {
		if (in_set && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
			snmp_log(LOG_ERR, "cannot drop capability %d from the "
				 "bounding set: %s\n", cap, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Empties the permitted, effective, inheritable and ambient sets. */
static int drop_capabilities(void)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3];

	memset(none, 0, sizeof(none));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 ||
	    syscall(SYS_capset, &header, none) != 0) {
		snmp_log(LOG_ERR, "cannot drop capabilities: %s\n",
			 strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * -u/-g: every uid and gid (real, effective, saved, and so the
 * filesystem ones) become the target's, the supplementary groups those
 * of the user (none for -g alone), and with -u every capability set is
 * emptied, the bounding set too. Then a check that root cannot come back.
 */
static int drop_privileges(const struct options *o)
{
	gid_t gid = getgid(), rgid, egid, sgid;
	uid_t uid = getuid(), ruid, euid, suid;
	struct passwd *pw = NULL;

	if (!o->user && !o->group)
		return 0;
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
	if ((pw ? initgroups(pw->pw_name, gid) : setgroups(0, NULL)) != 0 ||
	    setresgid(gid, gid, gid) != 0) {
		snmp_log(LOG_ERR, "cannot change group to %u: %s\n",
			 (unsigned)gid, strerror(errno));
		return -1;
	}
	if (!o->user)
		return 0;
	if (geteuid() == 0 && uid != 0 && drop_bounding_set() != 0)
		return -1;
	if (setresuid(uid, uid, uid) != 0) {
		snmp_log(LOG_ERR, "cannot change user to %s: %s\n", o->user,
			 strerror(errno));
		return -1;
	}
	if (drop_capabilities() != 0)
		return -1;
	if (getresuid(&ruid, &euid, &suid) != 0 ||
	    getresgid(&rgid, &egid, &sgid) != 0 ||
	    ruid != uid || euid != uid || suid != uid ||
	    rgid != gid || egid != gid || sgid != gid ||
	    (uid != 0 && setuid(0) == 0)) {
		snmp_log(LOG_ERR, "changing to user %s left other ids in place\n",
			 o->user);
		return -1;
	}
	return 0;
}

/*
 * Written after the drop, as the user hostpmd runs as: it removes the
 * file at exit as that user, which works only in a folder that user may
 * write (/run/hostpm/, RuntimeDirectory= in a unit), not in a root-owned
 * /run. A file that could not be removed later is refused now.
 */
static int write_pidfile(const char *path, const struct options *o)
{
	char line[32];
	int fd, len = snprintf(line, sizeof(line), "%ld\n", (long)getpid());

	/* A stale file of an earlier run, perhaps another user's. */
	if (unlink(path) != 0 && errno != ENOENT && errno != EACCES &&
	    errno != EPERM) {
		snmp_log(LOG_ERR, "cannot replace pid file %s: %s\n", path,
			 strerror(errno));
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		snmp_log(LOG_ERR, "cannot write pid file %s: %s%s%s%s\n", path,
			 strerror(errno), o->user ? " (as user " : "",
			 o->user ? o->user : "",
			 o->user ? ", who removes it at exit: its folder "
				   "must be writable by that user)" : "");
		return -1;
	}
	if (write(fd, line, (size_t)len) != len || close(fd) != 0) {
		snmp_log(LOG_ERR, "cannot write pid file %s: %s\n", path,
			 strerror(errno));
		if (unlink(path) != 0)
			snmp_log(LOG_WARNING, "cannot remove %s: %s\n", path,
				 strerror(errno));
		return -1;
	}
	pidfile_path = path;
	pidfile_written = true;
	return 0;
}

static int start_probing(const struct hostpmd_config *cfg)
{
	char err[512];

	if (module_start(cfg, MODULE_IN_HOSTPMD, err, sizeof(err)) != 0) {
		snmp_log(LOG_ERR, "%s\n", err);
		return -1;
	}
	probing = true;
	return 0;
}

static void stop_probing(void)
{
	if (probing)
		module_stop();
	probing = false;
}

/*
 * After the files are read, before net-snmp opens the AgentX session
 * (same event, after config.c's check, ahead of net-snmp's own
 * callback): the first probe's start-up overlaps the session's. Only in
 * the foreground without -u or -g: a fork to the background or a change
 * of user comes later, and the probe must be the daemon's own child,
 * run as its user; then it starts after them.
 */
static int start_probing_early(int major, int minor, void *server,
			       void *client)
{
	struct hostpmd_config cfg;

	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	if (config_take(&cfg))
		start_probing(&cfg);
	return SNMPERR_SUCCESS;
}

static void reload(void)
{
	struct hostpmd_config fresh;

	snmp_log(LOG_INFO, "SIGHUP: reading the configuration again\n");
	if (!config_reread(&fresh)) {
		snmp_log(LOG_ERR, "configuration has errors (the first: %s); keeping the one in force\n",
			 config_first_error());
		module_kick();
		return;
	}
	module_reconfigure(&fresh);
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
 * The probe child gets an empty mask back (hostpm_spawn).
 */
static int watch_signals(void)
{
	static const int handled[] = { SIGHUP, SIGTERM, SIGINT };
	int fd = hostpm_signalfd(handled, sizeof(handled) / sizeof(handled[0]));

	if (fd < 0)
		return -1;
	register_readfd(fd, on_signal, NULL);
	signal(SIGPIPE, SIG_IGN);
	return fd;
}

int main(int argc, char **argv)
{
	struct options opt = { 0 };
	struct hostpmd_config cfg;
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
	config_defaults(&cfg);
	config_register();
	if (module_register() != 0) {
		snmp_log(LOG_ERR, "cannot register HOSTPM-MIB\n");
		goto out_agent;
	}
	master_watch();
	if (opt.foreground && !opt.user && !opt.group)
		netsnmp_register_callback(SNMP_CALLBACK_LIBRARY,
					  SNMP_CALLBACK_POST_READ_CONFIG,
					  start_probing_early, NULL,
					  NETSNMP_CALLBACK_HIGHEST_PRIORITY);
	init_snmp(APP); /* exits on a configuration error */
	if (!config_take(&cfg) || master_refused())
		goto out_snmp;

	if (!opt.foreground &&
	    netsnmp_daemonize(1, snmp_stderrlog_status()) != 0) {
		snmp_log(LOG_ERR, "cannot go to the background\n");
		goto out_snmp;
	}
	if (drop_privileges(&opt) != 0)
		goto out_snmp;
	if (opt.pidfile && write_pidfile(opt.pidfile, &opt) != 0)
		goto out_snmp;
	sig_fd = watch_signals();
	if (sig_fd < 0) {
		snmp_log(LOG_ERR, "cannot watch signals: %s\n", strerror(errno));
		goto out_pid;
	}
	if (!probing && start_probing(&cfg) != 0)
		goto out_sig;
	snmp_log(LOG_INFO, "%s %s started\n", APP, HOSTPM_VERSION);
	master_check_startup();

	while (!quit && !master_refused())
		agent_check_and_process(1);

	stop_probing();
	status = master_refused() ? 1 : 0;
out_sig:
	unregister_readfd(sig_fd);
	close(sig_fd);
out_pid:
	if (pidfile_written && unlink(pidfile_path) != 0)
		snmp_log(LOG_WARNING, "cannot remove %s: %s\n", pidfile_path,
			 strerror(errno));
out_snmp:
	stop_probing();
	if (!master_refused())
		module_unregister();
	snmp_shutdown(APP);
	return status;
out_agent:
	shutdown_agent();
	return status;
}
