# SPDX-License-Identifier: MIT
# Nothing a probe starts outlives it, in its process group or not, and no
# zombie stays behind: pm-is-supported programs that hang, ignore
# SIGTERM, crash, print megabytes or leave grandchildren in sessions of
# their own; a probe program that hangs with children of its own (and
# the log names that program and its budget though a SIGHUP changed
# both meanwhile); hostpmd SIGKILLed during a probe and started again,
# which registers and answers.
. tests/testlib.bash
. tests/snmp.bash

HOSTPMD_TIMEOUT=1
fake_sysfs "$HOSTPMD_SYSFS" "mem disk"
# A well-behaved pm-is-supported, to end each case with.
cat >"$T/pm-good" <<'EOF'
#!/bin/sh
case "$1" in --suspend) exit 0 ;; *) exit 1 ;; esac
EOF
chmod 0755 "$T/pm-good"
hostile_pms

snmpd_start
hostpmd_conf "pmIsSupported $T/pm-good"
hostpmd_start

# probes_after N: waits until hostPmProbeCount reaches its value now + N.
probes_after() {
	local n
	n=$(counter "$hostPmProbeCount")
	wait_until $((15 * SLOW)) counter_at_least "$hostPmProbeCount" $((n + $1)) ||
		fail "$2: hostPmProbeCount did not go from $n to $((n + $1)) within $((15 * SLOW)) s"
}

for c in $HOSTILE_PMS; do
	hostpmd_conf "pmIsSupported $T/pm-$c"
	kill -HUP "$HOSTPMD_PID"
	probes_after 2 "pm-is-supported $c"
	# Back to a quiet helper: then nothing of the case may remain.
	hostpmd_conf "pmIsSupported $T/pm-good"
	kill -HUP "$HOSTPMD_PID"
	probes_after 2 "after pm-is-supported $c"
	wait_until 5 no_marked_procs ||
		fail "pm-is-supported $c: processes left running: $(marked_procs_described)"
	wait_until 5 no_zombies_under "$HOSTPMD_PID" ||
		fail "pm-is-supported $c: zombies under hostpmd: $(zombies_under "$HOSTPMD_PID")"
	hostpmd_alive || fail "hostpmd died with pm-is-supported $c"
	ok "pm-is-supported $c: nothing left running, no zombie, hostpmd probes on"
done
assert_eq "the table answers from the quiet helper" 1 "$(snmp_value "$hostPmS3.2")"

# --- a probe program that hangs, with children, and ignores SIGTERM ---------------
# Its budget: probeTimeout 1 for two sources, and 2 s: 4 s. A SIGHUP
# during it switches to the real program with probeTimeout 3 (budget 8 s).
cat >"$T/hung-probe" <<EOF
#!/bin/sh
export $LEFTOVER_MARK
trap '' TERM
sleep 994 &
setsid sleep 995 &
setsid sh -c 'trap "" TERM; sleep 996' &
echo \$\$ >"$T/hung-probe.pid"
sleep 997
EOF
chmod 0755 "$T/hung-probe"
mark=$(log_mark "$HOSTPMD_LOG")
hostpmd_conf "pmIsSupported $T/pm-good" "probeProgram $T/hung-probe"
kill -HUP "$HOSTPMD_PID"
wait_until $((5 * SLOW)) test -s "$T/hung-probe.pid" || fail "the hung probe program did not start"
hostpmd_conf "pmIsSupported $T/pm-good" "probeTimeout 3"
kill -HUP "$HOSTPMD_PID"
named() { log_since "$HOSTPMD_LOG" "$mark" | grep -q "probe: .* did not finish within"; }
wait_until $((15 * SLOW)) named ||
	fail "no 'did not finish' line in the log within $((15 * SLOW)) s: [$(log_since "$HOSTPMD_LOG" "$mark")]"
line=$(log_since "$HOSTPMD_LOG" "$mark" | grep "probe: .* did not finish within" | head -n 1)
assert_contains "the log names the program that hung, with its own budget" \
	"probe: $T/hung-probe did not finish within 4 s; killed" "$line"
wait_until 5 no_marked_procs ||
	fail "the hung probe program's children outlived it: $(marked_procs_described)"
ok "the hung probe program's children (its group, other sessions, SIGTERM ignored) are gone"
probes_after 2 "after the hung probe program"
wait_until 5 no_zombies_under "$HOSTPMD_PID" ||
	fail "zombies under hostpmd after the hung probe program: $(zombies_under "$HOSTPMD_PID")"
ok "no zombie under hostpmd, and it probes on with the new program"

# --- hostpmd SIGKILLed during a probe, and started again ---------------------------
# pm-is-supported leaves a grandchild in a session of its own, then hangs.
marked_pm orphan-then-hang "setsid sleep 998 & echo \$! >>'$T/orphans'; sleep 999"
hostpmd_conf "pmIsSupported $T/pm-orphan-then-hang" "probeTimeout 30"
kill -HUP "$HOSTPMD_PID"
wait_until $((10 * SLOW)) test -s "$T/orphans" || fail "pm-is-supported orphan-then-hang did not run"
old=$HOSTPMD_PID
probe=$(pgrep -P "$old")
[ -n "$probe" ] || fail "hostpmd has no probe child during the hanging pm-is-supported"
kill -KILL "$old"
wait "$old" 2>/dev/null
HOSTPMD_PID=""
wait_until 10 no_marked_procs ||
	fail "10 s after hostpmd's SIGKILL, its probe's processes are still running: $(marked_procs_described)"
wait_until 5 pid_gone "$probe" || fail "hostpm-probe ($probe) outlived hostpmd's SIGKILL"
ok "hostpmd SIGKILLed: its probe, pm-is-supported and the grandchild in its own session are gone"
hostpmd_conf "pmIsSupported $T/pm-good"
rm -f "$HOSTPMD_PIDFILE"
hostpmd_start
[ "$HOSTPMD_PID" != "$old" ] || fail "the same hostpmd answers"
assert_eq "the restarted hostpmd registers and answers: hostPmS3.2" 1 "$(snmp_value "$hostPmS3.2")"
hostpmd_stop
wait_until 5 no_marked_procs || fail "processes left after the last stop: $(marked_procs_described)"
ok "nothing left after the restarted hostpmd stopped"
