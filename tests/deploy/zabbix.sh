# SPDX-License-Identifier: MIT
# The Zabbix template (mibs/zabbix/hostpm_snmp.yaml) on a real Zabbix 6.0:
# a private PostgreSQL, Debian's zabbix_server and the frontend's API
# (php's built-in server) on 127.0.0.1, the template imported through the
# API, and three hosts whose SNMP interfaces point at three private snmpds,
# each with its own hostpmd:
#   all      every source answers (S3, S4, hybrid);
#   failing  pm-utils fails, sysfs answers "nothing supported", and the
#            spool file cannot be written;
#   none     every source fails.
# It reads back from the API that discovery found every row of each
# hostPmTable and that every item holds what snmpwalk shows, cell by
# cell, "absent (...)" where the cell is absent, and none is "not
# supported"; then that each trigger fires where it must and nowhere else.
. tests/testlib.bash
. tests/snmp.bash

# One collation for every sort and comparison here.
export LC_ALL=C
ZABBIX_API_CLIENT=tests/deploy/zabbix-api
TEMPLATE=mibs/zabbix/hostpm_snmp.yaml
ZABBIX_SQL=/usr/share/zabbix-server-pgsql
ZABBIX_SERVER=/usr/sbin/zabbix_server
ZABBIX_FRONTEND=/usr/share/zabbix
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
for f in "$ZABBIX_SERVER" "$ZABBIX_SQL/schema.sql.gz" "$ZABBIX_FRONTEND/api_jsonrpc.php" \
	"$PG_BIN/initdb" /usr/bin/php; do
	[ -e "$f" ] || fail "$f is missing (make deps-deploy installs zabbix-server-pgsql, zabbix-frontend-php, php8.2-cgi, php8.2-pgsql, postgresql)"
done

# What the template stores for a cell hostpmd leaves out (its
# CHECK_NOT_SUPPORTED steps).
ABSENT_FAILED="absent (query failed)"
ABSENT_UNTOLD="absent (query failed or source cannot tell)"
# The item key of each column of hostPmTable (.2 to .16).
declare -A COLUMN_KEY=(
	[2]=hostpm.source.name [3]=hostpm.query.valid [4]=hostpm.s3 [5]=hostpm.s4
	[6]=hostpm.hybrid [7]=hostpm.probe.age [8]=hostpm.error [9]=hostpm.s2idle
	[10]=hostpm.standby [11]=hostpm.suspend.then.hibernate
	[12]=hostpm.hibernate.ready [13]=hostpm.suspend.successes
	[14]=hostpm.suspend.failures [15]=hostpm.policy [16]=hostpm.reason
)

PG_PID="" ZABBIX_PID="" PHP_PID=""
ZABBIX_DIR=$T/zabbix

# --- clean-up: the servers here, then the harness's ----------------------

# stop_pid PID SECONDS SIGNAL: SIGNAL, then SIGKILL after SECONDS.
stop_pid() {
	local pid=$1 limit=$2 sig=$3
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill "-$sig" "$pid" 2>/dev/null
	wait_until "$limit" pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

zabbix_show_logs() {
	local f
	for f in "$ZABBIX_DIR/server.log" "$ZABBIX_DIR/php.log" "$T/pg/log"; do
		[ -s "$f" ] || continue
		echo "--- last lines of ${f#"$T"/}:" >&2
		tail -n 30 "$f" | sed 's/^/    /' >&2
	done
}

deploy_cleanup() {
	local rc=$?
	[ "$rc" -eq 0 ] || zabbix_show_logs
	stop_pid "$PHP_PID" 3 TERM
	# zabbix_server leads its own process group (setsid): its children
	# go with it, also when it has to be killed.
	if [ -n "$ZABBIX_PID" ]; then
		stop_pid "$ZABBIX_PID" 30 TERM
		kill -KILL -- "-$ZABBIX_PID" 2>/dev/null
	fi
	# SIGINT: PostgreSQL's fast shutdown.
	stop_pid "$PG_PID" 30 INT
	(exit "$rc")
	harness_cleanup
}
trap deploy_cleanup EXIT

# free_tcp_port: a TCP port on 127.0.0.1 in 1024-32767 (zabbix_server's
# ListenPort takes no other) that nobody listens on now.
free_tcp_port() {
	/usr/bin/python3 -c '
import random, socket
for port in random.sample(range(1024, 32768), 200):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break'
}

# --- the hostpm agents: one snmpd and one hostpmd per host ---------------

declare -A AGENT_PORT=() AGENT_HOSTPMD=()

# agent_use NAME: points the harness's variables at host NAME's snmpd
# and hostpmd (their files under $T/NAME).
agent_use() {
	local d=$T/$1
	mkdir -p "$d"
	SNMPD_DIR=$d/snmpd AGENTX_SOCKET=$d/snmpd/agentx.sock
	HOSTPMD_CONF=$d/hostpmd.conf HOSTPMD_LOG=$d/hostpmd.log
	HOSTPMD_PIDFILE=$d/hostpmd.pid HOSTPMD_ERR=$d/hostpmd.stderr
	HOSTPMD_SYSFS=$d/sysfs HOSTPMD_PM=$d/pm-is-supported
	HOSTPMD_SPOOL=$d/spool/power_management.xml
	SNMPD_PORT=${AGENT_PORT[$1]:-} SNMPD_PID="" HOSTPMD_PID=""
}

# agent_start NAME [LINE...]: snmpd and hostpmd for host NAME (after
# agent_use NAME and its fake sysfs and pm-is-supported), with LINEs
# added to hostpmd.conf. hostpmd probes once: the table stays as it is
# while Zabbix polls it, but for hostPmProbeAge.
agent_start() {
	local name=$1; shift
	HOSTPMD_INTERVAL=3600
	snmpd_start
	hostpmd_conf "$@"
	hostpmd_start
	AGENT_PORT[$name]=$SNMPD_PORT AGENT_HOSTPMD[$name]=$HOSTPMD_PID
	HARNESS_PIDS+=("$HOSTPMD_PID" "$SNMPD_PID")
	SNMPD_PID="" HOSTPMD_PID=""
}

agent_use all
sysfs_s3_s4 "$HOSTPMD_SYSFS"
mkdir -p "$HOSTPMD_SYSFS/power/suspend_stats"
echo 12 >"$HOSTPMD_SYSFS/power/suspend_stats/success"
echo 1 >"$HOSTPMD_SYSFS/power/suspend_stats/fail"
fake_pm "$HOSTPMD_PM" "exit 0" "exit 0" "exit 0"
agent_start all

agent_use failing
fake_sysfs "$HOSTPMD_SYSFS" ""
# A spool folder that does not exist: every write fails and is counted.
agent_start failing "spoolFile $T/failing/missing/power_management.xml"

agent_use none
fake_sysfs "$HOSTPMD_SYSFS" -
agent_start none
ok "three snmpds with a hostpmd each, on ports ${AGENT_PORT[*]}"

# --- PostgreSQL --------------------------------------------------------------

# The server runs as postgres, which must reach its folders under $T.
chmod 0711 "$T"
mkdir -p "$T/pg/sock"
chown -R postgres:postgres "$T/pg"
AS_POSTGRES=(setpriv --reuid=postgres --regid=postgres --init-groups --)
"${AS_POSTGRES[@]}" "$PG_BIN/initdb" -D "$T/pg/data" -U postgres --auth=trust -E UTF8 \
	--locale=C.UTF-8 >"$T/pg/initdb.log" 2>&1 ||
	fail "initdb failed: $(tail -n 5 "$T/pg/initdb.log")"
PG_PORT=$(free_tcp_port)
# No TCP at all: the port only names the socket in $T/pg/sock. setpriv
# execs postgres, so $! is the postmaster.
"${AS_POSTGRES[@]}" "$PG_BIN/postgres" -D "$T/pg/data" -k "$T/pg/sock" -p "$PG_PORT" \
	-c listen_addresses= -c fsync=off -c synchronous_commit=off \
	-c full_page_writes=off </dev/null >"$T/pg/log" 2>&1 &
PG_PID=$!
pg_ready() { "$PG_BIN/pg_isready" -q -U postgres -d postgres -h "$T/pg/sock" -p "$PG_PORT"; }
wait_until 30 pg_ready || fail "PostgreSQL did not accept connections within 30 s"
[ "$(head -n 1 "$T/pg/data/postmaster.pid")" = "$PG_PID" ] ||
	fail "the postmaster is not process $PG_PID, which the clean-up would stop"
psql_as() {
	local user=$1; shift
	PGCLIENTENCODING=UTF8 psql -X -q -v ON_ERROR_STOP=1 -h "$T/pg/sock" -p "$PG_PORT" -U "$user" "$@"
}
psql_as postgres -d postgres -c "CREATE ROLE zabbix LOGIN" \
	-c "CREATE DATABASE zabbix OWNER zabbix ENCODING 'UTF8'" >"$T/pg/create.log" 2>&1 ||
	fail "creating the zabbix database failed: $(cat "$T/pg/create.log")"
# The schema, the images and the initial data, as Debian's
# zabbix-server-pgsql ships them.
for f in schema images data; do zcat "$ZABBIX_SQL/$f.sql.gz"; done |
	psql_as zabbix -d zabbix >"$T/pg/schema.log" 2>&1 ||
	fail "loading the zabbix schema failed: $(tail -n 5 "$T/pg/schema.log")"
ok "PostgreSQL in $T/pg with the zabbix schema"

# --- zabbix_server -------------------------------------------------------------

mkdir -p "$ZABBIX_DIR"
ZABBIX_PORT=$(free_tcp_port)
# Only the processes this test needs; the configuration cache is
# re-read every second, so new hosts and discovered items are polled at
# once.
cat >"$ZABBIX_DIR/server.conf" <<EOF
LogFile=$ZABBIX_DIR/server.log
PidFile=$ZABBIX_DIR/server.pid
SocketDir=$ZABBIX_DIR
ListenIP=127.0.0.1
ListenPort=$ZABBIX_PORT
DBHost=$T/pg/sock
DBPort=$PG_PORT
DBName=zabbix
DBUser=zabbix
AllowRoot=1
CacheUpdateFrequency=1
StartPollers=2
StartPollersUnreachable=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTrappers=1
StartLLDProcessors=1
StartPreprocessors=2
StartDBSyncers=1
StartHistoryPollers=1
StartAlerters=1
StartEscalators=1
StartTimers=1
StartProxyPollers=0
StartODBCPollers=0
HousekeepingFrequency=0
UnreachableDelay=2
Timeout=3
EOF
setsid "$ZABBIX_SERVER" -f -c "$ZABBIX_DIR/server.conf" </dev/null \
	>"$ZABBIX_DIR/server.out" 2>&1 &
ZABBIX_PID=$!
zabbix_polling() {
	kill -0 "$ZABBIX_PID" 2>/dev/null ||
		fail "zabbix_server exited: $(cat "$ZABBIX_DIR/server.out")"
	grep -q 'started \[poller #1\]' "$ZABBIX_DIR/server.log" 2>/dev/null
}
wait_until 60 zabbix_polling || fail "zabbix_server started no poller within 60 s"
ok "zabbix_server on 127.0.0.1:$ZABBIX_PORT"

# --- the frontend's API ----------------------------------------------------------

# A copy of the frontend, reading its own zabbix.conf.php: Debian's reads
# /etc/zabbix/zabbix.conf.php, a path written into CConfigFile.php.
cp -a "$ZABBIX_FRONTEND" "$ZABBIX_DIR/frontend"
conf_php=$ZABBIX_DIR/frontend/conf/zabbix.conf.php
sed -i "s|'/etc/zabbix/zabbix.conf.php'|'$conf_php'|" \
	"$ZABBIX_DIR/frontend/include/classes/core/CConfigFile.php"
grep -qF "'$conf_php'" "$ZABBIX_DIR/frontend/include/classes/core/CConfigFile.php" ||
	fail "the frontend's CConfigFile.php no longer names /etc/zabbix/zabbix.conf.php"
cat >"$conf_php" <<EOF
<?php
\$DB['TYPE'] = 'POSTGRESQL';
\$DB['SERVER'] = '$T/pg/sock';
\$DB['PORT'] = '$PG_PORT';
\$DB['DATABASE'] = 'zabbix';
\$DB['USER'] = 'zabbix';
\$DB['PASSWORD'] = '';
\$DB['SCHEMA'] = '';
\$DB['ENCRYPTION'] = false;
\$DB['KEY_FILE'] = '';
\$DB['CERT_FILE'] = '';
\$DB['CA_FILE'] = '';
\$DB['VERIFY_HOST'] = false;
\$DB['CIPHER_LIST'] = '';
\$DB['VAULT_URL'] = '';
\$DB['VAULT_DB_PATH'] = '';
\$DB['VAULT_TOKEN'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER = '127.0.0.1';
\$ZBX_SERVER_PORT = '$ZABBIX_PORT';
\$ZBX_SERVER_NAME = 'hostpm test';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
EOF
PHP_PORT=$(free_tcp_port)
php -S "127.0.0.1:$PHP_PORT" -t "$ZABBIX_DIR/frontend" </dev/null \
	>"$ZABBIX_DIR/php.log" 2>&1 &
PHP_PID=$!
ZABBIX_URL=http://127.0.0.1:$PHP_PORT/api_jsonrpc.php
# api METHOD [PARAMS] [FIELD...]: see tests/deploy/zabbix-api.
api() { "$ZABBIX_API_CLIENT" "$ZABBIX_URL" "$@"; }
api_answers() { api apiinfo.version >/dev/null 2>&1; }
wait_until 30 api_answers || fail "the API at $ZABBIX_URL did not answer within 30 s"
ZABBIX_API_TOKEN=$(api user.login '{"username": "Admin", "password": "zabbix"}' | tr -d '"') ||
	fail "user.login as Admin failed"
export ZABBIX_API_TOKEN
ok "the API at $ZABBIX_URL, version $(api apiinfo.version)"

# The stock "Zabbix server" host polls an agent that is not there.
stock=$(api host.get '{"filter": {"host": ["Zabbix server"]}}' hostid)
[ -z "$stock" ] || api host.update "{\"hostid\": \"$stock\", \"status\": 1}" >/dev/null ||
	fail "disabling the host 'Zabbix server' failed"

# --- the template, through the API ------------------------------------------------

# Zabbix keys what it imports by these: each a version-4 UUID in 32 hex
# digits, none twice.
uuids=$(sed -n 's/^ *uuid: //p' "$TEMPLATE")
bad=$(grep -Ev '^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$' <<<"$uuids")
[ -z "$bad" ] || fail "$TEMPLATE: not version-4 UUIDs in 32 hex digits: $bad"
[ -z "$(sort <<<"$uuids" | uniq -d)" ] || fail "$TEMPLATE: UUIDs used twice: $(sort <<<"$uuids" | uniq -d)"
ok "$TEMPLATE: $(wc -l <<<"$uuids") distinct version-4 UUIDs"
[ "$(api import "$TEMPLATE")" = true ] || fail "importing $TEMPLATE failed"
template=$(api template.get '{"filter": {"host": ["hostpm by SNMP"]}}' templateid name)
assert_eq "the imported template's name" "hostpm: host power capabilities by SNMP" "$(cut -f 2 <<<"$template")"
template=$(cut -f 1 <<<"$template")
group=$(api hostgroup.create '{"name": "hostpm test"}' | tr -cd 0-9)

# --- the hosts -----------------------------------------------------------------------

# host_create NAME [MACRO=VALUE...]: a host with an SNMPv2 interface on
# NAME's snmpd, community {$SNMP_COMMUNITY} (Zabbix's global macro,
# "public", as tests/snmp.bash's snmpd wants), the template linked,
# polled every 5 s and discovered every 5 s.
declare -A HOSTID=()
host_create() {
	local name=$1 m macros='{"macro": "{$HOSTPM.INTERVAL}", "value": "5s"},
		{"macro": "{$HOSTPM.DISCOVERY.INTERVAL}", "value": "5s"}'
	shift
	for m in "$@"; do macros="$macros, {\"macro\": \"${m%%=*}\", \"value\": \"${m#*=}\"}"; done
	HOSTID[$name]=$(api host.create "{
		\"host\": \"hostpm-$name\",
		\"groups\": [{\"groupid\": \"$group\"}],
		\"templates\": [{\"templateid\": \"$template\"}],
		\"interfaces\": [{\"type\": 2, \"main\": 1, \"useip\": 1,
			\"ip\": \"127.0.0.1\", \"dns\": \"\", \"port\": \"${AGENT_PORT[$name]}\",
			\"details\": {\"version\": 2, \"bulk\": 1, \"community\": \"{\$SNMP_COMMUNITY}\"}}],
		\"macros\": [$macros]}" | tr -cd 0-9)
	[ -n "${HOSTID[$name]}" ] || fail "host.create hostpm-$name failed"
}
host_create all
host_create failing '{$HOSTPM.REQUIRE.S3}=1' '{$HOSTPM.PROBE.AGE.MAX}=0'
host_create none '{$HOSTPM.NODATA.TIMEOUT}=30s'
ok "hosts hostpm-all, hostpm-failing and hostpm-none"

# --- what snmpwalk shows, and what Zabbix holds -------------------------------------------

# expect NAME: from a walk of NAME's table and scalars, the lines
# "KEY<tab>VALUE" every item must hold, sorted, in $T/NAME/expected
# (hostPmProbeAge apart, in $T/NAME/ages as "KEY<tab>AGE<tab>WHEN").
expect() {
	local name=$1 walked row col source oid type val
	agent_use "$name"
	snmp_walk "$hostPmMIB.1" >"$T/$name/walk.raw" 2>"$T/$name/walk.err" ||
		fail "snmpwalk of hostpm-$name failed: $(cat "$T/$name/walk.err")"
	walked=$(date +%s)
	snmp_parse <"$T/$name/walk.raw" >"$T/$name/walk"
	: >"$T/$name/ages"
	{
		while IFS=$'\t' read -r oid type val; do
			[ "${oid%.*}" = "$hostPmSourceName" ] || continue
			row=${oid##*.} source=$val
			for col in "${!COLUMN_KEY[@]}"; do
				val=$(grep -F "$hostPmEntry.$col.$row"$'\t' "$T/$name/walk" | cut -f 3)
				if ! grep -qF "$hostPmEntry.$col.$row"$'\t' "$T/$name/walk"; then
					case $col in
					4 | 5) val=$ABSENT_FAILED ;;
					6 | 9 | 1[0-5]) val=$ABSENT_UNTOLD ;;
					*) fail "hostpm-$name: the walk has no $hostPmEntry.$col.$row, which always exists" ;;
					esac
				fi
				if [ "$col" = 7 ]; then
					printf '%s[%s]\t%s\t%s\n' "${COLUMN_KEY[$col]}" "$source" "$val" "$walked" >>"$T/$name/ages"
				else
					printf '%s[%s]\t%s\n' "${COLUMN_KEY[$col]}" "$source" "$val"
				fi
			done
		done <"$T/$name/walk"
		printf 'hostpm.spool.write.failures\t%s\n' \
			"$(grep -F "$hostPmSpoolWriteFailures"$'\t' "$T/$name/walk" | cut -f 3)"
		printf 'hostpm.probe.count\t%s\n' \
			"$(grep -F "$hostPmProbeCount"$'\t' "$T/$name/walk" | cut -f 3)"
	} | sort >"$T/$name/expected"
}

# items NAME: NAME's items as "KEY<tab>STATE<tab>LASTCLOCK<tab>VALUE<tab>ERROR".
items() {
	api item.get "{\"hostids\": [\"${HOSTID[$1]}\"], \"output\": [\"key_\", \"state\", \"lastclock\", \"lastvalue\", \"error\"]}" \
		key_ state lastclock lastvalue error | sort
}

# polled NAME: every expected item of NAME exists and has a value (or
# is not supported, which is checked below).
polled() {
	local name=$1 key
	items "$name" >"$T/$name/items" || return 1
	while IFS=$'\t' read -r key _; do
		awk -F '\t' -v k="$key" '$1 == k && ($2 == 1 || $3 != 0) { found = 1 } END { exit !found }' \
			"$T/$name/items" || return 1
	done < <(cat "$T/$name/expected" "$T/$name/ages")
}

for name in all failing none; do
	expect "$name"
	rows=$(grep -c '^hostpm\.source\.name\[' "$T/$name/expected")
	wait_until 180 polled "$name" ||
		fail "hostpm-$name: after 180 s Zabbix still lacks items or values:
$(cut -f 1 "$T/$name/expected" "$T/$name/ages" | sort | comm -23 - <(awk -F '\t' '$3 != 0 || $2 == 1 { print $1 }' "$T/$name/items"))"
	ok "hostpm-$name: discovery found the $rows rows and every item has a value"

	unsupported=$(awk -F '\t' '$2 == 1 { print "    " $1 ": " $5 }' "$T/$name/items")
	[ -z "$unsupported" ] || fail "hostpm-$name: items not supported:
$unsupported"
	ok "hostpm-$name: no item is not supported"

	extra=$(cut -f 1 "$T/$name/items" | comm -23 - <(cut -f 1 "$T/$name/expected" "$T/$name/ages" | sort))
	[ -z "$extra" ] || fail "hostpm-$name: items for no cell of the walk: $extra"

	actual=$(cut -f 1,4 "$T/$name/items" | grep -v '^hostpm\.probe\.age\[')
	[ "$actual" = "$(cat "$T/$name/expected")" ] ||
		fail "hostpm-$name: the items differ from the walk (- walk, + Zabbix):
$(diff <(cat "$T/$name/expected") <(printf '%s\n' "$actual") | grep '^[-+]')"
	ok "hostpm-$name: every item equals its cell of the walk ($(wc -l <"$T/$name/expected") items)"

	# hostPmProbeAge grows by one a second (hostpmd does not probe
	# again): the age Zabbix read at its lastclock is the walk's age
	# then, to the second that both round down.
	while IFS=$'\t' read -r key age walked; do
		line=$(awk -F '\t' -v k="$key" '$1 == k' "$T/$name/items")
		clock=$(cut -f 3 <<<"$line") got=$(cut -f 4 <<<"$line")
		want=$((age - (walked - clock)))
		[ "$got" -ge $((want - 1)) ] && [ "$got" -le $((want + 1)) ] ||
			fail "hostpm-$name: $key is $got at $clock; the walk at $walked showed $age, so $want (+-1) then"
	done <"$T/$name/ages"
	ok "hostpm-$name: hostPmProbeAge matches the walk in every row"
done

grep -qF "hostpm.s3[pm-utils]"$'\t'"$ABSENT_FAILED" "$T/failing/expected" ||
	fail "hostpm-failing: the failed pm-utils row's S3 should be [$ABSENT_FAILED]"
grep -qF "hostpm.s3[effective]"$'\t'"$ABSENT_FAILED" "$T/none/expected" ||
	fail "hostpm-none: the failed effective row's S3 should be [$ABSENT_FAILED]"
ok "a failed source's capabilities read [$ABSENT_FAILED]"

# --- the triggers ------------------------------------------------------------------

# problems NAME: the names of NAME's triggers in the problem state, sorted.
problems() {
	api trigger.get "{\"hostids\": [\"${HOSTID[$1]}\"], \"filter\": {\"value\": 1},
		\"expandDescription\": true, \"output\": [\"description\"]}" description | sort
}
problems_are() { [ "$(problems "$1")" = "$2" ]; }
# expect_problems NAME PROBLEM...: waits until NAME's problems are
# exactly these (PROBLEMS_WAIT seconds at most).
PROBLEMS_WAIT=60
expect_problems() {
	local name=$1 want
	shift
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
	wait_until "$PROBLEMS_WAIT" problems_are "$name" "$want" ||
		fail "hostpm-$name: after $PROBLEMS_WAIT s the problems are [$(problems "$name" | paste -sd '|')], expected [$(paste -sd '|' <<<"$want")]"
	ok "hostpm-$name: problems [$(paste -sd '|' <<<"$want")]"
}

# The override keeps the trigger prototypes to the effective row: the
# two triggers on the scalars and six made from prototypes on each host.
for name in all failing none; do
	n=$(api trigger.get "{\"hostids\": [\"${HOSTID[$name]}\"], \"countOutput\": true}" | tr -cd 0-9)
	assert_eq "hostpm-$name: triggers (the effective row's only)" 8 "$n"
done

expect_problems all ""
expect_problems none "hostpm: no source can tell the host's power capabilities"
# hostpm-none loses its hostpmd: snmpd answers noSuchObject from now on,
# and after {$HOSTPM.NODATA.TIMEOUT} (30 s there) that is a problem.
harness_kill "${AGENT_HOSTPMD[none]}"
# {$HOSTPM.REQUIRE.S3} is 1 and S3 is no; {$HOSTPM.PROBE.AGE.MAX} is 0.
expect_problems failing "hostpm: the host must have S3 (suspend to RAM) and does not" \
	"hostpm: the power capabilities are stale (probed over 0s ago)"

# hostpm-all loses S3 and S4: every source says no at the next probe,
# which SIGHUP starts.
agent_use all
sysfs_set "$HOSTPMD_SYSFS" ""
fake_pm "$HOSTPMD_PM" "exit 1" "exit 1" "exit 1"
kill -HUP "${AGENT_HOSTPMD[all]}"
expect_problems all "hostpm: the host lost S3 (suspend to RAM)" \
	"hostpm: the host lost S4 (suspend to disk)"

# hostpm-failing probes again and fails to write its spool file again.
before=$(grep -F 'hostpm.spool.write.failures' "$T/failing/expected" | cut -f 2)
kill -HUP "${AGENT_HOSTPMD[failing]}"
agent_use failing
spool_failed_again() { [ "$(counter "$hostPmSpoolWriteFailures")" -gt "$before" ]; }
wait_until 10 spool_failed_again ||
	fail "hostpm-failing: hostPmSpoolWriteFailures stayed at $before after SIGHUP"
expect_problems failing "hostpm: the host must have S3 (suspend to RAM) and does not" \
	"hostpm: the power capabilities are stale (probed over 0s ago)" \
	"hostpm: spool file writes are failing"

# hostpm-none, without its hostpmd: the columns that always exist are
# not supported now, the optional ones read "absent", and nodata fires.
query_valid_unsupported() {
	items none >"$T/none/items" &&
		awk -F '\t' '$1 == "hostpm.query.valid[effective]" && $2 == 1 { found = 1 } END { exit !found }' "$T/none/items"
}
wait_until 60 query_valid_unsupported ||
	fail "hostpm-none: hostpm.query.valid[effective] is still supported 60 s after hostpmd stopped: $(grep -F 'hostpm.query.valid[effective]' "$T/none/items")"
assert_contains "hostpm-none without hostpmd: why hostpm.query.valid[effective] is not supported" \
	"No Such Object" "$(grep -F 'hostpm.query.valid[effective]' "$T/none/items" | cut -f 5)"
PROBLEMS_WAIT=120
expect_problems none "hostpm: no source can tell the host's power capabilities" \
	"hostpm: hostpmd does not answer (no data for 30s)"
