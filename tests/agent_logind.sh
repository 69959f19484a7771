# SPDX-License-Identifier: MIT
# hostpmd with logind first: the table's logind row comes from
# python3-dbusmock's logind template on a private system bus, next to the
# pm-utils and sysfs rows, with the columns beyond the seed's S3/S4.
. tests/testlib.bash
. tests/snmp.bash
. tests/logind.bash

col() { printf '%s' "$hostPmEntry.$1.$2"; }
# str COL ROW: the string in a cell, or the exception.
str() { snmp_get "$(col "$1" "$2")" 2>/dev/null | sed -e 's/^[^=]*= //' -e 's/^STRING: //' -e 's/^"//' -e 's/"$//'; }

start_bus
HARNESS_PIDS+=("$bus_pid")
start_mock '{"CanSuspend": "challenge", "CanHibernate": "na", "CanHybridSleep": "na", "CanSuspendThenHibernate": "yes"}'
HARNESS_PIDS+=("$mock_pid")

# A laptop-like kernel: s2idle only, hibernation offered, no resume device.
fake_sysfs "$HOSTPMD_SYSFS" "freeze mem disk
" "[s2idle]
" "[platform] shutdown suspend
"
printf '0:0\n' >"$HOSTPMD_SYSFS/power/resume"
mkdir -p "$HOSTPMD_SYSFS/power/suspend_stats" "$T/proc"
printf '7\n' >"$HOSTPMD_SYSFS/power/suspend_stats/success"
printf '2\n' >"$HOSTPMD_SYSFS/power/suspend_stats/fail"
printf 'Filename\tType\tSize\tUsed\tPriority\n' >"$T/proc/swaps"
printf 'MemTotal: 1000 kB\nActive(anon): 500 kB\n' >"$T/proc/meminfo"

hostpmd_conf "probeSources logind,pm-utils,sysfs" "procRoot $T/proc"
snmpd_start
hostpmd_start

# Row 2: logind, as the bus answered; what the host can do apart from
# what logind's policy lets this caller do.
assert_eq "row 2 is logind" "logind" "$(str 2 2)"
assert_eq "logind: query valid" 1 "$(snmp_value "$(col 3 2)")"
assert_eq "logind: CanSuspend=challenge means the host can (S3 1)" 1 "$(snmp_value "$(col 4 2)")"
assert_eq "logind: CanHibernate=na means it cannot (S4 2)" 2 "$(snmp_value "$(col 5 2)")"
assert_eq "logind: CanHybridSleep=na (hybrid 2)" 2 "$(snmp_value "$(col 6 2)")"
assert_eq "logind: suspend-then-hibernate" 1 "$(snmp_value "$(col 11 2)")"
assert_eq "logind cannot tell suspend-to-idle" noSuchInstance "$(snmp_value "$(col 9 2)")"
assert_contains "logind: the policy column shows challenge" "suspend=challenge" "$(str 15 2)"
assert_contains "logind: the reason names the na answers" "logind: " "$(str 16 2)"

# Row 1: logind answered, but mem_sleep has no deep: no S3.
assert_eq "effective: S3 false without deep" 2 "$(snmp_value "$(col 4 1)")"
assert_contains "effective: the reason says why" "s2idle" "$(str 16 1)"
assert_contains "effective: the policy comes with logind's answer" "suspend=challenge" "$(str 15 1)"

# Row 3: pm-utils is not there.
assert_eq "pm-utils failed" 2 "$(snmp_value "$(col 3 3)")"
assert_eq "pm-utils: no S3 cell" noSuchInstance "$(snmp_value "$(col 4 3)")"

# Row 4: sysfs, with the kernel's own states and counters.
assert_eq "row 4 is sysfs" "sysfs" "$(str 2 4)"
assert_eq "sysfs: suspend-to-idle" 1 "$(snmp_value "$(col 9 4)")"
assert_eq "sysfs: no standby" 2 "$(snmp_value "$(col 10 4)")"
assert_eq "sysfs: hibernation could not work now" 2 "$(snmp_value "$(col 12 4)")"
assert_contains "sysfs: the reason names the resume device" "resume" "$(str 16 4)"
assert_eq "sysfs: suspend successes" 7 "$(snmp_value "$(col 13 4)")"
assert_eq "sysfs: suspend failures" 2 "$(snmp_value "$(col 14 4)")"
assert_eq "sysfs: no policy" noSuchInstance "$(snmp_value "$(col 15 4)")"
assert_eq "sysfs cannot tell suspend-then-hibernate" noSuchInstance "$(snmp_value "$(col 11 4)")"

# logind goes away: its row fails with the bus's error, and the effective
# answer falls to the next source that answers (sysfs).
kill -KILL "$mock_pid"
wait "$mock_pid" 2>/dev/null
wait_until $((5 * SLOW)) sh -c "[ \"\$(snmpget -v2c -c public -On -Oqv -t 1 -r 0 127.0.0.1:$SNMPD_PORT $(col 3 2))\" = 2 ]" ||
	fail "the logind row did not turn invalid after the mock went away"
ok "without logind on the bus its row's query fails"
case "$(str 8 2)" in ?*) ok "logind row: hostPmError says why: $(str 8 2)" ;; *) fail "logind row: hostPmError empty" ;; esac
assert_eq "logind row: no S3 cell" noSuchInstance "$(snmp_value "$(col 4 2)")"
assert_eq "effective falls to sysfs: query valid" 1 "$(snmp_value "$(col 3 1)")"
assert_eq "effective falls to sysfs: suspend-to-idle now told" 1 "$(snmp_value "$(col 9 1)")"
hostpmd_stop
