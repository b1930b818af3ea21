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
