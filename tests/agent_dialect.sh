# SPDX-License-Identifier: MIT
# spoolFormat: hostpmd's spool in today's libvirt names, valid against
# that dialect's schema, written again in the other dialect after SIGHUP,
# and a value it does not know refused at start-up.
. tests/testlib.bash
. tests/snmp.bash

HOSTPMD_SYSFS=$T/sys
sysfs_s3_s4 "$HOSTPMD_SYSFS"
hostpmd_conf "probeSources sysfs" "spoolFormat libvirt"
snmpd_start
hostpmd_start
wait_until $((5 * SLOW)) test -s "$HOSTPMD_SPOOL" || fail "no spool file"
assert_eq "libvirt dialect bytes" "$(printf '<power_management>\n  <suspend_mem/>\n  <suspend_disk/>\n  <suspend_hybrid/>\n</power_management>')" "$(cat "$HOSTPMD_SPOOL")"
xmllint --noout --relaxng probe/power_management-libvirt.rng "$HOSTPMD_SPOOL" 2>/dev/null ||
	fail "the libvirt spool does not validate against its schema"
ok "the libvirt spool validates against probe/power_management-libvirt.rng"

# Another dialect after SIGHUP: the same answer, so only the reload can
# have the spool file written again. "seed" is libvirt-2011's old name.
hostpmd_conf "probeSources sysfs" "spoolFormat seed"
kill -HUP "$HOSTPMD_PID"
want=$(printf '<power_management>\n  <S3/>\n  <S4/>\n</power_management>')
spool_holds() { [ "$(cat "$HOSTPMD_SPOOL" 2>/dev/null)" = "$1" ]; }
wait_until $((5 * SLOW)) spool_holds "$want" ||
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
