# SPDX-License-Identifier: MIT
# hostpm: a plain Makefile. `make`, `make check`, `make install`.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
SPOOLDIR ?= /var/spool/hostpm
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR  ?= $(DATADIR)/doc/hostpm
DESTDIR ?=
BUILD   ?= build

CC      ?= cc
CFLAGS  ?= -O2 -g
# Warnings fail the build in development and CI; a packager's build (a
# newer compiler, debian/rules) runs `make WERROR=` to see them and go on.
WERROR ?= -Werror
WARN    := -Wall -Wextra $(WERROR) -Wshadow -Wpointer-arith -Wcast-qual \
	   -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	   -Wsign-compare -Wformat=2 -Wundef -Wvla -Wwrite-strings \
	   -Wimplicit-fallthrough -Wnull-dereference
# Extra flags for a variant build (sanitizers, coverage).
EXTRA_CFLAGS ?=
EXTRA_LDFLAGS ?=

PKG_CONFIG ?= pkg-config
XML_CFLAGS  := $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags libxml-2.0 2>/dev/null))
XML_LIBS    := $(shell $(PKG_CONFIG) --libs libxml-2.0 2>/dev/null)
SYSTEMD_LIBS := $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CFLAGS  = -std=c11 $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -Iprobe \
	      -D_FORTIFY_SOURCE=2 -fstack-protector-strong $(XML_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS)

PROBE_SRC := probe/probe.c probe/pmutils.c probe/sysfs.c probe/spawn.c \
	     probe/fragment.c probe/settings.c probe/report.c probe/logind.c probe/hibernate.c probe/textfile.c \
	     probe/reaper.c probe/capability.c probe/result.c probe/signals.c
PROBE_OBJ := $(PROBE_SRC:%.c=$(BUILD)/%.o)
LIBPROBE  := $(BUILD)/libhostpm.a

AGENT_SRC := agent/hostpmd.c agent/config.c agent/mib.c agent/table.c \
	     agent/prober.c agent/spool.c agent/master.c agent/publish.c
AGENT_OBJ := $(AGENT_SRC:%.c=$(BUILD)/%.o)
SNMP_LIBS := $(shell $(PKG_CONFIG) --libs netsnmp-agent 2>/dev/null)

PROGRAMS  := $(BUILD)/hostpm-probe $(BUILD)/hostpmd

UNIT_TESTS := $(BUILD)/tests/test_sysfs $(BUILD)/tests/test_pmutils \
	      $(BUILD)/tests/test_fragment $(BUILD)/tests/test_settings \
	      $(BUILD)/tests/test_effective $(BUILD)/tests/test_table \
	      $(BUILD)/tests/test_spool $(BUILD)/tests/test_report \
	      $(BUILD)/tests/test_reaper $(BUILD)/tests/test_capability

.PHONY: bench all analyze check check-asan check-valgrind check-all \
	check-deploy install uninstall clean deps deps-deploy demo FORCE \
	snmp-exporter-config
all: $(PROGRAMS)

# Keep the objects make would delete as intermediates (faster rebuilds,
# and test output that ends with the tests' own summary).
.SECONDARY:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBPROBE): $(PROBE_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/hostpm-probe: $(BUILD)/probe/hostpm-probe.o $(LIBPROBE)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(XML_LIBS) $(SYSTEMD_LIBS) -lm

# hostpmd takes from the library only what probes nothing (settings, the
# report reader, the capability table, spawn and signals): the probing,
# and libxml2 and libsystemd with it, live in hostpm-probe.
$(BUILD)/hostpmd: $(AGENT_OBJ) $(LIBPROBE)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(SNMP_LIBS) -lm

$(BUILD)/agent/%.o: ALL_CFLAGS += -Iagent -D_DEFAULT_SOURCE \
	-DHOSTPM_PROBE_PROGRAM='"$(BINDIR)/hostpm-probe"'

# hostpmd embeds where hostpm-probe is installed. The file below holds
# that path and is rewritten only when it changes, so that another
# PREFIX or BINDIR rebuilds the agent's objects and nothing else.
EMBEDDED_PATHS := $(BUILD)/embedded-paths
$(AGENT_OBJ): $(EMBEDDED_PATHS)
$(EMBEDDED_PATHS): FORCE
	@mkdir -p $(dir $@)
	@echo 'BINDIR=$(BINDIR)' | cmp -s - $@ || echo 'BINDIR=$(BINDIR)' >$@
FORCE:

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(BUILD)/tests/testutil.o $(LIBPROBE)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CMOCKA_LIBS) $(XML_LIBS) $(SYSTEMD_LIBS) -lm

# The agent's pure parts, tested without snmpd.
$(BUILD)/tests/test_table: $(BUILD)/tests/test_table.o $(BUILD)/agent/table.o $(LIBPROBE)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CMOCKA_LIBS) $(SNMP_LIBS) $(XML_LIBS) $(SYSTEMD_LIBS) -lm
$(BUILD)/tests/test_spool: $(BUILD)/tests/test_spool.o $(BUILD)/agent/spool.o $(BUILD)/tests/testutil.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CMOCKA_LIBS) $(SNMP_LIBS)

$(BUILD)/tests/%.o: ALL_CFLAGS += -Itests -Iagent

# Every test: the unit tests, then the scripts that drive the programs.
check: all $(UNIT_TESTS)
	tests/run-tests $(BUILD)

# The same tests built with AddressSanitizer and UBSan.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
check-asan:
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g" \
		EXTRA_CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)" check

# The unit tests and the probe program under valgrind.
check-valgrind: all $(UNIT_TESTS)
	VALGRIND=1 tests/run-tests $(BUILD)

# The deployment tests: the package, the unit, the man pages and the
# monitoring integrations, each against the real program (tests/deploy).
# Run once, not per build variant; they install what they need.
check-deploy: deps-deploy all
	tests/run-tests $(BUILD) tests/deploy

check-all: check check-asan check-valgrind check-deploy analyze

# GCC's static analyser over every file of agent/ and probe/; any finding
# fails. What it reports depends on the optimisation level and even on
# the -W options (-Wall hides a double fclose it finds without), so it
# runs as a plain gcc -fanalyzer does (-O0, no -W) and at the build's -O2.
# The objects are thrown away: it only reads.
ANALYZER_CC ?= gcc
ANALYZE_SRC := $(PROBE_SRC) probe/hostpm-probe.c $(AGENT_SRC)
analyze:
	@for f in $(ANALYZE_SRC); do \
	  case $$f in agent/*) extra="-Iagent -D_DEFAULT_SOURCE";; *) extra="";; esac; \
	  for opt in -O0 -O2; do \
	    echo "analyze $$opt $$f"; \
	    $(ANALYZER_CC) -std=c11 -Werror $$opt -fanalyzer -Iprobe \
	      $(XML_CFLAGS) $$extra -c -o /dev/null $$f || exit 1; \
	  done; \
	done

# The Debian package, built from a copy of the tree so that the build
# leaves nothing in it; dpkg-buildpackage writes to the copy's parent,
# $(BUILD)/deb, where hostpm_VERSION_ARCH.deb ends up.
.PHONY: deb
deb:
	rm -rf $(BUILD)/deb
	mkdir -p $(BUILD)/deb/src
	tar -c --exclude=./build --exclude=./$(BUILD) --exclude=./.cache \
		--exclude=./.git . | tar -x -C $(BUILD)/deb/src
	cd $(BUILD)/deb/src && dpkg-buildpackage -us -uc -b
	rm -rf $(BUILD)/deb/src
	@ls $(BUILD)/deb/hostpm_*.deb

# The unit, with ExecStart in SBINDIR, and the example configuration
# files: what a non-package install needs beside the programs.
.PHONY: install-service uninstall-service
install-service:
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(DOCDIR)/examples
	sed 's|/usr/sbin/hostpmd|$(SBINDIR)/hostpmd|' agent/hostpmd.service \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/hostpmd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/hostpmd.service
	install -m 0644 agent/hostpmd.conf agent/snmpd-hostpm.conf \
		$(DESTDIR)$(DOCDIR)/examples/
uninstall-service:
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/hostpmd.service \
	      $(DESTDIR)$(DOCDIR)/examples/hostpmd.conf \
	      $(DESTDIR)$(DOCDIR)/examples/snmpd-hostpm.conf

install: all install-service
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(DATADIR)/hostpm $(DESTDIR)$(DATADIR)/snmp/mibs \
		$(DESTDIR)$(SPOOLDIR)
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(BUILD)/hostpm-probe $(DESTDIR)$(BINDIR)/
	install -m 0755 $(BUILD)/hostpmd $(DESTDIR)$(SBINDIR)/
	install -m 0644 probe/power_management.rng \
		probe/power_management-libvirt.rng $(DESTDIR)$(DATADIR)/hostpm/
	install -m 0644 mibs/HOSTPM-MIB.txt $(DESTDIR)$(DATADIR)/snmp/mibs/
	install -m 0644 probe/hostpm-probe.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 agent/hostpmd.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 agent/hostpmd.8 $(DESTDIR)$(MANDIR)/man8/

uninstall: uninstall-service
	rm -f $(DESTDIR)$(BINDIR)/hostpm-probe $(DESTDIR)$(SBINDIR)/hostpmd \
	      $(DESTDIR)$(DATADIR)/hostpm/power_management.rng \
	      $(DESTDIR)$(DATADIR)/hostpm/power_management-libvirt.rng \
	      $(DESTDIR)$(DATADIR)/snmp/mibs/HOSTPM-MIB.txt \
	      $(DESTDIR)$(MANDIR)/man1/hostpm-probe.1 \
	      $(DESTDIR)$(MANDIR)/man5/hostpmd.conf.5 \
	      $(DESTDIR)$(MANDIR)/man8/hostpmd.8

# Debian packages needed to build, test and run; installs only what is
# missing, so it is cheap to run again. An npm already on PATH (say, with
# a Node.js not from Debian, whose nodejs conflicts with Debian's npm) is
# taken as it is: it only fetches the SNMPv2 MIB modules.
DEB_PACKAGES := gcc make pkg-config libc6-dev libxml2-dev libcmocka-dev \
		libsnmp-dev snmp snmpd snmptrapd smitools npm valgrind \
		monitoring-plugins-standard libxml2-utils libsystemd-dev dbus \
		python3-dbusmock perl util-linux strace
# The real servers the deployment tests run (tests/deploy). Services
# these packages would start at installation are not started where a
# policy-rc.d forbids it; the tests start their own private instances.
DEPLOY_PACKAGES := debhelper dpkg-dev lintian mandoc systemd \
		systemd-container debootstrap postgresql zabbix-server-pgsql \
		zabbix-frontend-php php8.2-cgi php8.2-pgsql prometheus \
		prometheus-snmp-exporter nagios4 icinga2
# man: tests/deploy/man_pages.sh reads the installed pages with man -M.
DEPLOY_PACKAGES += man-db
deps-deploy:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(DEPLOY_PACKAGES)"

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  if [ $$p = npm ] && command -v npm >/dev/null; then continue; fi; \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "all build and test packages are installed"; fi

# snmp_exporter's module for HOSTPM-MIB: mibs/prometheus/snmp.yml is
# generated from generator.yml there, never edited. The generator gets
# the base SMIv2 modules and mibs/ only, and no snmp.conf may add folders:
# the modules in Debian's /usr/share/snmp/mibs import others that Debian
# lacks, parse errors that --fail-on-parse-errors makes a failure.
# SNMP_YML=FILE writes elsewhere (tests/deploy/prometheus.sh compares).
SNMP_YML ?= $(CURDIR)/mibs/prometheus/snmp.yml
snmp-exporter-config:
	tests/fetch-smi-mibs
	cd mibs/prometheus && SNMPCONFPATH=/nonexistent \
	  MIBDIRS=$(CURDIR)/.cache/mibs:$(CURDIR)/mibs \
	  prometheus-snmp-generator --fail-on-parse-errors generate \
	    -o $(abspath $(SNMP_YML))

# The main job: hostpmd under a private snmpd on loopback, walked.
demo: all
	tests/demo $(BUILD)

# The benchmark (not part of check): hostpmd against snmpd's own objects,
# a minimal AgentX subagent and script peers. It reports; it never fails
# on a timing. See tests/bench/run.
BENCH_SNMP_LIBS := $(shell $(PKG_CONFIG) --libs netsnmp 2>/dev/null)
BENCH_AGENT_LIBS := -lnetsnmpagent $(BENCH_SNMP_LIBS)
$(BUILD)/tests/bench/%.o: ALL_CFLAGS += -D_DEFAULT_SOURCE
$(BUILD)/bench/loadgen: $(BUILD)/tests/bench/loadgen.o $(BUILD)/tests/bench/spec.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(BENCH_SNMP_LIBS)
$(BUILD)/bench/minimal-subagent: $(BUILD)/tests/bench/minimal-subagent.o \
				  $(BUILD)/tests/bench/spec.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(BENCH_AGENT_LIBS)
$(BUILD)/bench/probecost: $(BUILD)/tests/bench/probecost.o $(LIBPROBE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(XML_LIBS) $(SYSTEMD_LIBS) -lm
bench:
	tests/bench/run

clean:
	rm -rf build

# Files only: the package build has a folder etc/snmp/snmpd.conf.d.
-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
