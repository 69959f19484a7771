# SPDX-License-Identifier: MIT
# A real snmpd (AgentX master), snmptrapd and hostpmd for the
# tests/agent_*.sh scripts. Source it after tests/testlib.bash:
#
#	. tests/testlib.bash
#	. tests/snmp.bash
#
# Everything listens on 127.0.0.1 only, on ports the kernel hands out,
# and keeps its files under $T: the system snmpd, its default ports and
# /var/lib/snmp are never touched. Everything started here is stopped by
# the EXIT trap, also when a test fails. Every wait is bounded.
#
# Functions:
#   free_port                      a free UDP port on 127.0.0.1
#   snmpd_start / snmpd_stop / snmpd_kill
#   snmptrapd_start / snmptrapd_stop
#   traps_of OID                   the notifications of type OID received
#   hostpmd_conf [LINE...]         writes $T/hostpmd.conf (defaults + LINEs)
#   hostpmd_spawn [ARG...]         starts hostpmd, does not wait
#   hostpmd_wait_ready             waits until hostPmSourceName.1 answers
#   hostpmd_start [ARG...]         spawn + wait_ready
#   hostpmd_stop                   SIGTERM; fails unless it exits 0 in time
#   snmp_get / snmp_walk / snmp_set  the net-snmp commands, numeric output
#   snmp_parse                     "OID = TYPE: VALUE" lines to OID<tab>TYPE<tab>VALUE
#   snmp_value OID / snmp_typed OID  one value ("noSuchInstance" etc. if absent)
#   (wait_until SECONDS CMD... is in tests/testlib.bash)
#   log_mark FILE / log_since FILE MARK   the part of a log written after MARK
#   sysfs_set ROOT STATE [MEM_SLEEP] [DISK]   changes a fake sysfs tree
#   flip_host_start / flip_host s3s4|none     a host of two states
#   counter OID / counter_at_least OID N      a Counter32
#
# HOSTPM_ATTACH=dlmod runs the same test against hostpm.so loaded into
# snmpd (dlmod) instead of hostpmd: hostpmd_spawn then (re)starts snmpd
# with "dlmod hostpm $BUILD/hostpm.so" and, after it, an includeFile of
# $HOSTPMD_CONF, so the module reads the same file from snmpd's
# configuration (at start and at each SIGHUP); HOSTPMD_PID is snmpd's,
# so a test's SIGHUP reloads snmpd; HOSTPMD_LOG is snmpd's log; and
# hostpmd_stop unloads the module (a SIGHUP without those lines, so
# deinit_hostpm) and checks that it left no process behind. A script
# that holds the line "# attachments: hostpmd dlmod" is run both ways by
# tests/run-tests. attached_to_snmpd tells a test which way it runs.

# --- OIDs (HOSTPM-MIB, mibs/HOSTPM-MIB.txt) -------------------------
hostPmMIB=.1.3.6.1.4.1.8072.9999.9999.1
hostPmCapabilitiesChanged=$hostPmMIB.0.1
hostPmTable=$hostPmMIB.1.1
hostPmEntry=$hostPmTable.1
hostPmSourceName=$hostPmEntry.2
hostPmQueryValid=$hostPmEntry.3
hostPmS3=$hostPmEntry.4
hostPmS4=$hostPmEntry.5
hostPmHybrid=$hostPmEntry.6
hostPmProbeAge=$hostPmEntry.7
hostPmError=$hostPmEntry.8
hostPmSpoolWriteFailures=$hostPmMIB.1.2.0
hostPmProbeCount=$hostPmMIB.1.3.0
sysDescr=.1.3.6.1.2.1.1.1.0
sysUpTime=.1.3.6.1.2.1.1.3.0
sysORTable=.1.3.6.1.2.1.1.9
sysORID=$sysORTable.1.2
sysORDescr=$sysORTable.1.3
snmpTrapOID=.1.3.6.1.6.3.1.1.4.1.0

HOSTPM_ATTACH=${HOSTPM_ATTACH:-hostpmd}
case $HOSTPM_ATTACH in hostpmd | dlmod) ;; *) fail "HOSTPM_ATTACH=$HOSTPM_ATTACH: hostpmd or dlmod" ;; esac
attached_to_snmpd() { [ "$HOSTPM_ATTACH" = dlmod ]; }
# The module is in snmpd's configuration (hostpmd_spawn) or not.
MODULE_LOADED=""
case $BUILD in /*) HOSTPM_SO=$BUILD/hostpm.so ;; *) HOSTPM_SO=$PWD/$BUILD/hostpm.so ;; esac

SNMPD=/usr/sbin/snmpd
SNMPTRAPD=/usr/sbin/snmptrapd
CHECK_SNMP=/usr/lib/nagios/plugins/check_snmp

# Under valgrind everything of hostpmd's is slower: start-up waits are
# stretched by this factor (bounds the issue states are not).
SLOW=1
[ -n "$WRAP" ] && SLOW=5

SNMPD_PORT="" TRAP_PORT=""
SNMPD_PID="" SNMPTRAPD_PID="" HOSTPMD_PID="" HOSTPMD_RC="" HOSTPMD_STOP_MS=""
SNMPD_DIR=$T/snmpd
AGENTX_SOCKET=$SNMPD_DIR/agentx.sock
HOSTPMD_CONF=$T/hostpmd.conf
# hostpmd runs this build's hostpm-probe, by absolute path.
case $BUILD in /*) HOSTPM_PROBE_PROGRAM=$BUILD/hostpm-probe ;; *) HOSTPM_PROBE_PROGRAM=$PWD/$BUILD/hostpm-probe ;; esac
HOSTPMD_LOG=$T/hostpmd.log
attached_to_snmpd && HOSTPMD_LOG=$SNMPD_DIR/snmpd.log
HOSTPMD_PIDFILE=$T/hostpmd.pid
HOSTPMD_ERR=$T/hostpmd.stderr
# Paths the default hostpmd.conf points at; a test may change them
# before hostpmd_conf/hostpmd_start.
HOSTPMD_SYSFS=$T/sysfs
HOSTPMD_PM=$T/pm-is-supported
HOSTPMD_SPOOL=$T/spool/power_management.xml
HOSTPMD_INTERVAL=1
HOSTPMD_TIMEOUT=5
# Folders a test made immutable (chattr +i): cleared before rm -rf.
HARNESS_IMMUTABLE=()
# Extra pids a test wants killed at exit (e.g. a hung fake program).
HARNESS_PIDS=()

# The net-snmp tools read no snmp.conf but ours (so no ~/.snmp or
# /etc/snmp setting changes what they do) and keep their persistent
# files under $T instead of /var/lib/snmp. "mibs :" loads no MIB unless
# asked for, as Debian's /etc/snmp/snmp.conf does; "clientaddr" keeps
# their sockets on 127.0.0.1.
mkdir -p "$T/snmpconf" "$T/persist" "$SNMPD_DIR/persist"
printf 'mibs :\nclientaddr 127.0.0.1\n' >"$T/snmpconf/snmp.conf"
export SNMPCONFPATH=$T/snmpconf
export SNMP_PERSISTENT_DIR=$T/persist

# HOSTPM-MIB and the base modules it imports, so that names work in
# commands; every OID the tests use is numeric, so without them (no npm
# registry) the tests still run.
SNMP_MIBOPTS=()
if timeout 120 tests/fetch-smi-mibs >"$T/fetch-smi-mibs.log" 2>&1; then
	# Both lists are given whole: only these folders, so that nothing in
	# ~/.snmp/mibs shadows them, and only these modules ("-m +..." would
	# also load net-snmp's compiled-in defaults, most of which Debian
	# lacks).
	SNMP_MIBOPTS=(-M "$PWD/mibs:$PWD/.cache/mibs" -m HOSTPM-MIB:SNMPv2-MIB)
else
	echo "note: tests/fetch-smi-mibs failed, using numeric OIDs only:" >&2
	sed 's/^/    /' "$T/fetch-smi-mibs.log" >&2
fi

# --- clean-up ------------------------------------------------------------

# harness_kill PID: SIGTERM, up to 3 s, then SIGKILL.
harness_kill() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 60; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# On failure, the tail of every log, so that run-tests shows why.
harness_show_logs() {
	local f
	for f in "$HOSTPMD_ERR" "$HOSTPMD_LOG" "$SNMPD_DIR/snmpd.log" "$T/trapd.log"; do
		[ -s "$f" ] || continue
		echo "--- last lines of ${f#"$T"/}:" >&2
		tail -n 25 "$f" | sed 's/^/    /' >&2
	done
}

harness_cleanup() {
	local rc=$? pid d
	[ "$rc" -eq 0 ] || harness_show_logs
	harness_kill "$HOSTPMD_PID"
	for pid in "${HARNESS_PIDS[@]}"; do harness_kill "$pid"; done
	harness_kill "$SNMPTRAPD_PID"
	harness_kill "$SNMPD_PID"
	if [ -n "$SNMPD_PID" ]; then
		wait "$SNMPD_PID" 2>/dev/null
		d=$(valgrind_module_errors)
		[ -z "$d" ] || { echo "FAIL: valgrind found errors in hostpm.so inside snmpd: $d" >&2; rc=1; }
	fi
	for d in "${HARNESS_IMMUTABLE[@]}"; do chattr -i "$d" 2>/dev/null; done
	kill_marked_procs
	rm -rf "$T"
	return "$rc"
}
# Replaces testlib's trap (rm -rf "$T"), which harness_cleanup ends with.
trap harness_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# --- small tools -------------------------------------------------------

# free_port: a UDP port on 127.0.0.1 that nobody uses right now.
free_port() {
	/usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# log_mark FILE: how many bytes FILE has now; log_since FILE MARK prints
# what was written after.
log_mark() { if [ -f "$1" ]; then stat -c %s "$1"; else echo 0; fi; }
log_since() { [ -f "$1" ] && tail -c "+$(( $2 + 1 ))" "$1"; return 0; }

# --- SNMP commands ---------------------------------------------------------

# snmp_get OID...: snmpget, community public.
snmp_get() {
	snmpget -v2c -c public -t 1 -r 1 -On -Oe -OU "${SNMP_MIBOPTS[@]}" \
		"127.0.0.1:$SNMPD_PORT" "$@"
}
# snmp_walk OID: snmpwalk, community public.
snmp_walk() {
	snmpwalk -v2c -c public -t 1 -r 1 -On -Oe -OU "${SNMP_MIBOPTS[@]}" \
		"127.0.0.1:$SNMPD_PORT" "$@"
}
# snmp_set OID TYPE VALUE...: snmpset, community private (read-write).
snmp_set() {
	snmpset -v2c -c private -t 1 -r 1 -On -Oe -OU "${SNMP_MIBOPTS[@]}" \
		"127.0.0.1:$SNMPD_PORT" "$@"
}

# snmp_parse: reads "OID = TYPE: VALUE" lines and prints
# OID<tab>TYPE<tab>VALUE, with a string's quotes removed (they depend on
# whether the MIB is loaded) and an exception as its type
# (noSuchObject, noSuchInstance, endOfMibView) with an empty value.
snmp_parse() {
	local line oid rest type val
	while IFS= read -r line; do
		case $line in *" = "*) ;; *) continue ;; esac
		oid=${line%% = *} rest=${line#* = }
		case $rest in
		"No Such Object"*) type=noSuchObject val= ;;
		"No Such Instance"*) type=noSuchInstance val= ;;
		"No more variables"*) type=endOfMibView val= ;;
		*:*) type=${rest%%:*} val=${rest#*:} val=${val# } ;;
		*) type=STRING val=$rest ;;
		esac
		if [ "${#val}" -ge 2 ] && [ "${val:0:1}" = '"' ] && [ "${val: -1}" = '"' ]; then
			val=${val:1:${#val}-2}
		fi
		printf '%s\t%s\t%s\n' "$oid" "$type" "$val"
	done
}

# snmp_typed OID: "TYPE VALUE" of one instance ("noSuchInstance " when
# it does not exist, "error" when the get failed).
snmp_typed() {
	local out
	out=$(snmp_get "$1" 2>/dev/null | snmp_parse) && [ -n "$out" ] ||
		{ echo "error"; return 1; }
	printf '%s\n' "$out" | head -n 1 | cut -f 2- | tr '\t' ' '
}
# snmp_value OID: the value alone, or the exception's name.
snmp_value() {
	local out
	out=$(snmp_get "$1" 2>/dev/null | snmp_parse) && [ -n "$out" ] ||
		{ echo "error"; return 1; }
	out=$(printf '%s\n' "$out" | head -n 1)
	case $(printf '%s' "$out" | cut -f 2) in
	noSuchObject | noSuchInstance | endOfMibView) printf '%s' "$out" | cut -f 2 ;;
	*) printf '%s' "$out" | cut -f 3 ;;
	esac
}

# --- snmpd -------------------------------------------------------------------

snmpd_answers() {
	snmpget -v2c -c public -t 0.2 -r 0 -On "127.0.0.1:$SNMPD_PORT" \
		"$sysUpTime" >/dev/null 2>&1
}

# snmpd_write_conf: snmpd's configuration, $SNMPD_DIR/snmpd.conf.
snmpd_write_conf() {
	mkdir -p "$SNMPD_DIR/persist"
	{
		echo "# written by tests/snmp.bash"
		echo "[snmp] persistentDir $SNMPD_DIR/persist"
		echo "[snmp] mibs :"
		echo "[snmp] clientaddr 127.0.0.1"
		echo "master agentx"
		echo "agentXSocket $AGENTX_SOCKET"
		echo "rocommunity public 127.0.0.1"
		echo "rwcommunity private 127.0.0.1"
		echo "dontLogTCPWrappersConnects yes"
		[ -z "$TRAP_PORT" ] || echo "trap2sink 127.0.0.1:$TRAP_PORT public"
		if [ -n "$MODULE_LOADED" ]; then
			echo "dlmod hostpm $HOSTPM_SO"
			echo "includeFile $HOSTPMD_CONF"
		fi
	} >"$SNMPD_DIR/snmpd.conf"
}

# snmpd_env: what runs snmpd. With the module in it: under valgrind
# when the test runs so ($WRAP, its report in snmpd/valgrind.log, read
# by snmpd_stop), and with the sanitizers' runtimes preloaded when
# hostpm.so is built with them (snmpd itself is not).
snmpd_env() {
	local preload
	if [ "$HOSTPM_ATTACH" != dlmod ]; then
		echo env
		return
	fi
	preload=$(ldd "$HOSTPM_SO" 2>/dev/null | awk '/lib(asan|ubsan)\.so/ { print $3 }' | tr '\n' ':')
	if [ -n "$preload" ]; then
		# The probes' programs get the preload too: no leak report (it
		# would be about snmpd and the fake helpers), and a signal a
		# test sends a fake probe (SIGSEGV) kills it as it would.
		echo env "LD_PRELOAD=${preload%:}" ASAN_OPTIONS=detect_leaks=0:handle_segv=0
	elif [ -n "$WRAP" ]; then
		# Full source paths, so that hostpm's frames show as agent/ or
		# probe/ (valgrind_module_errors).
		echo env $WRAP --fullpath-after= "--log-file=$SNMPD_DIR/valgrind.log"
	else
		echo env
	fi
}

# snmpd_start: snmpd on udp:127.0.0.1:$SNMPD_PORT (chosen at the first
# start, kept across restarts), AgentX master on $AGENTX_SOCKET, traps to
# 127.0.0.1:$TRAP_PORT when TRAP_PORT is set. Returns once it answers.
snmpd_start() {
	[ -z "$SNMPD_PID" ] || fail "snmpd_start: snmpd is already running ($SNMPD_PID)"
	[ -n "$SNMPD_PORT" ] || SNMPD_PORT=$(free_port)
	[ -n "$SNMPD_PORT" ] || fail "no free UDP port"
	snmpd_write_conf
	# -A: append, so the log keeps what happened before a restart.
	# -I -smux: no SMUX listener (it would take TCP port 199).
	# shellcheck disable=SC2046
	$(snmpd_env) "$SNMPD" -f -C -A -I -smux -c "$SNMPD_DIR/snmpd.conf" -Lf "$SNMPD_DIR/snmpd.log" \
		-p "$SNMPD_DIR/snmpd.pid" "udp:127.0.0.1:$SNMPD_PORT" \
		</dev/null >>"$SNMPD_DIR/snmpd.out" 2>&1 &
	SNMPD_PID=$!
	local deadline=$(( $(now_ms) + 10000 * SLOW ))
	until snmpd_answers; do
		if ! kill -0 "$SNMPD_PID" 2>/dev/null; then
			wait "$SNMPD_PID" 2>/dev/null
			SNMPD_PID=""
			cat "$SNMPD_DIR/snmpd.log" "$SNMPD_DIR/snmpd.out" >&2 2>/dev/null
			fail "snmpd exited at start-up (port $SNMPD_PORT)"
		fi
		[ "$(now_ms)" -lt "$deadline" ] || {
			cat "$SNMPD_DIR/snmpd.log" >&2
			fail "snmpd did not answer on 127.0.0.1:$SNMPD_PORT within $((10 * SLOW)) s"
		}
		sleep 0.05
	done
}

# snmpd_stop: SIGTERM, waits (5 s), then SIGKILL. Under valgrind with
# the module loaded, fails on an error valgrind found in hostpm's code.
snmpd_stop() {
	[ -n "$SNMPD_PID" ] || return 0
	harness_kill "$SNMPD_PID"
	wait "$SNMPD_PID" 2>/dev/null
	SNMPD_PID=""
	local ours
	ours=$(valgrind_module_errors)
	[ -z "$ours" ] || fail "valgrind found errors in hostpm.so inside snmpd: $ours"
}

# valgrind_module_errors: the errors and leaks valgrind reported for
# snmpd (snmpd/valgrind.log, then put aside) whose stack passes through
# hostpm.so.
valgrind_module_errors() {
	local log=$SNMPD_DIR/valgrind.log
	[ -s "$log" ] || return 0
	awk '/^==[0-9]+== $/ { if (b ~ /hostpm\.so|agent\/|probe\//) print b; b = ""; next }
		{ b = b $0 "\n" } END { if (b ~ /hostpm\.so|agent\/|probe\//) print b }' "$log"
	mv "$log" "$log.$(date +%s%N)"
}

# snmpd_kill: SIGKILL, as a crash; the socket file stays behind.
snmpd_kill() {
	[ -n "$SNMPD_PID" ] || return 0
	kill -KILL "$SNMPD_PID" 2>/dev/null
	wait "$SNMPD_PID" 2>/dev/null
	SNMPD_PID=""
}

# --- snmptrapd -------------------------------------------------------------

# snmptrapd_start: snmptrapd on udp:127.0.0.1:$TRAP_PORT, logging every
# notification to $T/trapd.log with numeric OIDs, one notification per
# line after its header line. Start it before snmpd_start so that snmpd's
# configuration gets the trap2sink line.
snmptrapd_start() {
	[ -z "$SNMPTRAPD_PID" ] || fail "snmptrapd_start: already running"
	[ -n "$TRAP_PORT" ] || TRAP_PORT=$(free_port)
	mkdir -p "$T/trapd-persist"
	{
		echo "# written by tests/snmp.bash"
		echo "[snmp] persistentDir $T/trapd-persist"
		echo "[snmp] mibs :"
		echo "[snmp] clientaddr 127.0.0.1"
		echo "disableAuthorization yes"
		echo "dontLogTCPWrappersConnects yes"
	} >"$T/trapd.conf"
	# -X: no AgentX; -On: numeric OIDs.
	"$SNMPTRAPD" -f -C -X -On -c "$T/trapd.conf" -Lf "$T/trapd.log" \
		-p "$T/trapd.pid" "udp:127.0.0.1:$TRAP_PORT" \
		</dev/null >"$T/trapd.out" 2>&1 &
	SNMPTRAPD_PID=$!
	# It logs its version once its port is open.
	wait_until 10 grep -q 'NET-SNMP version' "$T/trapd.log" 2>/dev/null || {
		cat "$T/trapd.log" "$T/trapd.out" >&2 2>/dev/null
		fail "snmptrapd did not start on 127.0.0.1:$TRAP_PORT within 10 s"
	}
}

snmptrapd_stop() {
	[ -n "$SNMPTRAPD_PID" ] || return 0
	harness_kill "$SNMPTRAPD_PID"
	wait "$SNMPTRAPD_PID" 2>/dev/null
	SNMPTRAPD_PID=""
}

# traps_of OID: the lines of trapd.log that are notifications of type OID.
traps_of() {
	local re
	re=$(printf '%s' "$snmpTrapOID = OID: $1" | sed 's/[.]/\\./g')
	grep -E "$re($(printf '\t')|\$)" "$T/trapd.log" 2>/dev/null
	return 0
}

# --- hostpmd -------------------------------------------------------------------

# hostpmd_conf [LINE...]: writes $HOSTPMD_CONF from the HOSTPMD_*
# settings above (a probe every second) with each LINE appended.
hostpmd_conf() {
	mkdir -p "$(dirname "$HOSTPMD_SPOOL")"
	{
		echo "# written by tests/snmp.bash"
		echo "probeInterval $HOSTPMD_INTERVAL"
		echo "probeTimeout $HOSTPMD_TIMEOUT"
		echo "probeSources pm-utils,sysfs"
		echo "sysfsRoot $HOSTPMD_SYSFS"
		echo "pmIsSupported $HOSTPMD_PM"
		echo "spoolFile $HOSTPMD_SPOOL"
		echo "agentxPingInterval 1"
		echo "probeProgram $HOSTPM_PROBE_PROGRAM"
		local line
		for line in "$@"; do echo "$line"; done
	} >"$HOSTPMD_CONF"
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }
hostpmd_alive() { [ -n "$HOSTPMD_PID" ] && kill -0 "$HOSTPMD_PID" 2>/dev/null; }

# hostpmd_spawn [ARG...]: starts hostpmd in the foreground mode, in the
# background, with $HOSTPMD_CONF (written with the defaults if missing).
hostpmd_spawn() {
	[ -z "$HOSTPMD_PID" ] || fail "hostpmd_spawn: hostpmd is already running ($HOSTPMD_PID)"
	if attached_to_snmpd; then
		module_load "$@"
		return
	fi
	[ -x "$BUILD/hostpmd" ] || fail "$BUILD/hostpmd does not exist (make $BUILD/hostpmd)"
	[ -f "$HOSTPMD_CONF" ] || hostpmd_conf
	# shellcheck disable=SC2086
	$WRAP "$BUILD/hostpmd" -f -C -c "$HOSTPMD_CONF" -x "$AGENTX_SOCKET" \
		-Lf "$HOSTPMD_LOG" -p "$HOSTPMD_PIDFILE" "$@" \
		</dev/null >>"$HOSTPMD_ERR" 2>&1 &
	HOSTPMD_PID=$!
}

hostpmd_answers() {
	[ "$(snmp_value "$hostPmSourceName.1")" = effective ]
}

# hostpmd_wait_ready: until hostPmSourceName.1 answers "effective"
# through snmpd (10 s); fails at once if hostpmd exits.
hostpmd_wait_ready() {
	local deadline=$(( $(now_ms) + 10000 * SLOW ))
	until hostpmd_answers; do
		if ! hostpmd_alive; then
			wait "$HOSTPMD_PID" 2>/dev/null
			local rc=$?
			HOSTPMD_PID=""
			fail "hostpmd exited (status $rc) before it answered"
		fi
		[ "$(now_ms)" -lt "$deadline" ] ||
			fail "hostPmSourceName.1 did not answer 'effective' within $((10 * SLOW)) s"
		sleep 0.05
	done
}

hostpmd_start() {
	hostpmd_spawn "$@"
	hostpmd_wait_ready
}

# hostpmd_stop [SECONDS [WHEN]]: SIGTERM; fails unless hostpmd exits with
# status 0 within SECONDS (default 5, stretched under valgrind); WHEN
# goes into the failure message. HOSTPMD_RC is its exit status.
hostpmd_stop() {
	[ -n "$HOSTPMD_PID" ] || fail "hostpmd_stop: hostpmd is not running"
	if attached_to_snmpd; then
		module_unload "$@"
		return
	fi
	local pid=$HOSTPMD_PID limit=${1:-$((5 * SLOW))} when=${2:+" $2"} t0
	t0=$(now_ms)
	kill -TERM "$pid" 2>/dev/null
	if ! wait_until "$limit" pid_gone "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		HOSTPMD_PID=""
		fail "hostpmd did not exit within $limit s of SIGTERM$when"
	fi
	HOSTPMD_STOP_MS=$(( $(now_ms) - t0 ))
	wait "$pid" 2>/dev/null
	HOSTPMD_RC=$?
	HOSTPMD_PID=""
	[ "$HOSTPMD_RC" -eq 0 ] || fail "hostpmd exited with status $HOSTPMD_RC after SIGTERM$when"
}

# sysfs_s3_s4 ROOT: a host with everything: S3 (deep), S4 and hybrid.
sysfs_s3_s4() {
	sysfs_set "$1" "freeze mem disk
" "s2idle [deep]
" "[platform] shutdown suspend
"
}

# host_s3_s4: hostpmd's host is $T/sys with everything (sysfs_s3_s4),
# and no pm-is-supported; sys names that tree.
host_s3_s4() {
	sys=$T/sys
	HOSTPMD_SYSFS=$sys
	HOSTPMD_PM=$T/absent/pm-is-supported
	sysfs_s3_s4 "$sys"
}

# sysfs_set ROOT STATE [MEM_SLEEP] [DISK]: changes a fake sysfs tree
# under a running hostpmd, each file replaced by a rename so that a probe
# never reads half of it; "-" removes the file.
sysfs_set() {
	local root=$1 f v
	mkdir -p "$root/power"
	for f in state mem_sleep disk; do
		case $f in state) v=$2 ;; mem_sleep) v=${3:--} ;; disk) v=${4:--} ;; esac
		if [ "$v" = - ]; then
			rm -f "$root/power/$f"
		else
			printf '%s' "$v" >"$root/power/.$f.new" &&
				mv -f "$root/power/.$f.new" "$root/power/$f"
		fi
	done
}

# A host that flips between two states for the reliability tests:
# "s3s4" (S3, S4, hybrid and s2idle) and "none" (nothing supported).
# They differ in /sys/power/state alone, replaced by a rename: a probe
# reads it once, so every report is of one state whole, in every column
# and row. procfs is fixed too ($T/proc), so that no reason changes
# with this machine's memory. flip_host_start writes the trees (state
# s3s4) and the configuration; flip_host STATE switches.
FLIP_SYSFS=$T/flip-sys
flip_host_start() {
	HOSTPMD_SYSFS=$FLIP_SYSFS
	HOSTPMD_PM=$T/absent/pm-is-supported
	fake_sysfs "$FLIP_SYSFS" "mem disk
" "s2idle [deep]
" "[platform] shutdown suspend
"
	mkdir -p "$T/proc"
	printf 'Filename\tType\tSize\tUsed\tPriority\n' >"$T/proc/swaps"
	printf 'MemTotal: 1000 kB\nActive(anon): 100 kB\n' >"$T/proc/meminfo"
	hostpmd_conf "procRoot $T/proc"
}
flip_host() {
	local state=$'mem disk\n'
	[ "$1" = none ] && state=$'\n'
	printf '%s' "$state" >"$FLIP_SYSFS/power/.state.new" &&
		mv -f "$FLIP_SYSFS/power/.state.new" "$FLIP_SYSFS/power/state"
}

# counter OID: the value of a Counter32 (empty if it is not one).
counter() {
	local t
	t=$(snmp_typed "$1")
	case $t in "Counter32 "*) echo "${t#Counter32 }" ;; *) echo "" ;; esac
}
# counter_at_least OID N
counter_at_least() {
	local v
	v=$(counter "$1")
	[ -n "$v" ] && [ "$v" -ge "$2" ]
}

# --- hostpm.so in snmpd (HOSTPM_ATTACH=dlmod) -------------------------------

# module_load: (re)starts snmpd with the module and $HOSTPMD_CONF, a
# fresh process as a fresh hostpmd would be.
module_load() {
	[ $# -eq 0 ] || fail "hostpmd_spawn $*: hostpmd's options mean nothing to hostpm.so (HOSTPM_ATTACH=dlmod)"
	[ -f "$HOSTPM_SO" ] || fail "$HOSTPM_SO does not exist (make $BUILD/hostpm.so)"
	[ -f "$HOSTPMD_CONF" ] || hostpmd_conf
	MODULE_LOADED=1
	snmpd_stop
	snmpd_start
	HOSTPMD_PID=$SNMPD_PID
}

snmpd_children() { ps -o pid= --ppid "$SNMPD_PID" 2>/dev/null | tr -d ' '; }
no_snmpd_children() { [ -z "$(snmpd_children)" ]; }
table_gone() { [ "$(snmp_value "$hostPmSourceName.1")" = noSuchObject ]; }

# module_unload [SECONDS [WHEN]]: the module out of snmpd's configuration
# and a SIGHUP: snmpd calls deinit_hostpm(). Fails unless, within
# SECONDS, the table is gone, snmpd still answers and no child of snmpd
# (a probe) is left.
module_unload() {
	local limit=${1:-$((5 * SLOW))} when=${2:+" $2"} t0
	MODULE_LOADED=""
	snmpd_write_conf
	t0=$(now_ms)
	kill -HUP "$SNMPD_PID"
	wait_until "$limit" table_gone ||
		fail "the table still answers $limit s after the module was unloaded$when"
	wait_until "$limit" no_snmpd_children ||
		fail "snmpd still has children (pids $(snmpd_children | tr '\n' ' ')) $limit s after the module was unloaded$when"
	HOSTPMD_STOP_MS=$(( $(now_ms) - t0 ))
	snmpd_answers || fail "snmpd does not answer after the module was unloaded$when"
	HOSTPMD_RC=0
	HOSTPMD_PID=""
}
