# SPDX-License-Identifier: MIT
# Every fuzz target (tests/fuzz/fuzz_*.c) passes its seed corpus and every
# input that once failed (tests/fuzz/regress/TARGET/), replayed by
# BUILD/fuzz-replay/fuzz_TARGET: built without libFuzzer, so this runs
# under each build's compiler and sanitizers, and under valgrind with
# VALGRIND=1. A failure names the input.
. tests/testlib.bash

targets=0
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	bin="$BUILD/fuzz-replay/fuzz_$t"
	[ -x "$bin" ] || fail "$bin is not built (make check builds it)"
	inputs=()
	for f in "tests/fuzz/corpus/$t"/* "tests/fuzz/regress/$t"/*; do
		[ -f "$f" ] && inputs+=("$f")
	done
	[ -d "tests/fuzz/corpus/$t" ] && [ ${#inputs[@]} -gt 0 ] ||
		fail "$t: no seed corpus in tests/fuzz/corpus/$t"
	# shellcheck disable=SC2086
	out=$(TMPDIR="$T" $WRAP "$bin" "${inputs[@]}" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || fail "$t: expected every input to pass, exit $rc after:
$(printf '%s\n' "$out" | tail -n 15)"
	assert_contains "$t: ${#inputs[@]} inputs replayed" \
		"${#inputs[@]} inputs passed" "$out"
	targets=$((targets + 1))
done
[ $targets -ge 4 ] || fail "expected at least 4 fuzz targets, found $targets"
ok "$targets fuzz targets replayed"
