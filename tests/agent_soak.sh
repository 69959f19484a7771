# SPDX-License-Identifier: MIT
# A soak: two clients at once send 50,000 requests (500,000 with
# HOSTPM_RELIABILITY=full, `make reliability`) through snmpd to hostpmd,
# GETs of one cell and of three, GETNEXTs and GETBULKs, while hostpmd
# probes every second and the host flips between two states every 0.7 s.
# Every answer must be well-formed (tests/bulkcheck: each cell of
# its column's type and range, printable strings, no cell missing that
# every row has, every GETBULK of one report) and hostpmd's resident
# size, taken after a warm-up of a tenth of the requests and at the end,
# must not grow by more than 1 MiB.
. tests/testlib.bash
. tests/snmp.bash

BULKCHECK=$BUILD/tests/bulkcheck
[ -x "$BULKCHECK" ] || fail "$BULKCHECK does not exist (make $BULKCHECK)"
total=50000
[ "${HOSTPM_RELIABILITY:-}" = full ] && total=500000
# Under valgrind hostpmd answers about ten times slower, and its
# resident size is valgrind's: fewer requests, and the size only shown.
[ -n "$WRAP" ] && total=4000
# AddressSanitizer's allocator keeps what is freed in quarantine, so its
# resident size grows by itself too: shown, not bounded.
rss_bounded=1
if [ -n "$WRAP" ] || ldd "$BUILD/hostpmd" 2>/dev/null | grep -q libasan; then rss_bounded=0; fi
warmup=$(( total / 10 ))
rss_limit_kb=1024

snmpd_start
flip_host_start
hostpmd_start
peer=127.0.0.1:$SNMPD_PORT

# flip: the other state every 0.7 s, out of step with the probes, every
# second, so that most probes find the state changed.
flip() {
	local next=none
	while hostpmd_alive; do
		flip_host "$next"
		if [ "$next" = none ]; then next=s3s4; else next=none; fi
		sleep 0.7
	done
}

rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$HOSTPMD_PID/status"; }

# two_clients PHASE N: two bulkchecks of N requests each, at once; fails
# unless both end well. Their figures are in $T/PHASE.1 and $T/PHASE.2.
two_clients() {
	local phase=$1 n=$2 c pids=() rc=0
	for c in 1 2; do
		"$BULKCHECK" soak -p "$peer" -n "$n" >"$T/$phase.$c" 2>"$T/$phase.$c.err" &
		pids+=($!)
		HARNESS_PIDS+=($!)
	done
	for c in 0 1; do wait "${pids[$c]}" || rc=1; done
	[ "$rc" -eq 0 ] ||
		fail "$phase: wrong answers: $(cat "$T/$phase.1" "$T/$phase.2" | tr '\n' ' '); $(head -n 5 "$T/$phase.1.err" "$T/$phase.2.err")"
}
# figure FILE NAME: the value of NAME=VALUE in a bulkcheck's line.
figure() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p"; }

probes0=$(counter "$hostPmProbeCount")
flip &
HARNESS_PIDS+=("$!")
t0=$(now_ms)
two_clients warmup $(( warmup / 2 ))
rss0=$(rss_kb)
[ -n "$rss0" ] || fail "no VmRSS for hostpmd ($HOSTPMD_PID)"
t1=$(now_ms)
two_clients soak $(( total / 2 ))
rss1=$(rss_kb)
t2=$(now_ms)
hostpmd_alive || fail "hostpmd died during the soak"
probes=$(( $(counter "$hostPmProbeCount") - probes0 ))

requests=$(( $(figure "$T/soak.1" requests) + $(figure "$T/soak.2" requests) ))
bulks=$(( $(figure "$T/soak.1" bulks) + $(figure "$T/soak.2" bulks) ))
changes=$(( $(figure "$T/soak.1" changes) + $(figure "$T/soak.2" changes) ))
[ "$requests" -ge "$total" ] || fail "only $requests of $total requests were sent"
[ "$changes" -ge 2 ] ||
	fail "the GETBULK answers changed state only $changes times: the flips did not reach the table"
ok "$requests requests (warm-up: $warmup more) from two clients in $(( (t2 - t1) / 1000 )) s, every answer well-formed; $bulks GETBULKs, none mixed, the state changed $changes times between them"
[ "$probes" -ge $(( (t2 - t0) / 1000 / 4 )) ] ||
	fail "only $probes probes in $(( (t2 - t0) / 1000 )) s at probeInterval 1"
ok "$probes probes meanwhile"
if [ "$rss_bounded" = 0 ]; then
	ok "resident size under valgrind or AddressSanitizer (not bounded): $rss0 kB after the warm-up, $rss1 kB at the end"
else
	[ $(( rss1 - rss0 )) -le "$rss_limit_kb" ] ||
		fail "hostpmd's resident size grew from $rss0 kB after the warm-up to $rss1 kB after $requests requests (limit: $rss_limit_kb kB more)"
	ok "hostpmd's resident size: $rss0 kB after the warm-up, $rss1 kB at the end"
fi
# Under valgrind (make check-valgrind) this is where its findings count.
hostpmd_stop
ok "hostpmd exits 0 after the soak"
