# SPDX-License-Identifier: MIT
# The Debian package on a stock Debian 12, booted for real: make deb
# builds it; in a throwaway root (debootstrap minbase + systemd, snmpd
# with Debian's own snmpd.conf) booted by systemd-nspawn with systemd as
# PID 1 and a private network, apt installs the .deb into the running
# system, which enables and starts hostpmd.service as user hostpm; after
# one restart of snmpd the stock configuration plus the package's drop-in
# serve the table on 127.0.0.1. apt-get remove stops the service and
# leaves snmpd answering; purge removes the spool and the conffiles.
# lintian reports no error and no warning on the .deb.
#
# The debootstrap root is cached under .cache/debian-root (git-ignored)
# and copied for each run, so only the first run downloads the base
# system (about 2 minutes); every run downloads snmpd's packages unless
# the cache holds them.
. tests/testlib.bash

SUITE=bookworm
BASE_PACKAGES=systemd,systemd-sysv,dbus
CACHE_DIR=$PWD/.cache/debian-root
BASE=$CACHE_DIR/$SUITE-minbase
BASE_MAX_AGE_DAYS=14
MACHINE=hostpm-deb-$$
ROOT=$T/root
NSPAWN_PID="" PID1=""
started=$SECONDS

[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, systemd-nspawn)"
for tool in debootstrap systemd-nspawn nsenter lintian dpkg-buildpackage; do
	command -v "$tool" >/dev/null || fail "$tool is missing (make deps-deploy)"
done

# --- the container -----------------------------------------------------------

container_stop() {
	[ -n "$NSPAWN_PID" ] || return 0
	if kill -0 "$NSPAWN_PID" 2>/dev/null && [ -n "$PID1" ]; then
		timeout 15 nsenter -t "$PID1" -a systemctl poweroff >/dev/null 2>&1
	fi
	local deadline=$((SECONDS + 30))
	while kill -0 "$NSPAWN_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.2
	done
	if kill -0 "$NSPAWN_PID" 2>/dev/null; then
		echo "the container did not power off within 30 s: killed" >&2
		# PID 1 takes the container's whole PID namespace with it.
		[ -z "$PID1" ] || kill -KILL "$PID1" 2>/dev/null
		sleep 1
		kill -KILL "$NSPAWN_PID" 2>/dev/null
	fi
	wait "$NSPAWN_PID" 2>/dev/null
	NSPAWN_PID="" PID1=""
}

cleanup() {
	local rc=$?
	container_stop
	if [ "$rc" -ne 0 ] && [ -s "$T/boot.log" ]; then
		echo "--- last lines of the container's console:" >&2
		tail -n 30 "$T/boot.log" | sed 's/^/    /' >&2
	fi
	rm -rf "$T"
	return "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ct CMD...: runs CMD inside the booted container, as root, with a clean
# environment, for at most CT_TIMEOUT seconds (60).
ct() {
	timeout "${CT_TIMEOUT:-60}" nsenter -t "$PID1" -a env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# in_root CMD...: runs CMD in $ROOT, not booted, with the host's network
# (to install packages before the boot: the booted one has no network).
in_root() {
	timeout 600 systemd-nspawn -q -D "$ROOT" --register=no --keep-unit \
		--link-journal=no -E DEBIAN_FRONTEND=noninteractive -E LANG=C.UTF-8 "$@"
}

# The container's PID 1, seen from here: the systemd process under our
# systemd-nspawn whose pid in its own namespace is 1.
find_pid1() {
	local p pp depth
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = systemd ] || continue
		grep -qE '^NSpid:.*[[:space:]]1$' "/proc/$p/status" 2>/dev/null || continue
		pp=$p
		for depth in 1 2 3; do
			pp=$(awk '/^PPid:/ { print $2 }' "/proc/$pp/status" 2>/dev/null)
			[ -n "$pp" ] || break
			if [ "$pp" = "$NSPAWN_PID" ]; then echo "$p"; return 0; fi
		done
	done
	return 1
}

# The mirror this host uses for $SUITE, from its apt sources (one-line
# or deb822 format).
host_mirror() {
	/usr/bin/python3 - "$SUITE" <<'PY'
import glob, sys
suite = sys.argv[1]
files = glob.glob("/etc/apt/sources.list") + sorted(glob.glob("/etc/apt/sources.list.d/*.list"))
for f in files:
    for line in open(f):
        w = line.split("#")[0].split()
        w = [x for x in w if not x.startswith("[")]
        if len(w) >= 3 and w[0] == "deb" and w[2] == suite:
            print(w[1]); sys.exit(0)
for f in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for para in open(f).read().split("\n\n"):
        fields = {}
        for line in para.splitlines():
            if ":" in line and not line.startswith((" ", "#")):
                k, v = line.split(":", 1)
                fields[k.strip()] = v.split()
        if "deb" in fields.get("Types", []) and suite in fields.get("Suites", []) \
                and fields.get("URIs") and fields.get("Enabled", ["yes"]) != ["no"]:
            print(fields["URIs"][0]); sys.exit(0)
sys.exit(1)
PY
}

# --- the package, and lintian ------------------------------------------

make -s BUILD="$BUILD" deb >"$T/deb.log" 2>&1 || { tail -n 40 "$T/deb.log" >&2; fail "make deb failed"; }
debs=("$BUILD"/deb/hostpm_*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || fail "make deb: expected one $BUILD/deb/hostpm_*.deb, found: ${debs[*]}"
deb=${debs[0]}
ok "make deb built $deb"
# Checked now, reported at the end, so that a lintian complaint does not
# hide what the installation shows.
lintian_out=$(lintian "$deb" 2>&1)
lintian_issues=$(printf '%s\n' "$lintian_out" | grep -E '^[EW]: ')

# --- the base root, cached ---------------------------------------------------

mirror=$(host_mirror) || fail "no apt source for $SUITE in /etc/apt/sources.list{,.d}"
stamp="suite=$SUITE mirror=$mirror packages=$BASE_PACKAGES"
if [ -f "$BASE.ok" ] && [ "$(cat "$BASE.ok")" = "$stamp" ] && [ -d "$BASE/usr" ] &&
	[ -n "$(find "$BASE.ok" -mtime -"$BASE_MAX_AGE_DAYS")" ]; then
	ok "base root from the cache ($BASE)"
else
	t0=$SECONDS
	rm -rf "$BASE" "$BASE.ok"
	timeout 900 debootstrap --variant=minbase --include="$BASE_PACKAGES" \
		"$SUITE" "$T/base" "$mirror" >"$T/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$T/debootstrap.log" >&2; fail "debootstrap $SUITE from $mirror failed"; }
	# snmpd's packages into the base's apt cache, for the next runs.
	ROOT=$T/base in_root sh -c 'apt-get update -qq && apt-get install -y -qq --download-only snmpd snmp libxml2' \
		>"$T/download.log" 2>&1 || { tail -n 20 "$T/download.log" >&2; fail "downloading snmpd into the base root failed"; }
	mkdir -p "$CACHE_DIR"
	mv "$T/base" "$BASE"
	printf '%s\n' "$stamp" >"$BASE.ok"
	ok "base root made with debootstrap in $((SECONDS - t0)) s, cached in $BASE"
fi
cp -a "$BASE" "$ROOT" || fail "cannot copy the base root"

# snmpd and snmp (Debian's, with its stock snmpd.conf) and what the .deb
# depends on, installed before the boot: the booted container has no
# network. The .deb itself is installed into the running system below.
deps=$(dpkg-deb -f "$deb" Depends)
cp "$deb" "$ROOT/srv/"
in_root sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends snmpd snmp && apt-get satisfy -y -qq --no-install-recommends "$1"' \
	sh "$deps" >"$T/apt.log" 2>&1 || { tail -n 20 "$T/apt.log" >&2; fail "apt-get install snmpd snmp failed in the root"; }
cmp -s "$ROOT/etc/snmp/snmpd.conf" <(dpkg-deb --fsys-tarfile "$(ls "$ROOT"/var/cache/apt/archives/snmpd_*.deb | head -n 1)" | tar -xO ./etc/snmp/snmpd.conf) ||
	fail "/etc/snmp/snmpd.conf in the root is not the one snmpd ships"
ok "snmpd installed with Debian's stock /etc/snmp/snmpd.conf"

# --- boot ----------------------------------------------------------------------

# /sys/power of this host, read-only, where the container's sysfs has none.
bind=()
[ -d /sys/power ] && bind=(--bind-ro=/sys/power)
systemd-nspawn -q -D "$ROOT" --boot --register=no --keep-unit --link-journal=no \
	--private-network --console=read-only -M "$MACHINE" "${bind[@]}" \
	</dev/null >"$T/boot.log" 2>&1 &
NSPAWN_PID=$!
deadline=$((SECONDS + 30))
until PID1=$(find_pid1); do
	kill -0 "$NSPAWN_PID" 2>/dev/null || fail "systemd-nspawn exited before the container booted"
	[ "$SECONDS" -lt "$deadline" ] || fail "no systemd PID 1 under systemd-nspawn within 30 s"
	sleep 0.2
done
state=$(CT_TIMEOUT=120 ct systemctl is-system-running --wait)
case $state in
running) ;;
degraded) echo "note: degraded; failed units: $(ct systemctl --failed --plain --no-legend)" ;;
*) fail "the container did not finish booting: $state" ;;
esac
ok "booted, systemd is PID 1 ($state)"
[ "$(ct systemctl is-active snmpd)" = active ] || fail "snmpd is not active in the container"
ok "snmpd runs with the stock configuration"

# What the package meets on a real host: snmpd has run with "master
# agentx" and made its socket folder 0700, root's.
assert_eq "AgentX folder before the installation" "root:root 700" "$(ct stat -c '%U:%G %a' /var/agentx)"

# --- install -------------------------------------------------------------------

CT_TIMEOUT=180 ct apt-get install -y "/srv/$(basename "$deb")" >"$T/install.log" 2>&1 ||
	{ tail -n 20 "$T/install.log" >&2; fail "apt-get install of the .deb failed in the container"; }
ok "apt-get install /srv/$(basename "$deb") in the running system"
assert_eq "hostpmd.service enabled" enabled "$(ct systemctl is-enabled hostpmd)"
assert_eq "hostpmd.service started by the installation" active "$(ct systemctl is-active hostpmd)"
hostpm_uid=$(ct id -u hostpm) || fail "no user hostpm in the container"
hostpm_gid=$(ct id -g hostpm) || fail "no group hostpm in the container"
[ -n "$(ct getent group hostpm)" ] || fail "no group hostpm"
ok "system user and group hostpm ($hostpm_uid:$hostpm_gid)"
assert_eq "/var/spool/hostpm owner" "hostpm:hostpm 755" "$(ct stat -c '%U:%G %a' /var/spool/hostpm)"
for f in /etc/snmp/hostpmd.conf /etc/snmp/snmpd.conf.d/hostpm.conf; do
	ct grep -qx "$f" /var/lib/dpkg/info/hostpm.conffiles || fail "$f is not a conffile"
done
ok "hostpmd.conf and the snmpd drop-in are conffiles"

# The one restart of snmpd the README asks for; hostpmd connects at its
# next AgentX retry (agentxPingInterval, 30 s).
ct systemctl restart snmpd || fail "systemctl restart snmpd failed"
assert_eq "AgentX socket: owner, group, mode" "Debian-snmp:hostpm 660" "$(ct stat -c '%U:%G %a' /var/agentx/master)"
assert_eq "AgentX folder, opened by the package's tmpfiles.d entry" "root:root 755" "$(ct stat -c '%U:%G %a' /var/agentx)"

walk() { ct snmpwalk -v2c -c public -On -t 1 -r 1 127.0.0.1 .1.3.6.1.4.1.8072.9999.9999.1 2>&1; }
# cell OID: a value from the last walk, without type and quotes.
cell() { printf '%s\n' "$walked" | sed -n "s/^$(printf '%s' "$1" | sed 's/[.]/\\./g') = \(.*\)/\1/p" | sed 's/^[A-Za-z0-9]*: //; s/^"\(.*\)"$/\1/'; }
entry=.1.3.6.1.4.1.8072.9999.9999.1.1.1.1
deadline=$((SECONDS + 75))
until walked=$(walk) && [ "$(cell $entry.2.1)" = effective ]; do
	[ "$SECONDS" -lt "$deadline" ] || fail "the walk did not show the effective row within 75 s of the restart: $walked
hostpmd's journal: $(ct journalctl -u hostpmd --no-pager | tail -n 10)"
	sleep 1
done
ok "snmpwalk -v2c -c public 127.0.0.1 HOSTPM-MIB, inside the container, answers the effective row"
valid=$(cell $entry.3.1)
case $valid in 1 | 2) ok "hostPmQueryValid.1 = $valid" ;; *) fail "hostPmQueryValid.1: expected 1 or 2, got [$valid]" ;; esac
assert_eq "the logind row, from the real logind over the system bus" "logind 1" "$(cell $entry.2.2) $(cell $entry.3.2)"
if ct test -r /sys/power/state; then sysfs_expected=1; else sysfs_expected=2; fi
assert_eq "the sysfs row answers as /sys/power reads in the container ($sysfs_expected)" "sysfs $sysfs_expected" "$(cell $entry.2.4) $(cell $entry.3.4)"

# The service as systemd runs it: user hostpm, nothing of root.
main_pid=$(ct systemctl show -P MainPID hostpmd)
status=$(ct cat "/proc/$main_pid/status") || fail "cannot read hostpmd's status (pid $main_pid)"
field() { printf '%s\n' "$status" | awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' | tr -s '\t ' ' '; }
assert_eq "hostpmd's Uid" "$hostpm_uid $hostpm_uid $hostpm_uid $hostpm_uid" "$(field Uid)"
assert_eq "hostpmd's Gid" "$hostpm_gid $hostpm_gid $hostpm_gid $hostpm_gid" "$(field Gid)"
assert_eq "hostpmd's bounding set" 0000000000000000 "$(field CapBnd)"
assert_eq "hostpmd's NoNewPrivs" 1 "$(field NoNewPrivs)"
assert_eq "hostpmd under a seccomp filter" 2 "$(field Seccomp)"

# The spool file follows the effective row: written by the service as
# hostpm when the query succeeded, the same bytes hostpm-probe prints
# outside the sandbox; absent when it failed.
spool=/var/spool/hostpm/power_management.xml
if [ "$valid" = 1 ]; then
	assert_eq "spool file owner" hostpm "$(ct stat -c %U "$spool")"
	assert_eq "spool file = hostpm-probe run as hostpm" \
		"$(ct runuser -u hostpm -- hostpm-probe)" "$(ct cat "$spool")"
else
	ct test ! -e "$spool" || fail "the effective query failed, yet $spool exists"
	ok "no spool file, as the effective query failed"
fi

# agentXPerms: group hostpm may connect (above); another user may not.
out=$(ct timeout 5 setpriv --reuid=nobody --regid=nogroup --clear-groups \
	/usr/sbin/hostpmd -f -C -Le -x /var/agentx/master 2>&1)
assert_contains "user nobody is refused by the AgentX socket" "no AgentX master at /var/agentx/master" "$out"

# --- remove, purge -------------------------------------------------------------

CT_TIMEOUT=120 ct apt-get remove -y hostpm >"$T/remove.log" 2>&1 ||
	{ tail -n 20 "$T/remove.log" >&2; fail "apt-get remove hostpm failed"; }
[ "$(ct systemctl is-active hostpmd)" != active ] || fail "hostpmd.service still active after apt-get remove"
[ -z "$(ct sh -c 'grep -lx hostpmd /proc/[0-9]*/comm' 2>/dev/null)" ] || fail "a hostpmd process is left after apt-get remove"
ok "apt-get remove stops hostpmd"
ct snmpget -v2c -c public -On -t 1 -r 2 127.0.0.1 .1.3.6.1.2.1.1.3.0 | grep -q Timeticks ||
	fail "snmpd does not answer sysUpTime after apt-get remove hostpm"
ok "snmpd still answers sysUpTime"

CT_TIMEOUT=120 ct apt-get purge -y hostpm >"$T/purge.log" 2>&1 ||
	{ tail -n 20 "$T/purge.log" >&2; fail "apt-get purge hostpm failed"; }
for f in /var/spool/hostpm /etc/snmp/hostpmd.conf /etc/snmp/snmpd.conf.d/hostpm.conf; do
	ct test ! -e "$f" || fail "$f is left after apt-get purge"
done
ok "apt-get purge removes /var/spool/hostpm, /etc/snmp/hostpmd.conf and the drop-in"
ct snmpget -v2c -c public -On -t 1 -r 2 127.0.0.1 .1.3.6.1.2.1.1.3.0 | grep -q Timeticks ||
	fail "snmpd does not answer sysUpTime after apt-get purge hostpm"
ok "snmpd still answers after the purge"

container_stop
ok "container powered off"
echo "took $((SECONDS - started)) s"

[ -z "$lintian_issues" ] || fail "lintian $deb: expected no error and no warning, got:
$lintian_issues"
ok "lintian: no error, no warning"
