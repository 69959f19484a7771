# SPDX-License-Identifier: MIT
# A second hostpmd against the same snmpd: the master refuses its
# registration (AgentX duplicateRegistration). It exits with status 1
# and says why, without taking the first one's table with it; once the
# first has gone, a new start (as systemd's Restart=on-failure makes it)
# serves the table. Also when both wait for snmpd and connect together.
. tests/testlib.bash
. tests/snmp.bash

HOSTPMD_SYSFS=$T/sys
sysfs_s3_s4 "$HOSTPMD_SYSFS"

# second_spawn: another hostpmd with the same configuration, its own
# log, pid file and spool file; SECOND_PID.
second_spawn() {
	sed "s|^spoolFile .*|spoolFile $T/second/power_management.xml|" \
		"$HOSTPMD_CONF" >"$T/second.conf"
	mkdir -p "$T/second"
	# shellcheck disable=SC2086
	$WRAP "$BUILD/hostpmd" -f -C -c "$T/second.conf" -x "$AGENTX_SOCKET" \
		-Lf "$T/second.log" -p "$T/second.pid" </dev/null \
		>>"$T/second.err" 2>&1 &
	SECOND_PID=$!
	HARNESS_PIDS+=("$SECOND_PID")
}

refusal_said() {
	grep -F 'refused to register HOSTPM-MIB' "$1" 2>/dev/null |
		grep -F 263 | grep -qF duplicateRegistration
}

# --- a second instance while the first serves ----------------------------
snmpd_start
hostpmd_conf
hostpmd_start
first=$HOSTPMD_PID
second_spawn
wait_until $((10 * SLOW)) pid_gone "$SECOND_PID" ||
	fail "the second hostpmd still runs $((10 * SLOW)) s after it was refused: [$(cat "$T/second.log")]"
wait "$SECOND_PID"
rc=$?
assert_eq "the second hostpmd's exit status" 1 "$rc"
refusal_said "$T/second.log" ||
	fail "the second hostpmd's log does not say the master refused HOSTPM-MIB (263, duplicateRegistration): [$(cat "$T/second.log")]"
ok "it says why: $(grep -F refused "$T/second.log")"
[ ! -e "$T/second.pid" ] || fail "the refused hostpmd left its pid file"
[ ! -e "$T/second/power_management.xml" ] || fail "the refused hostpmd wrote a spool file"
ok "the refused hostpmd left no pid file and no spool file"
# Had it unregistered on its way out, the master would have dropped the
# first one's registration (it does not check whose it is).
assert_eq "the first hostpmd still serves: hostPmSourceName.1" effective "$(snmp_value "$hostPmSourceName.1")"
assert_eq "the first hostpmd still serves: hostPmS3.1" 1 "$(snmp_value "$hostPmS3.1")"
assert_eq "the first hostpmd is still running" "$first" "$(cat "$HOSTPMD_PIDFILE" 2>/dev/null)"

# --- after the first exits, a new start serves -------------------------------
hostpmd_stop
t0=$(now_ms)
HOSTPMD_CONF=$T/second.conf HOSTPMD_PIDFILE=$T/second.pid HOSTPMD_LOG=$T/second.log hostpmd_spawn
wait_until $((15 * SLOW)) hostpmd_answers ||
	fail "a hostpmd started after the first exited does not answer within $((15 * SLOW)) s"
ok "started after the first exited, it answers in $(( $(now_ms) - t0 )) ms"
assert_eq "and serves the host: hostPmS3.1" 1 "$(snmp_value "$hostPmS3.1")"
hostpmd_stop

# --- two waiting for snmpd: the one refused exits, the other serves ----------
snmpd_stop
rm -f "$T/second.log" "$T/second.err"
hostpmd_spawn
second_spawn
for p in "$HOSTPMD_PID" "$SECOND_PID"; do
	wait_until $((5 * SLOW)) test -f "/proc/$p/cmdline" ||
		fail "hostpmd $p did not start"
done
snmpd_start
one_gone() { pid_gone "$HOSTPMD_PID" || pid_gone "$SECOND_PID"; }
wait_until $((10 * SLOW)) one_gone ||
	fail "two hostpmds at one snmpd: neither exited within $((10 * SLOW)) s of snmpd's start"
if pid_gone "$HOSTPMD_PID"; then
	wait "$HOSTPMD_PID"; rc=$? log=$HOSTPMD_LOG pidfile=$HOSTPMD_PIDFILE
	HOSTPMD_PID=$SECOND_PID HOSTPMD_PIDFILE=$T/second.pid
else
	wait "$SECOND_PID"; rc=$? log=$T/second.log pidfile=$T/second.pid
fi
assert_eq "of two hostpmds connecting at once, the refused one's exit status" 1 "$rc"
refusal_said "$log" || fail "the refused hostpmd's log does not say why: [$(cat "$log")]"
ok "the refused one says why"
[ ! -e "$pidfile" ] || fail "the refused hostpmd left its pid file $pidfile"
hostpmd_alive || fail "the other hostpmd exited too"
wait_until $((5 * SLOW)) hostpmd_answers ||
	fail "the remaining hostpmd does not answer"
assert_eq "the remaining hostpmd serves: hostPmS3.1" 1 "$(snmp_value "$hostPmS3.1")"
hostpmd_stop
