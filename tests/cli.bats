#!/usr/bin/env bats
# The command line itself: --help/--version everywhere, global flags, errors,
# system check.
load helpers

setup() { skiff_setup; }
teardown() { skiff_teardown; }

COMMANDS=(
    "pull" "images" "image" "image ls" "image list" "image pull" "image inspect" "image rm"
    "image prune" "inspect" "tag" "rmi" "info" "version" "system" "system check"
    "build" "commit" "history"
)

@test "--help on every command" {
    local c
    run --separate-stderr sk --help
    assert_success
    assert_output_contains Usage
    for c in "${COMMANDS[@]}"; do
        # shellcheck disable=SC2086
        run --separate-stderr sk $c --help
        assert_success
        assert_output_contains Usage
        assert_output_contains "${c##* }"
    done
}

@test "--version on every command" {
    local c v
    v=$(crate_version)
    run --separate-stderr sk --version
    assert_success
    assert_output_contains "skiff"
    assert_output_contains "$v"
    for c in "${COMMANDS[@]}"; do
        # shellcheck disable=SC2086
        run --separate-stderr sk $c --version
        assert_success
        assert_output_contains "$v"
    done
}

@test "unknown command and unknown flag: Error line, exit 125" {
    run --separate-stderr sk no-such-command
    assert_clean_error
    run --separate-stderr sk images --no-such-flag
    assert_clean_error
    run --separate-stderr sk pull
    assert_clean_error
}

@test "--log-level accepts levels and refuses nonsense" {
    local l
    for l in debug info warn error; do
        run --separate-stderr sk --log-level "$l" images -q
        assert_success
    done
    run --separate-stderr sk --log-level nonsense images
    assert_clean_error
}

@test "--root and --runroot are used" {
    run --separate-stderr sk --root "$T/home/r" --runroot "$T/run/rr" images
    assert_success
    assert_output_contains localhost/hello
    [[ -d $T/home/r/blobs/sha256 ]] || fail_with "--root store not created"
    [[ ! -e $STORE ]] || fail_with "default store used despite --root"
}

@test "system check: a fresh store is clean" {
    run --separate-stderr sk images -q
    assert_success
    assert_store_clean
}

@test "system check finds a corrupted blob" {
    run --separate-stderr sk pull -q "$SKIFF_REG/busybox:latest"
    assert_success
    local d
    d=$(reg_manifest busybox latest | jq -r '.layers[0].digest')
    printf 'x' >>"$STORE/blobs/sha256/${d#sha256:}"
    run --separate-stderr sk system check
    [[ $status -ne 0 ]] || fail_with "system check missed a corrupted blob"
    [[ "$output$stderr" == *"${d#sha256:}"* ]] || fail_with "system check does not name the bad blob"
}

@test "system check finds a missing layer" {
    run --separate-stderr sk pull -q "$SKIFF_REG/busybox:latest"
    assert_success
    local d
    d=$(fixture_diffids busybox latest | head -n1)
    rm -rf "${STORE:?}/layers/${d#sha256:}"
    run --separate-stderr sk system check
    [[ $status -ne 0 ]] || fail_with "system check missed a missing layer"
}

@test "the binary is static" {
    run file -L "$SKIFF_BIN"
    assert_success
    [[ $output == *"statically linked"* || $output == *"static-pie linked"* ]] || fail_with "not a static binary"
}
