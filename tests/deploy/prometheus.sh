# SPDX-License-Identifier: MIT
# The Prometheus integration (mibs/prometheus), with the real programs:
# - snmp.yml is what Debian's prometheus-snmp-generator makes of
#   generator.yml today (make snmp-exporter-config);
# - promtool checks the alerting rules and runs their unit tests;
# - snmp.yml added to Debian's /etc/prometheus/snmp.yml (a copy) is a
#   configuration the exporter accepts, and adding it twice is refused;
# - the real prometheus-snmp-exporter, on 127.0.0.1, scrapes a private
#   snmpd with hostpmd under it, in each of the three states (S3 and S4
#   supported, nothing supported, every query failed): one series per
#   cell of the table, with the value snmpwalk shows, and none for an
#   absent cell;
# - a real Prometheus, configured with prometheus.yml's scrape job and
#   the rules, scrapes that exporter and raises the alerts the states
#   call for.
. tests/testlib.bash
. tests/snmp.bash

PROM_DIR=mibs/prometheus
EXPORTER=/usr/bin/prometheus-snmp-exporter
PROMETHEUS=/usr/bin/prometheus
for p in "$EXPORTER" "$PROMETHEUS" /usr/bin/promtool /usr/bin/prometheus-snmp-generator; do
	[ -x "$p" ] || fail "$p is missing: make deps-deploy installs prometheus and prometheus-snmp-exporter"
done
[ "${#SNMP_MIBOPTS[@]}" -gt 0 ] ||
	fail "the base SMIv2 modules could not be fetched (tests/fetch-smi-mibs, see above): the generator and the named walks need them"

# --- snmp.yml is generated and current ----------------------------------------
make -s --no-print-directory snmp-exporter-config SNMP_YML="$T/snmp.yml" \
	>"$T/generator.log" 2>&1 || {
	cat "$T/generator.log" >&2
	fail "make snmp-exporter-config failed"
}
diff -u "$PROM_DIR/snmp.yml" "$T/snmp.yml" >"$T/snmp.diff" ||
	fail "$PROM_DIR/snmp.yml differs from what the generator makes of generator.yml (run make snmp-exporter-config):
$(head -n 40 "$T/snmp.diff")"
ok "snmp.yml is what prometheus-snmp-generator makes of generator.yml"

# --- the rules -----------------------------------------------------------------------
promtool check rules "$PROM_DIR/hostpm.rules.yml" >"$T/promtool.log" 2>&1 ||
	fail "promtool check rules hostpm.rules.yml: $(cat "$T/promtool.log")"
ok "promtool check rules: $(grep -o 'SUCCESS.*' "$T/promtool.log")"
promtool test rules "$PROM_DIR/hostpm.rules.test.yml" >"$T/promtool.log" 2>&1 ||
	fail "promtool test rules hostpm.rules.test.yml: $(cat "$T/promtool.log")"
ok "promtool test rules: every alert fires where it should and nowhere else"

# --- installing the module into Debian's snmp.yml ---------------------------------------
# The README's commands, on a copy: Debian ships an snmp.yml of comments
# only; the module is appended, and appending it again is an error the
# exporter's dry run reports.
if [ -f /etc/prometheus/snmp.yml ]; then cp /etc/prometheus/snmp.yml "$T/etc-snmp.yml"; else : >"$T/etc-snmp.yml"; fi
cat "$PROM_DIR/snmp.yml" >>"$T/etc-snmp.yml"
"$EXPORTER" --dry-run --config.file="$T/etc-snmp.yml" >"$T/dry-run.log" 2>&1 ||
	fail "the exporter refuses /etc/prometheus/snmp.yml with the module added: $(cat "$T/dry-run.log")"
ok "the exporter accepts Debian's snmp.yml with the hostpm module appended"
cat "$PROM_DIR/snmp.yml" >>"$T/etc-snmp.yml"
if "$EXPORTER" --dry-run --config.file="$T/etc-snmp.yml" >"$T/dry-run.log" 2>&1; then
	fail "the exporter's dry run accepted the hostpm module appended twice"
fi
assert_contains "appending the module twice is refused by the dry run" \
	'key \"hostpm\" already set' "$(cat "$T/dry-run.log")"

# --- the live set-up ----------------------------------------------------------------------

# free_tcp_port: a TCP port on 127.0.0.1 that nobody listens on now.
free_tcp_port() {
	/usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# http_get URL [QUERY]: the body (of URL?query=QUERY), or non-zero when
# the server does not answer 200 within 10 s. Straight to the loopback
# server, whatever http_proxy says.
http_get() {
	/usr/bin/python3 -c '
import sys, urllib.parse, urllib.request
url = sys.argv[1]
if len(sys.argv) > 2:
    url += "?" + urllib.parse.urlencode({"query": sys.argv[2]})
direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
with direct.open(url, timeout=10) as answer:
    sys.stdout.buffer.write(answer.read())' "$@"
}

# start_server NAME URL LOG CMD...: starts CMD in the background, to be
# killed at exit, and waits (30 s) until URL answers 200.
start_server() {
	local name=$1 url=$2 log=$3 pid
	shift 3
	"$@" </dev/null >"$log" 2>&1 &
	pid=$!
	HARNESS_PIDS+=("$pid")
	wait_until 30 http_get "$url" >/dev/null 2>&1 && return 0
	kill -0 "$pid" 2>/dev/null || fail "$name exited at start-up: $(tail -n 20 "$log")"
	fail "$name did not answer $url within 30 s: $(tail -n 20 "$log")"
}

# On failure, the servers' logs too, then the harness's clean-up.
show_server_logs() {
	local rc=$? f
	if [ "$rc" -ne 0 ]; then
		for f in "$T/exporter.log" "$T/prometheus.log"; do
			[ -s "$f" ] || continue
			echo "--- last lines of ${f#"$T"/}:" >&2
			tail -n 25 "$f" | sed 's/^/    /' >&2
		done
	fi
	return "$rc"
}
trap 'show_server_logs; harness_cleanup' EXIT

fake_sysfs "$T/s3s4" "mem disk" "s2idle [deep]"
fake_sysfs "$T/none" ""
fake_sysfs "$T/missing" -
# Every host here: logind on a bus that is not there, no pm-is-supported;
# those two rows always fail, and sysfs decides.
HOSTPMD_PM=$T/absent/pm-is-supported
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/no-such-bus
# One probe per start-up: the cells stay as they are while a walk and a
# scrape compare them (but hostPmProbeAge, which ticks every second).
HOSTPMD_INTERVAL=3600

snmpd_start
TARGET=127.0.0.1:$SNMPD_PORT

EXPORTER_PORT=$(free_tcp_port)
start_server prometheus-snmp-exporter \
	"http://127.0.0.1:$EXPORTER_PORT/metrics" "$T/exporter.log" \
	"$EXPORTER" --config.file="$PROM_DIR/snmp.yml" \
	--web.listen-address="127.0.0.1:$EXPORTER_PORT"
ok "prometheus-snmp-exporter runs with snmp.yml on 127.0.0.1:$EXPORTER_PORT"
SCRAPE_URL="http://127.0.0.1:$EXPORTER_PORT/snmp?target=$TARGET&module=hostpm"

# Prometheus with the shipped scrape job and rules, pointed at this
# snmpd and this exporter, scraping and evaluating every second.
PROM_PORT=$(free_tcp_port)
{
	echo "global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}"
	sed -e "s|/etc/prometheus/hostpm.rules.yml|$PWD/$PROM_DIR/hostpm.rules.yml|" \
		-e "s|\[host1.example.org\]|[\"$TARGET\"]|" \
		-e '/\[host2.example.org\]/d' \
		-e "s|127.0.0.1:9116|127.0.0.1:$EXPORTER_PORT|" \
		"$PROM_DIR/prometheus.yml"
} >"$T/prometheus.yml"
for want in "$PWD/$PROM_DIR/hostpm.rules.yml" "\"$TARGET\"" "127.0.0.1:$EXPORTER_PORT"; do
	grep -qF "$want" "$T/prometheus.yml" ||
		fail "prometheus.yml no longer has the places this test fills in ($want)"
done
promtool check config "$T/prometheus.yml" >"$T/promtool.log" 2>&1 ||
	fail "promtool check config on prometheus.yml: $(cat "$T/promtool.log")"
ok "promtool check config accepts prometheus.yml's scrape job and rule file"

# walk_named FILE: the table and the scalars as NAME.ROW<tab>TYPE<tab>VALUE,
# named by HOSTPM-MIB (hostPmObjects, walked).
walk_named() {
	snmpwalk -v2c -c public -t 1 -r 1 -Os -Oe -OU "${SNMP_MIBOPTS[@]}" \
		"$TARGET" "$hostPmMIB.1" >"$1.raw" 2>"$1.err" ||
		fail "snmpwalk of hostPmObjects failed: $(cat "$1.err")"
	snmp_parse <"$1.raw" >"$1"
}
# scrape FILE: the exporter's hostPm series for the target, sorted.
scrape() {
	http_get "$SCRAPE_URL" >"$1.raw" 2>"$1.err" ||
		fail "the exporter did not answer $SCRAPE_URL: $(cat "$1.err")"
	grep '^hostPm' "$1.raw" | LC_ALL=C sort >"$1"
}
# label_escape STRING: as the exposition format writes a label value.
label_escape() {
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	printf '%s' "${s//$'\n'/\\n}"
}
# expected_series WALK: the series a walk calls for, sorted as the
# exporter writes them: a cell is NAME{hostPmSourceName="SOURCE"} VALUE;
# a string cell NAME{NAME="TEXT",hostPmSourceName="SOURCE"} 1; a scalar
# NAME VALUE. Nothing for a cell the walk does not have.
expected_series() {
	local -A source=()
	local oid type val name row labels
	while IFS=$'\t' read -r oid type val; do
		case $oid in hostPmSourceName.*) source[${oid#*.}]=$(label_escape "$val") ;; esac
	done <"$1"
	while IFS=$'\t' read -r oid type val; do
		name=${oid%%.*} row=${oid#*.}
		if [ "$row" = 0 ]; then
			printf '%s %s\n' "$name" "$val"
		elif [ "$type" = STRING ]; then
			labels=$(printf '%s\n' "$name=\"$(label_escape "$val")\"" \
				"hostPmSourceName=\"${source[$row]}\"" | LC_ALL=C sort -u | paste -sd,)
			printf '%s{%s} 1\n' "$name" "$labels"
		else
			printf '%s{hostPmSourceName="%s"} %s\n' "$name" "${source[$row]}" "$val"
		fi
	done <"$1" | LC_ALL=C sort
}
# scrape_equals_walk STATE: the exporter's series are exactly those the
# walk calls for. A walk before and after the scrape must agree (else a
# second ticked in hostPmProbeAge, and it tries again).
scrape_equals_walk() {
	local i
	for ((i = 0; i < 20; i++)); do
		walk_named "$T/walk1"
		scrape "$T/scrape"
		walk_named "$T/walk2"
		cmp -s "$T/walk1" "$T/walk2" || continue
		[ -s "$T/walk1" ] || fail "$1: the walk of hostPmObjects is empty"
		expected_series "$T/walk1" >"$T/expected"
		diff -u "$T/expected" "$T/scrape" >"$T/scrape.diff" ||
			fail "$1: the exporter's series (+) are not the walk's cells (-):
$(cat "$T/scrape.diff")"
		ok "$1: every cell of the walk is a series with its value, $(wc -l <"$T/scrape") series, nothing else"
		return 0
	done
	fail "$1: the table changed between every walk of 20"
}
# series LINE-START: the value of the scraped series written so, or "none".
series() {
	local line
	line=$(grep -F "$1 " "$T/scrape" | head -n 1)
	if [ -n "$line" ]; then echo "${line##* }"; else echo none; fi
}
# expect_cell COLUMN-NAME OID WANT: snmpget answers WANT for row 1, and
# the effective series has that value (WANT noSuchInstance: no series).
expect_cell() {
	local got
	got=$(snmp_value "$2")
	assert_eq "$state: snmpget $1.1 answers $3" "$3" "$got"
	[ "$got" = noSuchInstance ] && got=none
	assert_eq "$state: series $1{hostPmSourceName=\"effective\"} is $got" \
		"$got" "$(series "$1{hostPmSourceName=\"effective\"}")"
}

# firing: the names of the alerts Prometheus has firing, sorted, one a line.
firing() {
	http_get "http://127.0.0.1:$PROM_PORT/api/v1/alerts" | /usr/bin/python3 -c '
import json, sys
alerts = json.load(sys.stdin)["data"]["alerts"]
for name in sorted({a["labels"]["alertname"] for a in alerts if a["state"] == "firing"}):
    print(name)'
}
firing_is() { [ "$(firing 2>/dev/null | paste -sd' ')" = "$1" ]; }
# prom_value QUERY: the value of a one-series query ("none" if empty).
prom_value() {
	http_get "http://127.0.0.1:$PROM_PORT/api/v1/query" "$1" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if len(r) == 1 else "none" if not r else "many")'
}
prom_value_is() { [ "$(prom_value "$1" 2>/dev/null)" = "$2" ]; }
# rules_evaluated_since EPOCH: the hostpm rule group has been evaluated
# after EPOCH (seconds), so that its alerts reflect what was scraped then.
rules_evaluated_since() {
	http_get "http://127.0.0.1:$PROM_PORT/api/v1/rules" | /usr/bin/python3 -c '
import datetime, json, re, sys
since = float(sys.argv[1])
groups = json.load(sys.stdin)["data"]["groups"]
last = [g["lastEvaluation"] for g in groups if g["name"] == "hostpm"]
if not last:
    sys.exit(1)
# RFC 3339 with nanoseconds: microseconds at most for fromisoformat.
t = re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", last[0].replace("Z", "+00:00"))
sys.exit(0 if datetime.datetime.fromisoformat(t).timestamp() > since else 1)' "$1"
}
# expect_prometheus QUERY VALUE FIRING: Prometheus, within 30 s, has
# VALUE for QUERY and, once its rules have run on that, exactly the
# alerts FIRING (space-separated) firing.
expect_prometheus() {
	local seen
	wait_until 30 prom_value_is "$1" "$2" ||
		fail "$state: Prometheus has $1 = [$(prom_value "$1")], want [$2] (scraped through prometheus.yml's job)"
	seen=$(date +%s.%N)
	ok "$state: Prometheus scraped $1 = $2"
	wait_until 30 rules_evaluated_since "$seen" 2>/dev/null ||
		fail "$state: Prometheus did not evaluate the hostpm rules within 30 s"
	wait_until 30 firing_is "$3" ||
		fail "$state: Prometheus fires [$(firing | paste -sd' ')], want [$3]"
	ok "$state: Prometheus fires exactly [$3]"
}

EFFECTIVE_S3='hostPmS3{hostPmSourceName="effective"}'
EFFECTIVE_VALID='hostPmQueryValid{hostPmSourceName="effective"}'

# --- succeeded, S3 and S4 --------------------------------------------------------------
state="S3+S4 host"
HOSTPMD_SYSFS=$T/s3s4 hostpmd_conf "probeSources logind,pm-utils,sysfs"
hostpmd_start
scrape_equals_walk "$state"
expect_cell hostPmQueryValid "$hostPmQueryValid.1" 1
expect_cell hostPmS3 "$hostPmS3.1" 1
expect_cell hostPmS4 "$hostPmS4.1" 1
assert_eq "$state: the failed logind row is labelled and says so" 2 \
	"$(series 'hostPmQueryValid{hostPmSourceName="logind"}')"
assert_eq "$state: the failed logind row has no hostPmS3 series" none \
	"$(series 'hostPmS3{hostPmSourceName="logind"}')"
start_server prometheus "http://127.0.0.1:$PROM_PORT/-/ready" "$T/prometheus.log" \
	"$PROMETHEUS" --config.file="$T/prometheus.yml" \
	--storage.tsdb.path="$T/prometheus-data" \
	--web.listen-address="127.0.0.1:$PROM_PORT"
expect_prometheus "$EFFECTIVE_S3" 1 ""
hostpmd_stop

# --- succeeded, nothing supported -------------------------------------------------------
state="empty-state host"
HOSTPMD_SYSFS=$T/none hostpmd_conf "probeSources logind,pm-utils,sysfs"
hostpmd_start
scrape_equals_walk "$state"
expect_cell hostPmQueryValid "$hostPmQueryValid.1" 1
expect_cell hostPmS3 "$hostPmS3.1" 2
expect_cell hostPmS4 "$hostPmS4.1" 2
# The target requires S3 (prometheus.yml's label), and had S3 and S4.
expect_prometheus "$EFFECTIVE_S3" 2 "HostPmRequiredS3Missing HostPmS3Lost HostPmS4Lost"
hostpmd_stop

# --- every query failed ---------------------------------------------------------------------
state="every source failing"
HOSTPMD_SYSFS=$T/missing hostpmd_conf "probeSources logind,pm-utils,sysfs"
hostpmd_start
scrape_equals_walk "$state"
expect_cell hostPmQueryValid "$hostPmQueryValid.1" 2
expect_cell hostPmS3 "$hostPmS3.1" noSuchInstance
expect_cell hostPmS4 "$hostPmS4.1" noSuchInstance
grep -q '^hostPm\(S3\|S4\|Hybrid\){' "$T/scrape" &&
	fail "$state: a capability series exists although every query failed: $(grep '^hostPm\(S3\|S4\|Hybrid\){' "$T/scrape")"
ok "$state: no capability series in any row"
case $(grep '^hostPmError{.*hostPmSourceName="effective"' "$T/scrape") in
*'hostPmError=""'* | "") fail "$state: the effective hostPmError series carries no reason" ;;
*) ok "$state: the effective hostPmError series carries the reason" ;;
esac
# The capabilities are gone with the query: the alerts on them resolve
# and the failed query speaks for them.
expect_prometheus "$EFFECTIVE_VALID" 2 "HostPmQueryFailed"
hostpmd_stop
