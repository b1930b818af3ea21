#!/usr/bin/env bats
# skiff save / load: round trips with podman both ways (docker-archive and
# oci-archive), umoci unpack of skiff's OCI output, several images in one archive,
# stdin/stdout, gzip input, and truncated or tampered archives refused with the
# store left as it was.
load helpers

setup() {
    skiff_setup
    MULTI=$SKIFF_REG/multi:latest
    BUSY=$SKIFF_REG/busybox:latest
    W=$T/work
}
teardown() { skiff_teardown; }

pull_q() { # [--root DIR] REF
    run --separate-stderr sk "${@:1:$#-1}" pull -q "${!#}"
    [[ $status -eq 0 ]] || fail_with "pull ${!#} failed"
}

# podman as the test user: runc, cgroupfs, its own storage under the test's HOME
podman_user() {
    command -v podman >/dev/null || require "podman is not installed"
    mkdir -p "$T/home/.config/containers"
    printf '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
        >"$T/home/.config/containers/containers.conf"
    chown -R "$TU:$TG" "$T/home/.config"
}
pm() { as_user podman "$@"; }

# sk_in FILE ARGS...: skiff as the test user with stdin from FILE
sk_in() {
    local f=$1
    shift
    sk_argv
    "${SK[@]}" "$@" <"$f"
}

# podman_image: the image the podman round trips use, set in PIMG/PFIX/PMOTD.
# Without subordinate ids podman itself cannot store multi (it has files owned by
# 1000:1000), so the no-subuid user uses busybox (one layer, all owned by root).
podman_image() {
    if is_subuid_user; then
        PIMG=$MULTI PFIX=multi PMOTD="layer three motd"
    else
        PIMG=$BUSY PFIX=busybox PMOTD="layer one motd"
    fi
}

# loaded_runs ROOT REF [FIXTURE MOTD]: the image REF in store ROOT has the
# fixture's id and runs (default: multi)
loaded_runs() {
    local root=$1 ref=$2 want
    want=$(fixture_id "${3:-multi}" latest)
    run --separate-stderr sk --root "$root" image inspect --format '{{.Id}}' "$ref"
    [[ $status -eq 0 ]] || fail_with "loaded image $ref is not in $root"
    assert_equal "${output#sha256:}" "$want" "loaded image id"
    run --separate-stderr sk --root "$root" run --rm "$ref" cat /etc/motd
    [[ $status -eq 0 ]] || fail_with "run of the loaded image failed"
    assert_equal "$output" "${4:-layer three motd}"
}

@test "save: skiff's docker-archive and oci-archive load in podman with the same image id" {
    podman_user
    podman_image
    pull_q "$PIMG"
    local want
    want=$(fixture_id "$PFIX" latest)
    run --separate-stderr sk save -o "$W/s.tar" "$PIMG"
    assert_success
    [[ -z $output ]] || fail_with "save -o printed on stdout"
    assert_equal "$(tar -xOf "$W/s.tar" manifest.json | jq -r '.[0].RepoTags[0]')" "$PIMG"
    # docker-archive layers are uncompressed: each file hashes to its diff id
    local l
    for l in $(tar -xOf "$W/s.tar" manifest.json | jq -r '.[0].Layers[]'); do
        assert_equal "sha256:$(tar -xOf "$W/s.tar" "$l" | sha256sum | cut -d' ' -f1)" "sha256:${l%.tar}" "layer $l hashes to its diff id"
    done
    run --separate-stderr pm load -i "$W/s.tar"
    [[ $status -eq 0 ]] || fail_with "podman load of skiff's docker-archive failed"
    assert_equal "$(pm image inspect --format '{{.Id}}' "$PIMG")" "$want" "podman's id of the docker-archive"
    pm rmi -af >/dev/null 2>&1 || true
    run --separate-stderr sk save --format oci-archive -o "$W/so.tar" "$PIMG"
    assert_success
    assert_equal "$(tar -xOf "$W/so.tar" index.json | jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]')" "$PIMG"
    run --separate-stderr pm load -i "$W/so.tar"
    [[ $status -eq 0 ]] || fail_with "podman load of skiff's oci-archive failed"
    assert_equal "$(pm image inspect --format '{{.Id}}' "$PIMG")" "$want" "podman's id of the oci-archive"
    pm rmi -af >/dev/null 2>&1 || true
}

@test "load: podman's docker-archive and oci-archive load in skiff, and the images run" {
    podman_user
    podman_image
    run --separate-stderr pm pull -q --tls-verify=false "$PIMG"
    [[ $status -eq 0 ]] || fail_with "podman pull failed"
    run --separate-stderr pm save --format docker-archive -o "$W/pd.tar" "$PIMG"
    [[ $status -eq 0 ]] || fail_with "podman save docker-archive failed"
    run --separate-stderr pm save --format oci-archive -o "$W/po.tar" "$PIMG"
    [[ $status -eq 0 ]] || fail_with "podman save oci-archive failed"
    pm rmi -af >/dev/null 2>&1 || true
    local f
    for f in pd po; do
        run --separate-stderr sk --root "$T/data/$f" load -i "$W/$f.tar"
        assert_success
        assert_equal "$output" "Loaded image: $PIMG" "load output of $f.tar"
        loaded_runs "$T/data/$f" "$PIMG" "$PFIX" "$PMOTD"
        assert_store_clean --root "$T/data/$f"
    done
}

@test "save: umoci unpacks skiff's oci-dir and an extracted oci-archive to the fixture's tree" {
    command -v umoci >/dev/null || require "umoci is not installed"
    pull_q "$MULTI"
    run --separate-stderr sk save --format oci-dir -o "$W/od" "$MULTI"
    assert_success
    run --separate-stderr sk save --format oci-archive -o "$W/oa.tar" "$MULTI"
    assert_success
    as_user mkdir "$W/ox"
    as_user tar -xf "$W/oa.tar" -C "$W/ox"
    "$PY" "$HELPERS_DIR/tree_listing.py" "$SKIFF_FIXTURES/unpacked/multi/rootfs" --owners drop >"$W/want"
    local d
    for d in od ox; do
        run as_user umoci unpack --rootless --image "$W/$d:$MULTI" "$W/bundle-$d"
        [[ $status -eq 0 ]] || fail_with "umoci unpack of $d failed"
        "$PY" "$HELPERS_DIR/tree_listing.py" "$W/bundle-$d/rootfs" --owners drop >"$W/got-$d"
        diff -u "$W/want" "$W/got-$d" >&2 || fail_with "umoci's unpack of skiff's $d differs from the fixture"
    done
    # saving into the layout again adds the image under another name, keeping the first
    run --separate-stderr sk tag "$MULTI" localhost/other:1
    assert_success
    run --separate-stderr sk save --format oci-dir -o "$W/od" localhost/other:1
    assert_success
    assert_equal "$(jq -r '[.manifests[].annotations["org.opencontainers.image.ref.name"]] | sort | join(",")' "$W/od/index.json")" "$MULTI,localhost/other:1"
}

@test "save: several images in one archive (shared layers once), to stdout; load from stdin, gzip-compressed" {
    pull_q "$MULTI"
    pull_q "$BUSY"
    sk save "$BUSY" "$MULTI" >"$W/all.tar" || fail_with "save to stdout failed"
    assert_equal "$(tar -xOf "$W/all.tar" manifest.json | jq -r 'length')" 2 "images in manifest.json"
    # busybox's layer is multi's first: 3 distinct layer files
    assert_equal "$(tar -tf "$W/all.tar" | grep -c '\.tar$')" 3 "layer files"
    sk save --format oci-archive "$BUSY" "$MULTI" >"$W/all-oci.tar" || fail_with "save oci-archive to stdout failed"
    assert_equal "$(tar -xOf "$W/all-oci.tar" index.json | jq -r '.manifests | length')" 2 "index entries"
    local f
    for f in all all-oci; do
        gzip -c "$W/$f.tar" >"$W/$f.tar.gz"
        run --separate-stderr sk_in "$W/$f.tar.gz" --root "$T/data/$f" load
        assert_success
        assert_output_contains "Loaded image: $BUSY"
        assert_output_contains "Loaded image: $MULTI"
        loaded_runs "$T/data/$f" "$MULTI"
        run --separate-stderr sk --root "$T/data/$f" image inspect --format '{{.Id}}' "$BUSY"
        assert_equal "${output#sha256:}" "$(fixture_id busybox latest)" "busybox id from $f"
        assert_store_clean --root "$T/data/$f"
    done
    # an image saved by id loads untagged
    local id
    id=$(fixture_id busybox latest)
    sk save "$id" >"$W/byid.tar" || fail_with "save by id failed"
    run --separate-stderr sk --root "$T/data/byid" load -i "$W/byid.tar"
    assert_success
    assert_equal "$output" "Loaded image ID: sha256:$id"
}

# refused ARCHIVE: load is refused with one clean error; the store is unchanged
refused() {
    local before after layers_before
    before=$(store_listing)
    layers_before=$(ls "$STORE/layers")
    run --separate-stderr sk load -i "$1"
    assert_clean_error
    local err=$stderr
    after=$(store_listing)
    assert_equal "$after" "$before" "store listing after a refused load of $1"
    assert_equal "$(ls "$STORE/layers")" "$layers_before" "layers after a refused load of $1"
    [[ -z $(find "$STORE/tmp" -mindepth 1 -maxdepth 1 -type d 2>/dev/null) ]] || fail_with "temp space left behind"
    stderr=$err
}

@test "load: truncated and tampered archives are refused, the store is unchanged" {
    # the archives hold multi (from another store); this store has only busybox
    pull_q --root "$T/data/src" "$MULTI"
    pull_q "$BUSY"
    run --separate-stderr sk --root "$T/data/src" save -o "$W/d.tar" "$MULTI"
    assert_success
    run --separate-stderr sk --root "$T/data/src" save --format oci-archive -o "$W/o.tar" "$MULTI"
    assert_success
    local size
    size=$(stat -c %s "$W/d.tar")
    head -c $((size / 2)) "$W/d.tar" >"$W/trunc.tar"
    refused "$W/trunc.tar"
    [[ $stderr == *truncated* ]] || fail_with "the error does not say truncated"
    gzip -c "$W/o.tar" | head -c 100000 >"$W/trunc.tar.gz"
    refused "$W/trunc.tar.gz"
    # a flipped byte in a layer's content (docker-archive: the diff id check)
    "$PY" - "$W/d.tar" "$W/flip.tar" <<'EOF'
import sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
data = bytearray(open(src, "rb").read())
with tarfile.open(src) as t:
    m = max((m for m in t.getmembers() if m.name.endswith(".tar")), key=lambda m: m.size)
off = m.offset_data + m.size // 2
data[off] ^= 0x20
open(dst, "wb").write(data)
EOF
    refused "$W/flip.tar"
    [[ $stderr == *digest* ]] || fail_with "the error does not name the digest mismatch"
    # a changed config (oci-archive: its blob name; docker-archive: its file name)
    local a
    for a in o d; do
        "$PY" - "$W/$a.tar" "$W/cfg-$a.tar" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
assert data.count(b'"architecture":"amd64"') >= 1
open(sys.argv[2], "wb").write(data.replace(b'"architecture":"amd64"', b'"architecture":"amd65"', 1))
EOF
        refused "$W/cfg-$a.tar"
        [[ $stderr == *"does not match"* ]] || fail_with "the error for a changed config ($a) does not say it does not match"
    done
    # a layer blob of the oci-archive with a flipped byte
    "$PY" - "$W/o.tar" "$W/flip-oci.tar" <<'EOF'
import sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
data = bytearray(open(src, "rb").read())
with tarfile.open(src) as t:
    m = max(t.getmembers(), key=lambda m: m.size)
data[m.offset_data + m.size // 2] ^= 0x01
open(dst, "wb").write(data)
EOF
    refused "$W/flip-oci.tar"
    # not an archive at all
    echo "hello" >"$W/junk.tar"
    refused "$W/junk.tar"
    assert_store_clean
    # the intact archives still load
    run --separate-stderr sk load -i "$W/o.tar"
    assert_success
    loaded_runs "$STORE" "$MULTI"
}

@test "save: refuses to write to a terminal, needs -o for oci-dir, unknown image" {
    command -v script >/dev/null || require "script (util-linux) is not installed"
    sk_argv
    run script -qec "${SK[*]} save localhost/hello" /dev/null
    [[ $status -ne 0 ]] || fail_with "save to a terminal succeeded"
    assert_output_contains "cowardly refusing"
    run --separate-stderr sk save --format oci-dir localhost/hello
    assert_clean_error
    [[ $stderr == *"-o DIR"* ]] || fail_with "no hint about -o"
    run --separate-stderr sk save -o "$W/x.tar" no-such-image
    assert_clean_error
    [[ ! -e $W/x.tar ]] || fail_with "a failed save left its output file"
    [[ -z $(find "$W" -name '.x.tar*') ]] || fail_with "a failed save left its temp file"
}
