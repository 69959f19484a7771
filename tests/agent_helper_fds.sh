# SPDX-License-Identifier: MIT
# Every helper has only descriptors 0, 1 and 2: hostpm-probe started by
# hostpmd (its stdout the pipe hostpmd reads, the rest /dev/null), and
# pm-is-supported started by hostpm-probe (all three /dev/null). Neither
# may hold hostpmd's log file, its AgentX socket or a pipe: a helper
# holding the socket keeps a dead hostpmd registered. As root and under
# -u nobody.
. tests/testlib.bash
. tests/snmp.bash

# Under -u nobody the helpers must reach their files in $T.
chmod 0755 "$T"
mkdir -m 0777 "$T/rec"
HOSTPMD_SPOOL=$T/spool/power_management.xml
mkdir -p "$T/spool" && chmod 0777 "$T/spool"
# hostpmd writes its pid file as the user it runs as, who removes it.
mkdir -m 0777 "$T/run"
HOSTPMD_PIDFILE=$T/run/hostpmd.pid
fake_sysfs "$HOSTPMD_SYSFS" "mem disk"

# The probe program records what it inherited, then is hostpm-probe.
cat >"$T/probe" <<EOF
#!/bin/sh
export $LEFTOVER_MARK
$(fd_recorder "$T/rec/probe.fds")
exec "$HOSTPM_PROBE_PROGRAM" "\$@"
EOF
cat >"$HOSTPMD_PM" <<EOF
#!/bin/sh
export $LEFTOVER_MARK
$(fd_recorder "$T/rec/pm\$1.fds")
case "\$1" in --suspend) exit 0 ;; *) exit 1 ;; esac
EOF
chmod 0755 "$T/probe" "$HOSTPMD_PM"

snmpd_start

# check_fds WHO USER: the files the helpers wrote under hostpmd -u USER.
check_fds() {
	local who=$1 user=$2 f
	wait_until $((10 * SLOW)) test -s "$T/rec/pm--suspend-hybrid.fds" ||
		fail "$who: pm-is-supported --suspend-hybrid did not run within $((10 * SLOW)) s"
	assert_eq "$who: hostpm-probe has only 0, 1 (the pipe) and 2" \
		"0 -> /dev/null|1 -> pipe|2 -> /dev/null" \
		"$(sed 's/:\[[0-9]*\]$//' "$T/rec/probe.fds" | paste -sd '|')"
	for f in --suspend --hibernate --suspend-hybrid; do
		assert_eq "$who: pm-is-supported $f has only 0, 1 and 2, each /dev/null" \
			"0 -> /dev/null|1 -> /dev/null|2 -> /dev/null" \
			"$(paste -sd '|' "$T/rec/pm$f.fds")"
	done
	assert_eq "$who: the helpers ran as $user" "$user" "$(stat -c %U "$T/rec/pm--suspend.fds")"
	assert_eq "$who: the table answers from them (hostPmS3.2, pm-utils)" 1 "$(snmp_value "$hostPmS3.2")"
}

# hostpmd itself holds more than 0-2 (its log, the AgentX socket, the
# pipe), so that the checks above test something.
hostpmd_conf "probeProgram $T/probe"
# An extra descriptor as a service manager might leave open.
hostpmd_start 7</dev/null
own=$(ls "/proc/$HOSTPMD_PID/fd" | sort -n | paste -sd ' ')
case " $own " in *" 7 "*) ;; *) fail "hostpmd does not hold the descriptor 7 it was given: [$own]" ;; esac
[ "$(readlink "/proc/$HOSTPMD_PID/fd/3")" = "$HOSTPMD_LOG" ] ||
	ls -l "/proc/$HOSTPMD_PID/fd" | grep -qF "$HOSTPMD_LOG" ||
	fail "hostpmd does not hold its log file open: $(ls -l "/proc/$HOSTPMD_PID/fd")"
ok "hostpmd itself holds descriptors $own, its log file among them"
check_fds root root
hostpmd_stop

rm -f "$T"/rec/*
hostpmd_start -u nobody 7</dev/null
check_fds "-u nobody" nobody
hostpmd_stop
wait_until 5 no_marked_procs || fail "helpers still running after hostpmd stopped: $(marked_procs_described)"
ok "no helper left running"
