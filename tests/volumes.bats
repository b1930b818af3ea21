#!/usr/bin/env bats
# skiff volume: a volume a container was created with is not removed while the
# container exists (the users check and the delete hold the volume's lock, which
# create holds while it attaches the volume).
load helpers

setup() {
    skiff_setup
    pull_bbimg
}
teardown() { skiff_teardown; }

@test "a volume in use by a created container cannot be removed" {
    run --separate-stderr sk create --name user1 -v vol1:/data "$IMG" true
    assert_success
    run --separate-stderr sk volume ls -q
    assert_success
    assert_equal "$output" vol1 "create made the volume"
    run --separate-stderr sk volume rm vol1
    assert_failure
    [[ $stderr == *"volume vol1 is in use by container user1"* ]] || fail_with "stderr: $stderr"
    run --separate-stderr sk volume ls -q
    assert_equal "$output" vol1 "the volume is still there"
    # one made beforehand, too
    run --separate-stderr sk volume create vol2
    assert_success
    run --separate-stderr sk create --name user2 --mount type=volume,source=vol2,target=/d "$IMG" true
    assert_success
    run --separate-stderr sk volume rm vol2
    assert_failure
    run --separate-stderr sk volume prune -f
    assert_success
    assert_equal "$output" "" "prune keeps volumes in use"
    run --separate-stderr sk rm user1 user2
    assert_success
    run --separate-stderr sk volume rm vol1 vol2
    assert_success
    assert_equal "$output" $'vol1\nvol2' "removed once unused"
}

@test "concurrent volume rm and create: never a container whose volume was removed" {
    local i n=6
    for ((i = 0; i < n; i++)); do
        sk volume create "cv$i" >/dev/null || fail_with "volume create cv$i"
    done
    for ((i = 0; i < n; i++)); do
        sk create --name "cc$i" -v "cv$i:/d" "$IMG" true >"$T/work/create.$i" 2>&1 &
        sk volume rm "cv$i" >"$T/work/rm.$i" 2>&1 &
    done
    wait
    run --separate-stderr sk volume ls -q
    assert_success
    local vols=$output
    for ((i = 0; i < n; i++)); do
        # the removal either won (no container, or a container that made the
        # volume again) or saw the container and refused
        if ! grep -qx "cv$i" "$T/work/rm.$i"; then
            grep -q "is in use by container cc$i" "$T/work/rm.$i" ||
                fail_with "rm $i failed otherwise: $(cat "$T/work/rm.$i")"
        fi
        if sk container inspect "cc$i" >/dev/null 2>&1; then
            grep -qx "cv$i" <<<"$vols" || fail_with "container cc$i exists but volume cv$i is gone"
        fi
    done
}
