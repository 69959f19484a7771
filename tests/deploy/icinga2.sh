# SPDX-License-Identifier: MIT
# mibs/icinga2/hostpm.conf under Debian's Icinga 2: icinga2 daemon -C
# validates the stock configuration with the file and one host with
# vars.hostpm, and makes the three services and the two dependencies for
# it; then a private icinga2 daemon runs those services' checks against
# hostpmd under a private snmpd, for a host with S3 and S4, one without
# S3, and one where every source fails, and its own record of each check
# (command line, exit status, output) is asserted.
. tests/testlib.bash
. tests/snmp.bash
. tests/deploy/monitoring.bash

ICINGA2=/usr/sbin/icinga2
[ -x "$ICINGA2" ] || fail "$ICINGA2 is missing (apt-get install icinga2, or make deps-deploy)"
monitoring_start

# --- the configuration: Debian's stock one, in a folder of its own ----------
# icinga2 runs as user nagios: it must read everything here, and write
# under var/ (its cache, state, logs, command pipe).
I=$T/icinga2
V=$I/var
mkdir -p "$I/etc/conf.d" "$I/etc/features-enabled" "$I/run" \
	"$V/cache" "$V/lib" "$V/log" "$V/run/cmd" "$V/spool/perfdata" "$V/spool/tmp"
cp /etc/icinga2/icinga2.conf /etc/icinga2/constants.conf /etc/icinga2/zones.conf "$I/etc/"
cp /etc/icinga2/conf.d/*.conf "$I/etc/conf.d/"
cp -L /etc/icinga2/features-enabled/*.conf "$I/etc/features-enabled/"
cp mibs/icinga2/hostpm.conf "$I/etc/conf.d/"
cat >"$I/etc/conf.d/test-host.conf" <<HOST
object Host "hostpm-test" {
  check_command = "dummy"
  address = "127.0.0.1"
  vars.hostpm = true
  vars.snmp_port = $SNMPD_PORT
}
HOST
chmod 0711 "$T"
chmod -R a+rX "$I"
chown -R nagios:nagios "$V"
# Every path icinga2 would take from its built-in defaults (under /etc,
# /var, /run) points here instead.
DIRS=(-DConfigDir="$I/etc" -DCacheDir="$V/cache" -DDataDir="$V/lib"
	-DLogDir="$V/log" -DInitRunDir="$V/run" -DSpoolDir="$V/spool")

"$ICINGA2" daemon -C -c "$I/etc/icinga2.conf" "${DIRS[@]}" >"$T/validate.out" 2>&1
rc=$?
assert_eq "icinga2 daemon -C exits 0 [$(grep -E 'critical/|warning/' "$T/validate.out")]" 0 "$rc"
problems=$(grep -E 'critical/|warning/' "$T/validate.out")
assert_eq "icinga2 daemon -C: no warning, no critical" "" "$problems"
"$ICINGA2" object list "${DIRS[@]}" --type Service --name 'hostpm-test!*' >"$T/services" 2>&1 ||
	fail "icinga2 object list failed: $(cat "$T/services")"
got=$(sed -n "s/^Object 'hostpm-test!\(hostpm [^']*\)' of type 'Service':\$/\1/p" "$T/services" | sort)
assert_eq "icinga2 made the three services for a host with vars.hostpm" \
	"$(printf '%s\n' "${MONITORING_SERVICES[@]}" | sort)" "$got"
"$ICINGA2" object list "${DIRS[@]}" --type Dependency >"$T/deps" 2>&1 ||
	fail "icinga2 object list --type Dependency failed: $(cat "$T/deps")"
got=$(sed -n "s/^Object '\(hostpm-test![^']*\)' of type 'Dependency':\$/\1/p" "$T/deps" | sort)
assert_eq "the capability services depend on the query service" \
	"hostpm-test!hostpm S3 supported!hostpm-query
hostpm-test!hostpm S4 supported!hostpm-query" "$got"

# --- a private daemon that runs the checks ----------------------------------------
# Only what checking needs: the ITL, the checker, the command pipe (to
# check now rather than within the first minute), and a perfdata writer
# whose lines say which service came to which state with which output,
# rotated every second so that they can be read while it runs.
cat >"$I/run/icinga2.conf" <<CONF
include "$I/etc/constants.conf"
include "$I/etc/zones.conf"
include <itl>
include <plugins>
object CheckerComponent "checker" { }
object ExternalCommandListener "command" { }
object FileLogger "main-log" {
  severity = "notice"
  path = LogDir + "/icinga2.log"
}
object PerfdataWriter "results" {
  service_perfdata_path = SpoolDir + "/perfdata/service-perfdata"
  service_temp_path = SpoolDir + "/tmp/service-perfdata"
  host_perfdata_path = SpoolDir + "/perfdata/host-perfdata"
  host_temp_path = SpoolDir + "/tmp/host-perfdata"
  service_format_template = "RESULT\t\$service.name\$\t\$service.state\$\t\$service.output\$"
  rotation_interval = 1s
}
include "$I/etc/conf.d/hostpm.conf"
include "$I/etc/conf.d/test-host.conf"
CONF
chmod a+r "$I/run/icinga2.conf"
monitoring_daemon_start "icinga2 daemon" "$V/run/cmd/icinga2.cmd" "$T/daemon.out" \
	"$ICINGA2" daemon -c "$I/run/icinga2.conf" "${DIRS[@]}"

results() { cat "$V"/spool/perfdata/service-perfdata.* 2>/dev/null | grep '^RESULT'$'\t'; return 0; }
# after_mark: the result lines since the mark, one service per line
mark=0
after_mark() { results | tail -n "+$((mark + 1))"; }
all_checked() {
	local svc
	for svc in "${MONITORING_SERVICES[@]}"; do
		after_mark | cut -f 2 | grep -qxF "$svc" || return 1
	done
}
# check_all: each service checked now; waits for every service's result.
check_all() {
	mark=$(results | wc -l)
	monitoring_force_checks all_checked
}
# expect SERVICE STATE TEXT...: the state and output of the service's
# latest result.
expect() {
	local svc=$1 want=$2 line got out
	shift 2
	line=$(after_mark | awk -F '\t' -v s="$svc" '$2 == s' | tail -n 1)
	got=$(printf '%s' "$line" | cut -f 3)
	out=$(printf '%s' "$line" | cut -f 4-)
	assert_eq "$state: icinga2 has '$svc' $want [$out]" "$want" "$got"
	assert_says "$state: '$svc'" "$out" "$@"
}
monitoring_three_states check_all expect

# --- the command lines icinga2 ran ------------------------------------------------
# At a clean stop icinga2 writes its state, with each service's last
# check result and the command line it ran.
monitoring_daemon_stop || fail "icinga2 did not stop within 30 s of SIGTERM"
STATE=$V/lib/icinga2.state
[ -s "$STATE" ] || fail "icinga2 wrote no state file $STATE at its stop"
python3 - "$STATE" >"$T/commands" <<'PY' || fail "cannot read the command lines from $STATE"
import json, sys
# A netstring per object: LENGTH:JSON,
data, i = open(sys.argv[1], "rb").read(), 0
while i < len(data):
    colon = data.index(b":", i)
    end = colon + 1 + int(data[i:colon])
    o = json.loads(data[colon + 1:end])
    i = end + 1
    if o.get("type") != "Service" or not o["name"].startswith("hostpm-test!hostpm "):
        continue
    cr = o["update"]["last_check_result"]
    print("%s\t%d\t%s" % (o["name"].split("!", 1)[1], cr["exit_status"],
                          " ".join("'%s'" % a if " " in a or "$" in a else a for a in cr["command"])))
PY
while IFS=$'\t' read -r svc rc cmd; do
	echo "    $svc (exit $rc): $cmd"
	case $cmd in
	/usr/lib/nagios/plugins/check_snmp" "*" -p $SNMPD_PORT "*) ;;
	*) fail "icinga2 ran [$cmd] for '$svc', not check_snmp on port $SNMPD_PORT" ;;
	esac
	assert_eq "icinga2's last run of '$svc' (every source failed) exited 2" 2 "$rc"
	assert_contains "'$svc' tests QueryValid with a regex ending in a literal \$" \
		"-r ' = INTEGER: 1\$'" "$cmd"
done <"$T/commands"
assert_eq "icinga2's state has a command line for each service" 3 "$(wc -l <"$T/commands")"
