/* SPDX-License-Identifier: MIT */
/* hostpm-probe: probe once, print the fragment or a table. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "capability.h"

/* Exit statuses, documented in --help and the README. */
enum {
	EXIT_QUERY_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_INTERNAL = 3,
};

static const char *progname = "hostpm-probe";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]...\n"
		"Probe this host's power-management capabilities once and print\n"
		"the libvirt-style <power_management> fragment.\n"
		"\n"
		"  --format=xml|text|report output (default xml); report is the\n"
		"                           line-based form hostpmd reads\n"
		"  --dialect=libvirt-2011|libvirt\n"
		"                           the fragment's names: <S3/> <S4/>, or\n"
		"                           <suspend_mem/> <suspend_disk/>\n"
		"                           <suspend_hybrid/> (default libvirt-2011;\n"
		"                           seed is an old name for it)\n"
		"  --source=LIST            sources to ask, in order, comma-separated,\n"
		"                           of logind, pm-utils, sysfs (default %s)\n"
		"  --sysfs-root=DIR         where sysfs is mounted (default %s)\n"
		"  --proc-root=DIR          where procfs is mounted (default %s)\n"
		"  --pm-is-supported=PATH   pm-is-supported program (default: on PATH)\n"
		"  --timeout=SECONDS        time each source may take (default %u)\n"
		"  --help                   show this help\n"
		"  --version                show the version\n"
		"\n"
		"The first source whose query succeeds gives the answer; where\n"
		"mem_sleep offers no 'deep', its S3 is no whatever the source said.\n"
		"Exit status: 0 the query succeeded (the fragment is printed, empty\n"
		"element when nothing is supported); 1 every source failed (nothing\n"
		"on stdout for xml, the reasons on stderr); 2 a bad option or value;\n"
		"3 an internal error; 128+N stopped by signal N (SIGTERM or SIGINT\n"
		"cancel the probe and kill the programs it runs).\n",
		progname, PROBE_DEFAULT_SOURCES, PROBE_DEFAULT_SYSFS_ROOT,
		PROBE_DEFAULT_PROC_ROOT, PROBE_DEFAULT_TIMEOUT_MS / 1000);
}

static const char *answer_text(const struct probe_result *r,
			       enum pm_answer a)
{
	if (!r->valid)
		return "-";
	switch (a) {
	case PM_YES:
		return "yes";
	case PM_NO:
		return "no";
	default:
		return "?";
	}
}

/* The kernel's suspend counters, "success/fail". */
static const char *stats_text(const struct probe_result *r, char *buf,
			      size_t len)
{
	if (!r->valid)
		return "-";
	if (!r->has_suspend_stats)
		return "?";
	snprintf(buf, len, "%lu/%lu", r->suspend_success, r->suspend_fail);
	return buf;
}

/* A capability's column is as wide as its label, and at least "yes ". */
static int column_width(const struct pm_capability *c)
{
	size_t n = strlen(c->label);

	return n < 4 ? 4 : (int)n;
}

/* One line of columns, then a line for each of policy, reason, error. */
static void print_row(const char *name, const struct probe_result *r)
{
	char stats[48];

	printf("%-10s %-6s ", name, r->valid ? "ok" : "failed");
	PM_FOR_EACH_CAPABILITY(c)
		printf("%-*s ", column_width(c),
		       answer_text(r, pm_capability_get(r, c)));
	printf("%s\n", stats_text(r, stats, sizeof(stats)));
	if (r->policy[0])
		printf("  policy: %s\n", r->policy);
	if (r->reason[0])
		printf("  reason: %s\n", r->reason);
	if (!r->valid)
		printf("  error:  %s\n", r->error);
}

static void print_table(const struct probe_report *rep)
{
	size_t i;

	printf("%-10s %-6s ", "source", "query");
	PM_FOR_EACH_CAPABILITY(c)
		printf("%-*s ", column_width(c), c->label);
	printf("suspends\n");
	print_row("effective", &rep->effective);
	for (i = 0; i < rep->nrows; i++)
		print_row(probe_source_name(rep->rows[i].source),
			  &rep->rows[i]);
}

/* The signal that stopped the probe, or 0. */
static int stopped_by(int fd)
{
	struct signalfd_siginfo si;

	if (fd >= 0 && read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		return (int)si.ssi_signo;
	return 0;
}

/*
 * The probe's helpers end with it: orphans they leave (in any session)
 * become ours to kill, and the death of whoever started us (hostpmd, even
 * SIGKILLed) cancels the probe as SIGTERM does. Call with SIGTERM blocked
 * for the signalfd, so that the signal waits there.
 */
static void end_with_parent(void)
{
	struct pollfd out = { .fd = STDOUT_FILENO, .events = 0 };

	if (hostpm_adopt_orphans() != 0)
		fprintf(stderr, "%s: cannot become a subreaper (%s): programs a helper leaves running may outlive the probe\n",
			progname, strerror(errno));
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) != 0)
		fprintf(stderr, "%s: cannot ask for a signal at the parent's death: %s\n",
			progname, strerror(errno));
	/*
	 * A parent that died before the prctl sends nothing: a pipe to us
	 * with no reader left (POLLERR) tells the same, for hostpmd's.
	 */
	if (poll(&out, 1, 0) == 1 && (out.revents & POLLERR))
		kill(getpid(), SIGTERM);
}

/* Kills what the helpers left running and reaps it, before we exit. */
static void end_helpers(void)
{
	int left = hostpm_end_children(2000);

	if (left != 0)
		fprintf(stderr, "%s: %s\n", progname,
			left < 0 ? "cannot list the processes the helpers left" :
				   "processes the helpers left did not die within 2 s of SIGKILL");
}

static int bad_value(const char *option, const char *why)
{
	fprintf(stderr, "%s: --%s: %s\n", progname, option, why);
	fprintf(stderr, "Try '%s --help'.\n", progname);
	return EXIT_USAGE;
}

static int copy_path(char *dst, size_t len, const char *option,
		     const char *value)
{
	char err[PROBE_ERROR_MAX];

	if (probe_path_parse(value, dst, len, err, sizeof(err)))
		return bad_value(option, err);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "dialect", required_argument, NULL, 'D' },
		{ "source", required_argument, NULL, 's' },
		{ "sysfs-root", required_argument, NULL, 'r' },
		{ "proc-root", required_argument, NULL, 'P' },
		{ "pm-is-supported", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const int stop_signals[] = { SIGTERM, SIGINT };
	struct probe_config cfg;
	struct probe_report rep;
	char err[PROBE_ERROR_MAX];
	enum pm_dialect dialect = PM_DIALECT_LIBVIRT_2011;
	enum { OUT_XML, OUT_TEXT, OUT_REPORT } format = OUT_XML;
	int c, rc;

	probe_config_init(&cfg);
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if (!strcmp(optarg, "text"))
				format = OUT_TEXT;
			else if (!strcmp(optarg, "xml"))
				format = OUT_XML;
			else if (!strcmp(optarg, "report"))
				format = OUT_REPORT;
			else
				return bad_value("format",
						 "expected 'xml', 'text' or 'report'");
			break;
		case 'D':
			if (pm_dialect_parse(optarg, &dialect))
				return bad_value("dialect",
						 "expected " PM_DIALECT_NAMES);
			break;
		case 's':
			if (probe_sources_parse(optarg, cfg.sources,
						&cfg.nsources, err,
						sizeof(err)))
				return bad_value("source", err);
			break;
		case 'r':
			rc = copy_path(cfg.sysfs_root, sizeof(cfg.sysfs_root),
				       "sysfs-root", optarg);
			if (rc)
				return rc;
			break;
		case 'P':
			rc = copy_path(cfg.proc_root, sizeof(cfg.proc_root),
				       "proc-root", optarg);
			if (rc)
				return rc;
			break;
		case 'p':
			rc = copy_path(cfg.pm_is_supported,
				       sizeof(cfg.pm_is_supported),
				       "pm-is-supported", optarg);
			if (rc)
				return rc;
			break;
		case 't':
			if (probe_timeout_parse(optarg, &cfg.timeout_ms, err,
						sizeof(err)))
				return bad_value("timeout", err);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("hostpm-probe %s\n", HOSTPM_VERSION);
			return 0;
		case ':':
			fprintf(stderr, "%s: option '%s' needs a value\n",
				progname, argv[optind - 1]);
			fprintf(stderr, "Try '%s --help'.\n", progname);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "%s: unknown option '%s'\n", progname,
				argv[optind - 1]);
			fprintf(stderr, "Try '%s --help'.\n", progname);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname,
			argv[optind]);
		fprintf(stderr, "Try '%s --help'.\n", progname);
		return EXIT_USAGE;
	}

	/*
	 * SIGTERM and SIGINT cancel the probe rather than end the process
	 * outright, so that a pm-is-supported under way (in a process group
	 * of its own) is killed with it rather than left behind.
	 */
	cfg.cancel_fd = hostpm_signalfd(stop_signals, sizeof(stop_signals) /
					    sizeof(stop_signals[0]));
	end_with_parent();
	probe_run(&cfg, &rep);
	end_helpers();
	rc = stopped_by(cfg.cancel_fd);
	if (rc) {
		fprintf(stderr, "%s: stopped by %s\n", progname, strsignal(rc));
		return 128 + rc;
	}

	if (format == OUT_TEXT) {
		print_table(&rep);
	} else {
		char *xml = pm_fragment_write(&rep.effective, dialect);

		if (!xml) {
			fprintf(stderr, "%s: cannot write the XML fragment\n",
				progname);
			return EXIT_INTERNAL;
		}
		if (format == OUT_REPORT)
			probe_report_write(stdout, &rep, xml);
		else
			fputs(xml, stdout);
		free(xml);
	}
	if (!rep.effective.valid) {
		size_t i;

		for (i = 0; i < rep.nrows; i++)
			fprintf(stderr, "%s: %s: %s\n", progname,
				probe_source_name(rep.rows[i].source),
				rep.rows[i].error);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("hostpm-probe: stdout");
		return EXIT_INTERNAL;
	}
	return rep.effective.valid ? 0 : EXIT_QUERY_FAILED;
}
