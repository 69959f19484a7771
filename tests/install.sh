# SPDX-License-Identifier: MIT
# make install honours DESTDIR and PREFIX.
. tests/testlib.bash

make -s BUILD="$BUILD" DESTDIR="$T/root" PREFIX=/opt/hostpm install >/dev/null ||
	fail "make install failed"
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
make -s BUILD="$BUILD" DESTDIR="$T/root" PREFIX=/opt/hostpm uninstall >/dev/null
[ ! -e "$T/root/opt/hostpm/bin/hostpm-probe" ] || fail "uninstall left hostpm-probe"
[ ! -e "$T/root/opt/hostpm/sbin/hostpmd" ] || fail "uninstall left hostpmd"
[ ! -e "$T/root/opt/hostpm/share/hostpm/power_management-libvirt.rng" ] || fail "uninstall left the libvirt schema"
ok "uninstall removes it"
