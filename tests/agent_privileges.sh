# SPDX-License-Identifier: MIT
# hostpmd started as root with -u/-g ends with nothing of root: every uid
# and gid in /proc/PID/status the target's, the target's supplementary
# groups, every capability set empty. Its pid file, written as that
# user, is removed at exit; one in a folder that user cannot write is
# refused at start-up instead of being left behind.
. tests/testlib.bash
. tests/snmp.bash

if [ "$(id -u)" -ne 0 ]; then
	ok "skipped: dropping privileges needs root"
	exit 0
fi

# A user with supplementary groups, if this host has one, so that they
# are checked too; else nobody.
target=""
while IFS=: read -r _ _ _ members; do
	for m in ${members//,/ }; do
		if [ "$(id -u "$m" 2>/dev/null || echo 0)" != 0 ]; then target=$m; break 2; fi
	done
done < <(getent group)
[ -n "$target" ] || target=nobody
target_uid=$(id -u "$target")
target_gid=$(id -g "$target")
target_groups=$(id -G "$target" | tr ' ' '\n' | sort -n | tr '\n' ' ')
echo "target user: $target ($target_uid:$target_gid, groups $target_groups)"

# What the user must reach: the scratch folder (0700 from mktemp), the
# probe program's path, the fake sysfs; the spool folder it writes.
chmod 0755 "$T"
for d in "$PWD" "$PWD/$BUILD"; do
	[ $(( 0$(stat -c %a "$d") & 05 )) -eq 5 ] ||
		fail "$d must be world-readable for user $target to run hostpm-probe"
done
sysfs_s3_s4 "$HOSTPMD_SYSFS"
mkdir -p "$T/spool" "$T/run"
chown "$target_uid:$target_gid" "$T/spool" "$T/run"
HOSTPMD_PIDFILE=$T/run/hostpmd.pid

snmpd_start
hostpmd_start -u "$target"
pid=$HOSTPMD_PID
status=/proc/$pid/status

field() { awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$status"; }
assert_eq "Uid: real, effective, saved, fs" "$target_uid $target_uid $target_uid $target_uid" "$(field Uid | tr -s '\t ' ' ')"
assert_eq "Gid: real, effective, saved, fs" "$target_gid $target_gid $target_gid $target_gid" "$(field Gid | tr -s '\t ' ' ')"
assert_eq "supplementary groups are $target's" "$target_groups" "$(field Groups | tr ' ' '\n' | sed '/^$/d' | sort -n | tr '\n' ' ')"
for set in CapInh CapPrm CapEff CapBnd CapAmb; do
	assert_eq "$set empty" 0000000000000000 "$(field $set)"
done

# It still works as that user: a probe child runs, reads the fake sysfs
# and writes the spool file as the user.
wait_until 10 counter_at_least "$hostPmProbeCount" 2 ||
	fail "no probe completed as user $target"
assert_eq "S3 read by the probe as $target" 1 "$(snmp_value "$hostPmS3.1")"
wait_until 5 test -f "$HOSTPMD_SPOOL" || fail "no spool file written as $target"
assert_eq "spool file owned by $target" "$target_uid" "$(stat -c %u "$HOSTPMD_SPOOL")"

assert_eq "pid file holds the pid" "$pid" "$(cat "$HOSTPMD_PIDFILE")"
assert_eq "pid file owned by $target" "$target_uid" "$(stat -c %u "$HOSTPMD_PIDFILE")"
hostpmd_stop
[ ! -e "$HOSTPMD_PIDFILE" ] || fail "pid file $HOSTPMD_PIDFILE left behind after exit"
ok "pid file removed at exit"

# -g alone: the group changes, the supplementary groups go, root stays.
hostpmd_start -g "$(id -gn "$target")"
status=/proc/$HOSTPMD_PID/status
assert_eq "-g alone: Gid" "$target_gid $target_gid $target_gid $target_gid" "$(field Gid | tr -s '\t ' ' ')"
assert_eq "-g alone: no supplementary groups" "" "$(field Groups | tr -d ' ')"
hostpmd_stop

# A pid file in a folder the user cannot write could not be removed at
# exit: hostpmd refuses to start, says why, and leaves no file.
mkdir -m 0755 "$T/rootonly"
HOSTPMD_PIDFILE=$T/rootonly/hostpmd.pid
mark=$(log_mark "$HOSTPMD_LOG")
hostpmd_spawn -u "$target"
wait_until 10 pid_gone "$HOSTPMD_PID" || fail "hostpmd did not exit with an unremovable pid file"
wait "$HOSTPMD_PID"
rc=$?
HOSTPMD_PID=""
assert_eq "exit status with a pid file $target cannot remove" 1 "$rc"
assert_contains "the log says why" "its folder must be writable by that user" "$(log_since "$HOSTPMD_LOG" "$mark")"
[ ! -e "$HOSTPMD_PIDFILE" ] || fail "a pid file was left in $T/rootonly"
ok "no pid file left behind"
