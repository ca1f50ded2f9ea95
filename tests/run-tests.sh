#!/bin/bash
# run-tests.sh [PATTERN]: runs the whole suite (cmocka unit tests, pipeline
# tests on the dummy datapath, system tests in network namespaces) and
# ends with the line "N passed, N failed".  Exits non-zero if any failed.
# PATTERN, if given, selects the shell tests whose path matches it.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
pattern=${1:-}
passed=0
failed=0
failures=()
logdir=$top/tests/logs
rm -rf "$logdir"
mkdir -p "$logdir"

# Unit tests: every cmocka binary; each test case counts.
for t in tests/unit/test-*; do
    case $t in *.c|*.o) continue ;; esac
    [ -x "$t" ] || continue
    [ -n "$pattern" ] && [[ $t != *$pattern* ]] && continue
    name=$(basename "$t")
    out=$logdir/$name.log
    "$t" >"$out" 2>&1
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
    p=${p:-0}; f=${f:-0}
    if [ "$p" = 0 ] && [ "$f" = 0 ]; then
        f=1    # The binary crashed or ran nothing: count it as one failure.
    fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" != 0 ]; then
        failures+=("$t")
        echo "FAIL $t ($f failed, see $out)"
        grep -E '^\[  (FAILED|  ERROR) \]|^\[   LINE' "$out" | head -20
    else
        echo "ok   $t ($p cases)"
    fi
done

# Shell tests: each script is one test.
for t in tests/pipeline/*.sh tests/system/*.sh; do
    [ -f "$t" ] || continue
    [ -n "$pattern" ] && [[ $t != *$pattern* ]] && continue
    name=$(basename "$(dirname "$t")")-$(basename "$t" .sh)
    out=$logdir/$name.log
    start=$(date +%s.%N)
    timeout -k 10 600 bash "$t" >"$out" 2>&1
    rc=$?
    secs=$(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)")
    if [ $rc = 0 ]; then
        passed=$((passed + 1))
        echo "ok   $t (${secs}s)"
    else
        failed=$((failed + 1))
        failures+=("$t")
        echo "FAIL $t (rc=$rc, ${secs}s, see $out)"
        tail -25 "$out" | sed 's/^/    /'
    fi
done

if [ ${#failures[@]} != 0 ]; then
    echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
