# SPDX-License-Identifier: MIT
# Shared by the tests/*.sh scripts: a scratch folder, assertions that say
# what they expected, and the programs under test.
set -u
BUILD=${HOSTPM_BUILD:-build}
WRAP=${HOSTPM_WRAP:-}
PROBE="$WRAP $BUILD/hostpm-probe"
T=$(mktemp -d "${TMPDIR:-/tmp}/hostpm-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	[ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
	ok "$1"
}
# assert_contains WHAT NEEDLE HAYSTACK
assert_contains() {
	case "$3" in *"$2"*) ok "$1" ;; *) fail "$1: [$2] not in [$3]" ;; esac
}

# fake_sysfs ROOT STATE [MEM_SLEEP] [DISK]: "-" leaves a file out.
fake_sysfs() {
	mkdir -p "$1/power"
	[ "$2" = - ] || printf '%s' "$2" >"$1/power/state"
	[ "${3:--}" = - ] || printf '%s' "$3" >"$1/power/mem_sleep"
	[ "${4:--}" = - ] || printf '%s' "$4" >"$1/power/disk"
}

# fake_pm PATH SUSPEND HIBERNATE HYBRID: shell run for each option.
fake_pm() {
	cat >"$1" <<SCRIPT
#!/bin/sh
case "\$1" in
--suspend) $2 ;;
--hibernate) $3 ;;
--suspend-hybrid) $4 ;;
*) exit 1 ;;
esac
SCRIPT
	chmod 0755 "$1"
}

now_ms() { date +%s%3N; }
