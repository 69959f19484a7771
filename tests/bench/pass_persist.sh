#!/bin/sh
# SPDX-License-Identifier: MIT
# The benchmark's `pass_persist` peer in shell: snmpd starts it once,
#   pass_persist.sh TABLE_OID TABLE_FILE
# and writes requests to its standard input (PING, get, getnext, set).
# shellcheck disable=SC2034 # both used by table.sh
T=$1 SPEC=$2
. "$(dirname "$0")/table.sh"
while read -r cmd; do
	case $cmd in
	PING) echo PONG ;;
	get | getnext)
		read -r oid
		answer "$cmd" "$oid" || echo NONE ;;
	set)
		read -r oid; read -r _
		echo not-writable ;;
	*) echo NONE ;;
	esac
done
