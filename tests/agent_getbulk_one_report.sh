# SPDX-License-Identifier: MIT
# Every answer to a GETBULK of hostPmObjects comes from one probe report,
# while new reports land every few milliseconds. The master splits a
# GETBULK into one AgentX request per cell; tests/bulkcheck sends
# GETBULKs back to back for 20 s (60 s with HOSTPM_RELIABILITY=full,
# `make reliability`) while the host flips between two states that
# differ in S3, S4, hybrid, s2idle and hostPmReason, and hostpmd gets a
# SIGHUP, so a probe, every 20 ms (or once the last state is served, if
# that takes longer). An answer whose cells do not all belong to one of
# the two states is a mixed one; there must be none. A second client
# meanwhile sends GETs, GETNEXTs and GETBULKs (bulkcheck soak), whose
# AgentX requests come between the parts of the first one's GETBULKs.
. tests/testlib.bash
. tests/snmp.bash

BULKCHECK=$BUILD/tests/bulkcheck
[ -x "$BULKCHECK" ] || fail "$BULKCHECK does not exist (make $BULKCHECK)"
run_s=20
[ "${HOSTPM_RELIABILITY:-}" = full ] && run_s=60
# How often the answers must have changed state for the run to count.
# Under valgrind, and SIGHUPs, hostpmd answers about one GETBULK a
# second, not a hundred.
min_changes=10
[ -n "$WRAP" ] && min_changes=2

snmpd_start
flip_host_start
hostpmd_start
peer=127.0.0.1:$SNMPD_PORT

# spool_shows STATE: the spool file holds STATE's fragment (builtins
# only: this runs every few milliseconds).
spool_shows() {
	local fragment=""
	read -r -d '' fragment <"$HOSTPMD_SPOOL"
	case $1:$fragment in none:'<power_management/>'*) return 0 ;; s3s4:*'<S3/>'*) return 0 ;; esac
	return 1
}
# flip_and_hup: the other state, then a SIGHUP, so a probe, every 20 ms,
# or once the last state is served if that takes longer (a SIGHUP ends
# a probe under way unused: more would starve them). Stops after 10 s
# without the new state, which the test then misses.
flip_and_hup() {
	local next=none waited
	while hostpmd_alive; do
		flip_host "$next"
		kill -HUP "$HOSTPMD_PID" 2>/dev/null || return
		sleep 0.02
		waited=0
		until spool_shows "$next"; do
			[ "$waited" -lt 1000 ] || return
			sleep 0.01
			waited=$((waited + 1))
		done
		if [ "$next" = none ]; then next=s3s4; else next=none; fi
	done
}

probes0=$(counter "$hostPmProbeCount")
[ -n "$probes0" ] || fail "hostPmProbeCount.0 does not answer"
flip_and_hup &
flipper=$!
HARNESS_PIDS+=("$flipper")
"$BULKCHECK" soak -p "$peer" -t "$run_s" >"$T/other.out" 2>"$T/other.err" &
other=$!
HARNESS_PIDS+=("$other")
"$BULKCHECK" bulk -p "$peer" -t "$run_s" >"$T/bulkcheck.out" 2>"$T/bulkcheck.err"
rc=$?
wait "$other"
other_rc=$?
kill "$flipper" 2>/dev/null
wait "$flipper" 2>/dev/null
hostpmd_alive || fail "hostpmd died under SIGHUPs and GETBULKs"
probes=$(( $(counter "$hostPmProbeCount") - probes0 ))
figures=$(cat "$T/bulkcheck.out")
[ -n "$figures" ] || fail "bulkcheck printed no figures (status $rc): $(cat "$T/bulkcheck.err")"
[ "$rc" -eq 0 ] ||
	fail "bulkcheck found wrong answers: $figures; $(head -n 5 "$T/bulkcheck.err")"
[ "$other_rc" -eq 0 ] ||
	fail "the second client found wrong answers: $(cat "$T/other.out"); $(head -n 5 "$T/other.err")"

# figure NAME: the value of NAME=VALUE in bulkcheck's line.
figure() { printf '%s\n' "$figures" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
assert_eq "mixed GETBULK answers" 0 "$(figure mixed)"
assert_eq "states seen in the answers (S3+S4 and none)" 2 "$(figure tables)"
# The flips must have reached the answers often, or nothing was tested.
[ "$(figure changes)" -ge "$min_changes" ] ||
	fail "the answers changed state only $(figure changes) times in $run_s s: $figures; $probes probes"
ok "$(figure bulks) GETBULKs in $(figure seconds) s, $probes probes, the state changed $(figure changes) times between answers, none mixed"
ok "the second client meanwhile: $(cat "$T/other.out")"
# Under valgrind (make check-valgrind) this is where its findings count.
hostpmd_stop
ok "hostpmd exits 0 after $probes probes forced by SIGHUP"
