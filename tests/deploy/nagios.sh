# SPDX-License-Identifier: MIT
# mibs/nagios/hostpm.cfg under Debian's Nagios 4: nagios4 -v accepts a
# configuration built from the stock nagios.cfg with the file and one
# host, with no warning and no error; then the exact command lines that
# Nagios would run for that host's three services (expanded from the
# objects Nagios itself resolved) run against hostpmd under a private
# snmpd, for a host with S3 and S4, one without S3, and one where every
# source fails.
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
SERVICES=("hostpm query succeeds" "hostpm S3 supported" "hostpm S4 supported")
assert_eq "Nagios made exactly the three services for a host with hostpm-host" \
	"$(printf '%s\n' "${SERVICES[@]}" | sort)" "$(cut -f 1 "$T/commands" | sort)"
while IFS=$'\t' read -r svc cmd; do
	echo "    $svc: $cmd"
done <"$T/commands"

# run_check SERVICE STATE TEXT...: runs the service's command line as
# Nagios does (through /bin/sh, which it uses for a line with quotes),
# expecting the plugin's exit status for STATE and each TEXT.
run_check() {
	local svc=$1 want cmd out rc
	case $2 in OK) want=0 ;; CRITICAL) want=2 ;; *) fail "run_check: state $2" ;; esac
	shift 2
	cmd=$(awk -F '\t' -v s="$svc" '$1 == s { print $2 }' "$T/commands")
	[ -n "$cmd" ] || fail "no command line for service '$svc'"
	out=$(/bin/sh -c "$cmd" 2>&1)
	rc=$?
	assert_eq "$state: '$svc' exits $want [$out]" "$want" "$rc"
	assert_says "$state: '$svc'" "$out" "$@"
}
# Nagios' command lines need nothing before they run.
nothing() { :; }
monitoring_three_states nothing run_check
