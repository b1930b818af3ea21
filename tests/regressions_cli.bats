#!/usr/bin/env bats
# Regressions of issue 21 in the command line: prune confirmation, short names,
# container prune and rm -f, cp with -, pull --platform, usage, build errors,
# the --memory warning, and the rough edges of info, inspect, top, restart,
# port, push and privileged ports.  Every test runs as both test users.
load helpers

setup() {
    skiff_setup
    pull_bbimg
}
teardown() {
    rm_all_containers
    skiff_teardown
}

# in_pty ANSWER ARGS...: skiff ARGS as the test user on a new pty (stdin, stdout
# and stderr); types ANSWER and Enter when "[y/N]" appears. Output in $output.
in_pty() {
    local answer=$1
    shift
    sk_argv
    run "$PY" - "$answer" "${SK[@]}" "$@" <<'EOF'
import os, pty, select, sys
answer = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
buf, sent = b"", False
while True:
    r, _, _ = select.select([fd], [], [], 60)
    if not r:
        break
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    buf += data
    if not sent and b"[y/N]" in buf:
        os.write(fd, answer + b"\n")
        sent = True
_, st = os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(st))
EOF
}

@test "21.4: prune asks on a terminal, refuses without -f and no terminal; hello comes back after prune -a" {
    # no terminal, no -f: a clear refusal, nothing removed
    local p
    for p in "image prune" "image prune -a" "container prune" "volume prune"; do
        # shellcheck disable=SC2086
        run --separate-stderr sk $p
        assert_clean_error 125
        [[ $stderr == *"-f"* ]] || fail_with "the refusal of $p does not name -f"
    done
    sk create --name keepme "$IMG" true >/dev/null
    run --separate-stderr sk ps -a --format '{{.Names}}'
    assert_output_contains keepme
    run --separate-stderr sk images --format '{{.Repository}}'
    assert_output_contains localhost/hello

    # a terminal: the question, and "n" keeps everything
    in_pty n image prune -a
    assert_success
    assert_output_contains "Are you sure you want to continue? [y/N]"
    run --separate-stderr sk images --format '{{.Repository}}'
    assert_output_contains localhost/hello
    in_pty n container prune
    assert_success
    assert_output_contains "Are you sure you want to continue? [y/N]"
    run --separate-stderr sk ps -a --format '{{.Names}}'
    assert_output_contains keepme

    # "y" prunes
    in_pty y container prune
    assert_success
    run --separate-stderr sk ps -a --format '{{.Names}}'
    assert_output_not_contains keepme
    in_pty y image prune -a
    assert_success
    run --separate-stderr sk images --format '{{.Repository}}'
    assert_output_not_contains localhost/hello

    # the embedded hello image comes back, offline
    run --separate-stderr sk run --rm --pull never hello
    assert_success
    assert_output_contains "Hello from skiff!"
    run --separate-stderr sk run --rm hello
    assert_success
    assert_output_contains "Hello from skiff!"
}

@test "21.13: a short name prefers localhost/, and names its pick only when a real ambiguity remains" {
    sk tag hello localhost/foo
    sk tag "$IMG" "$SKIFF_REG/foo"
    run --separate-stderr sk run --rm foo
    assert_success
    assert_output_contains "Hello from skiff!"
    [[ $stderr != *ambiguous* && $stderr != *matches* ]] || fail_with "a warning where nothing is ambiguous: $stderr"

    # two registries other than localhost, two images: one is used, and said so
    sk tag hello quay.io/bar
    sk tag "$IMG" "$SKIFF_REG/bar"
    run --separate-stderr sk run --rm bar
    assert_success
    [[ $stderr == *"using $SKIFF_REG/bar:latest"* && $stderr == *"quay.io/bar:latest"* ]] ||
        fail_with "the pick among two images is not named: $stderr"
}

@test "21.14: container prune removes Created containers too" {
    sk create --name made "$IMG" true >/dev/null
    run --separate-stderr sk run --name ran "$IMG" true
    assert_success
    run --separate-stderr sk container prune -f
    assert_success
    run --separate-stderr sk ps -a --format '{{.Names}}'
    assert_success
    assert_output_not_contains made
    assert_output_not_contains ran
}

@test "21.15: rm -f of a missing container exits 0; without -f it is an error" {
    run --separate-stderr sk rm -f no-such-container
    assert_success
    run --separate-stderr sk rm no-such-container
    assert_failure
    # -f: one missing name does not keep a running one from being removed
    run_d running "$IMG" sleep 100
    run --separate-stderr sk rm -f no-such-container running
    assert_success
    run --separate-stderr sk ps -a --format '{{.Names}}'
    assert_output_not_contains running
}

@test "21.16: cp CTR:PATH - writes a tar stream; cp - CTR:DIR unpacks one" {
    run_d cpc "$IMG" sleep 100
    sk_argv
    run bash -c '"$@" cp cpc:/etc/hostname - </dev/null | tar -t' _ "${SK[@]}"
    assert_success
    assert_equal "$output" "hostname"

    mkdir -p "$T/work/in/sub"
    echo from-host >"$T/work/in/sub/f.txt"
    tar -C "$T/work/in" -cf "$T/work/in.tar" sub
    run "${SK[@]}" cp - cpc:/tmp <"$T/work/in.tar"
    assert_success
    run --separate-stderr sk exec cpc cat /tmp/sub/f.txt
    assert_success
    assert_equal "$output" "from-host"

    # a stopped container, out and in
    sk create --name stopped "$IMG" true >/dev/null
    run "${SK[@]}" cp - stopped:/etc <"$T/work/in.tar"
    assert_success
    run bash -c '"$@" cp stopped:/etc/sub - </dev/null | tar -xO sub/f.txt' _ "${SK[@]}"
    assert_success
    assert_equal "$output" "from-host"

    # the destination of a stream must be a directory
    run --separate-stderr "${SK[@]}" cp - cpc:/etc/hostname <"$T/work/in.tar"
    assert_clean_error 125
}

@test "21.17: pull --platform of an image of another platform warns as Podman" {
    run --separate-stderr sk pull --platform linux/arm64 "$SKIFF_REG/busybox:latest"
    assert_success
    [[ $stderr == *"image platform (linux/amd64) does not match the expected platform (linux/arm64)"* ]] ||
        fail_with "no platform warning: $stderr"
    # the platform asked for, no warning
    run --separate-stderr sk pull --platform linux/amd64 "$SKIFF_REG/busybox:latest"
    assert_success
    [[ $stderr != *"does not match"* ]] || fail_with "a warning for the right platform: $stderr"
}

@test "21.18: bare skiff prints the usage (125, 0 with --help); errors point at the subcommand's help" {
    run --separate-stderr sk
    assert_failure 125
    assert_output_contains "Usage:"
    [[ $stderr == "Error: "* ]] || fail_with "no error line: $stderr"
    run --separate-stderr sk --help
    assert_success
    assert_output_contains "Usage:"
    run --separate-stderr sk run --no-such-flag "$IMG"
    assert_clean_error 125
    [[ $stderr == *"skiff run --help"* ]] || fail_with "the error does not point at run's help: $stderr"
    run --separate-stderr sk image prune --no-such-flag
    assert_clean_error 125
    [[ $stderr == *"skiff image prune --help"* ]] || fail_with "not image prune's help: $stderr"
    run --separate-stderr sk volume
    assert_failure 125
    assert_output_contains "Usage:"
    [[ $stderr == *"skiff volume"* ]] || fail_with "not volume's: $stderr"
}

@test "21.19: a build error names its location once" {
    local ctx=$T/work/ctx
    as_user mkdir -p "$ctx"
    printf 'FROM %s\nRUNN true\n' "$IMG" >"$ctx/Dockerfile"
    chown -R "$TU:$TG" "$ctx"
    run --separate-stderr sk build -t bad "$ctx"
    assert_clean_error 125
    [[ $stderr == *'Dockerfile:2: unknown instruction "RUNN"'* ]] || fail_with "no location: $stderr"
    local n
    n=$(grep -o 'unknown instruction' <<<"$stderr" | wc -l)
    assert_equal "$n" 1 "times the error is said"
}

@test "21.20: the --memory warning says what is true of this host's cgroups" {
    run --separate-stderr sk run --rm --memory 64m "$IMG" true
    assert_success
    if awk '$1 == "memory" && $2 != 0 { found = 1 } END { exit !found }' /proc/cgroups; then
        [[ $stderr == *"memory controller is on cgroup v1"* ]] || fail_with "does not say cgroup v1: $stderr"
        [[ $stderr != *delegat* ]] || fail_with "blames delegation on a v1 host: $stderr"
    else
        [[ $stderr != *"cgroup v1"* ]] || fail_with "says v1 where memory is on v2: $stderr"
    fi
}

@test "21.22: info --format takes Podman's Go field names; its JSON keeps Podman's keys" {
    local arch
    arch=$(sk info --format json | jq -r .host.arch)
    [[ -n $arch && $arch != null ]] || fail_with "no host.arch in info's JSON"
    run --separate-stderr sk info --format '{{.Host.Arch}} {{.Host.OS}} {{.Store.ImageStore.Number}}'
    assert_success
    [[ $output == "$arch linux "[0-9]* ]] || fail_with "info template: $output"
    run --separate-stderr sk info --format json
    [[ $(jq -r '.registries | type' <<<"$output") == object ]] || fail_with "no registries in info's JSON"
}

@test "21.22: inspect gives Docker's NetworkSettings.IPAddress" {
    run_d web "$IMG" sleep 100
    run --separate-stderr ctr_field web '{{.NetworkSettings.IPAddress}}'
    assert_success
    assert_equal "$output" "10.0.2.100"
}

@test "21.22: top names users from the container's /etc/passwd" {
    run_d web "$IMG" sleep 100
    run --separate-stderr sk top web
    assert_success
    [[ $(awk 'NR == 2 {print $1}' <<<"$output") == root ]] || fail_with "top does not name root: $output"
}

@test "21.22: restart prints the name once" {
    run_d web "$IMG" sleep 100
    run --separate-stderr sk restart -t 0 web
    assert_success
    assert_equal "$output" "web"
}

@test "21.22: inspect of an id prefix two containers share says it is ambiguous" {
    local id c seen=""
    for _ in $(seq 20); do
        id=$(sk create "$IMG" true)
        c=${id:0:1}
        if [[ $seen == *"$c"* ]]; then break; fi
        seen+=$c
    done
    run --separate-stderr sk inspect "$c"
    assert_clean_error 125
    [[ $stderr == *"several containers"* && $stderr != *"not known"* ]] || fail_with "not called ambiguous: $stderr"
}

@test "21.22: port lists nothing for a container that is not running" {
    sk create --name pub -p 18080:80 "$IMG" true >/dev/null
    run --separate-stderr sk port pub
    assert_success
    assert_equal "$output" ""
}

@test "21.22: push calls the config the config, not a blob" {
    run --separate-stderr sk push "$IMG" "$SKIFF_REG/r21-$SKIFF_TEST_USER:cfg"
    assert_success
    local cfg
    cfg=$(sk image inspect --format '{{.Id}}' "$IMG")
    [[ $stderr == *"Copying config ${cfg:0:12}"* ]] || fail_with "no config line: $stderr"
    [[ $stderr != *"Copying blob ${cfg:0:12}"* ]] || fail_with "the config called a blob: $stderr"
}

@test "21.22: a privileged host port's error names net.ipv4.ip_unprivileged_port_start" {
    [[ $(cat /proc/sys/net/ipv4/ip_unprivileged_port_start) -gt 80 ]] ||
        fail_with "this test needs net.ipv4.ip_unprivileged_port_start above 80"
    run --separate-stderr sk run --rm -p 80:80 "$IMG" true
    assert_clean_error 125
    [[ $stderr == *net.ipv4.ip_unprivileged_port_start* ]] || fail_with "the sysctl is not named: $stderr"
}

@test "ps refuses an unknown or malformed filter on an empty store too" {
    run --separate-stderr sk ps --filter colour=blue
    assert_failure 125
    [[ $stderr == *'invalid filter "colour"'* ]] || fail_with "stderr names the filter"
    run --separate-stderr sk ps -a --filter status
    assert_failure 125
    run --separate-stderr sk ps -a --filter status=exited
    assert_success
}
