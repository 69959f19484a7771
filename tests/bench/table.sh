# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# The benchmark's table in POSIX shell, for pass.sh and pass_persist.sh:
# $T is the table's OID and $SPEC the table file (spec.h), one cell a
# line in walk order: "OID-UNDER-THE-TABLE TYPE VALUE".

# oid_gt A B: whether OID A comes after OID B (numbers, no leading dot).
oid_gt() {
	a=$1. b=$2.
	while :; do
		[ -n "$b" ] || { [ -n "$a" ]; return; }
		[ -n "$a" ] || return 1
		x=${a%%.*} y=${b%%.*}
		[ "$x" -eq "$y" ] || { [ "$x" -gt "$y" ]; return; }
		a=${a#*.} b=${b#*.}
	done
}

# answer get|getnext OID: the three lines of the cell (OID, type,
# value), or returns 1 when there is none.
answer() {
	want=${2#.}
	t=${T#.}
	while read -r suffix type value; do
		case $suffix in "#"* | "") continue ;; esac
		if [ "$1" = get ]; then
			[ "$t.$suffix" = "$want" ] || continue
		else
			oid_gt "$t.$suffix" "$want" || continue
		fi
		printf '.%s\n%s\n%s\n' "$t.$suffix" "$type" "$value"
		return 0
	done <"$SPEC"
	return 1
}
