#!/usr/bin/env bats
# skiff pull against a real registry (Debian's docker-registry), fixtures pushed
# by skopeo; skiff's unpacked layers are compared with `umoci unpack`.
load helpers

setup() { skiff_setup; }
teardown() { skiff_teardown; }

pull_ok() { # REF EXPECTED_ID [pull flags...]
    local ref=$1 id=$2
    shift 2
    run --separate-stderr sk pull "$@" "$ref"
    assert_success
    assert_equal "$output" "$id" "pull $ref prints the image id on stdout"
}

@test "pull single-layer gzip image: id on stdout, same tree as umoci unpack" {
    pull_ok "$SKIFF_REG/busybox:latest" "$(fixture_id busybox latest)"
    [[ -n $stderr ]] || fail_with "pull printed no progress on stderr"
    assert_same_tree "$SKIFF_REG/busybox:latest" single
    assert_store_clean
}

@test "pull multi-layer image: whiteouts, opaque dir, hardlink, symlinks, suid, owners, long names" {
    pull_ok "$SKIFF_REG/multi:latest" "$(fixture_id multi latest)"
    assert_same_tree "$SKIFF_REG/multi:latest" multi
    assert_store_clean
}

@test "pull Docker schema2 manifest (multi-layer)" {
    pull_ok "$SKIFF_REG/multi:v2s2" "$(fixture_id multi v2s2)"
    assert_same_tree "$SKIFF_REG/multi:v2s2" multi
}

@test "pull zstd layers" {
    pull_ok "$SKIFF_REG/busybox-zstd:latest" "$(fixture_id busybox-zstd latest)"
    assert_same_tree "$SKIFF_REG/busybox-zstd:latest" single
    pull_ok "$SKIFF_REG/multi-zstd:latest" "$(fixture_id multi-zstd latest)"
    assert_same_tree "$SKIFF_REG/multi-zstd:latest" multi
    assert_store_clean
}

@test "pull uncompressed layers" {
    pull_ok "$SKIFF_REG/multi-plain:latest" "$(fixture_id multi-plain latest)"
    assert_same_tree "$SKIFF_REG/multi-plain:latest" multi
    assert_store_clean
}

@test "compressed blobs are kept by digest, layers unpacked by diff id" {
    pull_ok "$SKIFF_REG/multi:latest" "$(fixture_id multi latest)"
    local d
    for d in $(reg_manifest multi latest | jq -r '.config.digest, .layers[].digest'); do
        [[ -f $STORE/blobs/sha256/${d#sha256:} ]] || fail_with "blob $d not in $STORE/blobs/sha256"
        assert_equal "sha256:$(sha256sum <"$STORE/blobs/sha256/${d#sha256:}" | cut -d' ' -f1)" "$d" "stored blob content"
    done
    for d in $(fixture_diffids multi latest); do
        [[ -d $STORE/layers/${d#sha256:}/diff ]] || fail_with "no layer dir for $d"
    done
}

@test "pull by digest" {
    local d id
    d=$(fixture_digest busybox latest)
    id=$(fixture_id busybox latest)
    pull_ok "$SKIFF_REG/busybox@$d" "$id"
    run --separate-stderr sk image inspect --format '{{.Id}}' "$SKIFF_REG/busybox@$d"
    assert_success
    assert_equal "$output" "$id"
    assert_same_tree "$SKIFF_REG/busybox@$d" single
}

@test "pull from an OCI index picks the host platform (linux/amd64)" {
    pull_ok "$SKIFF_REG/multiarch:latest" "$(fixture_id multiarch latest amd64)"
    assert_same_tree "$SKIFF_REG/multiarch:latest" amd64
}

@test "pull --platform linux/arm64 picks the arm64 manifest of an OCI index" {
    local id
    id=$(fixture_id multiarch latest arm64)
    [[ $id != "$(fixture_id multiarch latest amd64)" ]]
    pull_ok "$SKIFF_REG/multiarch:latest" "$id" --platform linux/arm64
    assert_same_tree "$SKIFF_REG/multiarch:latest" arm64
    run --separate-stderr sk image inspect --format '{{.Os}}/{{.Architecture}}' "$id"
    assert_success
    assert_equal "$output" linux/arm64
    pull_ok "$SKIFF_REG/multiarch:latest" "$id" --platform linux/arm64/v8
}

@test "pull from a Docker manifest list, default and --platform" {
    pull_ok "$SKIFF_REG/multiarch:docker" "$(fixture_id multiarch docker amd64)" --platform linux/amd64
    pull_ok "$SKIFF_REG/multiarch:docker" "$(fixture_id multiarch docker arm64)" --platform linux/arm64
    assert_same_tree "$SKIFF_REG/multiarch:docker" arm64
    pull_ok "$SKIFF_REG/multiarch:docker" "$(fixture_id multiarch docker amd64)"
    assert_store_clean
}

@test "pull --platform with no matching manifest fails clearly" {
    run --separate-stderr sk pull --platform linux/s390x "$SKIFF_REG/multiarch:latest"
    assert_clean_error
    [[ $stderr == *s390x* ]] || fail_with "error does not name the platform"
}

@test "pull -q prints nothing but the image id" {
    run --separate-stderr sk pull -q "$SKIFF_REG/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
    # the only thing allowed on stderr is the one-time no-subuid warning
    local rest
    rest=$(printf '%s\n' "$stderr" | grep -viE 'warn|subuid|subordinate' | sed '/^$/d' || true)
    assert_equal "$rest" "" "stderr of pull -q"
}

@test "pulling twice gives the same image and a clean store" {
    local id
    id=$(fixture_id multi latest)
    pull_ok "$SKIFF_REG/multi:latest" "$id"
    pull_ok "$SKIFF_REG/multi:latest" "$id"
    run sk images -q --no-trunc
    assert_success
    [[ $(grep -c "$id" <<<"$output") -eq 1 ]] || fail_with "image listed more than once"
    assert_store_clean
}

@test "pull --root DIR stores there, not in the default store" {
    local id
    id=$(fixture_id busybox latest)
    pull_ok "$SKIFF_REG/busybox:latest" "$id" --root "$T/home/other"
    # global flag before the command works too
    run --separate-stderr sk --root "$T/home/other" image inspect --format '{{.Id}}' "$SKIFF_REG/busybox:latest"
    assert_success
    assert_equal "$output" "$id"
    [[ -f $T/home/other/blobs/sha256/$id ]] || fail_with "config blob not under --root"
    [[ ! -e $STORE/blobs/sha256/$id ]] || fail_with "config blob in the default store"
    STORE="$T/home/other" assert_same_tree "$SKIFF_REG/busybox:latest" single
    assert_store_clean --root "$T/home/other"
}

@test "pull of an unknown repository or tag fails clearly" {
    run --separate-stderr sk pull "$SKIFF_REG/no-such-repo:latest"
    assert_clean_error
    run --separate-stderr sk pull "$SKIFF_REG/busybox:no-such-tag"
    assert_clean_error
    run --separate-stderr sk pull "$SKIFF_REG/busybox@sha256:$(printf '%064d' 0)"
    assert_clean_error
}

@test "pull from a closed port fails clearly" {
    local port
    port=$(free_port)
    run --separate-stderr sk pull "127.0.0.1:$port/busybox:latest"
    assert_clean_error
}

@test "bad references give a clear error and exit 125" {
    local ref
    for ref in "UPPER/case" "a b" ":tag" "repo:" "repo@" "a//b" "-dash/x" "repo:bad!tag" \
        "repo@sha256:1234" "repo@sha256:$(printf 'z%.0s' {1..64})" "r:$(printf 't%.0s' {1..129})" ""; do
        run --separate-stderr sk pull -- "$ref"
        assert_clean_error
        [[ ${stderr,,} =~ reference|invalid|format ]] || fail_with "error for '$ref' does not say the reference is bad"
    done
}

@test "the no-subuid user is warned; the subuid user is not" {
    run --separate-stderr sk pull "$SKIFF_REG/busybox:latest"
    assert_success
    if is_subuid_user; then
        [[ ! ${stderr,,} =~ subuid|subordinate ]] || fail_with "subuid user warned about subuids"
    else
        [[ ${stderr,,} =~ subuid|subordinate ]] || fail_with "no warning about missing subordinate ids"
    fi
}

# ---- registry with htpasswd auth ----

auth_json() { # FILE [password]
    local file=$1 pass=${2:-$SKIFF_AUTH_PASS}
    mkdir -p "$(dirname "$file")"
    printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$SKIFF_AUTH_REG" \
        "$(printf '%s:%s' "$SKIFF_AUTH_USER" "$pass" | base64 -w0)" >"$file"
    chown -R "$TU:$TG" "$T/home" "$T/run"
}

@test "auth registry: pull without credentials fails clearly" {
    run --separate-stderr sk pull "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_clean_error
    [[ ${stderr,,} =~ auth|credential|401|denied|login ]] || fail_with "error does not mention authentication"
}

@test "auth registry: REGISTRY_AUTH_FILE" {
    auth_json "$T/home/auth.json"
    run --separate-stderr sk REGISTRY_AUTH_FILE="$T/home/auth.json" pull "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
    assert_same_tree "$SKIFF_AUTH_REG/private/busybox:latest" single
}

@test "auth registry: --authfile" {
    auth_json "$T/home/creds/a.json"
    run --separate-stderr sk pull --authfile "$T/home/creds/a.json" "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
}

@test "auth registry: \$XDG_RUNTIME_DIR/containers/auth.json" {
    auth_json "$T/run/containers/auth.json"
    run --separate-stderr sk pull "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
}

@test "auth registry: ~/.docker/config.json" {
    auth_json "$T/home/.docker/config.json"
    run --separate-stderr sk pull "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
}

@test "auth registry: a wrong password fails clearly" {
    auth_json "$T/home/auth.json" wrong-password
    run --separate-stderr sk REGISTRY_AUTH_FILE="$T/home/auth.json" pull "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_clean_error
}
