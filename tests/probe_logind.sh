# SPDX-License-Identifier: MIT
# The logind source against python3-dbusmock's logind template on a private
# system bus of its own: one case per answer logind gives, then each way
# the query fails. Every wait is bounded, and nothing is left running.
. tests/testlib.bash

. tests/logind.bash
stop() { logind_stop; }
trap 'stop; rm -rf "$T"' EXIT

# set_method NAME PYTHON [TYPE]: replaces a method of the mock's Manager,
# which answers a value of D-Bus type TYPE (default s, a string).
set_method() {
	dbus-send --system --print-reply "${LOGIND[@]}" \
		org.freedesktop.DBus.Mock.AddMethod \
		string:org.freedesktop.login1.Manager "string:$1" string: \
		"string:${3:-s}" "string:$2" >/dev/null || fail "cannot set $1 on the mock"
}

# probe ARGS...: hostpm-probe against the fake sysfs, never for long.
probe() {
	# shellcheck disable=SC2086
	timeout -k 5 120 $PROBE --sysfs-root="$T/sys" --proc-root="$T/proc" "$@"
}

mkdir -p "$T/proc"
fake_sysfs "$T/sys" "freeze mem disk
" "s2idle [deep]
" "[platform] shutdown
"
fake_sysfs "$T/s2idle" "freeze mem
" "[s2idle]
"

# No bus at all: the query fails, naming the address, and sysfs answers.
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/no-such-bus"
probe --source=logind --format=text >"$T/out" 2>"$T/err"; rc=$?
assert_eq "no bus: exit 1" 1 "$rc"
assert_contains "no bus: the logind row failed" "logind     failed" "$(cat "$T/out")"
assert_contains "no bus: the error names the address" \
	"cannot connect to the system bus at unix:path=$T/no-such-bus: No such file or directory" \
	"$(cat "$T/err")"
out=$(probe --source=logind,sysfs --format=text); rc=$?
assert_eq "no bus: sysfs answers instead" 0 "$rc"
assert_contains "no bus: the effective row is sysfs's" "effective  ok     yes  yes  no" "$out"

export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/bus"
start_bus

# A bus without logind on it.
probe --source=logind >"$T/out" 2>"$T/err"; rc=$?
assert_eq "no logind on the bus: exit 1" 1 "$rc"
assert_eq "no logind on the bus: no fragment" "" "$(cat "$T/out")"
assert_contains "no logind on the bus: the error says so" \
	"CanSuspend: The name org.freedesktop.login1 was not provided by any .service files (org.freedesktop.DBus.Error.ServiceUnknown)" \
	"$(cat "$T/err")"

start_mock '{"CanSuspend": "yes", "CanHibernate": "challenge", "CanHybridSleep": "na", "CanSuspendThenHibernate": "no"}'

# One case per answer, on CanSuspend: na is the host's "cannot", the rest
# say it can, only limited by policy.
for answer in yes:yes no:yes challenge:yes na:no; do
	said=${answer%%:*} s3=${answer#*:}
	set_method CanSuspend "ret = '$said'"
	out=$(probe --source=logind --format=text); rc=$?
	assert_eq "CanSuspend $said: exit 0" 0 "$rc"
	assert_contains "CanSuspend $said: S3 $s3" \
		"logind     ok     $(printf '%-4s' "$s3") yes  no     ?      ?       yes      ?         ?" "$out"
	assert_contains "CanSuspend $said: policy shows logind's words" \
		"policy: suspend=$said hibernate=challenge hybrid-sleep=na suspend-then-hibernate=no" "$out"
done
assert_contains "na gives a reason" "reason: logind: suspend na, hybrid-sleep na" "$out"

set_method CanSuspend "ret = 'challenge'"
out=$(probe --source=logind); rc=$?
assert_eq "challenge and challenge: the fragment" "$(printf '<power_management>\n  <S3/>\n  <S4/>\n</power_management>')" "$out"
out=$(probe --source=logind --dialect=libvirt); rc=$?
assert_eq "the same in libvirt's names" "$(printf '<power_management>\n  <suspend_mem/>\n  <suspend_disk/>\n</power_management>')" "$out"

# logind says yes to suspend, the kernel offers s2idle only.
out=$(probe --source=logind --sysfs-root="$T/s2idle" --format=text)
assert_contains "s2idle only: no S3 in the effective row" "effective  ok     no   yes" "$out"
assert_contains "s2idle only: logind's row keeps its yes" "logind     ok     yes  yes" "$out"
assert_contains "s2idle only: the effective reason says why" "reason: mem_sleep offers s2idle only; logind: hybrid-sleep na" "$out"

# A logind older than systemd 240: no CanSuspendThenHibernate.
set_method CanSuspendThenHibernate "raise dbus.exceptions.DBusException('Unknown method', name='org.freedesktop.DBus.Error.UnknownMethod')"
out=$(probe --source=logind --format=text); rc=$?
assert_eq "no CanSuspendThenHibernate: still ok" 0 "$rc"
assert_contains "no CanSuspendThenHibernate: that column unknown" "logind     ok     yes  yes  no     ?      ?       ?  " "$out"
assert_contains "no CanSuspendThenHibernate: the reason says so" "logind has no CanSuspendThenHibernate" "$out"
set_method CanSuspendThenHibernate "ret = 'no'"

# CanSuspendThenHibernate unanswered, each way it can be: only its column
# is unknown, with the reason; the other three answers stand, the query
# succeeds, and the fragment is the one libvirt's rule writes, as libvirt
# never asks that question.
set_method CanHybridSleep "ret = 'yes'"
all_three=$(printf '<power_management>\n  <suspend_mem/>\n  <suspend_disk/>\n  <suspend_hybrid/>\n</power_management>')
while IFS='|' read -r what type code reason; do
	set_method CanSuspendThenHibernate "$code" "$type"
	out=$(probe --source=logind --format=text); rc=$?
	assert_eq "s-then-h $what: still ok" 0 "$rc"
	assert_eq "s-then-h $what: only that column unknown, the reason says why" \
		"logind     ok     yes  yes  yes    ?      ?       ?        ?         ?
  policy: suspend=challenge hibernate=challenge hybrid-sleep=yes
  reason: $reason" "$(grep -A2 '^logind ' <<<"$out")"
	out=$(probe --source=logind --dialect=libvirt)
	assert_eq "s-then-h $what: the three in the fragment" "$all_three" "$out"
	assert_eq "s-then-h $what: as libvirt's rule writes it" "$(libvirt_fragment)" "$out"
done <<'CASES'
raising a D-Bus error|s|raise dbus.exceptions.DBusException('Sleep verb not supported', name='org.freedesktop.DBus.Error.NotSupported')|logind: CanSuspendThenHibernate: Sleep verb not supported (org.freedesktop.DBus.Error.NotSupported)
answering no string|i|ret = 7|logind: CanSuspendThenHibernate: the answer is of D-Bus type 'i', not a string
answering an unknown word|s|ret = 'perhaps'|logind: CanSuspendThenHibernate answered 'perhaps', not yes, no, challenge or na
CASES

# The same with nothing supported: the query succeeded, with none.
for m in CanSuspend CanHibernate CanHybridSleep; do set_method "$m" "ret = 'na'"; done
out=$(probe --source=logind); rc=$?
assert_eq "s-then-h unanswered, the rest na: exit 0" 0 "$rc"
assert_eq "s-then-h unanswered, the rest na: nothing supported" "<power_management/>" "$out"
assert_contains "s-then-h unanswered, the rest na: the reasons" \
	"reason: logind: suspend na, hibernate na, hybrid-sleep na; logind: CanSuspendThenHibernate answered 'perhaps'" \
	"$(probe --source=logind --format=text)"

# logind's "no": libvirt counts it as not supported, hostpm as a host that
# can (only policy stops the caller). The one place the two differ when
# every question is answered.
set_method CanSuspend "ret = 'no'"
set_method CanHibernate "ret = 'yes'"
set_method CanSuspendThenHibernate "ret = 'no'"
assert_eq "CanSuspend no: libvirt's rule leaves suspend_mem out" \
	"$(printf '<power_management>\n  <suspend_disk/>\n</power_management>')" "$(libvirt_fragment)"
assert_eq "CanSuspend no: hostpm keeps it" \
	"$(printf '<power_management>\n  <suspend_mem/>\n  <suspend_disk/>\n</power_management>')" \
	"$(probe --source=logind --dialect=libvirt)"

# No answer in time from CanSuspendThenHibernate alone: the same. The mock
# sleeps a second past the deadline, then answers the next call.
set_method CanSuspend "ret = 'challenge'"
set_method CanSuspendThenHibernate "time.sleep(3)"
out=$(probe --source=logind --timeout=2 --format=text); rc=$?
assert_eq "s-then-h too slow: still ok" 0 "$rc"
assert_contains "s-then-h too slow: only that column unknown" \
	"logind     ok     yes  yes  no     ?      ?       ?        ?         ?" "$out"
assert_contains "s-then-h too slow: the reason says so" \
	"reason: logind: hybrid-sleep na; logind: CanSuspendThenHibernate: no answer within 2.000 s" "$out"

# An error message over several lines, with a control character, from
# the optional question (a reason) and from a core one (the error): each
# printed on one line.
set_method CanSuspendThenHibernate "raise dbus.exceptions.DBusException('Sleep verb\nnot supported\n\tby\x1b[2J this kernel\n', name='org.freedesktop.DBus.Error.NotSupported')"
out=$(probe --source=logind --format=text); rc=$?
assert_eq "a multi-line reason: exit 0" 0 "$rc"
assert_eq "a multi-line reason: on one line" \
	"  reason: logind: hybrid-sleep na; logind: CanSuspendThenHibernate: Sleep verb not supported by [2J this kernel (org.freedesktop.DBus.Error.NotSupported)" \
	"$(grep -A2 '^logind ' <<<"$out" | tail -n 1)"
assert_eq "a multi-line reason: header and two rows of three lines" 7 "$(wc -l <<<"$out")"
set_method CanHibernate "raise dbus.exceptions.DBusException('Read-only file system\nwhile writing\r\n\t/sys/power/state', name='org.freedesktop.DBus.Error.AccessDenied')"
probe --source=logind --format=text >"$T/out" 2>"$T/err"; rc=$?
assert_eq "a multi-line error: exit 1" 1 "$rc"
assert_eq "a multi-line error: on one line in the table" \
	"logind     failed -    -    -      -      -       -        -         -
  error:  CanHibernate: Read-only file system while writing /sys/power/state (org.freedesktop.DBus.Error.AccessDenied)" \
	"$(grep -A1 '^logind ' "$T/out")"
assert_eq "a multi-line error: header and two rows of two lines" 5 "$(wc -l <"$T/out")"
assert_eq "a multi-line error: one line on stderr" \
	"hostpm-probe: logind: CanHibernate: Read-only file system while writing /sys/power/state (org.freedesktop.DBus.Error.AccessDenied)" \
	"$(cat "$T/err")"
# A core question unanswered: hostpm says the query failed, where
# libvirt's rule says nothing is supported.
assert_eq "a core question unanswered: no fragment" "" "$(probe --source=logind 2>/dev/null)"
assert_eq "a core question unanswered: libvirt's rule writes an empty element" \
	"<power_management/>" "$(libvirt_fragment)"
set_method CanHibernate "ret = 'challenge'"
set_method CanHybridSleep "ret = 'na'"
set_method CanSuspendThenHibernate "ret = 'no'"

# A word logind does not use.
set_method CanHybridSleep "ret = 'maybe'"
probe --source=logind >/dev/null 2>"$T/err"; rc=$?
assert_eq "an unknown answer: exit 1" 1 "$rc"
assert_contains "an unknown answer is named" "CanHybridSleep answered 'maybe', not yes, no, challenge or na" "$(cat "$T/err")"
set_method CanHybridSleep "ret = 'na'"

# An error, as a container with a read-only /sys gets: failed, not na.
set_method CanHibernate "raise dbus.exceptions.DBusException('Read-only file system', name='org.freedesktop.DBus.Error.AccessDenied')"
probe --source=logind >/dev/null 2>"$T/err"; rc=$?
assert_eq "a D-Bus error: exit 1" 1 "$rc"
assert_contains "a D-Bus error: its text is the error" \
	"CanHibernate: Read-only file system (org.freedesktop.DBus.Error.AccessDenied)" "$(cat "$T/err")"
out=$(probe --format=text --pm-is-supported="$T/absent"); rc=$?
assert_eq "a D-Bus error: the default order falls to sysfs" 0 "$rc"
assert_contains "a D-Bus error: sysfs is effective" "effective  ok     yes  yes  no" "$out"
assert_eq "the default order is logind, pm-utils, sysfs" "logind,pm-utils,sysfs" \
	"$(echo "$out" | awk '$1 ~ /^(logind|pm-utils|sysfs)$/ { print $1 }' | paste -sd,)"
set_method CanHibernate "ret = 'yes'"

# A method that never answers: the call returns at the timeout. Last, as
# the mock stays asleep until it is killed.
set_method CanSuspend "time.sleep(600)"
t0=$(now_ms)
probe --source=logind --timeout=1 >/dev/null 2>"$T/err"; rc=$?
elapsed=$(( $(now_ms) - t0 ))
assert_eq "no answer: exit 1" 1 "$rc"
assert_contains "no answer: the error says so" "logind: CanSuspend: no answer within 1.000 s" "$(cat "$T/err")"
[ "$elapsed" -ge 900 ] || fail "--timeout=1 returned after ${elapsed} ms, before the timeout"
if [ -z "$WRAP" ]; then
	[ "$elapsed" -lt 3000 ] || fail "--timeout=1 took ${elapsed} ms (over 3 s)"
fi
ok "no answer: returned in ${elapsed} ms"

pids="$mock_pid $bus_pid"
stop
for pid in $pids; do
	! kill -0 "$pid" 2>/dev/null || fail "process $pid was left running"
done
ok "the bus and the mock are gone"
