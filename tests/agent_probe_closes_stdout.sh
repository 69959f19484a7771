# SPDX-License-Identifier: MIT
# A probe program that closes its stdout and then hangs (`exec >&-;
# sleep 600`): hostpmd must not wait for it. The table answers all the
# while, the program is stopped at the end of its budget (SIGTERM, then
# SIGKILL), the log names it and its budget, nothing of it is left
# running or unreaped, and probing goes on.
. tests/testlib.bash
. tests/snmp.bash

HOSTPMD_TIMEOUT=1  # two sources: a budget of 1 + 1 + 2 = 4 s
# Probes at start-up and at SIGHUP only: no second run of the hanging
# program begins once the first is stopped.
HOSTPMD_INTERVAL=60
sysfs_s3_s4 "$HOSTPMD_SYSFS"
snmpd_start
hostpmd_conf
hostpmd_start
assert_eq "S3 from the real probe" 1 "$(snmp_value "$hostPmS3.1")"

cat >"$T/closes-stdout" <<EOF
#!/bin/sh
export $LEFTOVER_MARK
exec >&-
echo \$\$ >"$T/closes-stdout.pid"
sleep 600
EOF
chmod 0755 "$T/closes-stdout"

mark=$(log_mark "$HOSTPMD_LOG")
hostpmd_conf "probeProgram $T/closes-stdout"
kill -HUP "$HOSTPMD_PID"
wait_until $((5 * SLOW)) test -s "$T/closes-stdout.pid" ||
	fail "the probe program that closes its stdout did not start within $((5 * SLOW)) s"
pid=$(cat "$T/closes-stdout.pid")

named() { log_since "$HOSTPMD_LOG" "$mark" | grep -q "probe: $T/closes-stdout did not finish within"; }
# Every GET during the hang must answer from the last report.
gets=0
deadline=$(( $(now_ms) + 15000 * SLOW ))
until named; do
	[ "$(now_ms)" -lt "$deadline" ] ||
		fail "no 'did not finish' line for $T/closes-stdout within $((15 * SLOW)) s after $gets GETs: [$(log_since "$HOSTPMD_LOG" "$mark")]"
	v=$(snmp_value "$hostPmS3.1")
	[ "$v" = 1 ] ||
		fail "GET hostPmS3.1 while the probe program hangs with its stdout closed: expected [1], got [$v] (after $gets good answers)"
	gets=$((gets + 1))
	sleep 0.2
done
[ "$gets" -ge 3 ] || fail "only $gets GETs answered before the probe program was stopped; expected at least 3 over its 4 s budget"
ok "the table answered all $gets GETs while the probe program hung with its stdout closed"
line=$(log_since "$HOSTPMD_LOG" "$mark" | grep "probe: $T/closes-stdout did not finish within" | head -n 1)
echo "$line" | grep -Eq "probe: $T/closes-stdout did not finish within 4 s; (stopped|killed); keeping the last answer\$" ||
	fail "the log line names the program and its 4 s budget: got [$line]"
ok "logged with the program and its budget: ${line##*probe: }"
wait_until 5 pid_gone "$pid" || fail "the probe program ($pid) still runs after its budget"
wait_until 5 no_marked_procs ||
	fail "the probe program's processes outlived its budget: $(marked_procs_described)"
wait_until 5 no_zombies_under "$HOSTPMD_PID" ||
	fail "zombies under hostpmd after the probe program was stopped: $(zombies_under "$HOSTPMD_PID")"
ok "the probe program and its sleep are gone, and reaped"

n=$(counter "$hostPmProbeCount")
hostpmd_conf
kill -HUP "$HOSTPMD_PID"
wait_until $((10 * SLOW)) counter_at_least "$hostPmProbeCount" $((n + 1)) ||
	fail "hostPmProbeCount did not go from $n to $((n + 1)) within $((10 * SLOW)) s with the real probe program back"
ok "hostpmd probes on with the real probe program"
hostpmd_stop
