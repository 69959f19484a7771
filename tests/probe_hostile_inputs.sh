# SPDX-License-Identifier: MIT
# hostpm-probe against hostile input: sysfs files of garbage, FIFOs and
# /dev/zero; pm-is-supported programs that hang, ignore SIGTERM, crash,
# print megabytes or leave children in sessions of their own. Each run
# ends within its timeout with an answer or a failed query, and when
# hostpm-probe has exited nothing its helpers started is left running.
. tests/testlib.bash

export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/no-such-bus"

# --- sysfs ------------------------------------------------------------------
sys=$T/sys
mkdir -p "$sys/power"
head -c 1048576 /dev/urandom >"$sys/power/state"
mkfifo "$sys/power/mem_sleep"
ln -s /dev/zero "$sys/power/disk"
timeout 20 $PROBE --source=sysfs --sysfs-root="$sys" --proc-root="$sys" --format=text >"$T/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "sysfs of garbage, a FIFO and /dev/zero: exit status $rc: $(head -c 500 "$T/out")"
ok "sysfs of garbage, a FIFO and /dev/zero: an answer (status $rc)"
mkfifo "$T/fifo-state"
rm -f "$sys/power/state" && ln -s "$T/fifo-state" "$sys/power/state"
timeout 20 $PROBE --source=sysfs --sysfs-root="$sys" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "a FIFO as power/state: exit status $rc"
ok "a FIFO as power/state: an answer (status $rc)"

# --- pm-is-supported ---------------------------------------------------------------
hostile_pms

for c in $HOSTILE_PMS; do
	timeout 30 $PROBE --source=pm-utils --pm-is-supported="$T/pm-$c" --timeout=1 \
		--format=text >"$T/out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "pm-is-supported $c: exit status $rc: $(head -c 500 "$T/out")"
	# No wait: hostpm-probe reaps what its helpers left before it exits.
	left=$(marked_procs_described)
	[ -z "$left" ] || fail "pm-is-supported $c: left running after hostpm-probe exited: $left"
	ok "pm-is-supported $c: status $rc, nothing left running"
done

# SIGTERM to hostpm-probe (hostpmd stopping, or dead): the same.
marked_pm orphan-then-hang "setsid sleep 994 & echo \$! >>'$T/orphan'; sleep 995"
$PROBE --source=pm-utils --pm-is-supported="$T/pm-orphan-then-hang" --timeout=60 >/dev/null 2>&1 &
probe=$!
wait_until 10 test -s "$T/orphan" || fail "pm-is-supported orphan-then-hang did not run"
kill -TERM "$probe"
wait "$probe"
rc=$?
assert_eq "SIGTERM during a hanging pm-is-supported: status 128+15" 143 "$rc"
left=$(marked_procs_described)
[ -z "$left" ] || fail "SIGTERM: left running after hostpm-probe exited: $left"
ok "SIGTERM: nothing left running, the orphan in its own session included"
