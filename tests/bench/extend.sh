#!/bin/sh
# SPDX-License-Identifier: MIT
# The benchmark's `extend` peer: the table's values, one per line, in walk
# order, from the table file (spec.h):
#   extend.sh TABLE_FILE
# snmpd serves line N as nsExtendOutLine."NAME".N and caches the output
# (cacheTime, 5 s by default).
while read -r suffix _ value; do
	case $suffix in "#"* | "") continue ;; esac
	printf '%s\n' "$value"
done <"$1"
