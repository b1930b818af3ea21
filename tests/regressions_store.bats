#!/usr/bin/env bats
# Regressions of issue 21 in what skiff stores: commit's config, volume seeding,
# build steps that change nothing and duplicate layers, container logs.
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

img_cfg() { sk image inspect --format "{{json .Config.$2}}" "$1"; }
# log_size CID: the size of the container's log (ctr.log before the binary format)
log_size() {
    local d=$STORE/containers/$1
    if [[ -f $d/container.log ]]; then stat -c %s "$d/container.log"; else stat -c %s "$d/ctr.log"; fi
}

@test "21.5: commit without -c carries the container's config, -c changes go on top" {
    run_d cm -e ADDED=1 -w /tmp -u 0:0 -l lab=v -p "$(free_port):80" -v /anon "$IMG" sleep 100
    run --separate-stderr sk commit cm localhost/img5
    assert_success
    assert_equal "$(img_cfg localhost/img5 Cmd)" '["sleep","100"]' "Cmd"
    assert_equal "$(img_cfg localhost/img5 WorkingDir)" '"/tmp"' "WorkingDir"
    assert_equal "$(img_cfg localhost/img5 User)" '"0:0"' "User"
    [[ $(img_cfg localhost/img5 Env) == *'"ADDED=1"'* ]] || fail_with "Env lacks ADDED=1: $(img_cfg localhost/img5 Env)"
    [[ $(img_cfg localhost/img5 Labels) == *'"lab":"v"'* ]] || fail_with "Labels lack lab=v"
    [[ $(img_cfg localhost/img5 ExposedPorts) == *'"80/tcp"'* ]] || fail_with "ExposedPorts lack 80/tcp"
    [[ $(img_cfg localhost/img5 Volumes) == *'"/anon"'* ]] || fail_with "Volumes lack /anon"
    run --separate-stderr sk run --rm localhost/img5 sh -c 'echo $ADDED; pwd'
    assert_success
    assert_equal "$output" $'1\n/tmp' "the committed image runs with the container's env and dir"

    run --separate-stderr sk commit -c 'CMD ["echo","x"]' -c 'ENV B=2' cm localhost/img5b
    assert_success
    assert_equal "$(img_cfg localhost/img5b Cmd)" '["echo","x"]' "Cmd after -c"
    [[ $(img_cfg localhost/img5b Env) == *'"ADDED=1"'*'"B=2"'* ]] || fail_with "Env after -c: $(img_cfg localhost/img5b Env)"
    assert_equal "$(img_cfg localhost/img5b WorkingDir)" '"/tmp"' "WorkingDir after -c"

    run --separate-stderr sk create --name ce --entrypoint /bin/echo "$IMG" hi
    assert_success
    run --separate-stderr sk commit ce localhost/img5e
    assert_success
    assert_equal "$(img_cfg localhost/img5e Entrypoint)" '["/bin/echo"]' "Entrypoint"
    assert_equal "$(img_cfg localhost/img5e Cmd)" '["hi"]' "Cmd with an entrypoint"
    run --separate-stderr sk run --rm localhost/img5e
    assert_success
    assert_equal "$output" hi "the committed entrypoint runs"
}

@test "21.6: an empty volume is seeded from the image on its first mount, however it was made, and never again" {
    run --separate-stderr sk run --rm "$IMG" ls /etc
    assert_success
    local image_etc=$output
    [[ $image_etc == *passwd* ]] || fail_with "the image has no /etc/passwd"
    run --separate-stderr sk volume create v6
    assert_success
    run --separate-stderr sk run --rm -v v6:/etc "$IMG" ls /etc
    assert_success
    assert_equal "$output" "$image_etc" "a volume made by 'volume create' shows the image's /etc"
    # written once: not seeded again
    run --separate-stderr sk run --rm -v v6:/etc "$IMG" rm /etc/passwd
    assert_success
    run --separate-stderr sk run --rm -v v6:/etc "$IMG" ls /etc
    assert_success
    assert_output_not_contains passwd
    # one made implicitly still is seeded
    run --separate-stderr sk run --rm -v v6b:/etc "$IMG" ls /etc
    assert_success
    assert_equal "$output" "$image_etc" "a volume made by run shows the image's /etc"
}

@test "21.8: build steps that change nothing add no layer (empty_layer history); RUN after them works" {
    local C=$T/work/ctx8
    mkdir -p "$C"
    printf 'FROM %s\nRUN true\nRUN true\nRUN echo after\n' "$IMG" >"$C/Dockerfile"
    chown -R "$TU:$TG" "$C"
    run --separate-stderr sk build -t localhost/noop8 "$C"
    assert_success
    assert_output_contains after
    assert_equal "$(sk image inspect --format '{{json .RootFS.Layers}}' localhost/noop8)" \
        "$(sk image inspect --format '{{json .RootFS.Layers}}' "$IMG")" "the image's layers"
    run --separate-stderr sk history --format '{{.CreatedBy}}|{{.Size}}' localhost/noop8
    assert_success
    [[ $(grep -c '^RUN .*|0 *B$' <<<"$output") -eq 3 ]] || fail_with "the three RUN steps are not empty history entries"
    # a cached step's history entry joins this build's history, not another's
    local D=$T/work/ctx8c
    mkdir -p "$D"
    printf 'FROM %s\nRUN echo after\n' "$IMG" >"$D/Dockerfile"
    chown -R "$TU:$TG" "$D"
    run --separate-stderr sk build -t localhost/noop8c "$D"
    assert_success
    run --separate-stderr sk history --format '{{.CreatedBy}}' localhost/noop8c
    assert_success
    assert_output_not_contains "RUN true"
}

@test "21.8: an image with two identical empty layers from a registry runs on an overlay" {
    local oci=$T/work/oci ref=$SKIFF_REG/dup8-$SKIFF_TEST_USER:latest
    skopeo copy -q --src-tls-verify=false "docker://$IMG" "oci:$oci:dup" >/dev/null
    tar -cf "$T/work/empty.tar" -T /dev/null
    umoci raw add-layer --image "$oci:dup" "$T/work/empty.tar"
    umoci raw add-layer --image "$oci:dup" "$T/work/empty.tar"
    skopeo copy -q --dest-tls-verify=false "oci:$oci:dup" "docker://$ref" >/dev/null
    run --separate-stderr sk pull -q "$ref"
    assert_success
    local layers
    layers=$(sk image inspect --format '{{range .RootFS.Layers}}{{.}} {{end}}' "$ref")
    [[ $(tr ' ' '\n' <<<"$layers" | sed '/^$/d' | sort | uniq -d) != "" ]] ||
        fail_with "the image has no repeated layer: $layers"
    # the root file system's type: an overlay (kernel or fuse), not the copy
    run --separate-stderr sk run --rm "$ref" awk '$5 == "/" { for (i = 7; i <= NF; i++) if ($i == "-") { print $(i + 1); exit } }' /proc/self/mountinfo
    assert_success
    [[ $output == overlay || $output == fuse.fuse-overlayfs ]] || fail_with "the root is not an overlay"
    # and a build over it
    local C=$T/work/ctx8b
    mkdir -p "$C"
    printf 'FROM %s\nRUN echo built > /f\n' "$ref" >"$C/Dockerfile"
    chown -R "$TU:$TG" "$C"
    run --separate-stderr sk build -t localhost/dup8b "$C"
    assert_success
}

@test "21.21: --log-opt max-size keeps the log under the size, the latest lines kept" {
    run --separate-stderr sk run -d --name big --log-opt max-size=10k "$IMG" sh -c 'seq 1 20000; echo last'
    assert_success
    local cid=$output
    run --separate-stderr sk wait big
    assert_success
    local size
    size=$(log_size "$cid")
    [[ $size -le 10240 ]] || fail_with "the log is $size bytes, over max-size 10k"
    run --separate-stderr sk logs big
    assert_success
    assert_equal "$(tail -n1 <<<"$output")" last "the last line"
    run --separate-stderr sk logs --tail 2 big
    assert_success
    assert_equal "$output" $'20000\nlast' "logs --tail 2"
    run --separate-stderr sk run --rm --log-opt max-size=lots "$IMG" true
    assert_clean_error
}

@test "21.21: logs gives back a large output exactly, and the log stays near its size" {
    run --separate-stderr sk run -d --name lg "$IMG" sh -c 'seq 1 3 >&2; seq 1 200000'
    assert_success
    local cid=$output
    run --separate-stderr sk wait lg
    assert_success
    assert_equal "$(sk logs lg 2>/dev/null | md5sum)" "$(seq 1 200000 | md5sum)" "stdout of logs"
    assert_equal "$(sk logs lg 2>&1 >/dev/null)" $'1\n2\n3' "stderr of logs"
    assert_equal "$(sk logs --tail 1 lg 2>/dev/null)" "200000" "logs --tail 1 (stdout)"
    # at most k8s-file's per-line overhead (41 bytes a line here, 1.3 MB of output)
    local size out
    size=$(log_size "$cid")
    out=$(seq 1 200000 | wc -c)
    [[ $size -le $((out + 200003 * 41)) ]] || fail_with "the log is $size bytes for $out bytes of output"
}

@test "21.21: 10 MB of short lines make a log of at most 1.2x that, given back exactly" {
    run --separate-stderr sk run -d --name yes10 "$IMG" sh -c 'yes | head -c 10000000'
    assert_success
    local cid=$output size
    run --separate-stderr sk wait yes10
    assert_success
    size=$(log_size "$cid")
    [[ $size -le 12000000 ]] || fail_with "the log is $size bytes for 10000000 bytes of output"
    assert_equal "$(sk logs yes10 | sha256sum)" "$(yes | head -c 10000000 | sha256sum)" "sha256 of logs"
    assert_equal "$(sk logs yes10 2>&1 >/dev/null | wc -c)" 0 "stderr of logs"
    assert_equal "$(sk logs --tail 3 yes10)" $'y\ny\ny' "logs --tail 3"
}

@test "21.21: a line written in pieces is one line for logs -t, --tail, --since, --until and -f" {
    # stderr first (the two streams are copied apart: the sleeps order them)
    run_d pc "$IMG" sh -c 'printf "e\n" >&2; sleep 1; printf "a\nb"; sleep 1; printf "c\n"; printf "end"'
    sk_argv
    run --separate-stderr timeout 30 "${SK[@]}" logs -f pc
    assert_success
    assert_equal "$output" $'a\nbc\nend' "logs -f, stdout"
    assert_equal "$stderr" e "logs -f, stderr"
    run --separate-stderr sk logs -t pc
    assert_success
    assert_output_matches '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z a'$'\n''[0-9]{4}-[0-9-]+T[0-9:.]+Z bc'$'\n''[0-9]{4}-[0-9-]+T[0-9:.]+Z end$'
    # the lines of both streams: e (stderr), a, bc, end
    run --separate-stderr sk logs --tail 3 pc
    assert_equal "$output" $'a\nbc\nend' "logs --tail 3, stdout"
    assert_equal "$stderr" "" "logs --tail 3, stderr"
    run --separate-stderr sk logs --tail 2 pc
    assert_equal "$output" $'bc\nend' "logs --tail 2"
    run --separate-stderr sk logs --tail 4 pc
    assert_equal "$stderr" e "logs --tail 4, stderr"
    run --separate-stderr sk logs --since 1h pc
    assert_equal "$output" $'a\nbc\nend' "logs --since 1h"
    run --separate-stderr sk logs --until 1h pc
    assert_equal "$output" "" "logs --until 1h"
    run --separate-stderr sk logs --since "$(($(date +%s) + 3600))" pc
    assert_equal "$output" "" "logs --since in an hour"
}
