#!/bin/sh
# SPDX-License-Identifier: MIT
# The benchmark's `pass` peer: snmpd runs it for every request as
#   pass.sh TABLE_OID TABLE_FILE -g|-n OID
# and reads the OID, the type and the value, or nothing.
# shellcheck disable=SC2034 # both used by table.sh
T=$1 SPEC=$2
. "$(dirname "$0")/table.sh"
case $3 in
-g) answer get "$4" ;;
-n) answer getnext "$4" ;;
esac
exit 0
