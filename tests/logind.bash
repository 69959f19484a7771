# SPDX-License-Identifier: MIT
# A private system bus with python3-dbusmock's logind template on it, for
# tests/*logind*.sh. Source after tests/testlib.bash. Everything lives
# under $T; logind_stop ends both processes (a test calls it from its
# EXIT trap, or lists $bus_pid and $mock_pid for its harness to kill).

# Debian's python, which has python3-dbusmock; not whatever is on PATH.
PY=/usr/bin/python3
LOGIND=(--dest=org.freedesktop.login1 /org/freedesktop/login1)

command -v dbus-daemon >/dev/null && command -v dbus-send >/dev/null ||
	fail "dbus-daemon or dbus-send not found (Debian package dbus; make deps)"
$PY -c 'import dbusmock' 2>/dev/null ||
	fail "$PY cannot import dbusmock (Debian package python3-dbusmock; make deps)"

bus_pid="" mock_pid=""
logind_stop() {
	local pid
	for pid in $mock_pid $bus_pid; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	mock_pid="" bus_pid=""
}

# A bus that anyone may use, on a socket in the scratch folder.
cat >"$T/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <listen>unix:path=$T/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
CONF

# within SECONDS COMMAND...: retries COMMAND every 0.1 s until it succeeds.
within() {
	local tries=$(($1 * 10)); shift
	while ! "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

# start_bus: the bus, and DBUS_SYSTEM_BUS_ADDRESS pointing at it.
start_bus() {
	export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/bus"
	dbus-daemon --config-file="$T/bus.conf" --nofork --print-address=3 \
		3>"$T/bus.address" 2>"$T/bus.log" &
	bus_pid=$!
	within 10 test -s "$T/bus.address" || fail "dbus-daemon did not start: $(cat "$T/bus.log")"
}

# start_mock JSON: logind's template, its Can* answers from JSON.
start_mock() {
	$PY -m dbusmock --template logind -p "$1" >"$T/mock.log" 2>&1 &
	mock_pid=$!
	within 20 dbus-send --system --print-reply "${LOGIND[@]}" \
		org.freedesktop.DBus.Peer.Ping ||
		fail "the logind mock did not start: $(cat "$T/mock.log")"
}


# libvirt_fragment: what libvirt 9.0 (Debian 12) writes for the mock's
# answers, by its own rule, in its names: it asks CanSuspend, CanHibernate
# and CanHybridSleep, never CanSuspendThenHibernate; "yes" and "challenge"
# are supported, any other word (logind's "no" too) is not; a call that
# fails, or an answer that is no string, empties the whole answer to
# <power_management/>. (libvirt asks logind only where
# org.freedesktop.login1 is activatable on the bus, as on a real host.)
libvirt_fragment() {
	local pair reply children=""
	for pair in CanSuspend:suspend_mem CanHibernate:suspend_disk \
		CanHybridSleep:suspend_hybrid; do
		reply=$(dbus-send --system --print-reply "${LOGIND[@]}" \
			"org.freedesktop.login1.Manager.${pair%%:*}" 2>/dev/null) ||
			{ echo "<power_management/>"; return; }
		# The answer is the line after "method return ...".
		reply=$(sed -n '2s/^ *//p' <<<"$reply")
		case $reply in
		'string "yes"' | 'string "challenge"') children+="  <${pair#*:}/>"$'\n' ;;
		'string "'*) ;;
		*) echo "<power_management/>"; return ;;
		esac
	done
	if [ -n "$children" ]; then
		printf '<power_management>\n%s</power_management>\n' "$children"
	else
		echo "<power_management/>"
	fi
}
