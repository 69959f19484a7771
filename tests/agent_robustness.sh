# SPDX-License-Identifier: MIT
# hostpmd when things go wrong: started before snmpd, snmpd killed and
# restarted, a bad configuration file at start-up and at SIGHUP, and
# SIGTERM. (A SET and a hanging probe: agent_request_path.sh.)
. tests/testlib.bash
. tests/snmp.bash

host_s3_s4
fake_sysfs "$T/none" ""

# --- hostpmd started before snmpd ---------------------------------------------------
SNMPD_PORT=$(free_port)
hostpmd_conf
hostpmd_spawn
pid=$HOSTPMD_PID
# The spool file shows that it got past start-up and probed.
wait_until $((5 * SLOW)) test -f "$HOSTPMD_SPOOL" ||
	fail "without snmpd, hostpmd did not write its spool file within $((5 * SLOW)) s"
# Two more probe intervals without a master agent.
wait_until 1 pid_gone "$pid" &&
	fail "hostpmd exited while snmpd was not running: status $(wait "$pid"; echo $?)"
ok "without snmpd, hostpmd keeps running"
snmpd_start
t0=$(now_ms)
wait_until 10 hostpmd_answers ||
	fail "hostpmd started before snmpd: the table does not answer 10 s after snmpd came up"
ok "started before snmpd: the table answers $(( $(now_ms) - t0 )) ms after snmpd came up"
assert_eq "started before snmpd: same hostpmd" "$pid" "$HOSTPMD_PID"

# --- snmpd killed and started again ------------------------------------------------
mark=$(log_mark "$HOSTPMD_LOG")
snmpd_kill
lost() { log_since "$HOSTPMD_LOG" "$mark" | grep -Eqi 'disconnect|lost|failed to respond|not respond|unreachable'; }
wait_until 5 lost ||
	fail "hostpmd's log says nothing of losing snmpd within 5 s: [$(log_since "$HOSTPMD_LOG" "$mark")]"
ok "the log shows the loss: $(log_since "$HOSTPMD_LOG" "$mark" | grep -Ei 'disconnect|lost|failed to respond|not respond|unreachable' | head -n 1)"
snmpd_start  # same port, same AgentX socket path
t0=$(now_ms)
wait_until 10 hostpmd_answers ||
	fail "the table does not answer within 10 s of snmpd's restart"
ok "after snmpd's restart the table answers again in $(( $(now_ms) - t0 )) ms"
if ! hostpmd_alive || [ "$HOSTPMD_PID" != "$pid" ]; then
	fail "hostpmd is not the same process any more"
fi
assert_eq "hostpmd's pid is unchanged (pid file)" "$pid" "$(cat "$HOSTPMD_PIDFILE" 2>/dev/null)"
back() {
	log_since "$HOSTPMD_LOG" "$mark" |
		grep -Eqi 'subagent connected|reconnected|re-?registered|registered again|connected to'
}
wait_until 5 back || fail "hostpmd's log does not show the return of snmpd: [$(log_since "$HOSTPMD_LOG" "$mark")]"
ok "the log shows the return: $(log_since "$HOSTPMD_LOG" "$mark" | grep -Ei 'subagent connected|reconnected|re-?registered|registered again|connected to' | tail -n 1)"
assert_eq "after the restart: hostPmS3.1" 1 "$(snmp_value "$hostPmS3.1")"

# --- a bad value at SIGHUP: logged, the old configuration kept -----------------------
# Line 2 would switch to a host without S3; line 3 is bad, so neither
# may take effect.
cp "$HOSTPMD_CONF" "$T/good.conf"
{
	echo "# line 1"
	echo "sysfsRoot $T/none"
	echo "probeInterval abc"
	grep -Ev '^(sysfsRoot|probeInterval) ' "$T/good.conf"
} >"$HOSTPMD_CONF"
mark=$(log_mark "$HOSTPMD_LOG")
kill -HUP "$HOSTPMD_PID"
hup_logged() { log_since "$HOSTPMD_LOG" "$mark" | grep -q probeInterval; }
wait_until 5 hup_logged ||
	fail "SIGHUP with 'probeInterval abc': nothing about probeInterval in the log: [$(log_since "$HOSTPMD_LOG" "$mark")]"
ok "SIGHUP with a bad value is logged: $(log_since "$HOSTPMD_LOG" "$mark" | grep probeInterval | head -n 1)"
hostpmd_alive || fail "hostpmd exited at SIGHUP with a bad value"
ok "hostpmd keeps running after SIGHUP with a bad value"
probes=$(counter "$hostPmProbeCount")
wait_until $((3 * SLOW)) counter_at_least "$hostPmProbeCount" $((probes + 2)) ||
	fail "after the bad SIGHUP, probes no longer come every second (hostPmProbeCount $probes, then $(counter "$hostPmProbeCount"))"
ok "the old probeInterval (1 s) is kept"
assert_eq "the old sysfsRoot is kept: hostPmS3.1" 1 "$(snmp_value "$hostPmS3.1")"

# --- SIGTERM ------------------------------------------------------------------------------
assert_eq "the pid file holds hostpmd's pid" "$HOSTPMD_PID" "$(cat "$HOSTPMD_PIDFILE" 2>/dev/null)"
hostpmd_stop
ok "SIGTERM: hostpmd exits with status 0"
[ ! -e "$HOSTPMD_PIDFILE" ] || fail "SIGTERM: the pid file $HOSTPMD_PIDFILE is still there"
ok "SIGTERM: the pid file is removed"
assert_eq "after SIGTERM the table is gone from snmpd" noSuchObject "$(snmp_value "$hostPmSourceName.1")"

# --- a bad value at start-up -----------------------------------------------------------------
bad=$T/bad.conf
{
	echo "# line 1"
	echo "sysfsRoot $sys"
	echo "probeInterval abc"
	echo "spoolFile $T/bad-spool.xml"
} >"$bad"
# shellcheck disable=SC2086
timeout $((10 * SLOW)) $WRAP "$BUILD/hostpmd" -f -C -c "$bad" -x "$AGENTX_SOCKET" \
	-Lf "$T/bad.log" -p "$T/bad.pid" </dev/null >"$T/bad.out" 2>&1; rc=$?
[ "$rc" -ne 124 ] || fail "hostpmd with 'probeInterval abc' was still running after $((10 * SLOW)) s"
[ "$rc" -ne 0 ] || fail "hostpmd with 'probeInterval abc' exited 0"
ok "a bad configuration file stops start-up (exit status $rc)"
msgs=$(cat "$T/bad.out" "$T/bad.log" 2>/dev/null)
line=$(printf '%s\n' "$msgs" | grep -F "$bad" | grep -F 'line 3' | grep -F probeInterval | head -n 1)
[ -n "$line" ] || fail "no message names $bad, line 3 and probeInterval: [$msgs]"
ok "the message names the file, the line and the token: $line"
[ ! -e "$T/bad.pid" ] || fail "a pid file was left behind by the failed start"
