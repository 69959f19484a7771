# SPDX-License-Identifier: MIT
# Shared by tests/deploy/nagios.sh and icinga2.sh: hostpmd under a private
# snmpd (tests/snmp.bash), taken through the three answers, with the same
# expectations of the three hostpm services whatever runs their checks.
# Source it after tests/testlib.bash and tests/snmp.bash.
#
#   monitoring_start          snmpd, and hostpmd on a host with S3 and S4
#   monitoring_three_states PREPARE CHECK
#                             for each answer: sets it, waits until hostpmd
#                             serves it, runs PREPARE, then
#                             CHECK SERVICE STATE TEXT... for each service
#                             (STATE OK or CRITICAL; $state names the answer)
#   assert_says WHAT OUTPUT TEXT...   each TEXT is in OUTPUT; "!X": X is not

monitoring_start() {
	[ -x "$CHECK_SNMP" ] || fail "$CHECK_SNMP is missing (monitoring-plugins-standard)"
	# No pm-is-supported: the pm-utils row always fails, sysfs answers.
	HOSTPMD_PM=$T/absent/pm-is-supported
	sysfs_s3_s4 "$HOSTPMD_SYSFS"
	snmpd_start
	hostpmd_start
}

assert_says() {
	local what=$1 out=$2 t
	shift 2
	for t in "$@"; do
		case $t in
		!*) case $out in *"${t#!}"*) fail "$what says [${t#!}]: [$out]" ;; esac ;;
		*) assert_contains "$what says [$t]" "$t" "$out" ;;
		esac
	done
}

monitoring_s3_is() { [ "$(snmp_value "$hostPmS3.1")" = "$1" ]; }
monitoring_query_valid_is() { [ "$(snmp_value "$hostPmQueryValid.1")" = "$1" ]; }

monitoring_three_states() {
	local prepare=$1 check=$2 c reason
	state="host with S3 and S4"
	"$prepare"
	"$check" "hostpm query succeeds" OK "SNMP OK - query valid 1 error"
	"$check" "hostpm S3 supported" OK "SNMP OK - query valid 1 S3 1 error"
	"$check" "hostpm S4 supported" OK "SNMP OK - query valid 1 S4 1 error"

	state="host without S3"
	sysfs_set "$HOSTPMD_SYSFS" "disk
" - "[platform] shutdown
"
	wait_until $((10 * SLOW)) monitoring_s3_is 2 || fail "hostPmS3.1 did not become 2 (false)"
	"$prepare"
	"$check" "hostpm query succeeds" OK "SNMP OK - query valid 1 error"
	"$check" "hostpm S3 supported" CRITICAL "SNMP CRITICAL - query valid 1 S3 *2* error"
	"$check" "hostpm S4 supported" OK "SNMP OK - query valid 1 S4 1 error"

	state="every source failed"
	sysfs_set "$HOSTPMD_SYSFS" -
	wait_until $((10 * SLOW)) monitoring_query_valid_is 2 ||
		fail "hostPmQueryValid.1 did not become 2 (false)"
	"$prepare"
	reason="sysfs: cannot read $HOSTPMD_SYSFS/power/state"
	"$check" "hostpm query succeeds" CRITICAL \
		"SNMP CRITICAL - query valid *2* error \"pm-utils: cannot run" "$reason"
	# The capability cells are absent (noSuchInstance): still a CRITICAL
	# that says the query failed and why, not check_snmp's UNKNOWN "No
	# valid data returned".
	for c in S3 S4; do
		"$check" "hostpm $c supported" CRITICAL \
			"SNMP CRITICAL - query valid *2* $c *No Such Instance" "$reason" \
			"!No valid data returned"
	done
}

# --- a private monitoring daemon -------------------------------------------
#   monitoring_daemon_start NAME PIPE LOG CMD...
#                             runs CMD in the background (output to LOG),
#                             waits (30 s) for its command pipe PIPE; it is
#                             stopped before the harness' clean-up
#   monitoring_daemon_stop    SIGTERM, up to 30 s, then SIGKILL (status 1)
#   monitoring_force_checks ALL_CHECKED
#                             asks for a check of each service of host
#                             hostpm-test now (FORCED_AT: the time), then
#                             waits (60 s) until ALL_CHECKED succeeds
MONITORING_SERVICES=("hostpm query succeeds" "hostpm S3 supported" "hostpm S4 supported")
MONITORING_PID="" MONITORING_PIPE="" FORCED_AT=0

monitoring_daemon_start() {
	local name=$1 pipe=$2 log=$3
	shift 3
	[ -z "$MONITORING_PID" ] || fail "monitoring_daemon_start: one is running ($MONITORING_PID)"
	trap 'rc=$?; monitoring_daemon_stop; (exit $rc); harness_cleanup' EXIT
	"$@" </dev/null >"$log" 2>&1 &
	MONITORING_PID=$!
	MONITORING_PIPE=$pipe
	wait_until 30 test -p "$pipe" ||
		fail "$name made no command pipe $pipe in 30 s: $(tail -n 20 "$log")"
	ok "a private $name runs, with its command pipe"
}

monitoring_daemon_stop() {
	local pid=$MONITORING_PID
	[ -n "$pid" ] || return 0
	MONITORING_PID=""
	kill -TERM "$pid" 2>/dev/null
	if ! wait_until 30 pid_gone "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 1
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# Nagios' external command, which Icinga 2's command pipe reads too.
monitoring_force_checks() {
	local svc
	FORCED_AT=$(date +%s)
	for svc in "${MONITORING_SERVICES[@]}"; do
		timeout 10 sh -c 'printf "%s\n" "$1" >"$2"' sh \
			"[$FORCED_AT] SCHEDULE_FORCED_SVC_CHECK;hostpm-test;$svc;$FORCED_AT" \
			"$MONITORING_PIPE" || fail "cannot write to the command pipe $MONITORING_PIPE"
	done
	wait_until $((60 * SLOW)) "$1" ||
		fail "$state: the three services were not all checked within $((60 * SLOW)) s"
}
