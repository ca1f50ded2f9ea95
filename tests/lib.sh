# tests/lib.sh: helpers for the shell tests, in the style of OVN's test
# macros.  A test script sources this file, calls 'test_init NAME', and
# then reads like an operator's session:
#
#     check plctl show
#     wait_until 'plctl show | grep -q "nb_cfg: 1"'
#     check_output 'hello' echo hello
#
# Every helper that fails ends the test with a message on stderr and a
# non-zero exit; the cleanups registered with 'on_exit' always run, in
# reverse order, whatever happened.

# The build tree: binaries are used from here, never from $PATH.
: "${top_builddir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
export top_builddir top_srcdir
PATH=$top_builddir/ovs-plugin:$top_builddir/controller:$top_builddir/utilities:$top_srcdir/utilities:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

_on_exit_cmds=()

# on_exit CMD: runs CMD (a string, evaluated) when the test ends.
on_exit() {
    _on_exit_cmds+=("$1")
}

_run_on_exit() {
    local rc=$? i
    set +e
    for ((i = ${#_on_exit_cmds[@]} - 1; i >= 0; i--)); do
        eval "${_on_exit_cmds[$i]}" >/dev/null 2>&1
    done
    if [ -n "${TEST_DIR:-}" ] && [ $rc = 0 ] && [ -z "${KEEP_TEST_DIR:-}" ]; then
        rm -rf "$TEST_DIR"
    fi
    exit $rc
}

# test_init NAME: creates $TEST_DIR, a scratch folder for this test, and
# arranges for the cleanups to run at exit.
test_init() {
    TEST_NAME=$1
    TEST_DIR=$(mktemp -d "/tmp/plink-test-$TEST_NAME.XXXXXX")
    export TEST_DIR
    trap _run_on_exit EXIT
    trap 'exit 130' INT TERM
}

# fail MSG: ends the test as failed.
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# check CMD...: runs CMD and fails the test if it exits non-zero.  Its
# output goes to $TEST_DIR/stdout and $TEST_DIR/stderr.
check() {
    local rc
    "$@" >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr"
    rc=$?
    if [ $rc != 0 ]; then
        echo "command failed (rc=$rc): $(echo "$*" | cut -c1-300)" >&2
        sed 's/^/  stdout: /' "$TEST_DIR/stdout" >&2
        sed 's/^/  stderr: /' "$TEST_DIR/stderr" >&2
        fail "$(echo "$*" | cut -c1-300)"
    fi
}

# check_fails CMD...: runs CMD and fails the test if it succeeds.
check_fails() {
    if "$@" >"$TEST_DIR/stdout" 2>"$TEST_DIR/stderr"; then
        fail "expected failure: $*"
    fi
}

# check_output EXPECTED CMD...: runs CMD; its stdout must equal EXPECTED.
check_output() {
    local expected=$1 out
    shift
    out=$("$@" 2>"$TEST_DIR/stderr") || {
        sed 's/^/  stderr: /' "$TEST_DIR/stderr" >&2
        fail "command failed: $*"
    }
    if [ "$out" != "$expected" ]; then
        diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$out") >&2
        fail "unexpected output from: $*"
    fi
}

# check_grep PATTERN CMD...: runs CMD; its stdout must match PATTERN
# (extended regular expression).
check_grep() {
    local pattern=$1 out
    shift
    out=$("$@" 2>&1) || { echo "$out" >&2; fail "command failed: $*"; }
    if ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
        printf '%s\n' "$out" | sed 's/^/  output: /' >&2
        fail "no match for '$pattern' in: $*"
    fi
}

# wait_until COND [TIMEOUT]: evaluates the shell condition COND every
# 0.1 s until it holds, or fails the test after TIMEOUT seconds (10).
wait_until() {
    local cond=$1 timeout=${2:-10} i n
    n=$((timeout * 10))
    for ((i = 0; i < n; i++)); do
        if eval "$cond" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    fail "timed out after ${timeout}s waiting for: $cond"
}

# pid_running PID: true if process PID exists and is not a zombie (this
# machine's PID 1 may not reap the daemons that --detach orphaned).
pid_running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }           # The state follows "(comm) ", whatever comm.
    [ -n "$stat" ] && [ "${stat%% *}" != Z ]
}

# pid_alive PIDFILE: true if the process named in PIDFILE is running.
pid_alive() {
    [ -f "$1" ] && pid_running "$(cat "$1")"
}

# kill_pidfile PIDFILE: stops the process named in PIDFILE (TERM, then
# KILL after 2 s).  Never kills by name.
kill_pidfile() {
    local pid i
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 20; i++)); do
        pid_running "$pid" || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
}

# free_port [EXCEPT]: a TCP port of 20000..39999 that nothing listens on
# (and that is not EXCEPT), e.g. for a lab's API.
free_port() {
    local p
    while :; do
        p=$((20000 + SRANDOM % 20000))
        [ "$p" != "${1:-}" ] && [ -z "$(ss -Hltn "sport = :$p")" ] &&
            { echo $p; return; }
    done
}

# check_no_warnings LOGFILE [ALLOW-REGEX]: fails if the OVS-style log
# LOGFILE has a WARN, ERR or EMER line not matching ALLOW-REGEX.
check_no_warnings() {
    local log=$1 allow=${2:-'^$'} bad
    # OVS's timeval module warns when a poll loop iteration took over a
    # second (with the faults and context switches of that iteration):
    # a busy 2-core machine, not a defect of the daemon.
    local slow='\|timeval\|WARN\|(Unreasonably long [0-9]+ms poll interval|faults: |context switches: )'
    [ -f "$log" ] || return 0
    bad=$(grep -E '\|(WARN|ERR|EMER)\|' "$log" | grep -Ev -- "$allow" |
          grep -Ev -- "$slow" || true)
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad" | sed 's/^/  log: /' >&2
        fail "unexpected warnings in $log"
    fi
}
