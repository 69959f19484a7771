# SPDX-License-Identifier: MIT
# mibs/nagios/hostpm.cfg under Debian's Nagios 4: nagios4 -v accepts a
# configuration built from the stock nagios.cfg with the file (alone,
# then with one host), with no warning and no error. For hostpmd under a
# private snmpd, in each of three answers (S3 and S4, no S3, every source
# failed), the exact command lines of that host's three services
# (expanded from the objects Nagios itself resolved) are run, and a
# private nagios4 daemon checks the same services: both must give each
# service the expected state and output.
. tests/testlib.bash
. tests/snmp.bash
. tests/deploy/monitoring.bash

NAGIOS=/usr/sbin/nagios4
[ -x "$NAGIOS" ] || fail "$NAGIOS is missing (apt-get install nagios4, or make deps-deploy)"
monitoring_start

# --- the configuration: Debian's stock one, in a folder of its own ----------
# nagios4 reads the object files as user nagios: the folders on the way
# must be searchable and the files readable by it; it writes only to var/.
N=$T/nagios
mkdir -p "$N/objects" "$N/plugins-config" "$N/conf.d" "$N/var/spool/checkresults" \
	"$N/var/rw" "$N/run" "$N/log"
cp /etc/nagios4/objects/*.cfg "$N/objects/"
cp /etc/nagios-plugins/config/*.cfg "$N/plugins-config/"
cp /etc/nagios4/resource.cfg "$N/"
cp mibs/nagios/hostpm.cfg "$N/conf.d/"
# An administrator's host: the stock linux-server template plus hostpm's.
cat >"$N/conf.d/test-host.cfg" <<HOST
define host {
    use             linux-server,hostpm-host
    host_name       hostpm-test
    address         127.0.0.1
    _SNMP_PORT      $SNMPD_PORT
}
HOST
sed -e "s|^cfg_dir=/etc/nagios-plugins/config\$|cfg_dir=$N/plugins-config|" \
	-e "s|^cfg_dir=/etc/nagios4/conf.d\$|cfg_dir=$N/conf.d|" \
	-e "s|^cfg_file=/etc/nagios4/objects/|cfg_file=$N/objects/|" \
	-e "s|^resource_file=/etc/nagios4/resource.cfg\$|resource_file=$N/resource.cfg|" \
	-e "s|/var/lib/nagios4|$N/var|g; s|/var/log/nagios4|$N/log|g; s|/var/run/nagios4|$N/run|g" \
	/etc/nagios4/nagios.cfg >"$N/nagios.cfg"
left=$(grep -E '^[a-z_]+=/(etc|var)/' "$N/nagios.cfg")
[ -z "$left" ] || fail "nagios.cfg still points at system paths: $left"
chmod 0711 "$T"
chmod -R a+rX "$N"
chown -R nagios:nagios "$N/var"

# nagios_verify WHAT: nagios4 -pv on the configuration; fails unless it
# reports no warning and no error. -p also writes the objects as Nagios
# resolved them (templates, hostgroup members, custom variables) to the
# precache file.
nagios_verify() {
	local rc
	"$NAGIOS" -pv "$N/nagios.cfg" >"$T/nagios-v.out" 2>&1
	rc=$?
	grep -q '^Total Warnings: *0$' "$T/nagios-v.out" && grep -q '^Total Errors: *0$' "$T/nagios-v.out" ||
		fail "nagios4 -v, $1, reports problems (exit $rc): $(grep -E 'Warning|Error' "$T/nagios-v.out")"
	assert_eq "nagios4 -v, $1, exits 0" 0 "$rc"
	ok "nagios4 -v, $1: Total Warnings: 0, Total Errors: 0"
}
# An administrator may drop the file in before giving any host the template.
mv "$N/conf.d/test-host.cfg" "$T/test-host.cfg"
nagios_verify "hostpm.cfg alone, no host yet"
mv "$T/test-host.cfg" "$N/conf.d/test-host.cfg"
nagios_verify "hostpm.cfg and a host"
PRECACHE=$N/var/objects.precache
[ -s "$PRECACHE" ] || fail "nagios4 -pv wrote no $PRECACHE"

# --- the command lines Nagios would run -----------------------------------------
# For each service of host hostpm-test: "DESCRIPTION<tab>COMMAND LINE",
# the command_line with $USERn$ (resource.cfg), the host's macros and
# custom variables and $ARGn$ (the service's check_command) expanded the
# way Nagios does: $NAME$ left to right, "$$" a literal "$".
python3 - "$PRECACHE" "$N/resource.cfg" hostpm-test >"$T/commands" <<'PY' ||
import re, sys
precache, resource, host_name = sys.argv[1:]

def objects(path):
    kind, obj = None, None
    for line in open(path):
        line = line.rstrip("\n")
        m = re.match(r"define (\w+) \{$", line)
        if m:
            kind, obj = m.group(1), {}
        elif line.strip() == "}" and kind:
            yield kind, obj
            kind = None
        elif kind and line.startswith("\t"):
            key, _, value = line[1:].partition("\t")
            obj[key] = value

hosts, services, commands = {}, [], {}
for kind, o in objects(precache):
    if kind == "host":
        hosts[o["host_name"]] = o
    elif kind == "service":
        services.append(o)
    elif kind == "command":
        commands[o["command_name"]] = o["command_line"]
macros = {}
for line in open(resource):
    m = re.match(r"^(\$USER\d+\$)=(.*)$", line.strip())
    if m:
        macros[m.group(1)] = m.group(2)
host = hosts[host_name]
macros["$HOSTADDRESS$"] = host["address"]
macros["$HOSTNAME$"] = host_name
for key, value in host.items():
    if key.startswith("_"):
        macros["$_HOST" + key[1:] + "$"] = value

def expand(text, local):
    def one(m):
        if m.group(0) == "$$":
            return "$"
        if m.group(0) in local:
            return local[m.group(0)]
        sys.exit("no value for the macro %s in: %s" % (m.group(0), text))
    return re.sub(r"\$[^$]*\$", one, text)

found = 0
for s in services:
    if s["host_name"] != host_name:
        continue
    name, *args = s["check_command"].split("!")
    local = dict(macros)
    for i, a in enumerate(args, 1):
        local["$ARG%d$" % i] = a
    print("%s\t%s" % (s["service_description"], expand(commands[name], local)))
    found += 1
if not found:
    sys.exit("no service for host %s" % host_name)
PY
	fail "cannot expand the command lines from $PRECACHE"
assert_eq "Nagios made exactly the three services for a host with hostpm-host" \
	"$(printf '%s\n' "${MONITORING_SERVICES[@]}" | sort)" "$(cut -f 1 "$T/commands" | sort)"
while IFS=$'\t' read -r svc cmd; do
	echo "    $svc: $cmd"
done <"$T/commands"

# --- a private Nagios that runs them too -------------------------------------
# The same configuration without the stock localhost and its services,
# results reaped and status written every second; nothing to syslog, no
# notification, no update check (it would ask nagios.org); checks forced
# through the command pipe (otherwise the first ones come at random
# within max_service_check_spread, 30 minutes).
sed -e '/^cfg_file=.*\/localhost\.cfg$/d' \
	-e 's/^check_for_updates=.*/check_for_updates=0/' \
	-e 's/^enable_notifications=.*/enable_notifications=0/' \
	-e 's/^status_update_interval=.*/status_update_interval=1/' \
	-e 's/^check_result_reaper_frequency=.*/check_result_reaper_frequency=1/' \
	-e 's/^use_syslog=.*/use_syslog=0/' \
	-e 's/^retain_state_information=.*/retain_state_information=0/' \
	"$N/nagios.cfg" >"$N/nagios-run.cfg"
grep -qx 'check_for_updates=0' "$N/nagios-run.cfg" && grep -qx 'status_update_interval=1' "$N/nagios-run.cfg" ||
	fail "the stock nagios.cfg no longer has the settings the test changes"
chmod a+r "$N/nagios-run.cfg"
chown nagios:nagios "$N/run" "$N/log"
monitoring_daemon_start nagios4 "$N/var/rw/nagios.cmd" "$T/nagios.out" \
	"$NAGIOS" "$N/nagios-run.cfg"
STATUS=$N/var/status.dat

# status SERVICE: "LAST_CHECK<tab>CURRENT_STATE<tab>PLUGIN_OUTPUT" from
# status.dat (empty before Nagios has written it).
status() {
	awk -v s="$1" '
		/^servicestatus \{/ { inblock = 1; host = svc = last = st = out = ""; next }
		inblock && /^\t}/ {
			if (host == "hostpm-test" && svc == s) print last "\t" st "\t" out
			inblock = 0; next
		}
		inblock {
			line = substr($0, 2); k = substr(line, 1, index(line, "=") - 1)
			v = substr(line, index(line, "=") + 1)
			if (k == "host_name") host = v
			else if (k == "service_description") svc = v
			else if (k == "last_check") last = v
			else if (k == "current_state") st = v
			else if (k == "plugin_output") out = v
		}' "$STATUS" 2>/dev/null
	return 0
}
# all_checked: status.dat shows a check of each service since FORCED_AT.
all_checked() {
	local svc last
	for svc in "${MONITORING_SERVICES[@]}"; do
		last=$(status "$svc" | cut -f 1)
		[ -n "$last" ] && [ "$last" -ge "$FORCED_AT" ] || return 1
	done
}
nagios_check_all() { monitoring_force_checks all_checked; }

# run_check SERVICE STATE TEXT...: runs the service's command line as
# Nagios does (through /bin/sh, which it uses for a line with quotes),
# expecting the plugin's exit status for STATE and each TEXT; then the
# same of the result the running Nagios shows for the service.
run_check() {
	local svc=$1 want=$2 code cmd out rc line
	case $want in OK) code=0 ;; CRITICAL) code=2 ;; *) fail "run_check: state $want" ;; esac
	shift 2
	cmd=$(awk -F '\t' -v s="$svc" '$1 == s { print $2 }' "$T/commands")
	[ -n "$cmd" ] || fail "no command line for service '$svc'"
	out=$(/bin/sh -c "$cmd" 2>&1)
	rc=$?
	assert_eq "$state: '$svc' exits $code [$out]" "$code" "$rc"
	assert_says "$state: '$svc'" "$out" "$@"
	line=$(status "$svc")
	out=$(printf '%s' "$line" | cut -f 3-)
	assert_eq "$state: nagios4 has '$svc' $want [$out]" "$code" "$(printf '%s' "$line" | cut -f 2)"
	assert_says "$state: nagios4's '$svc'" "$out" "$@"
}
monitoring_three_states nagios_check_all run_check
monitoring_daemon_stop || fail "nagios4 did not stop within 30 s of SIGTERM"
