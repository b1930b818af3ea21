#!/usr/bin/env bats
# pull and push with the local transports podman and skopeo know: oci:DIR,
# oci-archive:FILE and docker-archive:FILE. skopeo (an independent tool) reads
# what skiff pushes and writes what skiff pulls.
load helpers

setup() {
    skiff_setup
    BUSY=$SKIFF_REG/busybox:latest
    W=$T/work
    run --separate-stderr sk pull -q "$BUSY"
    [[ $status -eq 0 ]] || fail_with "pull $BUSY failed"
    ID=$output
}
teardown() { skiff_teardown; }

@test "push to oci:DIR: skopeo reads the layout, pull oci:DIR into another store gives the same image" {
    run --separate-stderr sk push "$BUSY" "oci:$W/layout"
    assert_success
    [[ -f $W/layout/index.json && -f $W/layout/oci-layout ]] || fail_with "no OCI layout written"
    run skopeo inspect --format '{{.Digest}}' "oci:$W/layout"
    [[ $status -eq 0 ]] || fail_with "skopeo cannot read the layout: $output"
    run --separate-stderr sk --root "$T/data/other" pull -q "oci:$W/layout"
    assert_success
    assert_equal "$output" "$ID" "image id after pull oci:"
    run --separate-stderr sk --root "$T/data/other" run --rm "$ID" cat /etc/motd
    assert_success
}

@test "push to oci-archive: and docker-archive:, pull them back: same image id" {
    local t
    for t in oci-archive docker-archive; do
        run --separate-stderr sk push "$BUSY" "$t:$W/$t.tar"
        assert_success
        [[ -s $W/$t.tar ]] || fail_with "$t: no archive written"
        ls -a "$W" | grep -q 'skiff-tmp' && fail_with "$t: a temp file was left"
        run --separate-stderr sk --root "$T/data/$t" pull -q "$t:$W/$t.tar"
        assert_success
        assert_equal "$output" "$ID" "image id through $t"
    done
}

@test "pull oci:DIR written by skopeo; a missing or broken layout is refused, the store unchanged" {
    skopeo copy -q --src-tls-verify=false "docker://$BUSY" "oci:$W/sk:latest"
    chown -R "$TU:$TG" "$W/sk"
    run --separate-stderr sk --root "$T/data/o2" pull -q "oci:$W/sk"
    assert_success
    assert_equal "$output" "$ID" "image id of skopeo's layout"

    local before
    before=$(sk images -q --no-trunc)
    run --separate-stderr sk pull "oci:$W/nothing-here"
    assert_failure 125
    [[ $stderr == *"not an OCI image layout"* ]] || fail_with "no clear error for a missing layout: $stderr"
    # a layout whose blob was tampered with
    local blob
    blob=$(find "$W/sk/blobs/sha256" -type f -size +10k | head -n1)
    printf 'X' | dd of="$blob" bs=1 seek=100 conv=notrunc status=none
    run --separate-stderr sk pull -q "oci:$W/sk"
    assert_failure 125
    [[ $(grep -c . <<<"$stderr") -eq 1 ]] || fail_with "expected one error line, got: $stderr"
    assert_equal "$(sk images -q --no-trunc)" "$before" "images after refused pulls"
}
