# SPDX-License-Identifier: MIT
# attachments: hostpmd dlmod
# hostpmd's probe child: a probe program that crashes or talks nonsense
# leaves the last answer served, and is logged once, not every interval.
. tests/testlib.bash
. tests/snmp.bash

HOSTPMD_SYSFS=$T/sys
sysfs_s3_s4 "$HOSTPMD_SYSFS"
hostpmd_conf "probeSources sysfs"
snmpd_start
hostpmd_start
assert_eq "S3 from the real probe" 1 "$(snmp_value "$hostPmS3.1")"

printf '#!/bin/sh\nkill -SEGV $$\n' >"$T/crash"
printf '#!/bin/sh\necho hello\n' >"$T/nonsense"
chmod 0755 "$T/crash" "$T/nonsense"
# A long probeTimeout puts the stale limit (3 intervals and the budget)
# beyond the slowest run of this loop (valgrind): the last answer must be
# served as it is, not as stale.
HOSTPMD_TIMEOUT=60
for prog in crash nonsense; do
	mark=$(log_mark "$HOSTPMD_LOG")
	hostpmd_conf "probeSources sysfs" "probeProgram $T/$prog"
	kill -HUP "$HOSTPMD_PID"
	# Three probe intervals: the failure must show once.
	sleep $((3 * SLOW))
	lines=$(log_since "$HOSTPMD_LOG" "$mark" | grep -c "probe: $T/$prog")
	assert_eq "$prog: logged once over three probes" 1 "$lines"
	assert_eq "$prog: the last answer is still served" 1 "$(snmp_value "$hostPmS3.1")"
	hostpmd_alive || fail "hostpmd died with probeProgram $prog"
done
log_since "$HOSTPMD_LOG" 0 | grep -F "probe: $T/crash was killed by signal 11; keeping the last answer" >/dev/null ||
	fail "the crash is not named in the log"
ok "the crash is named in the log"
log_since "$HOSTPMD_LOG" 0 | grep -F "probe: $T/nonsense: probe report, line 1: not a hostpm report of version 1" >/dev/null ||
	fail "the nonsense is not named in the log"
ok "the nonsense is named in the log"
hostpmd_stop

hostpmd_conf "probeProgram relative/hostpm-probe"
$WRAP "$BUILD/hostpmd" -f -C -c "$HOSTPMD_CONF" -x "$AGENTX_SOCKET" -Le >"$T/rel.out" 2>&1
assert_eq "a relative probeProgram stops start-up" 1 "$?"
assert_contains "and says why" "probeProgram: 'relative/hostpm-probe' is not an absolute path" "$(cat "$T/rel.out")"
