# SPDX-License-Identifier: MIT
# Every DisplayString hostpmd serves (hostPmSourceName, hostPmError,
# hostPmPolicy, hostPmReason) is printable ASCII, 0x20 to 0x7e, and at
# most 255 octets, whatever bytes sysfs and the paths hold: control
# bytes, terminal escapes, 0xff, values longer than a DisplayString.
# Read as hex (snmpwalk -Ox), not as text a terminal or net-snmp renders.
. tests/testlib.bash
. tests/snmp.bash

# A sysfs root and a pm-is-supported path with an escape and a control
# byte in their names reach hostPmError when a file is missing.
HOSTPMD_SYSFS=$T/$'sys\033[2Jroot\001'
HOSTPMD_PM=$T/$'pm\033]0;title\007\377'
# mem_sleep without deep: the effective row's hostPmReason quotes it.
fake_sysfs "$HOSTPMD_SYSFS" "mem disk
" $'\001\033[2J\377\n' $'[platform] \033[31msuspend\n'

snmpd_start
hostpmd_start

# check_walk WHAT: walks hostPmTable as hex and checks every string cell;
# writes the string cells as OID<tab>TEXT to $T/strings.
check_walk() {
	snmpwalk -v2c -c public -t 1 -r 1 -On -Ox "127.0.0.1:$SNMPD_PORT" "$hostPmTable" \
		>"$T/walk.hex" 2>"$T/walk.err" || fail "$1: snmpwalk failed: $(cat "$T/walk.err")"
	/usr/bin/python3 - "$T/walk.hex" "$T/strings" "$1" <<'PY' || fail "$1: a DisplayString is not printable ASCII (see above)"
import re, sys
lines = open(sys.argv[1], encoding="ascii", errors="strict").read().splitlines()
cells, cur = {}, None
for line in lines:
    m = re.match(r"^(\.[0-9.]+) = (.*)$", line)
    if m:
        cur = m.group(1)
        cells[cur] = m.group(2)
    elif cur is not None:
        cells[cur] += " " + line   # a Hex-STRING goes on over lines
bad, out = 0, []
strings = 0
for oid, val in cells.items():
    col = int(oid.split(".")[-2])
    if col not in (2, 8, 15, 16):
        continue
    if val.startswith("Hex-STRING:"):
        data = bytes(int(h, 16) for h in val[len("Hex-STRING:"):].split())
    elif val.startswith('""'):
        data = b""
    elif val.startswith("STRING:"):
        # -Ox shows a string as text only when net-snmp finds it printable.
        data = val[len("STRING:"):].strip().strip('"').encode()
    else:
        print(f"{sys.argv[3]}: {oid}: not an OCTET STRING: {val}")
        bad += 1
        continue
    strings += 1
    if len(data) > 255:
        print(f"{sys.argv[3]}: {oid}: {len(data)} octets, more than 255")
        bad += 1
    wrong = [b for b in data if b < 0x20 or b > 0x7e]
    if wrong:
        print(f"{sys.argv[3]}: {oid}: bytes outside 0x20-0x7e: {bytes(wrong)!r} in {data!r}")
        bad += 1
    out.append(f"{oid}\t{data.decode('ascii', 'replace')}")
if strings == 0:
    print(f"{sys.argv[3]}: no string cell in the walk")
    bad += 1
open(sys.argv[2], "w").write("\n".join(out) + "\n")
sys.exit(1 if bad else 0)
PY
	ok "$1: $(wc -l <"$T/strings") DisplayStrings, every byte printable, none over 255 octets"
}
# text_of OID: the text of one string cell of the last check_walk.
text_of() { grep -F "$1"$'\t' "$T/strings" | cut -f 2-; }

# --- sysfs answers; pm-utils fails on its path ----------------------------
check_walk "hostile mem_sleep and disk"
assert_contains "the effective row's hostPmReason quotes mem_sleep escaped" \
	'mem_sleep offers \x01\x1b[2J\xff only;' "$(text_of "$hostPmEntry.16.1")"
assert_contains "hostPmError.2 (pm-utils) names its path escaped" \
	'/pm\x1b]0;title\x07\xff' "$(text_of "$hostPmError.2")"

# --- long values: every source fails on its path, in one error ------------------
long=$T/$(printf '\377%.0s' $(seq 1 200))
mkdir -p "$long"
sysfs_set "$HOSTPMD_SYSFS" - # no state: the sysfs query fails, naming the root
mark=$(log_mark "$HOSTPMD_LOG")
hostpmd_conf "sysfsRoot $long" "pmIsSupported $long/pm-is-supported"
kill -HUP "$HOSTPMD_PID"
failed() { [ "$(snmp_value "$hostPmQueryValid.1")" = 2 ]; }
wait_until 10 failed || fail "hostPmQueryValid.1 did not turn 2 with $long as sysfsRoot ($(log_since "$HOSTPMD_LOG" "$mark"))"
check_walk "paths of 200 0xff bytes"
err=$(text_of "$hostPmError.1")
# Cut at a whole escape: up to 3 octets short of 255.
[ "${#err}" -ge 252 ] && [ "${#err}" -le 255 ] ||
	fail "hostPmError.1, cut short: expected 252 to 255 octets, got ${#err}: $err"
assert_eq "hostPmError.1 says it was cut short" "..." "${err: -3}"
assert_contains "hostPmError.1 escapes each 0xff" '\xff\xff\xff' "$err"

hostpmd_stop
