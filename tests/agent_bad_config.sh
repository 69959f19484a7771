# SPDX-License-Identifier: MIT
# attachments: hostpmd dlmod
# A configuration that cannot be read (gone, a directory in its place,
# -c DIR) or has a token without a value (or net-snmp's own
# agentxPingInterval -1): start-up fails with status 1 and a message
# naming the file, the line and the token; at SIGHUP the error is logged
# and the configuration in force stays, as the table's values show.
# Inside snmpd (dlmod) the files are snmpd's: a bad hostpm token at
# start-up is logged with its file, line and token, snmpd goes on
# without the table, and at SIGHUP the same tokens keep the
# configuration in force.
. tests/testlib.bash
. tests/snmp.bash

host_s3_s4
fake_sysfs "$T/none" ""
snmpd_start
hostpmd_conf
cp "$HOSTPMD_CONF" "$T/good.conf"

# bad_conf FILE LINE: the good configuration, but for a host without S3
# and with one source (so one row fewer), LINE being line 3.
bad_conf() {
	{
		echo "# line 1"
		echo "sysfsRoot $T/none"
		echo "$2"
		echo "probeSources sysfs"
		grep -Ev '^(sysfsRoot|probeSources) ' "$T/good.conf"
	} >"$1"
}

# --- at start-up -----------------------------------------------------------------
# start_fails WHAT FILE NEEDLE... : hostpmd -c FILE exits 1, before it
# reaches snmpd, with one message holding every NEEDLE.
start_fails() {
	local what=$1 file=$2 rc msgs n line
	shift 2
	rm -f "$T/start.pid"
	# shellcheck disable=SC2086
	timeout $((10 * SLOW)) $WRAP "$BUILD/hostpmd" -f -C -c "$file" -x "$AGENTX_SOCKET" \
		-Lf "$T/start.log" -p "$T/start.pid" </dev/null >"$T/start.out" 2>&1
	rc=$?
	[ "$rc" -ne 124 ] || fail "$what: hostpmd still runs after $((10 * SLOW)) s"
	assert_eq "$what: exit status" 1 "$rc"
	msgs=$(cat "$T/start.out" "$T/start.log" 2>/dev/null)
	line=$(printf '%s\n' "$msgs" | grep -F -- "$1")
	for n in "$@"; do line=$(printf '%s\n' "$line" | grep -F -- "$n"); done
	[ -n "$line" ] || fail "$what: no message holds [$*]: [$msgs]"
	ok "$what: $(printf '%s\n' "$line" | tail -n 1)"
	[ ! -e "$T/start.pid" ] || fail "$what: a pid file was left behind"
	: >"$T/start.log"
}

# The tokens whose errors are hostpm's, in hostpmd and in snmpd.
bad_tokens=(sysfsRoot probeInterval spoolFile 'probeTimeout banana')
attached_to_snmpd || bad_tokens+=('agentxPingInterval -1')

# --- at start-up, inside snmpd -----------------------------------------------------
if attached_to_snmpd; then
	for token in "${bad_tokens[@]}"; do
		bad_conf "$HOSTPMD_CONF" "$token"
		mark=$(log_mark "$HOSTPMD_LOG")
		hostpmd_spawn
		snmpd_answers || fail "snmpd with '$token' for hostpm.so does not answer"
		logged() {
			log_since "$HOSTPMD_LOG" "$mark" | grep -F "$HOSTPMD_CONF: line 3" |
				grep -F "${token% *}" | grep -q 'HOSTPM-MIB is not served'
		}
		wait_until $((5 * SLOW)) logged ||
			fail "snmpd with '$token': no line naming $HOSTPMD_CONF, line 3 and ${token% *} that says the table is not served: [$(log_since "$HOSTPMD_LOG" "$mark")]"
		ok "snmpd with '$token': $(log_since "$HOSTPMD_LOG" "$mark" | grep -F 'not served' | tail -n 1)"
		assert_eq "snmpd with '$token' goes on without the table" noSuchObject "$(snmp_value "$hostPmSourceName.1")"
		# Mended and reloaded, the module starts.
		cp "$T/good.conf" "$HOSTPMD_CONF"
		kill -HUP "$SNMPD_PID"
		hostpmd_wait_ready
		ok "mended, a SIGHUP starts the module"
		hostpmd_stop
	done
	cp "$T/good.conf" "$HOSTPMD_CONF"
fi

# --- at start-up -----------------------------------------------------------------
if ! attached_to_snmpd; then
for token in "${bad_tokens[@]}"; do
	bad_conf "$T/blank.conf" "$token"
	start_fails "start-up with '$token'" "$T/blank.conf" "$T/blank.conf" "line 3" "${token% *}"
done
mkdir "$T/conf.d"
start_fails "start-up with -c DIR" "$T/conf.d" "$T/conf.d" directory
start_fails "start-up with -c FILE gone" "$T/gone.conf" "$T/gone.conf" "No such file"
# From the search path (no -C): a directory where hostpmd.conf would be.
mkdir -p "$T/searchpath/hostpmd.conf"
# shellcheck disable=SC2086
SNMPCONFPATH=$T/searchpath timeout $((10 * SLOW)) $WRAP "$BUILD/hostpmd" -f \
	-x "$AGENTX_SOCKET" -Lf "$T/start.log" </dev/null >"$T/start.out" 2>&1
rc=$?
assert_eq "start-up with a directory for hostpmd.conf on the search path: exit status" 1 "$rc"
assert_contains "and it is named" "$T/searchpath/hostpmd.conf: cannot read the configuration: it is a directory" \
	"$(cat "$T/start.log")"
assert_eq "no failed start reached snmpd" noSuchObject "$(snmp_value "$hostPmSourceName.1")"
fi

# --- at SIGHUP ---------------------------------------------------------------------
hostpmd_start
served() {
	[ "$(snmp_value "$hostPmS3.1")" = 1 ] &&
		[ "$(snmp_value "$hostPmSourceName.3")" = sysfs ]
}
served || fail "with the good configuration: S3 [$(snmp_value "$hostPmS3.1")], row 3 [$(snmp_value "$hostPmSourceName.3")]"
ok "with the good configuration: S3 1, row 3 sysfs"

# hup_keeps WHAT NEEDLE...: SIGHUP logs one line with every NEEDLE; the
# probes go on every second, and the table still shows the good
# configuration (the bad one's sysfsRoot and sources, or the defaults,
# would remove S3 or row 3, or both).
hup_keeps() {
	local what=$1 mark probes n line
	shift
	mark=$(log_mark "$HOSTPMD_LOG")
	kill -HUP "$HOSTPMD_PID"
	logged() {
		line=$(log_since "$HOSTPMD_LOG" "$mark")
		for n in "$@"; do line=$(printf '%s\n' "$line" | grep -F -- "$n"); done
		[ -n "$line" ] && log_since "$HOSTPMD_LOG" "$mark" | grep -q 'keeping the one in force'
	}
	wait_until $((5 * SLOW)) logged ||
		fail "SIGHUP $what: no line with [$*] and 'keeping the one in force' in the log: [$(log_since "$HOSTPMD_LOG" "$mark")]"
	ok "SIGHUP $what is logged: $(printf '%s\n' "$line" | tail -n 1)"
	hostpmd_alive || fail "hostpmd exited at SIGHUP $what"
	probes=$(counter "$hostPmProbeCount")
	wait_until $((3 * SLOW)) counter_at_least "$hostPmProbeCount" $((probes + 2)) ||
		fail "after SIGHUP $what, probes no longer come every second"
	served ||
		fail "after SIGHUP $what the table changed: S3 [$(snmp_value "$hostPmS3.1")] (kept: 1), row 3 [$(snmp_value "$hostPmSourceName.3")] (kept: sysfs)"
	ok "after SIGHUP $what: probes every second, S3 1, row 3 sysfs (the configuration in force)"
}

for token in "${bad_tokens[@]}"; do
	bad_conf "$HOSTPMD_CONF" "$token"
	hup_keeps "with '$token'" "$HOSTPMD_CONF" "line 3" "${token% *}"
done
# hostpmd's own files; inside snmpd, a missing file is snmpd's matter.
if ! attached_to_snmpd; then
rm -f "$HOSTPMD_CONF"
hup_keeps "with the file gone" "$HOSTPMD_CONF" "No such file"
mkdir "$HOSTPMD_CONF"
hup_keeps "with a directory in its place" "$HOSTPMD_CONF" directory
rmdir "$HOSTPMD_CONF"
fi

# A good file is taken again: the same checks would see the change.
bad_conf "$HOSTPMD_CONF" "# nothing wrong"
kill -HUP "$HOSTPMD_PID"
one_source() { [ "$(snmp_value "$hostPmSourceName.3")" = noSuchInstance ] && [ "$(snmp_value "$hostPmS3.1")" = 2 ]; }
wait_until $((5 * SLOW)) one_source ||
	fail "a good configuration at SIGHUP did not take: S3 [$(snmp_value "$hostPmS3.1")], row 3 [$(snmp_value "$hostPmSourceName.3")]"
ok "then a good configuration at SIGHUP takes: S3 2, no row 3"
hostpmd_stop
attached_to_snmpd && exit 0

# --- at SIGHUP, from the search path (no -C) ----------------------------------
cp "$T/good.conf" "$T/snmpconf/hostpmd.conf"
# shellcheck disable=SC2086
$WRAP "$BUILD/hostpmd" -f -x "$AGENTX_SOCKET" -Lf "$HOSTPMD_LOG" </dev/null >>"$HOSTPMD_ERR" 2>&1 &
HOSTPMD_PID=$!
hostpmd_wait_ready
served || fail "from the search path: S3 [$(snmp_value "$hostPmS3.1")], row 3 [$(snmp_value "$hostPmSourceName.3")]"
rm "$T/snmpconf/hostpmd.conf"
hup_keeps "with hostpmd.conf gone from the search path" "$T/snmpconf/hostpmd.conf" "No such file"
hostpmd_stop
