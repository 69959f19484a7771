# SPDX-License-Identifier: MIT
# Shared by the tests/*.sh scripts: a scratch folder, assertions that say
# what they expected, and the programs under test.
set -u
BUILD=${HOSTPM_BUILD:-build}
WRAP=${HOSTPM_WRAP:-}
PROBE="$WRAP $BUILD/hostpm-probe"
T=$(mktemp -d "${TMPDIR:-/tmp}/hostpm-test.XXXXXX")
trap 'kill_marked_procs; rm -rf "$T"' EXIT

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

# wait_until SECONDS CMD...: runs CMD every 50 ms until it succeeds (0) or
# SECONDS have passed (1).
wait_until() {
	local limit=$1; shift
	local deadline=$(( $(now_ms) + ${limit%.*} * 1000 ))
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# Processes a test's fake programs start carry LEFTOVER_MARK in their
# environment (fake scripts export it), so that whatever they leave
# running, in any session or group, can be found again.
LEFTOVER_MARK="HOSTPM_TEST_LEFTOVER=$T"
# marked_procs: pids of the live processes whose environment holds
# LEFTOVER_MARK (a zombie's environment is gone: see zombies_under).
marked_procs() {
	grep -lzxF "$LEFTOVER_MARK" /proc/[0-9]*/environ 2>/dev/null |
		sed 's#^/proc/\([0-9]*\)/environ$#\1#'
}
no_marked_procs() { [ -z "$(marked_procs)" ]; }
# marked_procs_described: "PID ARGS" of each, for a failure message.
marked_procs_described() {
	local p
	for p in $(marked_procs); do
		printf '%s %s; ' "$p" "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
}
# kill_marked_procs: clean-up after a test that found some.
kill_marked_procs() {
	local p
	for p in $(marked_procs); do kill -KILL "$p" 2>/dev/null; done
}

# zombies_under PID: the zombies among PID's descendants, "PID PPID".
zombies_under() {
	local root=$1 z zp p
	awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " ");
	       if (f[1] == "Z") print substr($0, 1, index($0, " ") - 1), f[2] }' \
		/proc/[0-9]*/stat 2>/dev/null |
	while read -r z zp; do
		p=$zp
		while [ -n "$p" ] && [ "$p" -gt 1 ]; do
			[ "$p" = "$root" ] && { echo "$z $zp"; break; }
			p=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[2] }' \
				"/proc/$p/stat" 2>/dev/null)
		done
	done
}
no_zombies_under() { [ -z "$(zombies_under "$1")" ]; }

# marked_pm NAME BODY: $T/pm-NAME, a pm-is-supported that runs the shell
# BODY for every option, with LEFTOVER_MARK in its environment.
marked_pm() {
	{
		echo '#!/bin/sh'
		echo "export $LEFTOVER_MARK"
		printf '%s\n' "$2"
	} >"$T/pm-$1"
	chmod 0755 "$T/pm-$1"
}
# hostile_pms: writes $T/pm-NAME for each NAME of HOSTILE_PMS.
HOSTILE_PMS="hang ignore-term segfault megabytes setsid-grandchildren daemon"
hostile_pms() {
	marked_pm hang 'sleep 300'
	marked_pm ignore-term "trap '' TERM; sleep 300 & wait; sleep 300"
	marked_pm segfault 'sleep 301 & kill -SEGV $$'
	marked_pm megabytes 'head -c 4000000 /dev/zero | tr "\0" x; head -c 4000000 /dev/zero >&2; exit 0'
	marked_pm setsid-grandchildren 'setsid sleep 990 & setsid sh -c "sleep 991 & sleep 992" & exit 0'
	# A daemon: double fork, its own session, SIGTERM and SIGHUP ignored.
	marked_pm daemon '( setsid sh -c "trap \"\" TERM HUP; sleep 993 </dev/null >/dev/null 2>&1 &" & ); exit 0'
}

# fd_recorder FILE: a line of shell for a fake program that writes to
# FILE (in double quotes: it may name the script's $1) "FD -> TARGET"
# for each descriptor the program inherited. A child (perl) reads them:
# it inherits what the shell did, and the shell's own script file is
# close-on-exec. FILE is opened once they are read.
fd_recorder() {
	printf '%s' "perl -e 'my @l; for my \$fd (0..4095) { my \$t = readlink(\"/proc/self/fd/\$fd\"); push @l, \"\$fd -> \$t\\n\" if defined \$t } open(my \$o, \">\", \$ARGV[0]) or die; print \$o @l' \"$1\""
}
