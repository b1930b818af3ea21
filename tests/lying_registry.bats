#!/usr/bin/env bats
# A registry that lies (tests/lying_registry.py): every lie gets a clear one-line
# error, exit 125, and the store stays as it was (same images, checks clean,
# the bad blob or layer not stored, nothing written outside the store).
load helpers

setup() {
    skiff_setup
    # something in the store first, so "unchanged" means something
    run --separate-stderr sk pull -q "$SKIFF_LIAR/good:latest"
    assert_success
    GOOD=$output
    run --separate-stderr sk images -q -a --no-trunc
    assert_success
    BEFORE=$output
}
teardown() { skiff_teardown; }

liar_manifest() { reg_manifest "$1" latest "$SKIFF_LIAR"; }

# lie NAME [REF]: pull must fail cleanly and leave the store as it was
lie() {
    local name=$1 ref=${2:-$SKIFF_LIAR/$1:latest}
    run --separate-stderr sk pull "$ref"
    assert_clean_error
    PULL_STDERR=$stderr
    run --separate-stderr sk images -q -a --no-trunc
    assert_success
    assert_equal "$output" "$BEFORE" "image list after the failed pull of $name"
    assert_store_clean
    assert_nothing_escaped
    [[ -z $(find "$STORE/tmp" -mindepth 1 2>/dev/null) ]] || fail_with "leftovers in $STORE/tmp: $(ls -A "$STORE/tmp")"
}

assert_blob_absent() { # DIGEST
    [[ ! -e $STORE/blobs/sha256/${1#sha256:} ]] || fail_with "blob $1 was stored"
}

assert_layer_absent() { # NAME: the scenario's layer (by its diff id) was not kept
    local c d
    c=$(liar_manifest "$1" | jq -r .config.digest)
    for d in $(curl -sf "http://$SKIFF_LIAR/v2/$1/blobs/$c" | jq -r '.rootfs.diff_ids[]'); do
        [[ ! -e $STORE/layers/${d#sha256:} ]] || fail_with "layer $d of $1 was kept"
    done
}

@test "control: honest images from the lying registry pull fine (gzip and uncompressed)" {
    assert_equal "$GOOD" "$(liar_manifest good | jq -r .config.digest | sed 's/^sha256://')"
    run --separate-stderr sk pull -q "$SKIFF_LIAR/plain:latest"
    assert_success
    run --separate-stderr sk image inspect --format '{{.Id}}' "$SKIFF_LIAR/good:latest"
    assert_success
    assert_equal "$output" "$GOOD"
    assert_store_clean
}

@test "a layer blob whose bytes do not match its digest is refused and not stored" {
    lie wrongdigest
    assert_blob_absent "$(liar_manifest wrongdigest | jq -r '.layers[0].digest')"
    assert_layer_absent wrongdigest
}

@test "a config blob whose bytes do not match its digest is refused" {
    lie badconfig
    assert_blob_absent "$(liar_manifest badconfig | jq -r .config.digest)"
}

@test "a blob cut off halfway is refused" {
    lie truncated
    assert_blob_absent "$(liar_manifest truncated | jq -r '.layers[0].digest')"
    assert_layer_absent truncated
}

@test "a blob shorter than the manifest says is refused" {
    lie shortblob
    assert_blob_absent "$(liar_manifest shortblob | jq -r '.layers[0].digest')"
}

@test "a manifest naming a missing blob fails clearly" {
    lie missingblob
    [[ $PULL_STDERR == *"$(liar_manifest missingblob | jq -r '.layers[0].digest' | cut -c1-19)"* ]] ||
        fail_with "the error does not name the missing blob"
}

@test "a layer with ../ paths is refused, nothing written outside" {
    lie dotdot
    assert_layer_absent dotdot
}

@test "a layer with an absolute path climbing out is refused or confined" {
    lie absolute
    assert_layer_absent absolute
}

@test "a layer writing through a symlink that points outside is refused" {
    lie symlinkescape
    [[ ! -e $SKIFF_ESCAPE_DIR/pwned ]] || fail_with "escape dir written through the symlink"
    assert_layer_absent symlinkescape
}

@test "a layer hardlinking through a symlink to a file outside is refused" {
    lie hardlinkescape
    assert_layer_absent hardlinkescape
}

@test "a manifest whose Docker-Content-Digest lies is refused" {
    lie lyingheader
}

@test "pull by digest: a manifest body that does not match the digest is refused" {
    local d
    d="sha256:$(liar_manifest wrongmanifest | sha256sum | cut -d' ' -f1)"
    lie wrongmanifest "$SKIFF_LIAR/wrongmanifest@$d"
}
