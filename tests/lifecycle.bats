#!/usr/bin/env bats
# Detached containers and their lifecycle: run -d, ps, logs, exec, stop, start,
# rm, restart policies, and what is left when a monitor or a container is
# killed with SIGKILL.  As the subuid user and as the no-subuid user.
load helpers

setup() {
    skiff_setup
    pull_bbimg
}
teardown() {
    # containers still running must not outlive the test
    rm_all_containers
    # helpers skiff left behind (a pasta of a container whose monitor was
    # killed) would keep bats' output open and hang the suite: the tests assert
    # there are none, teardown only cleans up
    local p
    for p in $(pgrep -u "$TU" -f -- "$T/" || true); do kill -9 "$p" 2>/dev/null || true; done
    skiff_teardown
}

# status_of NAME: .State.Status from inspect
status_of() { sk inspect --format '{{.State.Status}}' "$1"; }
status_is() { [[ $(status_of "$1" 2>/dev/null) == "$2" ]]; }
logs_have() { sk logs "$1" 2>/dev/null | grep -q -- "$2"; }

@test "run -d, ps, logs, exec, stop, start, rm" {
    run_d x "$IMG" sh -c 'echo started; sleep 60'
    # ps shows it Up
    run --separate-stderr sk ps
    assert_success
    assert_output_matches '^CONTAINER ID[[:space:]]+IMAGE[[:space:]]+COMMAND[[:space:]]+CREATED[[:space:]]+STATUS'
    printf '%s\n' "$output" | grep -E "^${CID:0:12}[[:space:]].*[[:space:]]Up[[:space:]].*[[:space:]]x\$" >/dev/null ||
        fail_with "ps does not show x Up"
    run --separate-stderr sk ps -q --no-trunc
    assert_equal "$output" "$CID" "ps -q --no-trunc"
    assert_equal "$(status_of x)" running ".State.Status"
    # logs
    wait_until 10 logs_have x started || fail_with "logs never had 'started'"
    run --separate-stderr sk logs x
    assert_success
    assert_equal "$output" started "logs x"
    # exec: another process in the same container
    run --separate-stderr sk exec x sh -c 'echo $$'
    assert_success
    [[ $output =~ ^[0-9]+$ && $output != 1 ]] || fail_with "exec's shell pid is not a pid other than 1"
    run --separate-stderr sk exec x hostname
    assert_success
    assert_equal "$output" "${CID:0:12}" "hostname in exec"
    assert_equal "$(ctr_field x '{{.Config.Hostname}}')" "${CID:0:12}" ".Config.Hostname"
    run --separate-stderr sk exec x sh -c 'ls /proc | grep -c "^[0-9]"'
    assert_success
    [[ $output -ge 2 ]] || fail_with "exec does not see the container's pid 1"
    run --separate-stderr sk exec x sh -c 'exit 6'
    assert_failure 6
    # stop: sh as pid 1 ignores SIGTERM, so SIGKILL after 1 s -> 137
    run --separate-stderr sk stop -t 1 x
    assert_success
    run --separate-stderr sk ps -a
    assert_success
    printf '%s\n' "$output" | grep -E "^${CID:0:12}[[:space:]].*Exited \(137\).*[[:space:]]x\$" >/dev/null ||
        fail_with "ps -a does not show x Exited (137)"
    run --separate-stderr sk ps -q
    assert_equal "$output" "" "ps -q after stop"
    assert_equal "$(ctr_field x '{{.State.ExitCode}}')" 137 ".State.ExitCode after stop"
    # start runs it again
    run --separate-stderr sk start x
    assert_success
    assert_equal "$(status_of x)" running "status after start"
    wait_until 10 eval '[[ $(sk logs x | grep -c started) -eq 2 ]]' || fail_with "the restarted container did not log again"
    # rm of a running container needs -f
    run --separate-stderr sk rm x
    assert_clean_error 2
    assert_equal "$(status_of x)" running "status after a refused rm"
    run --separate-stderr sk rm -f x
    assert_success
    run --separate-stderr sk ps -a -q
    assert_equal "$output" "" "ps -a -q after rm -f"
    run --separate-stderr sk inspect x
    assert_failure
}

@test "stop of a container that handles SIGTERM: its own exit code, rm without -f" {
    run_d t "$IMG" sh -c 'trap "echo bye; exit 9" TERM; echo ready; sleep 60 & wait'
    wait_until 10 logs_have t ready || fail_with "never ready"
    run --separate-stderr sk stop -t 10 t
    assert_success
    assert_equal "$(ctr_field t '{{.State.ExitCode}}')" 9 "exit code"
    assert_equal "$(status_of t)" exited "status"
    run --separate-stderr sk logs t
    assert_output_contains bye
    run --separate-stderr sk rm t
    assert_success
    run --separate-stderr sk ps -a -q
    assert_equal "$output" "" "ps -a -q"
}

@test "logs -f follows until the container exits" {
    run_d f "$IMG" sh -c 'echo one; sleep 1; echo two; sleep 1; echo three'
    sk_argv
    run --separate-stderr timeout 30 "${SK[@]}" logs -f f
    assert_success
    assert_equal "$output" $'one\ntwo\nthree' "logs -f"
    assert_equal "$(status_of f)" exited "status after logs -f returned"
    run --separate-stderr sk wait f
    assert_success
    assert_equal "$output" 0 "wait"
}

@test "wait prints the exit code; logs --tail" {
    run_d w "$IMG" sh -c 'for i in 1 2 3 4 5; do echo l$i; done; exit 3'
    run --separate-stderr sk wait w
    assert_success
    assert_equal "$output" 3 "wait"
    run --separate-stderr sk logs --tail 2 w
    assert_success
    assert_equal "$output" $'l4\nl5' "logs --tail 2"
    run --separate-stderr sk ps -a --filter status=exited --format '{{.Names}} {{.Status}}'
    assert_success
    assert_output_matches '^w Exited \(3\)'
}

@test "--restart on-failure:2 restarts twice then stays Exited (1)" {
    run_d r --restart on-failure:2 "$IMG" sh -c 'echo try; exit 1'
    restarted_out() { [[ $(ctr_field r '{{.RestartCount}}') == 2 ]] && status_is r exited; }
    wait_until 60 restarted_out || fail_with "RestartCount=$(ctr_field r '{{.RestartCount}}') status=$(status_of r)"
    # no more restarts after the limit
    sleep 2
    assert_equal "$(ctr_field r '{{.RestartCount}}')" 2 "RestartCount"
    assert_equal "$(status_of r)" exited "status"
    assert_equal "$(ctr_field r '{{.State.ExitCode}}')" 1 "exit code"
    run --separate-stderr sk ps -a --format '{{.Names}} {{.Status}}'
    assert_output_matches '(^|'$'\n'')r Exited \(1\)'
    run --separate-stderr sk logs r
    assert_equal "$(printf '%s\n' "$output" | grep -c try)" 3 "logged tries"
    run --separate-stderr sk rm r
    assert_success
}

# monitor_of PID: the monitor (skiff) above the container's pid 1
monitor_of() {
    local p=$1 comm
    while p=$(ps -o ppid= -p "$p" | tr -d ' ') && [[ -n $p && $p -gt 1 ]]; do
        comm=$(ps -o comm= -p "$p")
        if [[ $comm == skiff ]]; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# assert_no_leftovers: no process of the test user refers to the test's dir
# (the container's pasta, a monitor, ...)
assert_no_leftovers() {
    local left
    wait_until 5 eval '[[ -z $(pgrep -u "$TU" -f -- "$T/") ]]' && return 0
    left=$(ps -o pid=,args= -p "$(pgrep -d, -u "$TU" -f -- "$T/")")
    fail_with "processes left after rm -f: $left"
}

@test "SIGKILL of the monitor: ps -a stays truthful and rm -f works" {
    run_d m "$IMG" sleep 300
    local pid mon
    pid=$(ctr_field m '{{.State.Pid}}')
    [[ $pid =~ ^[0-9]+$ && $pid -gt 1 ]] || fail_with ".State.Pid is '$pid'"
    alive "$pid" || fail_with ".State.Pid $pid is not alive"
    [[ $(ps -o args= -p "$pid") == "sleep 300" ]] || fail_with ".State.Pid $pid is not the container's sleep: $(ps -o args= -p "$pid")"
    mon=$(monitor_of "$pid") || fail_with "no skiff monitor above pid $pid: $(ps -o pid,ppid,comm,args -e | grep -E 'skiff|sleep')"
    kill -9 "$mon"
    wait_until 10 eval '! alive '"$mon" || fail_with "monitor $mon survived SIGKILL"
    sleep 0.3
    # truthful: running while pid 1 lives, exited when it does not
    if alive "$pid"; then
        assert_equal "$(status_of m)" running "status with the monitor gone and pid 1 alive"
        run --separate-stderr sk ps -q --no-trunc
        assert_equal "$output" "$CID" "ps -q with the monitor gone"
    else
        assert_equal "$(status_of m)" exited "status with the monitor and pid 1 gone"
    fi
    # now the container too
    kill -9 "$pid" 2>/dev/null || true
    wait_until 10 eval '! alive '"$pid" || fail_with "pid 1 survived SIGKILL"
    wait_until 10 status_is m exited || fail_with "status after both were killed: $(status_of m)"
    run --separate-stderr sk ps -a --format '{{.Names}} {{.Status}}'
    assert_output_matches '(^|'$'\n'')m Exited'
    run --separate-stderr sk ps -q
    assert_equal "$output" "" "ps -q"
    run --separate-stderr sk rm -f m
    assert_success
    run --separate-stderr sk ps -a -q
    assert_equal "$output" "" "ps -a -q after rm -f"
    assert_no_leftovers
}

@test "SIGKILL of the monitor alone, then rm -f kills the orphaned container" {
    run_d m2 "$IMG" sleep 300
    local pid mon
    pid=$(ctr_field m2 '{{.State.Pid}}')
    mon=$(monitor_of "$pid") || fail_with "no skiff monitor above pid $pid"
    kill -9 "$mon"
    wait_until 10 eval '! alive '"$mon" || fail_with "monitor survived SIGKILL"
    run --separate-stderr sk rm -f m2
    assert_success
    wait_until 10 eval '! alive '"$pid" || fail_with "the container's pid 1 ($pid) survived rm -f"
    run --separate-stderr sk ps -a -q
    assert_equal "$output" "" "ps -a -q after rm -f"
    assert_no_leftovers
}

@test "the monitor and its helpers do not hold the caller's file descriptors" {
    # like conmon: a detached container must not keep the starting shell's
    # pipes open (a `$(skiff run -d ...)` or a CI log pipe would never see EOF)
    run --separate-stderr sk run -d --name fds "$IMG" sleep 300 7>"$T/work/held-fd"
    assert_success
    local pid mon p bad=""
    pid=$(ctr_field fds '{{.State.Pid}}')
    mon=$(monitor_of "$pid") || fail_with "no monitor above $pid"
    for p in $mon $(pgrep -u "$TU" -f -- "$T/") $pid; do
        if ls -l "/proc/$p/fd" 2>/dev/null | grep -q held-fd; then
            bad+="$(ps -o pid=,args= -p "$p"); "
        fi
    done
    [[ -z $bad ]] || fail_with "processes holding the caller's fd 7: $bad"
    run --separate-stderr sk rm -f fds
    assert_success
    assert_no_leftovers
}

@test "SIGKILL of the container's pid 1: ps -a shows Exited (137), rm works" {
    run_d k "$IMG" sleep 300
    local pid
    pid=$(ctr_field k '{{.State.Pid}}')
    [[ $pid =~ ^[0-9]+$ && $pid -gt 1 ]] || fail_with ".State.Pid is '$pid'"
    kill -9 "$pid"
    wait_until 10 status_is k exited || fail_with "status after SIGKILL: $(status_of k)"
    assert_equal "$(ctr_field k '{{.State.ExitCode}}')" 137 "exit code"
    run --separate-stderr sk ps -a --format '{{.Names}} {{.Status}}'
    assert_output_matches '(^|'$'\n'')k Exited \(137\)'
    run --separate-stderr sk rm k
    assert_success
    run --separate-stderr sk ps -a -q
    assert_equal "$output" "" "ps -a -q after rm"
}

@test "kill -s and restart" {
    run_d s "$IMG" sh -c 'trap "echo usr1" USR1; echo ready; while true; do sleep 1 & wait; done'
    wait_until 10 logs_have s ready || fail_with "never ready"
    run --separate-stderr sk kill -s USR1 s
    assert_success
    wait_until 10 logs_have s usr1 || fail_with "USR1 not delivered"
    assert_equal "$(status_of s)" running "status after USR1"
    local pid1
    pid1=$(ctr_field s '{{.State.Pid}}')
    run --separate-stderr sk restart -t 1 s
    assert_success
    assert_equal "$(status_of s)" running "status after restart"
    [[ $(ctr_field s '{{.State.Pid}}') != "$pid1" ]] || fail_with "restart kept the same pid"
    run --separate-stderr sk kill s
    assert_success
    wait_until 10 status_is s exited || fail_with "kill did not stop it"
    assert_equal "$(ctr_field s '{{.State.ExitCode}}')" 137 "exit code after kill"
}

@test "create then start -a" {
    run --separate-stderr sk create --name c "$IMG" sh -c 'echo from-c; exit 4'
    assert_success
    [[ $output =~ ^$HEX64$ ]] || fail_with "create did not print a 64-hex id"
    assert_equal "$(status_of c)" created "status after create"
    run --separate-stderr sk start -a c
    assert_failure 4
    assert_equal "$output" from-c "start -a output"
    assert_equal "$(status_of c)" exited "status"
}

@test "48 concurrent creates without --name all succeed with distinct generated names" {
    sk_argv
    local i bad=""
    for i in $(seq 1 48); do
        "${SK[@]}" create "$IMG" true </dev/null >"$T/work/out.$i" 2>"$T/work/err.$i" &
    done
    for i in $(seq 1 48); do
        wait -n || bad+="a create failed; "
    done
    for i in $(seq 1 48); do
        [[ $(cat "$T/work/out.$i") =~ ^$HEX64$ ]] || bad+="create $i: $(cat "$T/work/err.$i"); "
    done
    [[ -z $bad ]] || fail_with "$bad"
    run --separate-stderr sk ps -a --format '{{.Names}}'
    assert_success
    assert_equal "$(wc -l <<<"$output")" 48 "containers listed"
    assert_equal "$(sort -u <<<"$output" | wc -l)" 48 "distinct names"
}

@test "detached --rm: the monitor removes the container when it exits" {
    run_d gone --rm "$IMG" sh -c 'sleep 1'
    wait_until 20 eval '[[ -z $(sk ps -a -q) ]]' || fail_with "the --rm container is still there: $(sk ps -a)"
}

@test "the monitor does not outlive the container" {
    run_d short "$IMG" sh -c 'sleep 1'
    local pid mon
    pid=$(ctr_field short '{{.State.Pid}}')
    mon=$(monitor_of "$pid") || fail_with "no monitor above $pid"
    wait_until 20 status_is short exited || fail_with "did not exit"
    wait_until 10 eval '! alive '"$mon" || fail_with "monitor $mon still alive after the container exited"
}

@test "cp copies both ways, with a running and with a stopped container" {
    run_d c "$IMG" sh -c 'mkdir -p /srv/d/e && echo deep > /srv/d/e/x && echo ready > /srv/f && sleep 60'
    wait_until 10 eval 'sk exec c test -f /srv/f' || fail_with "the container did not write /srv/f"
    local h=$T/work
    # out of a running container: a file to a new name, a directory to a new path
    run --separate-stderr sk cp c:/srv/f "$h/f.txt"
    assert_success
    assert_equal "$(cat "$h/f.txt")" ready "copied file"
    run --separate-stderr sk cp c:/srv/d "$h/dcopy"
    assert_success
    assert_equal "$(cat "$h/dcopy/e/x")" deep "copied tree"
    assert_equal "$(stat -c %u "$h/dcopy/e/x")" "$TU" "owner of a file copied out"
    # into a running container: a file onto an existing directory lands inside it
    echo fromhost > "$h/in.txt"
    chown "$TU:$TG" "$h/in.txt"
    run --separate-stderr sk cp "$h/in.txt" c:/srv/
    assert_success
    run --separate-stderr sk exec c sh -c 'cat /srv/in.txt; stat -c %u /srv/in.txt'
    assert_success
    assert_equal "$output" $'fromhost\n0' "file copied in, owned by the container's root"
    # a stopped container: in and out again
    run --separate-stderr sk stop -t 0 c
    assert_success
    run --separate-stderr sk cp "$h/in.txt" c:/srv/in2.txt
    assert_success
    run --separate-stderr sk cp c:/srv/in2.txt "$h/back.txt"
    assert_success
    assert_equal "$(cat "$h/back.txt")" fromhost "round trip through a stopped container"
    # a missing source is a clean error
    run --separate-stderr sk cp c:/nonexistent "$h/x"
    assert_clean_error
}

@test "attach to run -di: piped stdin reaches the container; stdout, stderr and the exit code come back" {
    run_d att -i "$IMG" sh -c 'read x; echo "got $x"; echo oops >&2; exit 4'
    sk_argv
    run --separate-stderr bash -c 'echo hello | "$@"' _ "${SK[@]}" attach att
    assert_failure 4
    assert_equal "$output" "got hello" "stdout through attach"
    assert_equal "$stderr" "oops" "stderr through attach"
    logs_have att "got hello" || fail_with "the log misses what attach saw"
}

@test "attach -it through a pty; ctrl-p ctrl-q detaches and the container keeps running" {
    command -v script >/dev/null || require "util-linux script is not installed"
    run_d attt -it "$IMG" sh -c 'while read l; do if [ "$l" = size ]; then stty size; else echo "echo:$l"; fi; done'
    sk_argv
    local cmd
    # the attaching terminal is 33x77: the container's pty follows it
    cmd="stty rows 33 cols 77; $(printf '%q ' "${SK[@]}" attach attt)"
    run --separate-stderr bash -c '{ sleep 0.5; printf "abc\n"; sleep 0.5; printf "size\n"; sleep 1; printf "\020\021"; sleep 5; } | script -qec "$1" /dev/null' _ "$cmd"
    assert_success
    output=${output//$'\r'/}
    assert_output_contains "echo:abc"
    assert_output_contains "33 77"
    status_is attt running || fail_with "detaching stopped the container"
    run --separate-stderr sk attach --detach-keys nope attt
    assert_failure 125
    [[ $stderr == *"invalid detach keys"* ]] || fail_with "no clear error for bad detach keys"
}

@test "attach to a stopped container fails" {
    run_d atts "$IMG" true
    wait_until 10 status_is atts exited
    run --separate-stderr sk attach atts
    assert_failure 125
    [[ $stderr == *"is not running"* ]] || fail_with "no clear error for a stopped container"
}

@test "-p publishes a container port on the host; port, ps and inspect show it" {
    local port
    port=$(free_port)
    run_d web -p "127.0.0.1:$port:8080" -p 9999/udp "$IMG" \
        sh -c 'mkdir -p /www && echo served-by-skiff >/www/index.html && exec httpd -f -p 8080 -h /www'
    wait_until 10 curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" ||
        fail_with "nothing answers on host port $port"
    run curl -sf "http://127.0.0.1:$port/index.html"
    assert_equal "$output" "served-by-skiff" "page through the published port"
    run --separate-stderr sk port web
    assert_success
    assert_output_contains "8080/tcp -> 127.0.0.1:$port"
    [[ $output =~ 9999/udp\ -\>\ 0\.0\.0\.0:[0-9]+ ]] || fail_with "no host port chosen for 9999/udp"
    run --separate-stderr sk port web 8080
    assert_equal "$output" "127.0.0.1:$port" "port web 8080"
    run --separate-stderr sk port web 81
    assert_failure
    [[ $stderr == *"no public port"* ]] || fail_with "no clear error for an unpublished port"
    run --separate-stderr sk ps --format '{{.Names}} {{.Ports}}'
    assert_output_contains "web 127.0.0.1:$port->8080/tcp, 0.0.0.0:"
    run --separate-stderr sk inspect web
    [[ $(jq -r '.[0].NetworkSettings.Ports["8080/tcp"][0].HostPort' <<<"$output") == "$port" ]] ||
        fail_with "inspect does not show the published port"
}

@test "-p: bad values and modes without a private network are refused" {
    run --separate-stderr sk run --rm -p 1:2:3:4 "$IMG" true
    assert_failure 125
    [[ $stderr == *"invalid -p"* ]] || fail_with "no clear error for a bad -p"
    run --separate-stderr sk run --rm --network none -p 8080:80 "$IMG" true
    assert_failure 125
    [[ $stderr == *"--network none"* ]] || fail_with "no clear error for -p with --network none"
}

@test "-P publishes the ports the image exposes on free host ports" {
    mkdir -p "$T/work/ctx"
    printf 'FROM %s\nEXPOSE 8080\nRUN mkdir /www && echo exposed >/www/index.html\n' "$IMG" >"$T/work/ctx/Dockerfile"
    chown -R "$TU:$TG" "$T/work/ctx"
    run --separate-stderr sk build -q -t exposing "$T/work/ctx"
    assert_success
    run_d pall -P exposing httpd -f -p 8080 -h /www
    run --separate-stderr sk port pall 8080
    assert_success
    [[ $output =~ ^0\.0\.0\.0:([0-9]+)$ ]] || fail_with "port pall 8080 printed '$output'"
    local port=${BASH_REMATCH[1]}
    wait_until 10 curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" ||
        fail_with "nothing answers on the chosen host port $port"
    run curl -sf "http://127.0.0.1:$port/index.html"
    assert_equal "$output" "exposed" "page through the -P port"
}
