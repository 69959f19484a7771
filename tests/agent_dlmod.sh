# SPDX-License-Identifier: MIT
# hostpm.so inside snmpd (dlmod), what only it has: it links neither
# libxml2 nor libsystemd and exports only init_hostpm/deinit_hostpm; its
# tokens are taken after the dlmod line (one before it is snmpd's
# "Unknown token" warning); snmpd's SIGHUP re-reads them and probes
# again at once; reloads and an unload leave no process or descriptor
# behind. (The tests that also run against hostpmd run against the
# module too: tests/run-tests, "# attachments".)
. tests/testlib.bash
HOSTPM_ATTACH=dlmod
. tests/snmp.bash

# --- the shared object ----------------------------------------------------------
[ -f "$HOSTPM_SO" ] || fail "$HOSTPM_SO is not built"
needed=$(readelf -d "$HOSTPM_SO" | grep NEEDED)
for lib in libxml2 libsystemd; do
	case $needed in *"$lib"*) fail "hostpm.so needs $lib: [$needed]" ;; esac
done
ok "hostpm.so needs neither libxml2 nor libsystemd: $(printf '%s\n' "$needed" | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')"
ldd "$HOSTPM_SO" | grep -Eq 'libxml2|libsystemd' &&
	fail "hostpm.so loads libxml2 or libsystemd indirectly: $(ldd "$HOSTPM_SO")"
ok "nor does anything it loads (ldd)"
exports=$(nm -D --defined-only "$HOSTPM_SO" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort | tr '\n' ' ')
assert_eq "hostpm.so exports only its dlmod entry points" "deinit_hostpm init_hostpm " "$exports"

# --- tokens before and after the dlmod line -----------------------------------------
host_s3_s4
# probeInterval 60 after the line, so that only a SIGHUP's probe counts.
HOSTPMD_INTERVAL=60 hostpmd_conf "probeSources sysfs"
snmpd_start
snmpd_conf_before() { sed -i "/^dlmod hostpm /i $1" "$SNMPD_DIR/snmpd.conf"; }
hostpmd_start
# A token before the line: written into the file snmpd reads, then a
# reload (snmpd_start would write the file anew).
snmpd_conf_before "sysfsRoot $T/elsewhere"
mark=$(log_mark "$HOSTPMD_LOG")
probes=$(counter "$hostPmProbeCount")
kill -HUP "$SNMPD_PID"
wait_until $((5 * SLOW)) counter_at_least "$hostPmProbeCount" $((probes + 1)) ||
	fail "SIGHUP did not probe again within $((5 * SLOW)) s (probeInterval 60): hostPmProbeCount [$(counter "$hostPmProbeCount")], was $probes"
ok "SIGHUP probes again at once: hostPmProbeCount $probes -> $(counter "$hostPmProbeCount")"
log_since "$HOSTPMD_LOG" "$mark" | grep -F 'Unknown token: sysfsRoot' >/dev/null ||
	fail "a hostpm token before the dlmod line is not warned about: [$(log_since "$HOSTPMD_LOG" "$mark")]"
ok "a token before the dlmod line is snmpd's warning: $(log_since "$HOSTPMD_LOG" "$mark" | grep -F 'Unknown token: sysfsRoot' | head -n 1)"
assert_eq "and it changes nothing: S3 from the sysfsRoot after the line" 1 "$(snmp_value "$hostPmS3.1")"

# The file after the line is read again at SIGHUP: a host without S3.
fake_sysfs "$T/none" ""
HOSTPMD_SYSFS=$T/none HOSTPMD_INTERVAL=60 hostpmd_conf "probeSources sysfs"
kill -HUP "$SNMPD_PID"
no_s3() { [ "$(snmp_value "$hostPmS3.1")" = 2 ]; }
wait_until $((5 * SLOW)) no_s3 || fail "SIGHUP did not take the new sysfsRoot: hostPmS3.1 [$(snmp_value "$hostPmS3.1")]"
ok "SIGHUP re-reads the tokens: the new sysfsRoot's answer is served"

# --- reloads and the unload leave nothing behind ----------------------------------------
fds() { ls "/proc/$SNMPD_PID/fd" | wc -l; }
settled() { no_snmpd_children; }
wait_until $((5 * SLOW)) settled || fail "a probe is still running"
before=$(fds)
for i in 1 2 3 4 5 6 7 8 9 10; do kill -HUP "$SNMPD_PID"; sleep 0.1; done
wait_until $((5 * SLOW)) settled || fail "after 10 SIGHUPs snmpd still has children: $(snmpd_children | tr '\n' ' ')"
hostpmd_wait_ready
assert_eq "10 SIGHUPs: snmpd holds as many descriptors as before" "$before" "$(fds)"
# Probes every second, each one a run of a pm-is-supported that counts
# its runs: once the module is unloaded, no timer of its may start one.
fake_pm "$T/pm" "echo x >>$T/pm.runs; exit 0" "exit 1" "exit 1"
HOSTPMD_PM=$T/pm HOSTPMD_INTERVAL=1 hostpmd_conf
kill -HUP "$SNMPD_PID"
ran() { [ -s "$T/pm.runs" ]; }
wait_until $((5 * SLOW)) ran || fail "the counting pm-is-supported never ran"
hostpmd_stop
ok "unloaded: the table is gone, no child of snmpd is left ($HOSTPMD_STOP_MS ms)"
# The module's only descriptor is the read end of its probe's pipe.
# snmpd keeps a pipe of its own, both ends; a pipe of which snmpd holds
# one end only is a probe's, left behind.
lone=$(for f in /proc/"$SNMPD_PID"/fd/*; do readlink "$f"; done | grep '^pipe:' | sort | uniq -u)
[ -z "$lone" ] || fail "snmpd holds one end only of $lone after the unload: a probe's pipe left open"
ok "no probe pipe is left in snmpd after the unload"
grep -F "hostpm $(sed -n 's/^#define HOSTPM_VERSION "\(.*\)"/\1/p' probe/hostpm.h) loaded into snmpd" "$HOSTPMD_LOG" >/dev/null ||
	fail "snmpd's log does not say the module was loaded"
ok "snmpd's log says the module was loaded"
! grep -F 'hostpm: loaded while snmpd runs' "$HOSTPMD_LOG" >/dev/null ||
	fail "a module loaded with snmpd's files says it was loaded without them"
ok "loaded with snmpd's files (at start and at each of its SIGHUPs), it says nothing of a run-time load"
runs=$(wc -l <"$T/pm.runs")
sleep $((3 * SLOW))
assert_eq "no probe runs after the unload (probeInterval 1, $((3 * SLOW)) s later)" "$runs" "$(wc -l <"$T/pm.runs")"

# --- loaded while snmpd runs (a SET of UCD-DLMOD-MIB) -------------------------------
# Its tokens were read before it was there: it says so and serves
# nothing, rather than defaults (a spool file in /var/spool/hostpm).
dlmodEntry=.1.3.6.1.4.1.2021.13.14.2.1
row=$(snmpget -v2c -c public -t 1 -r 1 -Oqv "127.0.0.1:$SNMPD_PORT" .1.3.6.1.4.1.2021.13.14.1.0) ||
	fail "snmpd has no dlmodNextIndex: [$row]"
mark=$(log_mark "$HOSTPMD_LOG")
dlmod_set() { snmpset -v2c -c private -t 5 -r 0 "127.0.0.1:$SNMPD_PORT" "$@" >"$T/set.out" 2>&1 ||
	fail "snmpset $*: $(cat "$T/set.out")"; }
dlmod_set "$dlmodEntry.5.$row" i 6
dlmod_set "$dlmodEntry.2.$row" s hostpm "$dlmodEntry.3.$row" s "$HOSTPM_SO"
dlmod_set "$dlmodEntry.5.$row" i 4
assert_eq "loaded by a SET: dlmodStatus is loaded(1)" 1 \
	"$(snmpget -v2c -c public -t 1 -r 1 -Oqv "127.0.0.1:$SNMPD_PORT" "$dlmodEntry.5.$row")"
said_why() { log_since "$HOSTPMD_LOG" "$mark" | grep -F 'hostpm: loaded while snmpd runs' >/dev/null; }
wait_until $((5 * SLOW)) said_why || fail "a module loaded by a SET does not say why it serves nothing: [$(log_since "$HOSTPMD_LOG" "$mark")]"
ok "loaded by a SET, it says why it serves nothing: $(log_since "$HOSTPMD_LOG" "$mark" | grep -F 'hostpm: loaded while snmpd runs')"
assert_eq "and HOSTPM-MIB is not served" noSuchObject "$(snmp_value "$hostPmSourceName.1")"
assert_eq "and it started no probe" "" "$(snmpd_children)"
dlmod_set "$dlmodEntry.5.$row" i 5
assert_eq "unloaded by a SET: dlmodStatus is unloaded(2)" 2 \
	"$(snmpget -v2c -c public -t 1 -r 1 -Oqv "127.0.0.1:$SNMPD_PORT" "$dlmodEntry.5.$row")"

# --- snmpd in the background and as another user (-u) -----------------------------
# snmpd reads its files, then forks into the background, then becomes
# its -u user: the module's first probe must come after all three, a
# child of the daemon and run as that user. Another snmpd, on its own
# port, with no AgentX.
chmod 0755 "$T"
d2=$T/daemon
mkdir -p "$d2/persist" "$d2/spool" && chmod 0777 "$d2" "$d2/persist" "$d2/spool"
fake_pm "$d2/pm" "id -un >>$d2/users; exit 0" "exit 1" "exit 1"
port2=$(free_port)
{
	echo "[snmp] persistentDir $d2/persist"
	echo "rocommunity public 127.0.0.1"
	echo "dlmod hostpm $HOSTPM_SO"
	echo "probeInterval 60"
	echo "probeSources pm-utils,sysfs"
	echo "sysfsRoot $sys"
	echo "pmIsSupported $d2/pm"
	echo "spoolFile $d2/spool/power_management.xml"
	echo "probeProgram $HOSTPM_PROBE_PROGRAM"
} >"$d2/snmpd.conf"
# shellcheck disable=SC2046
$(snmpd_env) "$SNMPD" -C -I -smux -c "$d2/snmpd.conf" -Lf "$d2/snmpd.log" \
	-p "$d2/snmpd.pid" -u nobody "udp:127.0.0.1:$port2" </dev/null >"$d2/out" 2>&1
rc=$?
assert_eq "snmpd without -f returns once in the background" 0 "$rc"
wait_until $((5 * SLOW)) test -s "$d2/snmpd.pid" || fail "the daemon wrote no pid file: $(cat "$d2/snmpd.log")"
HARNESS_PIDS+=("$(cat "$d2/snmpd.pid")")
s3_on_daemon() {
	[ "$(snmpget -v2c -c public -t 1 -r 1 -Oqv "127.0.0.1:$port2" "$hostPmS3.2" 2>/dev/null)" = 1 ]
}
wait_until $((10 * SLOW)) s3_on_daemon ||
	fail "the daemon's first probe was never served (hostPmS3.2, pm-utils, is not 1): $(cat "$d2/snmpd.log")"
ok "in the background, the daemon serves its first probe"
assert_eq "the first probe ran as snmpd's -u user" nobody "$(sort -u "$d2/users" | tr '\n' ' ' | sed 's/ $//')"
assert_eq "and the spool file is written by that user" nobody "$(stat -c %U "$d2/spool/power_management.xml" 2>/dev/null)"
