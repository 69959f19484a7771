# SPDX-License-Identifier: MIT
# hostpmd when things go wrong: started before snmpd, snmpd killed and
# restarted, a SET, a bad configuration file at start-up and at SIGHUP,
# SIGTERM, and a pm-is-supported that hangs.
. tests/testlib.bash
. tests/snmp.bash

sys=$T/sys
HOSTPMD_SYSFS=$sys
HOSTPMD_PM=$T/absent/pm-is-supported
sysfs_s3_s4 "$sys"
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

# --- SET is refused ------------------------------------------------------------------
out=$(snmp_set "$hostPmS3.1" i 2 2>&1); rc=$?
[ "$rc" -ne 0 ] || fail "snmpset hostPmS3.1 = 2 (community private) exited 0: $out"
case $out in
*notWritable* | *noAccess* | *noCreation* | *readOnly*) ok "SET hostPmS3.1 refused: $(printf '%s' "$out" | grep Reason)" ;;
*) fail "SET hostPmS3.1: no notWritable/noAccess/noCreation in [$out]" ;;
esac
assert_eq "after the SET, hostPmS3.1 is unchanged" 1 "$(snmp_value "$hostPmS3.1")"

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

# --- a pm-is-supported that hangs ---------------------------------------------------------------
# It answers at first; then it hangs (probeTimeout 30) and a GET must not
# wait for it.
pm=$T/pm
fake_pm "$pm" "exit 0" "exit 0" "exit 1"
HOSTPMD_PM=$pm HOSTPMD_TIMEOUT=30 hostpmd_conf
hostpmd_start
cat >"$pm.new" <<EOF
#!/bin/sh
echo \$\$ >>"$T/hang.pids"
exec sleep 60
EOF
chmod 0755 "$pm.new"
mv -f "$pm.new" "$pm"
kill -HUP "$HOSTPMD_PID"
wait_until 5 test -s "$T/hang.pids" ||
	fail "SIGHUP did not start a probe (the hanging pm-is-supported never ran)"
while read -r p; do HARNESS_PIDS+=("$p"); done <"$T/hang.pids"
# Each GET of the table is paired with the same kind of GET of snmpd's
# own sysUpTime, which no subagent answers: both pay for starting
# snmpget and loading MIBs, most of the time on a busy machine. A GET
# that waited for the probe would take snmpd's agentXTimeout (1 s) and
# come back an error, or the probe's whole budget.
base=() table=()
for i in 1 2 3 4 5; do
	t0=$(now_ms)
	v=$(snmp_value "$sysUpTime")
	base+=($(( $(now_ms) - t0 )))
	[ "$v" != error ] || fail "GET $i of snmpd's own sysUpTime failed"
	t0=$(now_ms)
	v=$(snmp_value "$hostPmSourceName.1")
	table+=($(( $(now_ms) - t0 )))
	assert_eq "GET $i during the hanging probe answers" effective "$v"
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
mb=$(median "${base[@]}") mt=$(median "${table[@]}")
limit=$((2 * SLOW * mb))
[ "$mt" -le "$limit" ] ||
	fail "GETs during the hanging probe took $mt ms (median of [${table[*]}]), more than twice snmpd's own answer, $mb ms (median of [${base[*]}])"
ok "GETs during the hanging probe: median $mt ms, snmpd's own sysUpTime $mb ms (limit $limit ms)"
kill -0 "$(head -n 1 "$T/hang.pids")" 2>/dev/null ||
	fail "the hanging pm-is-supported ended before the GETs were done: not a test of a hang"
ok "pm-is-supported was still hanging during the GETs"

# SIGTERM while the probe hangs: exit 0 within 5 s (not only when the
# probe times out, 30 s after it began), nothing left behind.
hostpmd_stop 5 "sent during a hanging probe (probeTimeout 30)"
ok "SIGTERM during a hanging probe: hostpmd exits with status 0 after $HOSTPMD_STOP_MS ms"
all_gone() {
	local p
	while read -r p; do kill -0 "$p" 2>/dev/null && return 1; done <"$T/hang.pids"
	return 0
}
wait_until 2 all_gone ||
	fail "pm-is-supported (pid $(tr '\n' ' ' <"$T/hang.pids")) is still running after hostpmd exited"
ok "no pm-is-supported left running after hostpmd exited"
