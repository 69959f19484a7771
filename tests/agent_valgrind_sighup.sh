# SPDX-License-Identifier: MIT
# hostpmd under valgrind's memcheck takes SIGHUP after SIGHUP (a
# configuration that changes, and one with a bad value, in turn) while
# a client polls the table, then SIGTERM: every poll is answered, the
# SIGHUPs are read (those that come while one is handled merge with it,
# as signals do), and hostpmd exits 0 with no memory error and no leak.
# In a build with AddressSanitizer (make check-asan), where valgrind
# cannot run, the sanitizers check the same run (LeakSanitizer at exit).
. tests/testlib.bash
. tests/snmp.bash

# How many, and the pause between two: about 45 s in all under valgrind
# on a 2-core machine with a load of 14.
HUPS=${HOSTPM_SIGHUPS:-300}
HUP_PAUSE=0.1

if ldd "$BUILD/hostpmd" 2>/dev/null | grep -q libasan; then
	WRAP=""
	checker="AddressSanitizer"
else
	command -v valgrind >/dev/null || fail "valgrind is not installed (make deps)"
	# As tests/run-tests' VALGRIND=1, with a log of its own.
	WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --log-file=$T/valgrind.log"
	checker="valgrind"
fi
SLOW=5

sysfs_s3_s4 "$HOSTPMD_SYSFS"
HOSTPMD_PM=$T/absent/pm-is-supported
HOSTPMD_INTERVAL=1
# Three configurations in turn, each for ten SIGHUPs: the first, another
# probeTimeout, and one with a bad value, which is logged and leaves the
# last in force. Each is put in place by a rename, so that no SIGHUP
# reads half of one.
hostpmd_conf "probeSources sysfs"
cp "$HOSTPMD_CONF" "$T/conf.0"
hostpmd_conf "probeSources sysfs" "probeTimeout 4"
cp "$HOSTPMD_CONF" "$T/conf.1"
hostpmd_conf "probeSources sysfs" "probeInterval abc"
cp "$HOSTPMD_CONF" "$T/conf.2"
conf_of() {
	cp "$T/conf.$(($1 % 3))" "$HOSTPMD_CONF.new" && mv -f "$HOSTPMD_CONF.new" "$HOSTPMD_CONF"
}
conf_of 0
snmpd_start
hostpmd_start
assert_eq "under $checker: S3 from the first probe" 1 "$(snmp_value "$hostPmS3.1")"

# A client polls the table all along: the row's name and S3, one line per
# GET, until $T/stop-polling exists.
poll() {
	until [ -e "$T/stop-polling" ]; do
		snmp_get "$hostPmSourceName.1" "$hostPmS3.1" 2>&1 | snmp_parse |
			cut -f 3 | tr '\n' ' '
		echo
	done >"$T/polls"
}
poll &
poller=$!
HARNESS_PIDS+=("$poller")

reloads() { grep -c 'SIGHUP: reading the configuration again' "$HOSTPMD_LOG"; }
reloads_at_least() { [ "$(reloads)" -ge "$1" ]; }
t0=$(now_ms)
before=$(reloads)
# The pause is a read that times out on a FIFO nobody writes: no process
# started per SIGHUP, so that on a loaded machine the pace is the pause.
mkfifo "$T/never"
exec {never}<>"$T/never"
for ((i = 1; i <= HUPS; i++)); do
	[ $((i % 10)) != 0 ] || conf_of $((i / 10))
	kill -HUP "$HOSTPMD_PID" || fail "SIGHUP $i: hostpmd is gone"
	read -r -t "$HUP_PAUSE" -u "$never"
done
conf_of 0
kill -HUP "$HOSTPMD_PID"
# The last is read: hostpmd did not stop reading them.
wait_until $((2 * SLOW)) reloads_at_least $((before + 1)) ||
	fail "no SIGHUP was read within $((2 * SLOW)) s of the last"
sleep 1
read_hups=$(( $(reloads) - before ))
refused=$(grep -c 'configuration has errors.*keeping the one in force' "$HOSTPMD_LOG")
ok "$((HUPS + 1)) SIGHUPs sent under $checker in $(( $(now_ms) - t0 )) ms; $read_hups read, $refused of them a bad configuration, refused"
[ "$read_hups" -ge $((HUPS / 10)) ] ||
	fail "only $read_hups of $((HUPS + 1)) SIGHUPs were read (sent $HUP_PAUSE s apart); expected at least $((HUPS / 10))"
[ "$refused" -ge 1 ] && [ "$refused" -lt "$read_hups" ] ||
	fail "expected some reloads refused for the bad value and some applied: $refused refused of $read_hups"
assert_eq "after the SIGHUPs: S3" 1 "$(snmp_value "$hostPmS3.1")"

touch "$T/stop-polling"
wait "$poller"
total=$(grep -c . "$T/polls")
good=$(grep -cx 'effective 1 ' "$T/polls")
[ "$total" -ge 10 ] || fail "only $total polls during the SIGHUPs"
[ "$good" = "$total" ] ||
	fail "$((total - good)) of $total polls during the SIGHUPs were not answered 'effective 1': $(grep -vx 'effective 1 ' "$T/polls" | sort | uniq -c | head -n 5)"
ok "all $total polls during the SIGHUPs were answered"

pid=$HOSTPMD_PID
kill -TERM "$pid"
wait_until $((5 * SLOW)) pid_gone "$pid" || fail "hostpmd did not exit within $((5 * SLOW)) s of SIGTERM"
wait "$pid"
rc=$?
HOSTPMD_PID=""
[ "$rc" = 0 ] || fail "hostpmd under $checker exited with status $rc after SIGTERM: $(cat "$T/valgrind.log" "$HOSTPMD_ERR" 2>/dev/null | head -n 60)"
ok "hostpmd exited 0 after SIGTERM"
if [ "$checker" = valgrind ]; then
	[ ! -s "$T/valgrind.log" ] || fail "valgrind reported: $(head -n 60 "$T/valgrind.log")"
	ok "valgrind reported no error and no leak"
fi
