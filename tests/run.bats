#!/usr/bin/env bats
# skiff run: isolation, ids and ownership, storage, exit codes, signals, ttys,
# networks.  Every test runs as the subuid user and as the no-subuid user.
load helpers

setup() {
    skiff_setup
    pull_bbimg
}
teardown() { skiff_teardown; }

# bind_dir NAME: a dir under $T/work owned by the test user; prints its path
bind_dir() {
    local d=$T/work/$1
    as_user mkdir -p "$d"
    echo "$d"
}

# uid_map FILE-CONTENT: normalise /proc/*/[ug]id_map whitespace
norm_map() { awk '{print $1, $2, $3}'; }

# ---------------------------------------------------------------- basics --

@test "run --rm hello prints the greeting" {
    run --separate-stderr sk run --rm hello
    assert_success
    assert_output_contains "Hello from skiff!"
}

@test "the command is pid 1" {
    run --separate-stderr sk run --rm "$IMG" sh -c 'echo $$'
    assert_success
    assert_equal "$output" 1 "pid of the container's shell"
}

@test "a relative --root works; each run gets namespaces of its own" {
    cd "$T/work"
    run --separate-stderr sk --root rel-store run --rm "$IMG" sh -c 'echo $$; hostname'
    cd - >/dev/null
    assert_success
    [[ ${lines[0]} == 1 ]] || fail_with "not pid 1 with a relative --root: $output"
    [[ -d $T/work/rel-store/containers ]] || fail_with "the relative store was not made under the working directory"
    # two runs alive at once (a freed namespace's number may be reused):
    # different mount, net, uts, ipc and pid namespaces
    local kinds='mnt net uts ipc pid'
    local ns="for n in $kinds; do readlink /proc/self/ns/\$n; done; sleep 2"
    sk run --rm "$IMG" sh -c "$ns" >"$T/ns-a" &
    sk run --rm "$IMG" sh -c "$ns" >"$T/ns-b"
    wait
    local a b host
    a=$(cat "$T/ns-a")
    b=$(cat "$T/ns-b")
    [[ $(wc -l <<<"$a") -eq 5 && $(wc -l <<<"$b") -eq 5 ]] || fail_with "the namespaces of two runs: $a / $b"
    [[ -z $(comm -12 <(sort <<<"$a") <(sort <<<"$b")) ]] || fail_with "two runs share a namespace: $a / $b"
    # and none of the host's
    host=$(for n in $kinds; do readlink "/proc/self/ns/$n"; done)
    [[ -z $(comm -12 <(sort <<<"$a") <(sort <<<"$host")) ]] || fail_with "a run shares a namespace with the host: $a"
}

@test "no host process is visible: /proc holds only the container's pids" {
    # ls is pid 1 itself, so /proc must list exactly one pid
    run --separate-stderr sk run --rm "$IMG" ls /proc
    assert_success
    local pids
    pids=$(printf '%s\n' "$output" | grep -E '^[0-9]+$' | tr '\n' ' ')
    assert_equal "$pids" "1 " "numeric entries of /proc"
    # and a shell plus a child: exactly those two
    run --separate-stderr sk run --rm "$IMG" sh -c 'ls /proc | grep -E "^[0-9]+$" | wc -l'
    assert_success
    [[ $output -le 4 ]] || fail_with "more than the container's own processes in /proc"
}

@test "own hostname: the first 12 hex of the id by default, -h sets it" {
    run --separate-stderr sk run --name hn "$IMG" hostname
    assert_success
    local h=$output id
    id=$(ctr_field hn '{{.Id}}')
    [[ $id =~ ^$HEX64$ ]] || fail_with "inspect .Id is not 64 hex: $id"
    assert_equal "$h" "${id:0:12}" "default hostname"
    [[ $h != "$(hostname)" ]] || fail_with "container sees the host's hostname"
    run --separate-stderr sk run --rm -h box1 "$IMG" sh -c 'hostname; cat /etc/hostname'
    assert_success
    assert_equal "$output" $'box1\nbox1' "hostname with -h"
    run --separate-stderr sk run --rm --hostname box2 "$IMG" hostname
    assert_success
    assert_equal "$output" box2 "hostname with --hostname"
}

@test "id is root, mapped to the user (and its subuid range)" {
    run --separate-stderr sk run --rm "$IMG" id
    assert_success
    [[ $output == "uid=0(root) gid=0(root)"* ]] || fail_with "not root in the container"
    run --separate-stderr sk run --rm "$IMG" cat /proc/self/uid_map /proc/self/gid_map
    assert_success
    local got
    got=$(printf '%s\n' "$output" | norm_map)
    if is_subuid_user; then
        assert_equal "$got" "0 $TU 1
1 $SUBID_BASE 65536
0 $TG 1
1 $SUBID_BASE 65536" "uid_map and gid_map"
    else
        assert_equal "$got" "0 $TU 1
0 $TG 1" "uid_map and gid_map"
    fi
}

@test "newuidmap failing: one clear error, exit 125, no container or name left (without a range: not run at all)" {
    mkdir -p "$T/fakebin"
    printf '#!/bin/sh\necho "newuidmap: range not allowed" >&2\nexit 1\n' >"$T/fakebin/newuidmap"
    chmod 755 "$T" "$T/fakebin" "$T/fakebin/newuidmap"
    if ! is_subuid_user; then
        # single-id mapping: skiff writes the map itself
        run --separate-stderr sk PATH="$T/fakebin:/usr/bin:/bin" run --rm "$IMG" true
        assert_success
        return
    fi
    # foreground run (creates its container while the maps are written) and -d
    run --separate-stderr sk PATH="$T/fakebin:/usr/bin:/bin" run --rm --name nomap "$IMG" true
    assert_clean_error 125
    [[ $stderr == *"newuidmap: range not allowed"* ]] || fail_with "newuidmap's message is not in the error"
    run --separate-stderr sk PATH="$T/fakebin:/usr/bin:/bin" run -d --name nomap "$IMG" true
    assert_clean_error 125
    run --separate-stderr sk ps -a -q
    assert_success
    assert_equal "$output" "" "containers left"
    run --separate-stderr sk run --rm --name nomap "$IMG" true
    assert_success
}

# --------------------------------------------------------- host ownership --

@test "files written as root in a bind mount belong to the user on the host" {
    local d
    d=$(bind_dir bind)
    run --separate-stderr sk run --rm -v "$d:/data" "$IMG" sh -c 'echo hi >/data/f; mkdir /data/sub; touch /data/sub/g'
    assert_success
    assert_equal "$(cat "$d/f")" hi "file content"
    assert_equal "$(stat -c %u:%g "$d/f" "$d/sub" "$d/sub/g" | sort -u)" "$TU:$TG" "host owner of the written files"
    # and a file of the user's is root's in the container
    as_user touch "$d/mine"
    run --separate-stderr sk run --rm -v "$d:/data" "$IMG" stat -c %u:%g /data/mine
    assert_success
    assert_equal "$output" 0:0 "owner of the user's file in the container"
}

@test "a file written as container user 1000 in a bind mount lands with the mapped id" {
    local d
    d=$(bind_dir bind)
    chmod 777 "$d"
    if is_subuid_user; then
        run --separate-stderr sk run --rm -u 1000 -v "$d:/data" "$IMG" sh -c 'id -u; touch /data/by1000'
        assert_success
        assert_equal "$output" 1000 "id -u with -u 1000"
        assert_equal "$(stat -c %u:%g "$d/by1000")" "$((SUBID_BASE + 999)):$((SUBID_BASE + 999))" "host owner"
        run --separate-stderr sk run --rm -u 1000:1000 "$IMG" id
        assert_success
        [[ $output == "uid=1000(user) gid=1000(user)"* ]] || fail_with "id as -u 1000:1000"
    else
        # no subordinate ids: uid 1000 does not exist in the user namespace
        run --separate-stderr sk run --rm -u 1000 -v "$d:/data" "$IMG" sh -c 'id -u; touch /data/by1000'
        assert_clean_error 125
        [[ $stderr == *1000* ]] || fail_with "the error does not name the user"
        [[ ! -e $d/by1000 ]] || fail_with "the container ran anyway"
    fi
}

@test "the container cannot see or write host paths it was not given" {
    local marker=/tmp/skiff-host-marker-$$-$BATS_TEST_NUMBER
    echo host >"$marker"
    chmod 666 "$marker"
    run --separate-stderr sk run --rm "$IMG" sh -c "test ! -e $marker && echo absent; echo pwned >$marker; echo pwned >/tmp/skiff-ctr-wrote-$$"
    assert_success
    assert_output_contains absent
    assert_equal "$(cat "$marker")" host "host marker content"
    [[ ! -e /tmp/skiff-ctr-wrote-$$ ]] || fail_with "a file written in the container's /tmp is on the host"
    rm -f "$marker"
    # the user's own files (writable by it on the host) are out of reach too
    as_user sh -c "echo mine >'$T/work/userfile'"
    run --separate-stderr sk run --rm "$IMG" sh -c "test ! -e '$T/work/userfile' && echo absent"
    assert_success
    assert_equal "$output" absent "the user's files seen from the container"
}

@test "Docker's masked and read-only /proc and /sys paths; --privileged lifts them" {
    run --separate-stderr sk run --rm "$IMG" sh -c 'echo tl=$(wc -c </proc/timer_list) keys=$(wc -c </proc/keys) fw=$(ls -A /sys/firmware | wc -l); echo x >/proc/sys/kernel/domainname'
    assert_failure 1
    assert_equal "$output" "tl=0 keys=0 fw=0" "masked files read empty, masked dirs are empty"
    [[ $stderr == *"/proc/sys/kernel/domainname: Read-only file system"* ]] || fail_with "/proc/sys is writable: $stderr"
    run --separate-stderr sk run --rm --privileged "$IMG" sh -c 'echo fw=$(ls -A /sys/firmware | wc -l); grep -cE " /proc/(timer_list|keys|sys) " /proc/self/mountinfo'
    [[ ${lines[0]} =~ ^fw=[1-9] ]] || fail_with "/sys/firmware still masked with --privileged: $output"
    assert_equal "${lines[1]}" 0 "masks and read-only binds in /proc with --privileged"
}

@test "--read-only refuses writes to the rootfs" {
    run --separate-stderr sk run --rm --read-only "$IMG" sh -c 'touch /newfile && echo WROTE; echo hi >/etc/motd && echo WROTE2; exit 0'
    assert_success
    assert_output_not_contains WROTE
    [[ $stderr == *"Read-only file system"* ]] || fail_with "no EROFS message"
}

@test "-v host:ctr:ro refuses writes; the host dir is untouched" {
    local d
    d=$(bind_dir ro)
    as_user sh -c "echo orig >'$d/f'"
    run --separate-stderr sk run --rm -v "$d:/data:ro" "$IMG" sh -c 'cat /data/f; touch /data/g && echo WROTE; echo x >/data/f && echo WROTE2; exit 0'
    assert_success
    assert_equal "$output" orig "read-only bind contents"
    [[ $stderr == *"Read-only file system"* ]] || fail_with "no EROFS message"
    [[ ! -e $d/g ]] || fail_with "a file was created through a :ro mount"
    assert_equal "$(cat "$d/f")" orig "host file"
}

# ------------------------------------------------------------ exit codes --

@test "exit code 0" {
    run --separate-stderr sk run --rm "$IMG" true
    assert_success
    assert_equal "$output" "" "stdout"
}

@test "exit code 3 is the container's" {
    run --separate-stderr sk run --rm "$IMG" sh -c 'exit 3'
    assert_failure 3
}

@test "exit code 125: a bad flag, an unknown image with --pull never" {
    run --separate-stderr sk run --rm --no-such-flag "$IMG" true
    assert_clean_error 125
    run --separate-stderr sk run --rm --pull never "$SKIFF_REG/does-not-exist:latest" true
    assert_clean_error 125
    run --separate-stderr sk ps -a -q
    assert_success
    assert_equal "$output" "" "containers left"
}

@test "exit code 126: the command is not executable" {
    run --separate-stderr sk run --rm "$IMG" /etc/passwd
    assert_clean_error 126
    # a file made non-executable in a bind mount
    local d
    d=$(bind_dir bin)
    as_user sh -c "printf '#!/bin/sh\necho ran\n' >'$d/script'; chmod 644 '$d/script'"
    run --separate-stderr sk run --rm -v "$d:/x" "$IMG" /x/script
    assert_clean_error 126
    # a directory
    run --separate-stderr sk run --rm "$IMG" /etc
    assert_clean_error 126
}

@test "exit code 127: the command is not found" {
    run -127 --separate-stderr sk run --rm "$IMG" /no/such/command
    assert_clean_error 127
    run -127 --separate-stderr sk run --rm "$IMG" no-such-command-in-path
    assert_clean_error 127
    run --separate-stderr sk ps -a -q
    assert_equal "$output" "" "containers left"
}

# --------------------------------------------------------------- signals --

# signal_test SIG: skiff run in the background; SIG to skiff; the trap in the
# container must run and its exit code be skiff's
signal_test() {
    local sig=$1 pid out=$T/work/out err=$T/work/err
    sk_argv
    # bash ignores SIGINT in background jobs: give skiff the default disposition,
    # as a shell in a terminal would
    env --default-signal=INT "${SK[@]}" run --rm "$IMG" \
        sh -c "trap 'echo got-$sig; exit 7' $sig; echo ready; sleep 30 & wait" </dev/null >"$out" 2>"$err" &
    pid=$!
    BG_PIDS+=("$pid")
    wait_until 20 grep -q ready "$out" || { cat "$err" >&2; fail_with "container never became ready"; }
    kill "-$sig" "$pid"
    local rc=0
    wait "$pid" || rc=$?
    status=$rc output=$(cat "$out") stderr=$(cat "$err")
    assert_failure 7
    assert_output_contains "got-$sig"
    run --separate-stderr sk ps -a -q
    assert_equal "$output" "" "containers left"
}

@test "SIGTERM to skiff run is forwarded to the container" {
    signal_test TERM
}

@test "Ctrl-C (SIGINT) to skiff run is forwarded to the container" {
    signal_test INT
}

running_container() { [[ -n $(sk ps -q) ]]; }

@test "SIGTERM to skiff run --init reaches a non-shell command (exit 143)" {
    local pid out=$T/work/out
    sk_argv
    "${SK[@]}" run --rm --init "$IMG" sleep 30 </dev/null >"$out" 2>&1 &
    pid=$!
    BG_PIDS+=("$pid")
    wait_until 20 running_container || fail_with "the container never showed up in ps"
    sleep 0.5
    kill -TERM "$pid"
    local rc=0
    wait "$pid" || rc=$?
    status=$rc output=$(cat "$out")
    assert_failure 143
}

# ----------------------------------------------------------- stdin, ttys --

@test "-i passes piped stdin" {
    sk_argv
    run --separate-stderr bash -c 'printf "hi\nthere\n" | "$@"' _ "${SK[@]}" run -i --rm "$IMG" cat
    assert_success
    assert_equal "$output" $'hi\nthere' "cat of piped stdin"
    # without -i the container's stdin is empty
    run --separate-stderr bash -c 'echo hi | "$@"' _ "${SK[@]}" run --rm "$IMG" cat
    assert_success
    assert_equal "$output" "" "stdin without -i"
}

@test "-it runs through a real pty" {
    command -v script >/dev/null || require "util-linux script is not installed"
    sk_argv
    local cmd
    cmd=$(printf '%q ' "${SK[@]}" run -it --rm "$IMG" sh -c 'test -t 0 && test -t 1 && echo TTY-YES; tty')
    run --separate-stderr script -qec "$cmd" /dev/null
    assert_success
    output=${output//$'\r'/}
    assert_output_contains TTY-YES
    assert_output_matches '/dev/(pts/[0-9]+|console)'
    # and without -t the container gets no tty, not even the caller's (Docker and
    # Podman give it pipes): a terminal handed to the container lets it inject
    # input into the user's shell (TIOCSTI) and change its modes
    cmd=$(printf '%q ' "${SK[@]}" run -i --rm "$IMG" sh -c '{ test -t 0 || test -t 1 || test -t 2; } || echo TTY-NO')
    run --separate-stderr script -qec "$cmd" /dev/null
    assert_success
    output=${output//$'\r'/}
    assert_output_contains TTY-NO
}

@test "-it: the exit code comes through the pty" {
    command -v script >/dev/null || require "util-linux script is not installed"
    sk_argv
    local cmd
    cmd=$(printf '%q ' "${SK[@]}" run -it --rm "$IMG" sh -c 'exit 5')
    run script -qec "$cmd" /dev/null
    assert_failure 5
}

# -------------------------------------------------------------- storage --

@test "--rm removes the container" {
    run --separate-stderr sk run --rm "$IMG" true
    assert_success
    run --separate-stderr sk run --rm "$IMG" sh -c 'exit 4'
    assert_failure 4
    run --separate-stderr sk ps -a -q
    assert_success
    assert_equal "$output" "" "containers after --rm"
}

@test "a named volume survives rm; the container's own writes do not" {
    run --separate-stderr sk run --name w1 -v vol1:/data "$IMG" sh -c 'echo kept >/data/f; echo lost >/other'
    assert_success
    run --separate-stderr sk rm w1
    assert_success
    run --separate-stderr sk volume ls -q
    assert_success
    assert_output_contains vol1
    run --separate-stderr sk run --rm -v vol1:/data "$IMG" sh -c 'cat /data/f; test ! -e /other && echo no-other'
    assert_success
    assert_equal "$output" $'kept\nno-other' "second container's view"
    # --rm does not remove a named volume either
    run --separate-stderr sk run --rm --mount type=volume,source=vol1,target=/v "$IMG" cat /v/f
    assert_success
    assert_equal "$output" kept "through --mount type=volume"
    run --separate-stderr sk volume rm vol1
    assert_success
}

@test "a new named volume is seeded from the image" {
    run --separate-stderr sk run --rm -v seeded:/opt/data "$IMG" sh -c 'cat /opt/data/a /opt/data/sub/c'
    assert_success
    assert_equal "$output" $'a\nc' "seeded volume"
}

@test "--tmpfs and --mount type=tmpfs,bind" {
    local d
    d=$(bind_dir m)
    run --separate-stderr sk run --rm --read-only --tmpfs /scratch \
        --mount "type=bind,source=$d,target=/b" "$IMG" \
        sh -c 'echo t >/scratch/x && cat /scratch/x; echo b >/b/y; grep " /scratch " /proc/mounts | cut -d" " -f3'
    assert_success
    assert_equal "$output" $'t\ntmpfs' "tmpfs"
    assert_equal "$(cat "$d/y")" b "bind through --mount"
}

# -------------------------------------------------------------- networks --

@test "--network none has only lo" {
    run --separate-stderr sk run --rm --network none "$IMG" ls /sys/class/net
    assert_success
    assert_equal "$output" lo "interfaces with --network none"
    run --separate-stderr sk run --rm --network none "$IMG" sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
    assert_success
    assert_equal "$output" lo "/proc/net/dev with --network none"
}

@test "--network host sees the host's interfaces" {
    local want
    want=$(ls /sys/class/net | sort)
    run --separate-stderr sk run --rm --network host "$IMG" sh -c 'ls /sys/class/net | sort'
    assert_success
    assert_equal "$output" "$want" "interfaces with --network host"
    want=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort)
    run --separate-stderr sk run --rm --network host "$IMG" sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | sort'
    assert_success
    assert_equal "$output" "$want" "/proc/net/dev with --network host"
}

@test "the default network is private: lo plus one interface, not the host's" {
    run --separate-stderr sk run --rm "$IMG" sh -c 'ls /sys/class/net | sort'
    assert_success
    printf '%s\n' "$output" | grep -qx lo || fail_with "no lo"
    [[ $output != "$(ls /sys/class/net | sort)" ]] || fail_with "the default network is the host's"
}

# ------------------------------------------------------------- limits --

@test "--memory, --cpus, --pids-limit: limits in a cgroup of its own where v2 is delegated, else a warning" {
    run --separate-stderr sk run --rm --memory 64m --cpus 0.5 --pids-limit 50 "$IMG" cat /proc/self/cgroup
    assert_success
    local v2
    v2=$(findmnt -n -t cgroup2 -o TARGET | head -n1)
    if [[ -n $v2 ]] && grep -qw memory "$v2/cgroup.controllers" 2>/dev/null; then
        # controllers on v2: the container's group is its own root
        assert_equal "$output" "0::/" "the container's cgroup"
    else
        # this host's controllers are all on cgroup v1
        [[ $stderr == *"resource limits ignored"*"cgroup v2"* ]] || fail_with "no clear warning: $stderr"
    fi
    run --separate-stderr sk run --rm --memory lots "$IMG" true
    assert_failure 125
    [[ $stderr == *"invalid --memory"* ]] || fail_with "no clear error for --memory lots: $stderr"
    run --separate-stderr sk run --rm --cpus=0 "$IMG" true
    assert_failure 125
    [[ $stderr == *"invalid --cpus"* ]] || fail_with "no clear error for --cpus=0: $stderr"
}

# ------------------------------------------------------------ parallel --

@test "32 skiff run --rm in parallel all succeed and leave nothing" {
    sk_argv
    local i
    for i in $(seq 1 32); do
        "${SK[@]}" run --rm "$IMG" sh -c "echo run-$i" </dev/null >"$T/work/out.$i" 2>"$T/work/err.$i" &
    done
    local bad="" rc
    for i in $(seq 1 32); do
        rc=0
        wait -n || rc=$?
        [[ $rc -eq 0 ]] || bad+="a run exited $rc; "
    done
    for i in $(seq 1 32); do
        [[ $(cat "$T/work/out.$i") == "run-$i" ]] || bad+="run $i printed '$(cat "$T/work/out.$i")' (stderr: $(cat "$T/work/err.$i")); "
    done
    [[ -z $bad ]] || fail_with "$bad"
    run --separate-stderr sk ps -a -q
    assert_success
    assert_equal "$output" "" "containers after 32 parallel --rm runs"
}
