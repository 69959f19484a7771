# SPDX-License-Identifier: MIT
# hostpm-probe as administrators run it: output, exit status, messages.
. tests/testlib.bash

# logind comes first by default: make sure it fails here, whatever bus the
# host has (tests/probe_logind.sh gives it one of its own).
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/no-such-bus"

fake_sysfs "$T/s3s4" "freeze mem disk
" "s2idle [deep]
" "[platform] shutdown suspend
"
fake_sysfs "$T/none" ""
fake_sysfs "$T/missing" -

out=$($PROBE --source=sysfs --sysfs-root="$T/s3s4"); rc=$?
assert_eq "S3 and S4 host exits 0" 0 "$rc"
assert_eq "S3 and S4 fragment bytes" "$(printf '<power_management>\n  <S3/>\n  <S4/>\n</power_management>')" "$out"
$PROBE --source=sysfs --sysfs-root="$T/s3s4" >"$T/frag.xml"
xmllint --noout --relaxng probe/power_management.rng "$T/frag.xml" 2>/dev/null ||
	fail "the printed fragment does not validate"
ok "printed fragment validates with xmllint"

out=$($PROBE --source=sysfs --sysfs-root="$T/s3s4" --dialect=libvirt); rc=$?
assert_eq "libvirt dialect exits 0" 0 "$rc"
assert_eq "libvirt dialect fragment bytes" "$(printf '<power_management>\n  <suspend_mem/>\n  <suspend_disk/>\n  <suspend_hybrid/>\n</power_management>')" "$out"
$PROBE --source=sysfs --sysfs-root="$T/s3s4" --dialect=libvirt >"$T/frag.xml"
xmllint --noout --relaxng probe/power_management-libvirt.rng "$T/frag.xml" 2>/dev/null ||
	fail "the libvirt fragment does not validate against its schema"
ok "libvirt fragment validates with xmllint"
! xmllint --noout --relaxng probe/power_management.rng "$T/frag.xml" 2>/dev/null ||
	fail "the libvirt fragment validates against the libvirt-2011 schema"
ok "libvirt fragment does not validate against the libvirt-2011 schema"

# libvirt-2011 by name, and by its old name "seed": the default's bytes.
default=$($PROBE --source=sysfs --sysfs-root="$T/s3s4")
out=$($PROBE --source=sysfs --sysfs-root="$T/s3s4" --dialect=libvirt-2011); rc=$?
assert_eq "--dialect=libvirt-2011 exits 0" 0 "$rc"
assert_eq "--dialect=libvirt-2011 writes <S3/> and <S4/>" "$(printf '<power_management>\n  <S3/>\n  <S4/>\n</power_management>')" "$out"
assert_eq "libvirt-2011 is the default" "$default" "$out"
out=$($PROBE --source=sysfs --sysfs-root="$T/s3s4" --dialect=seed); rc=$?
assert_eq "--dialect=seed (the alias) exits 0" 0 "$rc"
assert_eq "--dialect=seed writes what libvirt-2011 writes" "$default" "$out"

out=$($PROBE --source=sysfs --sysfs-root="$T/none"); rc=$?
assert_eq "nothing supported exits 0" 0 "$rc"
assert_eq "nothing supported is an empty element" "<power_management/>" "$out"

$PROBE --source=pm-utils,sysfs --pm-is-supported="$T/absent" \
	--sysfs-root="$T/missing" >"$T/out" 2>"$T/err"; rc=$?
assert_eq "every source failed exits 1" 1 "$rc"
assert_eq "every source failed prints nothing" "" "$(cat "$T/out")"
assert_contains "stderr names pm-utils" "hostpm-probe: pm-utils: cannot run $T/absent" "$(cat "$T/err")"
assert_contains "stderr names sysfs" "hostpm-probe: sysfs: cannot read $T/missing/power/state" "$(cat "$T/err")"

fake_pm "$T/pm" "exit 0" "exit 1" "exit 1"
out=$($PROBE --pm-is-supported="$T/pm" --sysfs-root="$T/none"); rc=$?
assert_eq "pm-utils answers first by default" "$(printf '<power_management>\n  <S3/>\n</power_management>')" "$out"

fake_pm "$T/hang" "exec sleep 100" "exit 0" "exit 0"
t0=$(now_ms)
out=$($PROBE --timeout=1 --pm-is-supported="$T/hang" --sysfs-root="$T/none" 2>"$T/err"); rc=$?
elapsed=$(( $(now_ms) - t0 ))
assert_eq "a hanging pm-utils falls through to sysfs" "<power_management/>" "$out"
assert_eq "and the probe still succeeds" 0 "$rc"
if [ -z "$WRAP" ]; then
	[ "$elapsed" -lt 2000 ] || fail "--timeout=1 took ${elapsed} ms (over 2 s)"
	ok "--timeout=1 returned in ${elapsed} ms"
fi

out=$($PROBE --format=text --pm-is-supported="$T/absent" --sysfs-root="$T/s3s4"); rc=$?
assert_eq "text format exits 0" 0 "$rc"
assert_contains "text header" "source     query  S3   S4   hybrid s2idle standby s-then-h hib-ready suspends" "$out"
assert_contains "text effective row" "effective  ok     yes  yes  yes" "$out"
assert_contains "text failed row" "pm-utils   failed -    -    -      -      -       -        -         -" "$out"
assert_contains "text error line" "  error:  cannot run $T/absent" "$out"
assert_contains "text logind row failed" "logind     failed" "$out"

# Every column the kernel can fill, from fake sysfs and procfs trees.
fake_sysfs "$T/all" "freeze standby mem disk
" "s2idle shallow [deep]
" "[platform] shutdown suspend
"
printf '8:3\n' >"$T/all/power/resume"
mkdir -p "$T/all/power/suspend_stats" "$T/proc"
printf '12\n' >"$T/all/power/suspend_stats/success"
printf '1\n' >"$T/all/power/suspend_stats/fail"
printf 'Filename\tType\tSize\tUsed\tPriority\n/dev/sda3 partition 16777212 0 -2\n' >"$T/proc/swaps"
printf 'MemTotal: 32596112 kB\nActive(anon): 4194304 kB\n' >"$T/proc/meminfo"
out=$($PROBE --format=text --source=sysfs --sysfs-root="$T/all" --proc-root="$T/proc"); rc=$?
assert_eq "every column: exits 0" 0 "$rc"
assert_contains "every column: the sysfs row" "sysfs      ok     yes  yes  yes    yes    yes     ?        yes       12/1" "$out"
rm "$T/proc/swaps"
out=$($PROBE --format=text --source=sysfs --sysfs-root="$T/all" --proc-root="$T/proc")
assert_contains "--proc-root is where swaps are read" "sysfs      ok     yes  yes  yes    yes    yes     ?        no        12/1" "$out"
assert_contains "and the reason says why" "reason: no swap (no $T/proc/swaps)" "$out"

for bad in "--source=acpi|--source: unknown source 'acpi'" \
	   "--timeout=0|--timeout: timeout 0 s is out of range" \
	   "--format=json|--format: expected 'xml', 'text' or 'report'" \
	   "--dialect=virsh|--dialect: expected libvirt-2011 or libvirt" \
	   "--sysfs-root=|--sysfs-root: the path is empty" \
	   "--proc-root=|--proc-root: the path is empty" \
	   "--bogus|unknown option '--bogus'" \
	   "--timeout|option '--timeout' needs a value" \
	   "stray|unexpected argument 'stray'"; do
	arg=${bad%%|*} msg=${bad#*|}
	$PROBE "$arg" >"$T/out" 2>"$T/err"; rc=$?
	assert_eq "$arg exits 2" 2 "$rc"
	assert_eq "$arg prints nothing on stdout" "" "$(cat "$T/out")"
	assert_contains "$arg is named" "$msg" "$(cat "$T/err")"
done

out=$($PROBE --help); rc=$?
assert_eq "--help exits 0" 0 "$rc"
assert_contains "--help documents exit status" "Exit status: 0" "$out"
assert_contains "--help names the default sources" "(default logind,pm-utils,sysfs)" "$out"
assert_contains "--help names the dialects" "--dialect=libvirt-2011|libvirt" "$out"
assert_contains "--help names the alias" "seed is an old name for it" "$out"
assert_contains "--version" "hostpm-probe " "$($PROBE --version)"
