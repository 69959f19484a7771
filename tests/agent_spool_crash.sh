# SPDX-License-Identifier: MIT
# hostpmd killed (SIGKILL, by strace's fault injection) at each step of a
# spool write: creating the temporary file (openat), writing it (write),
# syncing it (fsync) and renaming it over the spool file (rename), at
# several writes each. After every kill the spool file is a complete
# fragment, as hostpm-probe prints it and valid against
# probe/power_management.rng, or absent; never a part. The next hostpmd
# removes the temporary file the kill left, logs it, and leaves none.
#
# The spool is written by a thread of its own ("hostpm-spool"): strace
# attaches to that thread alone, so injections are counted on the
# spool's calls and never on the event loop's or hostpm-probe's. A
# SIGKILL from it ends the whole process.
. tests/testlib.bash
. tests/snmp.bash

command -v strace >/dev/null || fail "strace is not installed (make deps)"
# Spool writes only at start-up and at SIGHUP, and no log line on a
# timer (snmpd is there, the AgentX ping rare): hostpmd's calls are the
# same, in the same order, in every run.
HOSTPMD_INTERVAL=60
HOSTPMD_PM=$T/absent/pm-is-supported
spool=$HOSTPMD_SPOOL
spooldir=$(dirname "$spool")
hostpmd_conf "probeSources sysfs" "spoolFormat libvirt-2011" "agentxPingInterval 600"
snmpd_start

# Two hosts to switch between: each spool write differs from the last.
state_a() { sysfs_set "$HOSTPMD_SYSFS" "freeze mem disk
" "s2idle [deep]
" "[platform] shutdown suspend
"; }
state_b() { sysfs_set "$HOSTPMD_SYSFS" "freeze mem
" "s2idle [deep]
" -; }
state_a
$PROBE --source=sysfs --sysfs-root="$HOSTPMD_SYSFS" >"$T/want.a" || fail "hostpm-probe failed on host A"
state_b
$PROBE --source=sysfs --sysfs-root="$HOSTPMD_SYSFS" >"$T/want.b" || fail "hostpm-probe failed on host B"
cmp -s "$T/want.a" "$T/want.b" && fail "hosts A and B give the same fragment: $(cat "$T/want.a")"

temporaries() { find "$spooldir" -mindepth 1 -maxdepth 1 -name "$(basename "$spool").tmp.*" -printf '%f\n' | sort; }
inode() { stat -c %i "$spool" 2>/dev/null; }
show() { if [ -e "$1" ]; then od -c "$1" | head -n 8; else echo "(no file)"; fi; }

# spool_whole WHAT: the spool file is absent, or one of the two fragments
# and valid.
spool_whole() {
	[ -e "$spool" ] || { ok "$1: no spool file"; return; }
	if ! cmp -s "$spool" "$T/want.a" && ! cmp -s "$spool" "$T/want.b"; then
		fail "$1: the spool file is neither fragment: $(show "$spool")"
	fi
	xmllint --noout --relaxng probe/power_management.rng "$spool" 2>"$T/xmllint.out" ||
		fail "$1: the spool file does not validate: $(cat "$T/xmllint.out")"
	ok "$1: the spool file is a whole fragment, valid"
}

# writes_under_strace TRACE STRACE-ARGS...: starts hostpmd (host A),
# attaches strace to its spool writer once the first write is in place,
# then makes it write the spool file three more times (B, A, B by
# SIGHUP), each after the last is in place, until hostpmd is gone or the
# writes are done; then stops it.
writes_under_strace() {
	local trace=$1 sp sub pid last w tid t
	shift
	rm -f "$HOSTPMD_PIDFILE" "$spool"
	state_a
	# A kill ends hostpmd: the group's stderr keeps bash's "Killed" line
	# about it out of the test's output.
	{
		"$BUILD/hostpmd" -f -C -c "$HOSTPMD_CONF" -x "$AGENTX_SOCKET" \
			-Lf "$HOSTPMD_LOG" -p "$HOSTPMD_PIDFILE" </dev/null >>"$HOSTPMD_ERR" 2>&1
	} 2>/dev/null &
	sub=$!
	HARNESS_PIDS+=("$sub")
	wait_until $((5 * SLOW)) test -s "$HOSTPMD_PIDFILE" || fail "hostpmd wrote no pid file"
	pid=$(cat "$HOSTPMD_PIDFILE")
	HARNESS_PIDS+=("$pid")
	wait_until $((5 * SLOW)) cmp -s "$spool" "$T/want.a" ||
		fail "hostpmd did not write the spool file at start-up: $(show "$spool")"
	tid=""
	for t in /proc/"$pid"/task/*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = hostpm-spool ] && tid=${t##*/}
	done
	[ -n "$tid" ] || fail "hostpmd has no thread named hostpm-spool: $(cat /proc/"$pid"/task/*/comm | tr '\n' ' ')"
	strace -qq -y -o "$trace" "$@" -p "$tid" 2>/dev/null &
	sp=$!
	traced() { grep -q "^TracerPid:[[:space:]]*[1-9]" "/proc/$pid/task/$tid/status" 2>/dev/null; }
	wait_until 5 traced || fail "strace did not attach to the spool writer"
	last=$(inode)
	# The spool file replaced, or hostpmd gone.
	changed() { { [ -n "$(inode)" ] && [ "$(inode)" != "$last" ]; } || pid_gone "$pid"; }
	for w in b a b; do
		pid_gone "$pid" && break
		"state_$w"
		kill -HUP "$pid" 2>/dev/null || break
		wait_until 5 changed || break
		last=$(inode)
	done
	kill -TERM "$pid" 2>/dev/null
	wait_until 5 pid_gone "$pid" || { kill -KILL "$pid"; fail "hostpmd did not end within 5 s of SIGTERM"; }
	wait "$sub"
	wait_until 5 pid_gone "$sp" || { kill -KILL "$sp"; fail "strace of hostpmd's spool writer did not end within 5 s"; }
	wait "$sp"
}

# --- which calls of hostpmd's write the spool file ---------------------------------
writes_under_strace "$T/discovery" -e trace=openat,write,fsync,rename
assert_eq "the run to find the spool's calls: the last fragment" "$(cat "$T/want.b")" "$(cat "$spool")"
# points SYSCALL: the numbers, among hostpmd's calls of SYSCALL, of those
# on a temporary spool file.
points() {
	grep "^$1(" "$T/discovery" | grep -n "$spool.tmp." | cut -d: -f1 | tr '\n' ' '
}
declare -A POINTS
for sc in openat write fsync rename; do
	POINTS[$sc]=$(points "$sc")
	n=$(echo "${POINTS[$sc]}" | wc -w)
	[ "$n" -eq 3 ] || fail "$sc: expected 3 calls on a temporary spool file in 3 writes, found $n: [$(grep "^$sc(" "$T/discovery" | grep "$spooldir")]"
	ok "$sc: the spool's calls are numbers ${POINTS[$sc]}of the spool writer's"
done

# --- a kill at each ------------------------------------------------------------------
cases=0
for sc in openat write fsync rename; do
	for n in ${POINTS[$sc]}; do
		what="SIGKILL at $sc #$n"
		rm -f "$T/trace"
		t0=$(now_ms)
		writes_under_strace "$T/trace" -e trace="$sc" -e inject="$sc:signal=KILL:when=$n"
		grep -q '^+++ killed by SIGKILL +++' "$T/trace" ||
			fail "$what: hostpmd was not killed: $(tail -n 3 "$T/trace")"
		pid_gone "$(cat "$HOSTPMD_PIDFILE" 2>/dev/null || echo 0)" || fail "$what: hostpmd outlived the kill of its spool writer"
		at=$(grep -B1 '^+++ killed by SIGKILL +++' "$T/trace" | head -n 1)
		assert_contains "$what: the kill came in a call on a temporary spool file" "$spool.tmp." "$at"
		spool_whole "$what"
		left=$(temporaries)
		ok "$what: left $(echo "$left" | grep -c .) temporary file(s) in $(( $(now_ms) - t0 )) ms"

		# The next start removes them, says so, and writes the file. (Its
		# log names each temporary file, which is never named twice.)
		state_a
		last=$(inode)
		hostpmd_spawn
		# Written by this start (a new file), and no temporary left.
		written() { [ "$(inode)" != "$last" ] && cmp -s "$spool" "$T/want.a" && [ -z "$(temporaries)" ]; }
		wait_until $((5 * SLOW)) written ||
			fail "$what: 5 s after the next start the spool holds $(show "$spool") and these temporary files remain: [$(temporaries)]"
		for f in $left; do
			assert_contains "$what: the next start logs the removal of $f" \
				"spool: removed $spooldir/$f, a temporary file left by an earlier run" \
				"$(cat "$HOSTPMD_LOG")"
		done
		hostpmd_stop
		ok "$what: after the next start no temporary file remains"
		cases=$((cases + 1))
	done
done
assert_eq "kills injected" 12 "$cases"
