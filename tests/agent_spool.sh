# SPDX-License-Identifier: MIT
# attachments: hostpmd dlmod
# hostpmd's spool file: its bytes for each answer, written atomically at
# start-up and after each probe that changes the answer, removed when
# every query fails; a write that fails is counted, leaves the old file
# whole and is tried again at the next probe.
. tests/testlib.bash
. tests/snmp.bash

sys=$T/sys
HOSTPMD_SYSFS=$sys
HOSTPMD_PM=$T/absent/pm-is-supported
spool=$HOSTPMD_SPOOL
spooldir=$(dirname "$spool")

printf '<power_management>\n  <S3/>\n  <S4/>\n</power_management>\n' >"$T/want.s3s4"
printf '<power_management>\n  <S3/>\n</power_management>\n' >"$T/want.s3"
printf '<power_management/>\n' >"$T/want.none"

S3S4=("freeze mem disk
" "s2idle [deep]
" "[platform] shutdown suspend
")
S3ONLY=("freeze mem
" "s2idle [deep]
" -)

spool_is() { [ -f "$spool" ] && cmp -s "$1" "$spool"; }
no_spool() { [ ! -e "$spool" ]; }
show() { if [ -e "$1" ]; then od -c "$1" | head -n 8; else echo "(no file)"; fi; }

# expect_spool WANT-FILE WHAT: waits (5 s) for the spool to hold WANT's
# bytes.
expect_spool() {
	local t0
	t0=$(now_ms)
	wait_until 5 spool_is "$1" ||
		fail "$2: after 5 s the spool holds $(show "$spool"), want $(show "$1")"
	ok "$2: spool bytes are $(basename "$1" | sed 's/^want.//') after $(( $(now_ms) - t0 )) ms"
}
expect_mode() {
	assert_eq "$1: spool file mode" 644 "$(stat -c %a "$spool")"
}
# expect_only_spool WHAT: the spool folder holds the spool file and
# nothing else (no temporary file left over).
expect_only_spool() {
	assert_eq "$1: nothing else in the spool folder" "$(basename "$spool")" \
		"$(ls -A "$spooldir" | tr '\n' ' ' | sed 's/ $//')"
}

sysfs_set "$sys" "${S3S4[@]}"
snmpd_start
# A strict umask: the spool file must still be 0644.
umask 077
hostpmd_start
umask 022

# --- the bytes of each answer ---------------------------------------------------
expect_spool "$T/want.s3s4" "S3+S4 host at start-up"
expect_mode "S3+S4 host"
expect_only_spool "S3+S4 host"

# A second name for the file written at start-up: a rename leaves it with
# the old bytes; rewriting the file in place would change them.
ln "$spool" "$T/old-spool"
old_inode=$(stat -c %i "$spool")

sysfs_set "$sys" ""
expect_spool "$T/want.none" "empty-state host after the change"
cmp -s "$T/old-spool" "$T/want.s3s4" ||
	fail "the old spool file was rewritten in place (not a tmp file + rename): it now holds $(show "$T/old-spool")"
ok "the old spool file was replaced by a rename, not rewritten"
[ "$(stat -c %i "$spool")" != "$old_inode" ] || fail "the spool file kept its inode: not replaced by a rename"
ok "the new spool file is a new inode"
expect_mode "empty-state host"
expect_only_spool "empty-state host"

sysfs_set "$sys" -
t0=$(now_ms)
wait_until 5 no_spool ||
	fail "every query failing: the spool file is still there after 5 s: $(show "$spool")"
ok "every query failing: the spool file is removed after $(( $(now_ms) - t0 )) ms"
assert_eq "every query failing: hostPmQueryValid.1 is false(2)" 2 "$(snmp_value "$hostPmQueryValid.1")"

sysfs_set "$sys" "${S3ONLY[@]}"
expect_spool "$T/want.s3" "S3-only host after the failure"
expect_mode "S3-only host"
assert_eq "no write has failed so far" 0 "$(counter "$hostPmSpoolWriteFailures")"

# --- a write that fails with the old file in place ----------------------------------
# Root ignores permissions; an immutable folder stops root from creating
# the temporary file, while the old file stays readable where it is.
if chattr +i "$spooldir" 2>/dev/null; then
	HARNESS_IMMUTABLE+=("$spooldir")
	mark=$(log_mark "$HOSTPMD_LOG")
	sysfs_set "$sys" ""
	wait_until 5 counter_at_least "$hostPmSpoolWriteFailures" 1 ||
		fail "spool folder immutable: hostPmSpoolWriteFailures is still [$(counter "$hostPmSpoolWriteFailures")] after 5 s"
	ok "spool folder immutable: the failed write is counted"
	spool_is "$T/want.s3" ||
		fail "spool folder immutable: the old spool file changed: $(show "$spool")"
	ok "spool folder immutable: the old spool file is whole"
	wait_until 5 counter_at_least "$hostPmSpoolWriteFailures" 2 ||
		fail "spool folder immutable: the write was not tried again at the next probe (hostPmSpoolWriteFailures $(counter "$hostPmSpoolWriteFailures"))"
	ok "spool folder immutable: the write is tried again at the next probe"
	assert_contains "spool folder immutable: the failure is logged, naming the spool folder" \
		"$spooldir/" "$(log_since "$HOSTPMD_LOG" "$mark")"
	chattr -i "$spooldir"
	expect_spool "$T/want.none" "spool folder writable again"
	expect_only_spool "spool folder writable again"
else
	ok "# SKIP a failing write with the old file in place: chattr +i does not work on $T"
fi

# --- a write that fails because the spool folder is gone --------------------------
before=$(counter "$hostPmSpoolWriteFailures")
cp "$spool" "$T/before-move"
mv "$spooldir" "$T/spool.away"
: >"$spooldir"  # a regular file where the folder was
sysfs_set "$sys" "${S3S4[@]}"
wait_until 5 counter_at_least "$hostPmSpoolWriteFailures" $((before + 1)) ||
	fail "spool folder replaced by a file: hostPmSpoolWriteFailures stayed at $(counter "$hostPmSpoolWriteFailures")"
ok "spool folder replaced by a file: the failed write is counted"
hostpmd_alive || fail "hostpmd exited after a failed spool write"
ok "hostpmd keeps running"
cmp -s "$T/spool.away/$(basename "$spool")" "$T/before-move" ||
	fail "the old spool file changed while its folder was away"
rm -f "$spooldir"
mv "$T/spool.away" "$spooldir"
expect_spool "$T/want.s3s4" "spool folder back"
expect_only_spool "spool folder back"
hostpmd_stop
