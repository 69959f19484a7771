# SPDX-License-Identifier: MIT
# A probe program that starts failing after a good answer: the answer it
# left goes stale after 3 probe intervals and the probe's time budget
# (3 x 1 s + (2 sources x 1 s + 2 s) = 7 s here), and is then served as a
# failed query (hostPmQueryValid 2, the capability cells absent,
# hostPmError naming its age and the program's failure), the spool file is
# removed and hostPmCapabilitiesChanged says so; when the program works
# again, everything comes back.
. tests/testlib.bash
. tests/snmp.bash

fake_sysfs "$HOSTPMD_SYSFS" "freeze mem disk
" "s2idle [deep]
" "[platform] shutdown suspend
"
HOSTPMD_PM=$T/absent/pm-is-supported
HOSTPMD_TIMEOUT=1
STALE_AFTER=7

# The real hostpm-probe, or exit status 3 while $T/broken exists.
wrapper=$T/probe-wrapper
cat >"$wrapper" <<SCRIPT
#!/bin/sh
[ -e "$T/broken" ] && exit 3
exec "$HOSTPM_PROBE_PROGRAM" "\$@"
SCRIPT
chmod 0755 "$wrapper"
HOSTPM_PROBE_PROGRAM=$wrapper

snmptrapd_start
snmpd_start
hostpmd_start

have_traps() { [ "$(traps_of "$hostPmCapabilitiesChanged" | wc -l)" -ge "$1" ]; }
valid_is() { [ "$(snmp_value "$hostPmQueryValid.1")" = "$1" ]; }

wait_until $((5 * SLOW)) valid_is 1 || fail "hostPmQueryValid.1 did not become 1 with a working probe program"
assert_eq "a fresh answer: hostPmS3.1" 1 "$(snmp_value "$hostPmS3.1")"
[ -s "$HOSTPMD_SPOOL" ] || fail "no spool file with a fresh answer"

# age_and_valid: hostPmProbeAge.1 and hostPmQueryValid.1 from one GET
# (one view of the table), as "AGE VALID".
age_and_valid() {
	snmp_get "$hostPmProbeAge.1" "$hostPmQueryValid.1" 2>/dev/null | snmp_parse |
		cut -f 3 | tr '\n' ' '
}
# stale_yet: polls, and checks each answer against the documented age:
# valid while not more than STALE_AFTER s old, failed after.
stale_yet() {
	local age valid
	read -r age valid <<<"$(age_and_valid)"
	[ -n "$valid" ] || return 1
	if [ "$valid" = 1 ] && [ "$age" -gt "$STALE_AFTER" ]; then
		echo "hostPmQueryValid.1 still 1 at hostPmProbeAge.1 $age (> $STALE_AFTER)" >"$T/wrong"
	elif [ "$valid" = 2 ] && [ "$age" -le "$STALE_AFTER" ]; then
		echo "hostPmQueryValid.1 2 already at hostPmProbeAge.1 $age (<= $STALE_AFTER)" >"$T/wrong"
	fi
	[ "$valid" = 2 ]
}

traps_before=$(traps_of "$hostPmCapabilitiesChanged" | wc -l)
mark=$(log_mark "$HOSTPMD_LOG")
touch "$T/broken"
wait_until $(( (STALE_AFTER + 10) * SLOW )) stale_yet ||
	fail "hostPmQueryValid.1 did not turn 2 within $((STALE_AFTER + 10)) s of the probe program failing (it is $(age_and_valid))"
[ ! -e "$T/wrong" ] || fail "$(cat "$T/wrong")"
ok "the answer turned stale after $STALE_AFTER s, not before"

for c in "$hostPmS3" "$hostPmS4" "$hostPmHybrid" "$hostPmEntry.9" "$hostPmEntry.13"; do
	assert_eq "stale: GET $c.1 is noSuchInstance" noSuchInstance "$(snmp_value "$c.1")"
	assert_eq "stale: GET $c.3 (sysfs) is noSuchInstance" noSuchInstance "$(snmp_value "$c.3")"
done
assert_eq "stale: hostPmQueryValid.3 (sysfs) 2" 2 "$(snmp_value "$hostPmQueryValid.3")"
assert_eq "stale: hostPmReason.1 empty, as for any failed query" "" "$(snmp_value "$hostPmEntry.16.1")"
err=$(snmp_value "$hostPmError.1")
age=$(snmp_value "$hostPmProbeAge.1")
[[ $err =~ ^stale:\ last\ answer\ ([0-9]+)\ s\ old,\ more\ than\ $STALE_AFTER\ s\;\ probe\ program\ failing:\ (.*)$ ]] ||
	fail "hostPmError.1: expected 'stale: last answer N s old, more than $STALE_AFTER s; probe program failing: ...', got '$err'"
err_age=${BASH_REMATCH[1]}
[ "$err_age" -gt "$STALE_AFTER" ] && [ "$err_age" -le "$age" ] ||
	fail "hostPmError.1 says $err_age s old; expected more than $STALE_AFTER and at most hostPmProbeAge.1 read after it ($age)"
assert_eq "hostPmError.1 names the failure" "$wrapper exited with status 3" "${BASH_REMATCH[2]}"
sleep 1.2
err2=$(snmp_value "$hostPmError.1")
[[ $err2 =~ ^stale:\ last\ answer\ ([0-9]+)\ s\ old ]] && [ "${BASH_REMATCH[1]}" -gt "$err_age" ] ||
	fail "hostPmError.1 does not count the age on: '$err' then '$err2'"
ok "hostPmError.1: $err2"

[ ! -e "$HOSTPMD_SPOOL" ] || fail "the spool file is still there with a stale answer: $(cat "$HOSTPMD_SPOOL")"
ok "the spool file is removed, as for a failed query"
wait_until 5 have_traps $((traps_before + 1)) ||
	fail "no hostPmCapabilitiesChanged when the answer turned stale"
trap1=$(traps_of "$hostPmCapabilitiesChanged" | sed -n "$((traps_before + 1))p")
assert_contains "notification: hostPmQueryValid.1 false" "$hostPmQueryValid.1 = INTEGER: 2" "$trap1"
case $trap1 in *"$hostPmS3.1 "*) fail "the notification of a stale answer carries hostPmS3.1: $trap1" ;; esac
assert_contains "the log says the answer is stale" "power-management query failed: stale: last answer" \
	"$(log_since "$HOSTPMD_LOG" "$mark")"

# Stale answers stay stale, and notify once.
sleep 2
assert_eq "one notification for going stale" $((traps_before + 1)) "$(traps_of "$hostPmCapabilitiesChanged" | wc -l)"
assert_eq "still stale" 2 "$(snmp_value "$hostPmQueryValid.1")"

# --- the program works again ------------------------------------------------
rm -f "$T/broken"
wait_until $((5 * SLOW)) valid_is 1 || fail "hostPmQueryValid.1 did not come back within 5 s of the probe program working"
assert_eq "fresh again: hostPmS3.1" 1 "$(snmp_value "$hostPmS3.1")"
assert_eq "fresh again: hostPmS4.1" 1 "$(snmp_value "$hostPmS4.1")"
assert_eq "fresh again: hostPmError.1 empty" "" "$(snmp_value "$hostPmError.1")"
wait_until 5 test -s "$HOSTPMD_SPOOL" || fail "the spool file did not come back"
assert_eq "the spool file holds the fragment again" \
	"$(printf '<power_management>\n  <S3/>\n  <S4/>\n</power_management>')" "$(cat "$HOSTPMD_SPOOL")"
wait_until 5 have_traps $((traps_before + 2)) || fail "no hostPmCapabilitiesChanged when the answer was fresh again"
trap2=$(traps_of "$hostPmCapabilitiesChanged" | sed -n "$((traps_before + 2))p")
assert_contains "notification: hostPmQueryValid.1 true again" "$hostPmQueryValid.1 = INTEGER: 1" "$trap2"
assert_contains "notification: hostPmS3.1 true again" "$hostPmS3.1 = INTEGER: 1" "$trap2"

hostpmd_stop
