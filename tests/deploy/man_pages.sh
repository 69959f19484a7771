# SPDX-License-Identifier: MIT
# The man pages: mandoc -Tlint finds nothing to say (cross-references
# included), make install puts them where man finds them, and each page
# documents every option or token its program accepts, as the code
# lists them.
. tests/testlib.bash

PAGES="probe/hostpm-probe.1 agent/hostpmd.conf.5 agent/hostpmd.8"
for p in $PAGES; do [ -f "$p" ] || fail "$p does not exist"; done

# --- installed where man looks ------------------------------------------------
make -s BUILD="$BUILD" DESTDIR="$T/root" PREFIX=/usr install >"$T/install.log" 2>&1 ||
	fail "make install DESTDIR=$T/root PREFIX=/usr failed: $(cat "$T/install.log")"
MAN=$T/root/usr/share/man
for p in $PAGES; do
	f=$(basename "$p")
	[ -f "$MAN/man${f##*.}/$f" ] || fail "make install did not put $f in $MAN/man${f##*.}"
done
ok "make install puts the pages in PREFIX/share/man/man1, man5, man8"

# man_text NAME [SECTION]: the page as man renders it from the installed tree.
man_text() {
	MANWIDTH=80 MANPAGER=cat PAGER=cat man -M "$MAN" "$@" 2>"$T/man.err" ||
		fail "man -M $MAN $* failed: $(cat "$T/man.err")"
}
out=$(man_text hostpmd.conf)
assert_contains "man -M ... hostpmd.conf shows the page" "configuration file for hostpmd" "$out"
assert_contains "man hostpmd.conf documents probeInterval's range" "from 1 to 86400" "$out"
out=$(man_text 8 hostpmd)
assert_contains "man 8 hostpmd shows the page" "AgentX subagent serving" "$out"
assert_contains "man 8 hostpmd has EXIT STATUS" "EXIT STATUS" "$out"
out=$(man_text 1 hostpm-probe)
assert_contains "man 1 hostpm-probe shows the page" "print the host's power-management capabilities" "$out"
assert_contains "man 1 hostpm-probe has EXAMPLES" "EXAMPLES" "$out"

# --- the sections every page has -------------------------------------------
for p in $PAGES; do
	for s in NAME DESCRIPTION FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		grep -qx "\.Sh $s" "$p" || fail "$p has no $s section"
	done
done
for p in probe/hostpm-probe.1 agent/hostpmd.8; do
	grep -qx '\.Sh SYNOPSIS' "$p" || fail "$p has no SYNOPSIS"
done
ok "each page has NAME, (SYNOPSIS,) DESCRIPTION, FILES, EXIT STATUS, EXAMPLES, SEE ALSO"

# --- mandoc -Tlint: nothing at all ---------------------------------------------
# mandoc checks each .Xr against the manuals under /usr/share/man and its
# mandoc.db. In a mount namespace of its own, /usr/share/man becomes an
# overlay of the installed pages on the system's, with a fresh mandoc.db
# written to the overlay's upper folder: the system's tree is not touched.
mkdir -p "$T/man-upper" "$T/man-work"
lint=$(unshare --mount sh -c '
	mount --make-rprivate / &&
	mount -t overlay overlay \
		-o "lowerdir=$1:/usr/share/man,upperdir=$2,workdir=$3" /usr/share/man &&
	makewhatis /usr/share/man || { echo "cannot set up the man tree for the lint"; exit 1; }
	shift 3
	mandoc -Tlint "$@" 2>&1' sh "$MAN" "$T/man-upper" "$T/man-work" $PAGES 2>&1)
assert_eq "mandoc -Tlint on the pages prints nothing" "" "$lint"

# --- every option and token, as the code lists them, is documented ------------
# has_item PAGE MACROS: the page has an item line ".It MACROS", followed
# by a blank, Ns or the end of the line.
has_item() { grep -qE "^\.It $2( |\$)" "$1"; }

# hostpmd's options: the getopt string in agent/hostpmd.c.
optstring=$(sed -n 's/.*getopt(argc, argv, "\([^"]*\)").*/\1/p' agent/hostpmd.c)
[ -n "$optstring" ] || fail "no getopt string found in agent/hostpmd.c"
letters=$(printf '%s' "$optstring" | tr -d ':')
n=0
for ((i = 0; i < ${#letters}; i++)); do
	l=${letters:i:1}
	has_item agent/hostpmd.8 "Fl $l" || fail "hostpmd.8 does not document -$l (getopt \"$optstring\")"
	n=$((n + 1))
done
for l in $(sed -n 's/^\.It Fl \([A-Za-z]\).*/\1/p' agent/hostpmd.8); do
	case $letters in *"$l"*) ;; *) fail "hostpmd.8 documents -$l, which hostpmd does not accept" ;; esac
done
ok "hostpmd.8 documents exactly the $n options of hostpmd's getopt string"

# hostpm-probe's options: its longopts table.
longopts=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [a-z_]*_argument,.*/\1/p' probe/hostpm-probe.c)
[ -n "$longopts" ] || fail "no long options found in probe/hostpm-probe.c"
n=0
for o in $longopts; do
	has_item probe/hostpm-probe.1 "Fl Fl $o" || fail "hostpm-probe.1 does not document --$o"
	n=$((n + 1))
done
for o in $(sed -n 's/^\.It Fl Fl \([a-z-]*\).*/\1/p' probe/hostpm-probe.1); do
	printf '%s\n' $longopts | grep -qx -- "$o" || fail "hostpm-probe.1 documents --$o, which hostpm-probe does not accept"
done
ok "hostpm-probe.1 documents exactly the $n long options of hostpm-probe"

# hostpmd.conf's tokens: the table agent/config.c registers.
tokens=$(sed -n 's/^[[:space:]]*{ "\([A-Za-z]*\)", "[^"]*" },.*/\1/p' agent/config.c)
[ -n "$tokens" ] || fail "no tokens found in agent/config.c"
n=0
for t in $tokens; do
	has_item agent/hostpmd.conf.5 "Cm $t" || fail "hostpmd.conf.5 does not document $t"
	n=$((n + 1))
done
for t in $(sed -n 's/^\.It Cm \([A-Za-z]*\).*/\1/p' agent/hostpmd.conf.5); do
	printf '%s\n' $tokens | grep -qx -- "$t" || fail "hostpmd.conf.5 documents $t, which hostpmd does not register"
done
ok "hostpmd.conf.5 documents exactly the $n tokens hostpmd registers"

# --- uninstall -------------------------------------------------------------
make -s BUILD="$BUILD" DESTDIR="$T/root" PREFIX=/usr uninstall >/dev/null 2>&1 ||
	fail "make uninstall failed"
for p in $PAGES; do
	f=$(basename "$p")
	[ ! -e "$MAN/man${f##*.}/$f" ] || fail "make uninstall left $f"
done
ok "make uninstall removes the pages"
