# SPDX-License-Identifier: MIT
# attachments: hostpmd dlmod
# A request never waits and never writes: a SET is refused, GETs answer
# while a pm-is-supported hangs, and the module stops during the hang
# with nothing left running, in hostpmd and inside snmpd alike.
. tests/testlib.bash
. tests/snmp.bash

host_s3_s4
snmpd_start
hostpmd_conf
hostpmd_start

# --- SET is refused ------------------------------------------------------------------
out=$(snmp_set "$hostPmS3.1" i 2 2>&1); rc=$?
[ "$rc" -ne 0 ] || fail "snmpset hostPmS3.1 = 2 (community private) exited 0: $out"
case $out in
*notWritable* | *noAccess* | *noCreation* | *readOnly*) ok "SET hostPmS3.1 refused: $(printf '%s' "$out" | grep Reason)" ;;
*) fail "SET hostPmS3.1: no notWritable/noAccess/noCreation in [$out]" ;;
esac
assert_eq "after the SET, hostPmS3.1 is unchanged" 1 "$(snmp_value "$hostPmS3.1")"

# --- a pm-is-supported that hangs ---------------------------------------------------------------
# It answers at first; then it hangs (probeTimeout 30) and a GET must not
# wait for it.
pm=$T/pm
fake_pm "$pm" "exit 0" "exit 0" "exit 1"
HOSTPMD_PM=$pm HOSTPMD_TIMEOUT=30 hostpmd_conf
hostpmd_stop
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
ok "stopped during a hanging probe ($HOSTPM_ATTACH): done after $HOSTPMD_STOP_MS ms"
all_gone() {
	local p
	while read -r p; do kill -0 "$p" 2>/dev/null && return 1; done <"$T/hang.pids"
	return 0
}
wait_until 2 all_gone ||
	fail "pm-is-supported (pid $(tr '\n' ' ' <"$T/hang.pids")) is still running after the stop"
ok "no pm-is-supported left running after the stop"
