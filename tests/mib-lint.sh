#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mib-lint.sh [MIB-FILE] - check HOSTPM-MIB with smilint and net-snmp.
#
# MIB-FILE defaults to mibs/HOSTPM-MIB.txt; pass another path to check a
# modified copy (the copy must still define module HOSTPM-MIB).
#
# Checks:
#   - the file starts with the SPDX licence line;
#   - `smilint -l 6 -s` prints nothing at all (smilint exits 0 even on
#     errors, so any output is a failure);
#   - net-snmp loads it with no diagnostic and the -Tp tree shows
#     hostPmTable;
#   - the OIDs the agent code depends on translate to the fixed numbers.
#
# The base SMIv2 modules Debian lacks are fetched into .cache/mibs by
# tests/fetch-smi-mibs.  Exits non-zero if any check fails.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
mib=${1:-$repo/mibs/HOSTPM-MIB.txt}
cache=$repo/.cache/mibs

passed=0
failed=0
ok()   { printf 'ok - %s\n' "$*"; passed=$((passed + 1)); }
fail() { printf 'FAIL - %s\n' "$*"; failed=$((failed + 1)); }
indent() { sed 's/^/    /'; }
finish() {
    printf '%d passed, %d failed\n' "$passed" "$failed"
    ((failed == 0))
    exit
}

need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    fail "$1 not found (Debian package: $2; apt-get install -y $2)"
    return 1
}

[[ -r $mib ]] || { fail "cannot read $mib"; finish; }
need smilint smitools || finish
need snmptranslate snmp || finish

if out=$("$here/fetch-smi-mibs" "$cache" 2>&1); then
    ok "base SMIv2 modules present in ${cache#"$repo"/}"
else
    fail "tests/fetch-smi-mibs failed:"
    printf '%s\n' "$out" | indent
    finish
fi

# --- licence line ---------------------------------------------------
if [[ $(head -n 1 "$mib") == '-- SPDX-License-Identifier: MIT' ]]; then
    ok "SPDX line"
else
    fail "first line of $mib is not '-- SPDX-License-Identifier: MIT'"
fi

# --- smilint -----------------------------------------------------------
out=$(SMIPATH="$cache:/usr/share/snmp/mibs" smilint -l 6 -s "$mib" 2>&1)
rc=$?
if [[ -z $out && $rc -eq 0 ]]; then
    ok "smilint -l 6 -s: no output"
else
    fail "smilint -l 6 -s (exit $rc) printed:"
    printf '%s\n' "$out" | indent
fi

# --- net-snmp ------------------------------------------------------------
# Load the file under test from a directory of its own, so that a copy
# given on the command line is what gets loaded, not mibs/.  Both lists
# are given whole, without net-snmp's "+" (add to the defaults): the
# search path so that nothing in ~/.snmp/mibs or the system MIB
# directories shadows the modules under test, and the module list
# (-m HOSTPM-MIB, not +HOSTPM-MIB) because "+" also loads the
# compiled-in default MIBs, most of which Debian does not ship, and
# their "Cannot find module" noise would hide real diagnostics.
work=$(mktemp -d "${TMPDIR:-/tmp}/mib-lint.XXXXXX") || { fail "mktemp"; finish; }
trap 'rm -rf "$work"' EXIT
mkdir "$work/mibs"
cp "$mib" "$work/mibs/HOSTPM-MIB.txt"

xlate() {
    # Drop the one-time "Created directory:" notice net-snmp prints
    # when its persistent directory is new: it is not about the MIB.
    # (-Pw is not used: it also reports, for the base modules, every
    # MACRO definition as "parsed and ignored".)
    snmptranslate -M "$work/mibs:$cache" -m HOSTPM-MIB "$@" \
        2>"$work/err"
    local rc=$?
    grep -v '^Created directory: ' "$work/err" >"$work/err2"
    return $rc
}

tree=$(xlate -Tp)
rc=$?
if [[ $rc -eq 0 && ! -s $work/err2 ]]; then
    ok "snmptranslate -Tp: loads with no diagnostic"
else
    fail "snmptranslate -Tp (exit $rc) printed on stderr:"
    indent <"$work/err2"
    finish
fi
if grep -q 'hostPmTable(1)' <<<"$tree"; then
    ok "snmptranslate -Tp: tree has hostPmTable"
else
    fail "snmptranslate -Tp: no hostPmTable in the tree"
    finish
fi

root=.1.3.6.1.4.1.8072.9999.9999.1
while read -r name want; do
    got=$(xlate -On "HOSTPM-MIB::$name")
    if [[ $got == "$want" && ! -s $work/err2 ]]; then
        ok "$name = $want"
    else
        fail "$name = '$got', want $want $(head -n 1 "$work/err2")"
    fi
done <<EOT
hostPmMIB                 $root
hostPmCapabilitiesChanged $root.0.1
hostPmTable               $root.1.1
hostPmEntry               $root.1.1.1
hostPmSourceName          $root.1.1.1.2
hostPmQueryValid          $root.1.1.1.3
hostPmS3                  $root.1.1.1.4
hostPmS4                  $root.1.1.1.5
hostPmHybrid              $root.1.1.1.6
hostPmProbeAge            $root.1.1.1.7
hostPmError               $root.1.1.1.8
hostPmSuspendFailures     $root.1.1.1.14
hostPmPolicy              $root.1.1.1.15
hostPmSpoolWriteFailures  $root.1.2
hostPmProbeCount          $root.1.3
hostPmCompliance          $root.2.1.1
hostPmCapabilityGroup     $root.2.2.1
hostPmNotificationGroup   $root.2.2.2
EOT

finish
