# SPDX-License-Identifier: MIT
# attachments: hostpmd dlmod
# hostPmTable through a real snmpd, row by row, for each of the three
# answers: S3 and S4 supported, nothing supported, every query failed.
# pm-is-supported is missing on every host here, so the pm-utils row is
# always a failed query and the effective row follows sysfs.
. tests/testlib.bash
. tests/snmp.bash

fake_sysfs "$T/s3s4" "freeze mem disk
" "s2idle [deep]
" "[platform] shutdown suspend
"
fake_sysfs "$T/none" ""
fake_sysfs "$T/missing" -
HOSTPMD_PM=$T/absent/pm-is-supported

snmpd_start

# walk_table: the table as OID<tab>TYPE<tab>VALUE lines in $T/walk.
walk_table() {
	snmp_walk "$hostPmTable" >"$T/walk.raw" 2>"$T/walk.err" ||
		fail "snmpwalk of hostPmTable failed: $(cat "$T/walk.err")"
	snmp_parse <"$T/walk.raw" >"$T/walk"
}
# cell COLUMN-OID ROW: "TYPE VALUE", or "absent".
cell() {
	local line
	line=$(grep -F "$1.$2"$'\t' "$T/walk" | head -n 1)
	if [ -z "$line" ]; then echo absent; else printf '%s\n' "$line" | cut -f 2- | tr '\t' ' '; fi
}
# expect_oids ROW-SPEC...: of columns 2 to 8 (hostPmSourceName to
# hostPmError; the columns after them are not tested here), the walk
# holds exactly these instances, in column order: no other row, no
# capability where it must be absent. ROW-SPEC is ROW:COL,COL,...
expect_oids() {
	local col spec want="" re
	for col in 2 3 4 5 6 7 8; do
		for spec in "$@"; do
			case ",${spec#*:}," in *",$col,"*) want="$want$hostPmEntry.$col.${spec%%:*} " ;; esac
		done
	done
	re=$(printf '%s' "$hostPmEntry" | sed 's/[.]/\\./g')
	assert_eq "$host: the walk has exactly the expected instances of columns 2-8" \
		"$want" "$(cut -f 1 "$T/walk" | grep -E "^$re\.[2-8]\." | tr '\n' ' ')"
}
# expect_row ROW NAME VALID S3 S4 HYBRID ERROR: "-" for an absent
# capability; ERROR is "empty" or "set".
expect_row() {
	local row=$1 name=$2 valid=$3 s3=$4 s4=$5 hybrid=$6 err=$7 c col oid want v age
	assert_eq "$host row $row: hostPmSourceName" "STRING $name" "$(cell "$hostPmSourceName" "$row")"
	assert_eq "$host row $row ($name): hostPmQueryValid" "INTEGER $valid" "$(cell "$hostPmQueryValid" "$row")"
	for c in "hostPmS3 $hostPmS3 $s3" "hostPmS4 $hostPmS4 $s4" "hostPmHybrid $hostPmHybrid $hybrid"; do
		read -r col oid want <<<"$c"
		if [ "$want" = - ]; then
			assert_eq "$host row $row ($name): $col absent" absent "$(cell "$oid" "$row")"
			v=$(snmp_value "$oid.$row")
			assert_eq "$host row $row ($name): GET $col.$row is noSuchInstance" noSuchInstance "$v"
		else
			assert_eq "$host row $row ($name): $col" "INTEGER $want" "$(cell "$oid" "$row")"
		fi
	done
	age=$(cell "$hostPmProbeAge" "$row")
	case $age in
	"Gauge32 "[0-9]*) [ "${age#Gauge32 }" -le $((2 * SLOW)) ] ||
		fail "$host row $row ($name): hostPmProbeAge $age, over $((2 * SLOW)) s with probeInterval 1" ;;
	*) fail "$host row $row ($name): hostPmProbeAge is [$age], not an Unsigned32 (Gauge32)" ;;
	esac
	ok "$host row $row ($name): hostPmProbeAge $age"
	v=$(cell "$hostPmError" "$row")
	if [ "$err" = empty ]; then
		assert_eq "$host row $row ($name): hostPmError empty" "STRING " "$v"
	else
		case $v in
		"STRING "?*) ok "$host row $row ($name): hostPmError says why: ${v#STRING }" ;;
		*) fail "$host row $row ($name): hostPmError should be a non-empty string, got [$v]" ;;
		esac
	fi
}

# --- S3 and S4 (and hybrid) -------------------------------------------------
host="S3+S4 host"
HOSTPMD_SYSFS=$T/s3s4 hostpmd_conf
hostpmd_start
walk_table
expect_oids 1:2,3,4,5,6,7,8 2:2,3,7,8 3:2,3,4,5,6,7,8
expect_row 1 effective 1 1 1 1 empty
expect_row 2 pm-utils 2 - - - set
expect_row 3 sysfs 1 1 1 1 empty
assert_eq "$host: hostPmSpoolWriteFailures" "Counter32 0" "$(snmp_typed "$hostPmSpoolWriteFailures")"
case $(snmp_typed "$hostPmProbeCount") in
"Counter32 "[1-9]*) ok "$host: hostPmProbeCount counts the probe at start-up" ;;
*) fail "$host: hostPmProbeCount is [$(snmp_typed "$hostPmProbeCount")], want a Counter32 of at least 1" ;;
esac
hostpmd_stop

# --- nothing supported (an empty /sys/power/state, as on many VMs) -------------
host="empty-state host"
HOSTPMD_SYSFS=$T/none hostpmd_conf
hostpmd_start
walk_table
expect_oids 1:2,3,4,5,6,7,8 2:2,3,7,8 3:2,3,4,5,6,7,8
expect_row 1 effective 1 2 2 2 empty
expect_row 2 pm-utils 2 - - - set
expect_row 3 sysfs 1 2 2 2 empty
hostpmd_stop

# --- every query failed ---------------------------------------------------------
host="every source failing"
HOSTPMD_SYSFS=$T/missing hostpmd_conf
hostpmd_start
walk_table
expect_oids 1:2,3,7,8 2:2,3,7,8 3:2,3,7,8
expect_row 1 effective 2 - - - set
expect_row 2 pm-utils 2 - - - set
expect_row 3 sysfs 2 - - - set
e1=$(cell "$hostPmError" 1) e2=$(cell "$hostPmError" 2) e3=$(cell "$hostPmError" 3)
assert_contains "$host: the effective error includes pm-utils' error" "${e2#STRING }" "$e1"
assert_contains "$host: the effective error includes sysfs' error" "${e3#STRING }" "$e1"
hostpmd_stop
