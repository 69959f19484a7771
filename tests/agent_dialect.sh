# SPDX-License-Identifier: MIT
# spoolFormat: hostpmd's spool in today's libvirt names, valid against
# that dialect's schema, written again in the other dialect after SIGHUP,
# and a value it does not know refused at start-up.
. tests/testlib.bash
. tests/snmp.bash

HOSTPMD_SYSFS=$T/sys
sysfs_s3_s4 "$HOSTPMD_SYSFS"
# The real probe, a second late, saying when it starts: so that the test
# below can send SIGHUP while a probe of the old settings is under way.
cat >"$T/slow-probe" <<EOF
#!/bin/sh
: >"$T/probing"
sleep 1
exec "$HOSTPM_PROBE_PROGRAM" "\$@"
EOF
chmod 0755 "$T/slow-probe"
hostpmd_conf "probeSources sysfs" "spoolFormat libvirt" "probeProgram $T/slow-probe"
snmpd_start
hostpmd_start
wait_until $((10 * SLOW)) test -s "$HOSTPMD_SPOOL" || fail "no spool file"
assert_eq "libvirt dialect bytes" "$(printf '<power_management>\n  <suspend_mem/>\n  <suspend_disk/>\n  <suspend_hybrid/>\n</power_management>')" "$(cat "$HOSTPMD_SPOOL")"
xmllint --noout --relaxng probe/power_management-libvirt.rng "$HOSTPMD_SPOOL" 2>/dev/null ||
	fail "the libvirt spool does not validate against its schema"
ok "the libvirt spool validates against probe/power_management-libvirt.rng"

# Another dialect after SIGHUP: the same answer, so only the reload can
# have the spool file written again. "seed" is libvirt-2011's old name.
# The SIGHUP comes while a probe started with the old settings runs: its
# report (libvirt's names) must not stand for the new dialect's write.
rm -f "$T/probing"
wait_until $((5 * SLOW)) test -e "$T/probing" || fail "no probe started within 5 s"
hostpmd_conf "probeSources sysfs" "spoolFormat seed" "probeProgram $T/slow-probe"
kill -HUP "$HOSTPMD_PID"
want=$(printf '<power_management>\n  <S3/>\n  <S4/>\n</power_management>')
spool_holds() { [ "$(cat "$HOSTPMD_SPOOL" 2>/dev/null)" = "$1" ]; }
wait_until $((10 * SLOW)) spool_holds "$want" ||
	fail "after SIGHUP with spoolFormat seed the spool still holds [$(cat "$HOSTPMD_SPOOL")], want [$want]"
ok "SIGHUP with spoolFormat seed (libvirt-2011's alias) rewrites the spool file in that dialect"
hostpmd_stop

hostpmd_conf "probeSources sysfs" "spoolFormat libvirt2"
HOSTPMD_PID=""
$WRAP "$BUILD/hostpmd" -f -C -c "$HOSTPMD_CONF" -x "$AGENTX_SOCKET" -Le \
	>"$T/bad.out" 2>&1
rc=$?
assert_eq "an unknown spoolFormat stops start-up" 1 "$rc"
assert_contains "the error names file, line and token" \
	"$HOSTPMD_CONF: line 11: Error: spoolFormat: 'libvirt2' is not a dialect (libvirt-2011 or libvirt)" "$(cat "$T/bad.out")"
