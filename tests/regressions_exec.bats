#!/usr/bin/env bats
# Regressions of issue 21 in what a container process inherits from skiff at its
# exec: capabilities, signal dispositions and mask, file descriptors, and the
# ownership of its standard streams; for run, exec, --init and build RUN steps.
# Every test runs as the subuid user and as the no-subuid user.
load helpers

setup() {
    skiff_setup
    pull_bbimg
}
teardown() {
    rm_all_containers
    skiff_teardown
}

status_of() { sk inspect --format '{{.State.Status}}' "$1"; }

# ctx_with LINES...: a build context $T/work/ctx (owned by the test user) whose
# Dockerfile is FROM $IMG then LINES; sets C
ctx_with() {
    C=$T/work/ctx
    mkdir -p "$C"
    {
        echo "FROM $IMG"
        printf '%s\n' "$@"
    } >"$C/Dockerfile"
    chown -R "$TU:$TG" "$C"
}

# as_user_sh SCRIPT ARGS...: bash -c SCRIPT as the test user, in skiff's clean
# environment, with "$0" being skiff: the pipes and files SCRIPT makes are the
# user's own, as in the user's shell (the harness's own are root's)
as_user_sh() {
    local script=$1
    shift
    sk_argv
    "${SK[@]:0:${#SK[@]}-1}" bash -c "$script" "$SKIFF_BIN" "$@" </dev/null
}

# in_pty ARGS...: skiff ARGS as the test user on a new pty (util-linux script)
in_pty() {
    command -v script >/dev/null || require "util-linux script is not installed"
    sk_argv
    run --separate-stderr script -qec "$(printf '%q ' "${SK[@]}" "$@")" /dev/null
    output=${output//$'\r'/}
}

# ------------------------------------------------------------------ 21.1 --

CAPS_SCRIPT='grep -E "^Cap(Inh|Amb)" /proc/self/status | tr -s "\t" " "'
NO_INH=$'CapInh: 0000000000000000\nCapAmb: 0000000000000000'

@test "21.1: the inheritable and ambient capability sets are empty in run, exec and build RUN" {
    run --separate-stderr sk run --rm "$IMG" sh -c "$CAPS_SCRIPT"
    assert_success
    assert_equal "$output" "$NO_INH" "run"
    run --separate-stderr sk run --rm --cap-add NET_ADMIN "$IMG" sh -c "$CAPS_SCRIPT"
    assert_equal "$output" "$NO_INH" "run --cap-add"
    run --separate-stderr sk run --rm --privileged "$IMG" sh -c "$CAPS_SCRIPT"
    assert_equal "$output" "$NO_INH" "run --privileged"
    run --separate-stderr sk run --rm --init "$IMG" sh -c "$CAPS_SCRIPT"
    assert_equal "$output" "$NO_INH" "run --init"
    # the kept capabilities are still there
    run --separate-stderr sk run --rm "$IMG" grep -E '^CapEff:' /proc/self/status
    assert_output_matches '^CapEff:[[:space:]]+00000000a80425fb$'

    run_d c1 "$IMG" sleep 60
    run --separate-stderr sk exec c1 sh -c "$CAPS_SCRIPT"
    assert_success
    assert_equal "$output" "$NO_INH" "exec"

    ctx_with "RUN $CAPS_SCRIPT"
    run --separate-stderr sk build --no-cache -t caps "$C"
    assert_success
    assert_output_contains "$NO_INH"
}

# ------------------------------------------------------------------ 21.2 --

# ignoring_int_quit CMD...: CMD with SIGINT and SIGQUIT ignored (as a shell's
# background job has them)
ignoring_int_quit() { (trap '' INT QUIT; "$@"); }

# Ignored signals (SigIgn) and the exit of `yes` on a closed pipe (141 with
# SIGPIPE at its default, 1 and "Broken pipe" when it is ignored).
SIG_SCRIPT='grep -E "^Sig(Ign|Blk)" /proc/self/status | tr -s "\t" " "; set -o pipefail; yes | head -c 10 >/dev/null; echo "pipe: $?"'
SIG_CLEAN=$'SigBlk: 0000000000000000\nSigIgn: 0000000000000000\npipe: 141'

@test "21.2: signal dispositions and mask start clean in run, exec and build RUN" {
    # skiff ignores SIGPIPE itself; the caller ignores SIGINT and SIGQUIT here
    run --separate-stderr ignoring_int_quit sk run --rm "$IMG" sh -c "$SIG_SCRIPT"
    assert_success
    assert_equal "$output" "$SIG_CLEAN" "run"
    run --separate-stderr ignoring_int_quit sk run --rm --init "$IMG" sh -c "$SIG_SCRIPT"
    assert_success
    assert_equal "$output" "$SIG_CLEAN" "run --init"

    run_d s1 "$IMG" sleep 60
    run --separate-stderr ignoring_int_quit sk exec s1 sh -c "$SIG_SCRIPT"
    assert_success
    assert_equal "$output" "$SIG_CLEAN" "exec"

    ctx_with "RUN $SIG_SCRIPT"
    run --separate-stderr ignoring_int_quit sk build --no-cache -t sigs "$C"
    assert_success
    assert_output_contains "$SIG_CLEAN"
    assert_output_not_contains "Broken pipe"
}

# ------------------------------------------------------------------ 21.3 --

# The descriptors the container's process passes on: those of an ls it runs
# (3 is the directory ls reads). Listing the shell's own (/proc/$$/fd) races
# with the shell's pipe ends and busybox sh's saved descriptors.
FD_SCRIPT='ls /proc/self/fd | tr "\n" " "'

@test "21.3: no descriptor but 0, 1 and 2 crosses into the container, with --init too" {
    local leak=$T/work/leak
    run --separate-stderr sk run --rm "$IMG" sh -c "$FD_SCRIPT" 9>"$leak"
    assert_success
    assert_equal "$output" "0 1 2 3 " "fds of run"
    # --init: pid 1 itself holds nothing of the caller's either
    run --separate-stderr sk run --rm --init "$IMG" sh -c 'ls /proc/1/fd | tr "\n" " "; echo; '"$FD_SCRIPT" 9>"$leak"
    assert_success
    assert_equal "$output" $'0 1 2 \n0 1 2 3 ' "fds of the init and of the process with --init"

    # detached, under the monitor
    run_d f1 --init "$IMG" sleep 60
    run --separate-stderr sk exec f1 sh -c 'ls /proc/1/fd | tr "\n" " "; echo; '"$FD_SCRIPT" 9>"$leak"
    assert_success
    assert_equal "$output" $'0 1 2 \n0 1 2 3 ' "fds of a detached init and of an exec'd process"

    # the RUN's own process (3: the directory ls reads)
    ctx_with 'RUN ["ls", "/proc/self/fd"]'
    run --separate-stderr sk build --no-cache -t fds "$C" 9>"$leak"
    assert_success
    assert_output_contains $'\n0\n1\n2\n3\n-->'
}

# ------------------------------------------------------------------ 21.7 --

@test "21.7: run -d --init and create --init + start return at once; stop gives the process's code" {
    # the container runs long: the command returns while it runs, or not at all
    run_d i1 --init "$IMG" sleep 60
    assert_equal "$(status_of i1)" running "status after run -d --init returned"
    run --separate-stderr sk stop -t 10 i1
    assert_success
    assert_equal "$(status_of i1)" exited "status after stop"
    # the init passed SIGTERM on to sleep, which died of it
    assert_equal "$(ctr_field i1 '{{.State.ExitCode}}')" 143 ".State.ExitCode after stop"
    [[ $(ctr_ps_line i1) == *"Exited (143)"* ]] || fail_with "ps does not say Exited (143): $(ctr_ps_line i1)"

    run --separate-stderr sk create --init --name i2 "$IMG" sleep 60
    assert_success
    run --separate-stderr sk start i2
    assert_success
    assert_equal "$(status_of i2)" running "status after start of a create --init"
    run --separate-stderr sk stop -t 10 i2
    assert_success
    assert_equal "$(ctr_field i2 '{{.State.ExitCode}}')" 143 ".State.ExitCode after stop"
}

# ----------------------------------------------------------------- 21.11 --

WRITE_STD='echo out >/dev/stdout; echo err >/dev/stderr'

# both_written: $output has the two lines of WRITE_STD, in either order (stdout
# and stderr may reach the caller through two copies)
both_written() { # WHAT
    assert_equal "$(sort <<<"$output")" $'err\nout' "$1"
}

@test "21.11: a non-root container user can write to /dev/stdout and /dev/stderr" {
    if ! is_subuid_user; then
        # no subordinate ids: the only user a container can have is root (a
        # non-root one is refused, see run.bats); root's reopen keeps working
        run as_user_sh '"$0" run --rm "$1" sh -c "$2" 2>&1 | cat' "$IMG" "$WRITE_STD"
        assert_success
        both_written "run as root, through the user's pipe"
        return 0
    fi
    # the streams are the user's own pipes (as `skiff run ... | cat` in a shell)
    run as_user_sh '"$0" run --rm --user 1000 "$1" sh -c "$2" 2>&1 | cat' "$IMG" "$WRITE_STD"
    assert_success
    both_written "run --user 1000, through the user's pipe"
    run as_user_sh '"$0" run --rm --init --user 1000 "$1" sh -c "$2" 2>&1 | cat' "$IMG" "$WRITE_STD"
    both_written "run --init --user 1000"
    # a pty
    in_pty run --rm -t --user 1000 "$IMG" sh -c "$WRITE_STD"
    assert_success
    both_written "run -t --user 1000"
    # detached: the monitor's pipes, into the log
    run_d w1 --user 1000 "$IMG" sh -c "$WRITE_STD"
    run --separate-stderr sk wait w1
    assert_equal "$output" 0 "exit code of the detached writer"
    run sk logs w1
    both_written "logs of the detached writer"
    # exec, through a pipe and a pty
    run_d w2 "$IMG" sleep 60
    run as_user_sh '"$0" exec --user 1000 w2 sh -c "$1" 2>&1 | cat' "$WRITE_STD"
    assert_success
    both_written "exec --user 1000"
    in_pty exec -t --user 1000 w2 sh -c "$WRITE_STD"
    assert_success
    both_written "exec -t --user 1000"
    # a pipe of the caller's stays the caller's: it can still reopen it after
    run as_user_sh '{ "$0" run --rm --user 1000 "$1" true; echo after >/dev/stdout; } | cat' "$IMG"
    assert_success
    assert_equal "$output" after "the caller's own write to its pipe after the container"
}
