#!/usr/bin/env bats
# Regressions of issue 21 about supervising containers: what `wait` reports for a
# container removed as it exits (21.9), what happens when the skiff process that
# supervises a container is SIGKILLed (21.10), and that attached output is logged
# too (21.12).  As the subuid user and as the no-subuid user.
load helpers

setup() {
    skiff_setup
    pull_bbimg
}
teardown() {
    rm_all_containers
    # whatever a failed test left running (a container that outlived its skiff)
    local p
    for p in $(pgrep -u "$TU" -f -- "$T/" || true) $(pgrep -u "$TU" -f -- 'sleep 3210[0-9]' || true); do
        kill -9 "$p" 2>/dev/null || true
    done
    skiff_teardown
}

status_of() { sk inspect --format '{{.State.Status}}' "$1"; }
status_is() { [[ $(status_of "$1" 2>/dev/null) == "$2" ]]; }
gone() { ! alive "$1"; }
# the pid 1 of container NAME, once it runs
pid_of() { sk inspect --format '{{.State.Pid}}' "$1" 2>/dev/null; }
running_pid() { # NAME VAR: wait until NAME runs, its pid 1 in VAR
    wait_until 20 status_is "$1" running || fail_with "$1 never ran: $(sk ps -a 2>&1)"
    printf -v "$2" '%s' "$(pid_of "$1")"
    [[ ${!2} =~ ^[0-9]+$ && ${!2} -gt 1 ]] || fail_with ".State.Pid of $1 is '${!2}'"
}

@test "21.9: wait on a run -d --rm container prints its exit code" {
    sk_argv
    run_d x --rm "$IMG" sh -c 'sleep 1; exit 3'
    # two waiters at once, both started while it runs
    "${SK[@]}" wait x </dev/null >"$T/work/w1" 2>&1 &
    local w1=$!
    run --separate-stderr sk wait x
    assert_success
    assert_equal "$output" 3 "wait x"
    wait "$w1" || fail_with "the second wait failed: $(cat "$T/work/w1")"
    assert_equal "$(cat "$T/work/w1")" 3 "the second wait"
    # removed: a wait started now has nothing to wait for (as podman)
    run --separate-stderr sk wait x
    assert_failure
    # with an exit at once, the waiter may come too late (an error), never 0
    run_d y --rm "$IMG" sh -c 'exit 5'
    run --separate-stderr sk wait y
    [[ $status -ne 0 || $output == 5 ]] || fail_with "wait y printed '$output'"
}

@test "21.9: wait on a container removed by rm -f while waited for prints 137" {
    sk_argv
    run_d z "$IMG" sleep 32100
    "${SK[@]}" wait z </dev/null >"$T/work/w" 2>&1 &
    local w=$!
    run --separate-stderr sk rm -f z
    assert_success
    wait "$w" || fail_with "wait failed: $(cat "$T/work/w")"
    assert_equal "$(cat "$T/work/w")" 137 "wait z"
}

# fg_run VAR ARGS...: a foreground `skiff run ARGS` in the background; its pid
fg_run() {
    local var=$1
    shift
    sk_argv
    "${SK[@]}" run "$@" </dev/null >"$T/work/fg.out" 2>&1 &
    printf -v "$var" '%s' "$!"
    BG_PIDS+=("${!var}")
}

@test "21.10: kill -9 of a foreground run: the container dies with it and says so everywhere" {
    local sk pid
    fg_run sk --name f "$IMG" sleep 32101
    running_pid f pid
    kill -9 "$sk"
    wait_until 10 gone "$pid" || fail_with "the container's pid 1 ($pid) outlived its skiff"
    assert_equal "$(status_of f)" exited "status"
    assert_equal "$(sk inspect --format '{{.State.ExitCode}}' f)" 137 "inspect ExitCode"
    run --separate-stderr sk ps -a --format '{{.Names}} {{.Status}}'
    assert_output_matches '(^|'$'\n'')f Exited \(137\)'
    run --separate-stderr sk wait f
    assert_success
    assert_equal "$output" 137 "wait"
    # still the same a moment later (the correction is recorded, not recomputed)
    assert_equal "$(sk inspect --format '{{.State.ExitCode}} {{.State.FinishedAt}}' f)" \
        "$(sk inspect --format '{{.State.ExitCode}} {{.State.FinishedAt}}' f)" "inspect twice"
    run --separate-stderr sk rm f
    assert_success
}

@test "21.10: kill -9 of a foreground run --rm: the next command removes it, a waiter gets 137" {
    local sk pid w
    fg_run sk --rm --name fr "$IMG" sleep 32102
    running_pid fr pid
    sk_argv
    "${SK[@]}" wait fr </dev/null >"$T/work/w" 2>&1 &
    w=$!
    kill -9 "$sk"
    wait_until 10 gone "$pid" || fail_with "the container's pid 1 ($pid) outlived its skiff"
    wait "$w" || fail_with "wait failed: $(cat "$T/work/w")"
    assert_equal "$(cat "$T/work/w")" 137 "wait started before the kill"
    run --separate-stderr sk ps -a -q
    assert_success
    assert_equal "$output" "" "ps -a -q: --rm applied"
    run --separate-stderr sk run --rm --name fr "$IMG" true
    assert_success
}

@test "21.10: kill -9 of a foreground run with --init, -t or a non-root user: the container dies too" {
    local sk pid opt n=0 opts=(--init --tty)
    # a user other than root needs a subordinate id range
    is_subuid_user && opts+=(--user=1000:1000)
    for opt in "${opts[@]}"; do
        n=$((n + 1))
        fg_run sk --name "v$n" "$opt" "$IMG" sleep "3210$((5 + n))"
        running_pid "v$n" pid
        kill -9 "$sk"
        wait_until 10 eval '! pgrep -u "$TU" -f "sleep 3210$((5 + n))" >/dev/null' ||
            fail_with "$opt: the container outlived its skiff: $(pgrep -a -u "$TU" -f "sleep 3210$((5 + n))")"
        assert_equal "$(sk inspect --format '{{.State.Status}} {{.State.ExitCode}}' "v$n")" "exited 137" "$opt: inspect"
    done
}

@test "21.10: kill -9 of the monitor of a run -d container: the container dies with it" {
    local pid mon
    run_d dm "$IMG" sleep 32103
    pid=$(pid_of dm)
    mon=$(jq -r .monitor_pid "$STORE/containers/$CID/state.json")
    [[ $mon =~ ^[0-9]+$ && $mon != "$pid" ]] || fail_with "no monitor pid: $mon"
    kill -9 "$mon"
    wait_until 10 gone "$pid" || fail_with "the container's pid 1 ($pid) outlived its monitor"
    assert_equal "$(sk inspect --format '{{.State.Status}} {{.State.ExitCode}}' dm)" "exited 137" "inspect"
    run --separate-stderr sk wait dm
    assert_equal "$output" 137 "wait"
    # -d --rm: removed by the next command that notices
    run_d dmr --rm "$IMG" sleep 32104
    pid=$(pid_of dmr)
    mon=$(jq -r .monitor_pid "$STORE/containers/$CID/state.json")
    kill -9 "$mon"
    wait_until 10 gone "$pid" || fail_with "the --rm container's pid 1 ($pid) outlived its monitor"
    run --separate-stderr sk ps -a --format '{{.Names}}'
    assert_success
    assert_equal "$output" dm "ps -a after the --rm container's monitor died"
}

@test "21.10: kill -9 of skiff build leaves no RUN step running" {
    local C=$T/work/ctx bld
    mkdir -p "$C"
    cat >"$C/Dockerfile" <<EOF
FROM $IMG
RUN --mount=type=cache,target=/cm touch /cm/started; sleep 32105
EOF
    chown -R "$TU:$TG" "$C"
    sk_argv
    "${SK[@]}" build --network=none -t localhost/killed:t "$C" </dev/null >"$T/work/bld.out" 2>&1 &
    bld=$!
    BG_PIDS+=("$bld")
    wait_until 60 eval '[[ -n $(find "$STORE/build-cache-mounts" -name started 2>/dev/null) ]]' ||
        fail_with "the RUN did not start: $(cat "$T/work/bld.out")"
    pgrep -u "$TU" -f 'sleep 32105' >/dev/null || fail_with "no RUN process seen"
    kill -9 "$bld"
    wait_until 10 eval '! pgrep -u "$TU" -f "sleep 32105" >/dev/null' ||
        fail_with "the RUN step outlived skiff build: $(pgrep -a -u "$TU" -f 'sleep 32105')"
}

@test "21.12: output of a foreground container goes to its log, streams apart" {
    run sk run --name x "$IMG" sh -c 'echo o1; echo e1 >&2'
    assert_success
    [[ $output == *o1* && $output == *e1* ]] || fail_with "the caller did not get the output"
    run sk run --name x2 "$IMG" sh -c 'echo o2; echo e2 >&2' >/dev/null 2>&1
    run --separate-stderr sk logs x
    assert_success
    assert_equal "$output" o1 "logs x, stdout"
    assert_equal "$stderr" e1 "logs x, stderr"
    run --separate-stderr sk logs x2
    assert_equal "$output" o2 "logs x2 (output to /dev/null), stdout"
    assert_equal "$stderr" e2 "logs x2, stderr"
    # start -a the same, once per start
    run --separate-stderr sk create --name c "$IMG" sh -c 'echo from-c'
    assert_success
    run --separate-stderr sk start -a c
    assert_success
    assert_equal "$output" from-c "start -a output"
    run --separate-stderr sk logs c
    assert_equal "$output" from-c "logs c"
    # with -t: the pty's output
    run --separate-stderr sk run -t --name t "$IMG" sh -c 'echo on-tty'
    assert_success
    run --separate-stderr sk logs t
    assert_equal "$output" on-tty "logs t"
}

@test "21.12: a reader that goes away still stops the container (SIGPIPE as without the log)" {
    local out
    sk_argv
    out=$("${SK[@]}" run --name y "$IMG" yes </dev/null | head -n 2)
    assert_equal "$out" $'y\ny' "yes | head"
    wait_until 20 status_is y exited || fail_with "yes still runs: $(status_of y)"
    run --separate-stderr sk logs y
    [[ $output == y* ]] || fail_with "logs y does not start with y"
}
