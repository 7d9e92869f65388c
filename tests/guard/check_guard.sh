#!/usr/bin/env bash
# The count guard fails when CTest did not run a case a binary lists, and when
# CTest ran an entry that is no case; it passes when the two agree.
set -u
guard="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tests"
printf '#!/bin/sh\nprintf "one\\ntwo; three\\n"\n' > "$scratch/tests/demo_tests"
chmod +x "$scratch/tests/demo_tests"
junit() {  # name:status ...
  { echo '<testsuite>'; for t in "$@"; do echo "<testcase name=\"${t%%|*}\" status=\"${t##*|}\"/>"; done; echo '</testsuite>'; } > "$scratch/r.xml"
}
fail=0
junit "demo: one|run" "demo: two, three|run"
python3 "$guard" "$scratch" "$scratch/r.xml" >/dev/null || { echo "FAIL: agreeing counts were refused"; fail=1; }
junit "demo: one|run"
python3 "$guard" "$scratch" "$scratch/r.xml" >/dev/null && { echo "FAIL: a case CTest never ran passed"; fail=1; }
junit "demo: one|run" "demo: two, three|notrun"
python3 "$guard" "$scratch" "$scratch/r.xml" >/dev/null && { echo "FAIL: a case CTest did not run passed"; fail=1; }
junit "demo: one|run" "demo: two, three|run" "demo: two|run"
python3 "$guard" "$scratch" "$scratch/r.xml" >/dev/null && { echo "FAIL: an entry that is no case passed"; fail=1; }
[ "$fail" = 0 ] && echo "guard: 4 of 4 checks held"
exit "$fail"
