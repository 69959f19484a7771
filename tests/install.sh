# SPDX-License-Identifier: MIT
# make install honours DESTDIR and PREFIX; hostpmd runs the hostpm-probe
# of the PREFIX it was built for, and another PREFIX or BINDIR rebuilds
# it; WERROR= lets a warning through. Builds its own copy under $T, so
# that the build under test keeps its paths.
. tests/testlib.bash

b=$T/build
# -O1: quicker to build, and _FORTIFY_SOURCE still wants optimisation.
mk() {
	make -j2 BUILD="$b" CFLAGS=-O1 "$@" >"$T/make.out" 2>&1 ||
		fail "make $* failed: $(tail -n 20 "$T/make.out")"
}

# probe_program_of HOSTPMD: the hostpm-probe it runs when hostpmd.conf
# names none. None is installed there, so hostpmd logs that it cannot
# run it, naming the path.
probe_program_of() {
	local log=$T/hostpmd.log pid i
	rm -f "$log"
	echo "spoolFile $T/spool.xml" >"$T/hostpmd.conf"
	"$1" -f -C -c "$T/hostpmd.conf" -x "$T/no-master" -Lf "$log" \
		</dev/null >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 100); do
		grep -q "probe: cannot run" "$log" 2>/dev/null && break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	sed -n 's/.*probe: cannot run \(.*\): No such file or directory.*/\1/p' "$log" | head -n 1
}

mk PREFIX=/opt/hostpm all
mk DESTDIR="$T/root" PREFIX=/opt/hostpm install
[ -x "$T/root/opt/hostpm/bin/hostpm-probe" ] || fail "hostpm-probe not installed under DESTDIR/PREFIX/bin"
ok "hostpm-probe installed to DESTDIR/PREFIX/bin"
[ -x "$T/root/opt/hostpm/sbin/hostpmd" ] || fail "hostpmd not installed under DESTDIR/PREFIX/sbin"
ok "hostpmd installed to DESTDIR/PREFIX/sbin"
[ -f "$T/root/opt/hostpm/share/snmp/mibs/HOSTPM-MIB.txt" ] || fail "MIB not installed"
ok "HOSTPM-MIB installed to DESTDIR/PREFIX/share/snmp/mibs"
[ -d "$T/root/var/spool/hostpm" ] || fail "spool folder not made under DESTDIR"
ok "spool folder made"
[ -f "$T/root/opt/hostpm/share/hostpm/power_management.rng" ] || fail "schema not installed"
ok "schema installed to DESTDIR/PREFIX/share/hostpm"
[ -f "$T/root/opt/hostpm/share/hostpm/power_management-libvirt.rng" ] || fail "libvirt dialect schema not installed"
ok "libvirt dialect schema installed beside it"
assert_eq "the installed hostpmd runs the hostpm-probe of its PREFIX" \
	/opt/hostpm/bin/hostpm-probe "$(probe_program_of "$T/root/opt/hostpm/sbin/hostpmd")"
mk DESTDIR="$T/root" PREFIX=/opt/hostpm uninstall
[ ! -e "$T/root/opt/hostpm/bin/hostpm-probe" ] || fail "uninstall left hostpm-probe"
[ ! -e "$T/root/opt/hostpm/sbin/hostpmd" ] || fail "uninstall left hostpmd"
[ ! -e "$T/root/opt/hostpm/share/hostpm/power_management-libvirt.rng" ] || fail "uninstall left the libvirt schema"
ok "uninstall removes it"

# Another PREFIX after a build: what embeds the path is built again, and
# only that.
mk PREFIX="$T/usr" all
assert_eq "make with another PREFIX rebuilds hostpmd for it" \
	"$T/usr/bin/hostpm-probe" "$(probe_program_of "$b/hostpmd")"
grep -q "probe/sysfs.c" "$T/make.out" &&
	fail "another PREFIX rebuilt the probe library too: $(grep -c -- ' -c ' "$T/make.out") files compiled"
ok "another PREFIX rebuilds no object that does not embed it"
mk PREFIX="$T/usr" BINDIR="$T/bin" all
assert_eq "make with another BINDIR rebuilds hostpmd for it" \
	"$T/bin/hostpm-probe" "$(probe_program_of "$b/hostpmd")"
mk PREFIX="$T/usr" BINDIR="$T/bin" all
grep -q -- " -c " "$T/make.out" &&
	fail "the same PREFIX and BINDIR again compiled something: $(grep -- ' -c ' "$T/make.out" | head -n 3)"
ok "the same PREFIX and BINDIR again: nothing is compiled"

# WERROR: a warning fails the build unless a packager empties it.
w=$T/werror
make BUILD="$w" CFLAGS="-O1 -Wpadded" "$w/probe/capability.o" >"$T/make.out" 2>&1 &&
	fail "a warning (-Wpadded) did not fail the build: $(tail -n 5 "$T/make.out")"
assert_contains "by default a warning is an error" "error: padding" "$(cat "$T/make.out")"
make BUILD="$w" CFLAGS="-O1 -Wpadded" WERROR= "$w/probe/capability.o" >"$T/make.out" 2>&1 ||
	fail "make WERROR= failed on a warning: $(tail -n 5 "$T/make.out")"
assert_contains "make WERROR= shows the warning" "warning: padding" "$(cat "$T/make.out")"
[ -f "$w/probe/capability.o" ] || fail "make WERROR= built no object"
ok "make WERROR= builds despite the warning"
rm -f "$w/probe/capability.o"
WERROR= make BUILD="$w" CFLAGS="-O1 -Wpadded" "$w/probe/capability.o" >"$T/make.out" 2>&1 ||
	fail "WERROR empty in the environment (as debian/rules may export it) still failed on a warning: $(tail -n 5 "$T/make.out")"
ok "WERROR empty in the environment builds despite the warning"
