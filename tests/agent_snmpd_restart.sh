# SPDX-License-Identifier: MIT
# snmpd killed (SIGKILL) and started again, HOSTPM_RESTART_CYCLES times
# (default 50), with hostpmd at its default AgentX ping (30 s): each
# time the table answers again within seconds of snmpd's return, not at
# the next ping; hostpmd's descriptors do not grow and its resident size
# stays flat; and once back, an idle hostpmd wakes for the 30 s ping
# only, not at the 1 s it retries at while snmpd is away.
. tests/testlib.bash
. tests/snmp.bash

cycles=${HOSTPM_RESTART_CYCLES:-50}
[ -z "$WRAP" ] || cycles=${HOSTPM_RESTART_CYCLES:-5}
HOSTPMD_SYSFS=$T/sys
sysfs_s3_s4 "$HOSTPMD_SYSFS"
# No probe due while it is measured: the ping is all that wakes it.
HOSTPMD_INTERVAL=3600
snmpd_start
hostpmd_conf
sed -i '/^agentxPingInterval /d' "$HOSTPMD_CONF"
hostpmd_start
pid=$HOSTPMD_PID

fds() { find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status"; }
wakeups() { awk '$1 == "voluntary_ctxt_switches:" { n += $2 } END { print n + 0 }' /proc/"$pid"/task/*/status; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
# A GET that loads no MIB, as snmpd_answers asks for sysUpTime: the loop
# below asks thousands of times on a busy machine.
quick_get() {
	snmpget -v2c -c public -t 0.5 -r 0 -On -Oqv "127.0.0.1:$SNMPD_PORT" "$1" 2>/dev/null
}
table_back() { [ "$(quick_get "$hostPmSourceName.1")" = '"effective"' ]; }

# snmpd's own answer, the same kind of GET as the table's: the baseline.
base=()
for i in 1 2 3; do
	t0=$(now_ms)
	[ -n "$(quick_get "$sysUpTime")" ] || fail "snmpd does not answer sysUpTime"
	base+=($(( $(now_ms) - t0 )))
done
table_back || fail "the table does not answer [$(quick_get "$hostPmSourceName.1")]"
get_ms=$(median "${base[@]}")

back=() fds0="" rss0="" worst_fds=0
# The first reconnects settle what net-snmp allocates once.
settle=$(( cycles < 2 ? cycles : 2 ))
for ((i = 1; i <= cycles; i++)); do
	snmpd_kill
	snmpd_start # returns once snmpd answers sysUpTime again
	t0=$(now_ms)
	wait_until $((10 * SLOW)) table_back ||
		fail "cycle $i: the table does not answer within $((10 * SLOW)) s of snmpd's return (the next ping would be up to 30 s away)"
	back+=($(( $(now_ms) - t0 )))
	hostpmd_alive || fail "cycle $i: hostpmd exited"
	n=$(fds)
	[ "$n" -le "$worst_fds" ] || worst_fds=$n
	if [ "$i" -eq "$settle" ]; then fds0=$n rss0=$(rss_kb); fi
done
ok "$cycles snmpd restarts: the table was back each time, median $(median "${back[@]}") ms, slowest $(printf '%s\n' "${back[@]}" | sort -n | tail -n 1) ms after snmpd answered"
# At most one retry interval (1 s) and one registration after snmpd is
# back, and a few GETs to see it: 3 s, plus two of the GETs measured.
limit=$((3000 * SLOW + 2 * get_ms))
[ "$(median "${back[@]}")" -le "$limit" ] ||
	fail "the table came back a median $(median "${back[@]}") ms after snmpd (limit $limit ms: 3 s and two GETs of $get_ms ms): [${back[*]}]"
ok "median time back within 3 s and two GETs ($limit ms)"
assert_eq "the table serves the host after the restarts: hostPmS3.1" 1 "$(snmp_value "$hostPmS3.1")"
assert_eq "hostpmd's open descriptors: the most after any reconnect, as after reconnect $settle" "$fds0" "$worst_fds"
# Under valgrind or AddressSanitizer (which holds freed memory back for a
# while) the resident size says nothing; both find leaks at exit instead.
if [ -z "$WRAP" ] && ! grep -q libasan "/proc/$pid/maps"; then
	rss1=$(rss_kb)
	[ $((rss1 - rss0)) -le 1024 ] ||
		fail "hostpmd's resident size grew from $rss0 KiB to $rss1 KiB over $((cycles - settle)) snmpd restarts"
	ok "hostpmd's resident size: $rss0 KiB after restart $settle, $rss1 KiB after the last"
fi

# Idle: the session back, only the ping may wake hostpmd. Over 12 s that
# is one ping at 30 s (a couple of switches), and 12 at the retry interval.
v0=$(wakeups)
sleep 12
v1=$(wakeups)
[ $((v1 - v0)) -le 4 ] ||
	fail "idle for 12 s after the restarts, hostpmd woke $((v1 - v0)) times (at most one 30 s ping, 2 to 4 switches, expected)"
ok "idle for 12 s after the restarts, hostpmd woke $((v1 - v0)) times"

# A SIGHUP reads agentxPingInterval 30 again; the next loss of snmpd is
# still retried within seconds.
echo "agentxPingInterval 30" >>"$HOSTPMD_CONF"
probes=$(counter "$hostPmProbeCount")
kill -HUP "$HOSTPMD_PID"
wait_until $((5 * SLOW)) counter_at_least "$hostPmProbeCount" $((probes + 1)) ||
	fail "SIGHUP with agentxPingInterval 30: no probe after it"
snmpd_kill
snmpd_start
t0=$(now_ms)
wait_until $((10 * SLOW)) hostpmd_answers ||
	fail "after a SIGHUP with agentxPingInterval 30, the table does not answer within $((10 * SLOW)) s of snmpd's return"
ok "after a SIGHUP with agentxPingInterval 30, the table is back $(( $(now_ms) - t0 )) ms after snmpd"
hostpmd_stop
