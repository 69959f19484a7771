# SPDX-License-Identifier: MIT
# hostpm: a plain Makefile. `make`, `make check`, `make install`.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR  ?= $(PREFIX)/lib
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
	     agent/prober.c agent/spool.c agent/spooler.c agent/master.c \
	     agent/publish.c agent/module.c
AGENT_OBJ := $(AGENT_SRC:%.c=$(BUILD)/%.o)
SNMP_LIBS := $(shell $(PKG_CONFIG) --libs netsnmp-agent 2>/dev/null)

PROGRAMS  := $(BUILD)/hostpm-probe $(BUILD)/hostpmd $(BUILD)/hostpm.so

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
	$(CC) $(ALL_CFLAGS) -pthread -o $@ $^ $(ALL_LDFLAGS) $(SNMP_LIBS) -lm

$(BUILD)/agent/%.o $(BUILD)/pic/agent/%.o: ALL_CFLAGS += -Iagent -pthread \
	-D_DEFAULT_SOURCE -DHOSTPM_PROBE_PROGRAM='"$(BINDIR)/hostpm-probe"'

# hostpm.so, for snmpd's "dlmod hostpm PATH": the same MIB module as
# hostpmd (every file of agent/ but hostpmd's main and its AgentX link)
# with dlmod.c as its entry point, and from the library what hostpmd
# takes, so neither libxml2 nor libsystemd. Position-independent objects
# in a folder of their own; only init_hostpm and deinit_hostpm exported,
# so that nothing of hostpm's can take the place of one of snmpd's
# symbols. -z defs: every symbol resolved at link time, not at dlopen in
# snmpd; -z nodelete: the module's memory outlives the unload of a
# SIGHUP (agent/dlmod.c).
DLMOD_SRC := agent/dlmod.c \
	     $(filter-out agent/hostpmd.c agent/master.c,$(AGENT_SRC))
DLMOD_OBJ := $(DLMOD_SRC:%.c=$(BUILD)/pic/%.o)
LIBPROBE_PIC := $(BUILD)/pic/libhostpm.a
PIC_FLAGS := -fPIC -fvisibility=hidden
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PIC_FLAGS) -c -o $@ $<
$(LIBPROBE_PIC): $(PROBE_SRC:%.c=$(BUILD)/pic/%.o)
	rm -f $@
	$(AR) rcs $@ $^
$(BUILD)/hostpm.so: $(DLMOD_OBJ) $(LIBPROBE_PIC)
	$(CC) $(ALL_CFLAGS) $(PIC_FLAGS) -shared -Wl,-z,defs -Wl,-z,nodelete \
		-Wl,--as-needed -pthread -o $@ $^ $(ALL_LDFLAGS) $(SNMP_LIBS) -lm

# hostpmd embeds where hostpm-probe is installed. The file below holds
# that path and is rewritten only when it changes, so that another
# PREFIX or BINDIR rebuilds the agent's objects and nothing else.
EMBEDDED_PATHS := $(BUILD)/embedded-paths
$(AGENT_OBJ) $(DLMOD_OBJ): $(EMBEDDED_PATHS)
$(EMBEDDED_PATHS): FORCE
	@mkdir -p $(dir $@)
	@echo 'BINDIR=$(BINDIR)' | cmp -s - $@ || echo 'BINDIR=$(BINDIR)' >$@
FORCE:

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(BUILD)/tests/testutil.o $(LIBPROBE)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CMOCKA_LIBS) $(XML_LIBS) $(SYSTEMD_LIBS) -lm

# The agent's pure parts, tested without snmpd.
$(BUILD)/tests/test_table: $(BUILD)/tests/test_table.o $(BUILD)/agent/table.o $(LIBPROBE)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CMOCKA_LIBS) $(SNMP_LIBS) $(XML_LIBS) $(SYSTEMD_LIBS) -lm
$(BUILD)/tests/test_spool: $(BUILD)/tests/test_spool.o $(BUILD)/agent/spool.o $(BUILD)/agent/spooler.o $(BUILD)/tests/testutil.o
	$(CC) $(ALL_CFLAGS) -pthread -o $@ $^ $(ALL_LDFLAGS) $(CMOCKA_LIBS) $(SNMP_LIBS)

$(BUILD)/tests/%.o: ALL_CFLAGS += -Itests -Iagent

# Every test: the unit tests, then the scripts that drive the programs.
check: all $(UNIT_TESTS)
	tests/run-tests $(BUILD)

# The checker of GETBULK answers and of the soak (tests/bulkcheck.c), a
# client of net-snmp's library as the load generator is.
BULKCHECK := $(BUILD)/tests/bulkcheck
$(BULKCHECK): $(BUILD)/tests/bulkcheck.o $(BUILD)/tests/snmpclient.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(BENCH_SNMP_LIBS)
check check-valgrind: $(BULKCHECK)

# The long forms of the reliability tests that make check runs bounded
# (HOSTPM_RELIABILITY=full), each showing its figures: a minute of
# GETBULKs while probes are forced every 20 ms, and a soak of 500,000
# requests. See README, "Reliability".
RELIABILITY_TESTS := agent_getbulk_one_report agent_soak
.PHONY: reliability
reliability: all $(BULKCHECK)
	@for t in $(RELIABILITY_TESTS); do \
	  echo "== tests/$$t.sh"; \
	  HOSTPM_BUILD=$(BUILD) HOSTPM_RELIABILITY=full bash tests/$$t.sh || exit 1; \
	done

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

check-all: check check-asan check-valgrind check-deploy analyze fuzz-short

# Fuzzing: a libFuzzer target for each parser of outside data
# (tests/fuzz/fuzz_*.c). make check replays the seed corpus and every
# input that once failed through each target, built with the build's own
# compiler and a main of ours; make fuzz builds them with clang's libFuzzer
# and runs each for FUZZ_TIME seconds (tests/fuzz/run); fuzz-short is the
# bounded run of check-all.
.PHONY: fuzz fuzz-build fuzz-short
FUZZ_TARGETS := sysfs hibernate report settings config
FUZZ_TIME ?= 60
FUZZ_CC ?= clang
FUZZ_BUILD ?= build/fuzz
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay/fuzz_%)
FUZZ_COMMON := $(BUILD)/tests/fuzz/fuzzutil.o $(BUILD)/tests/testutil.o
FUZZ_LIBS = $(SNMP_LIBS) $(XML_LIBS) $(SYSTEMD_LIBS) -lm
$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o \
			     $(BUILD)/tests/fuzz/replay.o $(FUZZ_COMMON) $(LIBPROBE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.o,$^) $(LIBPROBE) $(ALL_LDFLAGS) $(FUZZ_LIBS)
# Built with BUILD=$(FUZZ_BUILD) and libFuzzer's flags, by fuzz-build.
$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_COMMON) $(LIBPROBE)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.o,$^) $(LIBPROBE) $(ALL_LDFLAGS) $(FUZZ_LIBS)
# hostpmd.conf's values are checked by the agent's own reader.
$(BUILD)/fuzz-replay/fuzz_config $(BUILD)/fuzz_config: $(BUILD)/agent/config.o
check check-valgrind: $(FUZZ_REPLAY)

# Unsigned wrap-around is no undefined behaviour, but in a parser it is a
# wrong answer (it made hib-ready say yes to 176 EiB of memory).
FUZZ_SAN_FLAGS := $(SAN_FLAGS) -fsanitize=unsigned-integer-overflow
fuzz-build:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) CFLAGS="-O1 -g" \
		EXTRA_CFLAGS="$(FUZZ_SAN_FLAGS) -fsanitize=fuzzer-no-link" \
		EXTRA_LDFLAGS="$(FUZZ_SAN_FLAGS) -fsanitize=fuzzer" \
		$(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
fuzz: fuzz-build
	tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_TIME) $(FUZZ_TARGETS)
fuzz-short:
	$(MAKE) fuzz FUZZ_TIME=15

# GCC's static analyser over every file of agent/ and probe/; any finding
# fails. What it reports depends on the optimisation level and even on
# the -W options (-Wall hides a double fclose it finds without), so it
# runs as a plain gcc -fanalyzer does (-O0, no -W) and at the build's -O2.
# The objects are thrown away: it only reads.
ANALYZER_CC ?= gcc
ANALYZE_SRC := $(PROBE_SRC) probe/hostpm-probe.c $(AGENT_SRC) agent/dlmod.c
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
	install -m 0644 agent/hostpmd.conf $(DESTDIR)$(DOCDIR)/examples/
	sed 's|/usr/lib/hostpm/hostpm.so|$(LIBDIR)/hostpm/hostpm.so|' \
		agent/snmpd-hostpm.conf \
		>$(DESTDIR)$(DOCDIR)/examples/snmpd-hostpm.conf
	chmod 0644 $(DESTDIR)$(DOCDIR)/examples/snmpd-hostpm.conf
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
	install -d $(DESTDIR)$(LIBDIR)/hostpm
	install -m 0644 $(BUILD)/hostpm.so $(DESTDIR)$(LIBDIR)/hostpm/
	install -m 0644 probe/power_management.rng \
		probe/power_management-libvirt.rng $(DESTDIR)$(DATADIR)/hostpm/
	install -m 0644 mibs/HOSTPM-MIB.txt $(DESTDIR)$(DATADIR)/snmp/mibs/
	install -m 0644 probe/hostpm-probe.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 agent/hostpmd.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 agent/hostpmd.8 $(DESTDIR)$(MANDIR)/man8/

uninstall: uninstall-service
	rm -f $(DESTDIR)$(BINDIR)/hostpm-probe $(DESTDIR)$(SBINDIR)/hostpmd \
	      $(DESTDIR)$(LIBDIR)/hostpm/hostpm.so \
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
# make fuzz (fuzz-short in check-all): clang and its libFuzzer runtime.
DEB_PACKAGES += clang libclang-rt-14-dev
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
$(BUILD)/bench/loadgen: $(BUILD)/tests/bench/loadgen.o $(BUILD)/tests/bench/spec.o \
			$(BUILD)/tests/snmpclient.o
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
