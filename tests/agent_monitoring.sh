# SPDX-License-Identifier: MIT
# attachments: hostpmd dlmod
# hostpmd as monitoring sees it: Nagios' check_snmp on hostPmS3.1, the
# hostPmCapabilitiesChanged notification arriving at snmptrapd through
# snmpd, and hostpmd's row in sysORTable.
. tests/testlib.bash
. tests/snmp.bash

host_s3_s4

snmptrapd_start
snmpd_start
hostpmd_start

# --- sysORTable -----------------------------------------------------------------
snmp_walk "$sysORTable" | snmp_parse >"$T/sysor"
row=$(grep -F "$sysORDescr." "$T/sysor" | cut -f 1,3 | grep -i 'hostpm' | head -n 1 | cut -f 1)
[ -n "$row" ] || fail "no sysORDescr mentions hostpm: $(grep -F "$sysORDescr." "$T/sysor" | cut -f 3 | tr '\n' '|')"
idx=${row#"$sysORDescr."}
ok "sysORTable row $idx: $(grep -F "$row"$'\t' "$T/sysor" | cut -f 3)"
id=$(grep -F "$sysORID.$idx"$'\t' "$T/sysor" | cut -f 3)
case $id in
"$hostPmMIB" | "$hostPmMIB".*) ok "sysORID.$idx is $id, in HOSTPM-MIB" ;;
*) fail "sysORID.$idx is [$id], not HOSTPM-MIB ($hostPmMIB) or below it" ;;
esac

# --- check_snmp -----------------------------------------------------------------
# Debian's check_snmp loads no MIB: numeric OIDs only. TruthValue: 1 true.
check_s3() {
	"$CHECK_SNMP" -H 127.0.0.1 -p "$SNMPD_PORT" -P 2c -C public -t 5 -e 1 \
		-o "$hostPmS3.1" -c 1:1
}
out=$(check_s3); rc=$?
assert_eq "check_snmp hostPmS3.1 -c 1:1 on a host with S3: OK (exit 0) [$out]" 0 "$rc"
assert_contains "check_snmp prints OK" "SNMP OK" "$out"

# --- no notification for the first probes -----------------------------------------
probes=$(counter "$hostPmProbeCount")
[ -n "$probes" ] || fail "hostPmProbeCount is not a Counter32"
wait_until $((5 * SLOW)) counter_at_least "$hostPmProbeCount" $((probes + 2)) ||
	fail "hostPmProbeCount did not grow by 2 in $((5 * SLOW)) s with probeInterval 1"
assert_eq "no hostPmCapabilitiesChanged while the answer stays the same" "" \
	"$(traps_of "$hostPmCapabilitiesChanged")"

# --- the answer changes: S3 and S4 go -------------------------------------------------
have_traps() { [ "$(traps_of "$hostPmCapabilitiesChanged" | wc -l)" -ge "$1" ]; }
sysfs_set "$sys" ""
t0=$(now_ms)
wait_until 5 have_traps 1 ||
	fail "no hostPmCapabilitiesChanged ($hostPmCapabilitiesChanged) reached snmptrapd within 5 s of the change"
trap1=$(traps_of "$hostPmCapabilitiesChanged" | head -n 1)
ok "snmptrapd got hostPmCapabilitiesChanged $(( $(now_ms) - t0 )) ms after the change"
assert_contains "notification: hostPmQueryValid.1 true" "$hostPmQueryValid.1 = INTEGER: 1" "$trap1"
assert_contains "notification: the new hostPmS3.1, false" "$hostPmS3.1 = INTEGER: 2" "$trap1"
assert_contains "notification: the new hostPmS4.1, false" "$hostPmS4.1 = INTEGER: 2" "$trap1"

out=$(check_s3); rc=$?
assert_eq "check_snmp hostPmS3.1 -c 1:1 on a host without S3: CRITICAL (exit 2) [$out]" 2 "$rc"
assert_contains "check_snmp prints CRITICAL" "CRITICAL" "$out"

# Once per change, not once per probe.
probes=$(counter "$hostPmProbeCount")
wait_until $((5 * SLOW)) counter_at_least "$hostPmProbeCount" $((probes + 2)) ||
	fail "hostPmProbeCount did not grow by 2 in $((5 * SLOW)) s"
assert_eq "one notification for one change" 1 "$(traps_of "$hostPmCapabilitiesChanged" | wc -l)"

# --- and again: S3 comes back, S4 does not -----------------------------------------------
sysfs_set "$sys" "mem
" "[deep]
" -
wait_until 5 have_traps 2 ||
	fail "no second hostPmCapabilitiesChanged within 5 s of the second change"
trap2=$(traps_of "$hostPmCapabilitiesChanged" | sed -n 2p)
assert_contains "second notification: hostPmQueryValid.1 true" "$hostPmQueryValid.1 = INTEGER: 1" "$trap2"
assert_contains "second notification: hostPmS3.1 true" "$hostPmS3.1 = INTEGER: 1" "$trap2"
assert_contains "second notification: hostPmS4.1 false" "$hostPmS4.1 = INTEGER: 2" "$trap2"
out=$(check_s3); rc=$?
assert_eq "check_snmp OK again once S3 is back [$out]" 0 "$rc"

hostpmd_stop
