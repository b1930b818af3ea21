#!/usr/bin/env bats
# skiff export (a container's filesystem as a tar) and import (a tarball from a
# file, stdin or a URL into a one-layer image, with --change and -m).
load helpers

setup() {
    skiff_setup
    W=$T/work
}
teardown() { skiff_teardown; }

# sk_in FILE ARGS...: skiff as the test user with stdin from FILE
sk_in() {
    local f=$1
    shift
    sk_argv
    "${SK[@]}" "$@" <"$f"
}

# exported_container: a stopped container c1 that wrote /file, exported to $W/c1.tar
exported_container() {
    pull_bbimg
    run --separate-stderr sk run --name c1 "$IMG" sh -c 'echo written by c1 >/file; mkdir -p /srv/d; rm /etc/motd'
    [[ $status -eq 0 ]] || fail_with "run c1 failed"
    run --separate-stderr sk export -o "$W/c1.tar" c1
    [[ $status -eq 0 ]] || fail_with "export failed"
    [[ -z $output ]] || fail_with "export -o printed on stdout"
}

@test "export: the container's merged filesystem, its own changes included, to a file or stdout" {
    exported_container
    local list
    list=$(tar -tf "$W/c1.tar")
    [[ $list == *$'\n'file$'\n'* || $list == file$'\n'* ]] || fail_with "no /file in the export: $list"
    [[ $list == *bin/busybox* ]] || fail_with "no image content (bin/busybox) in the export"
    [[ $list == *srv/d* ]] || fail_with "no /srv/d in the export"
    [[ $list != *etc/motd* ]] || fail_with "a file the container removed is in the export"
    [[ $list != *.wh.* ]] || fail_with "whiteouts in the export"
    assert_equal "$(tar -xOf "$W/c1.tar" file)" "written by c1"
    # owned by the container's root
    assert_equal "$(tar -tvf "$W/c1.tar" file | awk '{print $2}')" "0/0" "owner of /file"
    sk export c1 >"$W/stdout.tar" || fail_with "export to stdout failed"
    assert_equal "$(tar -tf "$W/stdout.tar")" "$list" "export to stdout lists the same files"
    run --separate-stderr sk export no-such-container
    assert_clean_error
}

@test "export: a running container's files, without what is mounted on /proc, /sys and /dev" {
    pull_bbimg
    run --separate-stderr sk run -d --name c2 "$IMG" sh -c 'echo live >/live; sleep 300'
    [[ $status -eq 0 ]] || fail_with "run -d failed"
    local i
    for i in $(seq 50); do
        sk exec c2 cat /live >/dev/null 2>&1 && break
        sleep 0.1
    done
    run --separate-stderr sk export -o "$W/c2.tar" c2
    assert_success
    local list
    list=$(tar -tf "$W/c2.tar")
    assert_equal "$(tar -xOf "$W/c2.tar" live)" "live"
    [[ $list == *bin/busybox* ]] || fail_with "no image content in the export"
    [[ $list != *proc/self* && $list != *proc/1/* ]] || fail_with "/proc was descended into"
    [[ $list != *sys/kernel* ]] || fail_with "/sys was descended into"
    [[ $list != *dev/null* ]] || fail_with "/dev was descended into"
    run --separate-stderr sk rm -f c2
    assert_success
}

@test "import: an exported container becomes an image that runs; --change CMD/ENV and -m" {
    exported_container
    run --separate-stderr sk import "$W/c1.tar" imported:v1
    assert_success
    assert_output_matches "^sha256:$HEX64$"
    local id=${output#sha256:}
    run --separate-stderr sk run --rm imported:v1 cat /file
    assert_success
    assert_equal "$output" "written by c1"
    assert_equal "$(sk image inspect --format '{{.Id}}' localhost/imported:v1)" "$id" "named localhost/imported:v1"
    assert_equal "$(sk image inspect --format '{{len .RootFS.Layers}}' imported:v1)" 1 "one layer"
    run --separate-stderr sk import -c 'CMD ["cat", "/file"]' -c "ENV GREETING=hello" \
        --change 'WORKDIR /srv' -c 'LABEL org.example=yes' -m "my import message" "$W/c1.tar" imported:v2
    assert_success
    run --separate-stderr sk run --rm imported:v2
    assert_success
    assert_equal "$output" "written by c1"
    run --separate-stderr sk run --rm imported:v2 sh -c 'echo $GREETING $(pwd)'
    assert_success
    assert_equal "$output" "hello /srv"
    assert_equal "$(sk image inspect --format '{{json .History}}' imported:v2 | jq -r '.[0].comment')" "my import message"
    assert_equal "$(sk image inspect --format '{{index .Labels "org.example"}}' imported:v2)" "yes"
    # shell form
    run --separate-stderr sk import -c 'CMD echo shell form $GREETING' -c 'ENV GREETING=x' "$W/c1.tar" imported:v3
    assert_success
    run --separate-stderr sk run --rm imported:v3
    assert_equal "$output" "shell form x"
    assert_store_clean
}

@test "import: from stdin (gzip) and from a URL served on loopback" {
    exported_container
    gzip -c "$W/c1.tar" >"$W/c1.tar.gz"
    chown "$TU:$TG" "$W/c1.tar.gz"
    run --separate-stderr sk_in "$W/c1.tar.gz" import - from-stdin
    assert_success
    assert_output_matches "^sha256:$HEX64$"
    run --separate-stderr sk run --rm from-stdin:latest cat /file
    assert_success
    assert_equal "$output" "written by c1"
    local port pid
    port=$(free_port)
    start_bg pid "$PY" -m http.server --bind 127.0.0.1 --directory "$W" "$port"
    wait_until 10 curl -sf -o /dev/null "http://127.0.0.1:$port/c1.tar.gz" || fail_with "http server did not start"
    run --separate-stderr sk import -m "from the web" "http://127.0.0.1:$port/c1.tar.gz" from-url:1
    assert_success
    run --separate-stderr sk run --rm from-url:1 cat /file
    assert_success
    assert_equal "$output" "written by c1"
    run --separate-stderr sk import "http://127.0.0.1:$port/missing.tar" x:1
    assert_clean_error
}

@test "import: a bad --change or a broken tarball is refused and nothing is stored" {
    exported_container
    local before
    before=$(store_listing)
    run --separate-stderr sk import -c 'RUN rm -rf /' "$W/c1.tar" bad:1
    assert_clean_error
    [[ $stderr == *"--change"* ]] || fail_with "the error does not name --change"
    head -c 3000 "$W/c1.tar" >"$W/trunc.tar"
    run --separate-stderr sk import "$W/trunc.tar" bad:2
    assert_clean_error
    assert_equal "$(store_listing)" "$before" "store after refused imports"
    run --separate-stderr sk images --format '{{.Repository}}'
    assert_output_not_contains "bad"
}
