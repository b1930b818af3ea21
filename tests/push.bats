#!/usr/bin/env bats
# skiff push to real registries (Debian's docker-registry): what arrives is read
# back with skopeo (an independent client) and podman; request counts come from a
# registry started by the test with its access log on.
load helpers

setup() {
    skiff_setup
    REPO="push/$SKIFF_TEST_USER/t$BATS_TEST_NUMBER"
}
teardown() { skiff_teardown; }

# start_logged_registry: a registry of this test's own, access log on; sets LREG, LREG_LOG
start_logged_registry() {
    local dir=$T/registry port
    port=$(free_port)
    mkdir -p "$dir/storage"
    cat >"$dir/config.yml" <<EOT
version: 0.1
log: {level: error, accesslog: {disabled: false}}
storage:
  filesystem: {rootdirectory: $dir/storage}
http: {addr: 127.0.0.1:$port, secret: skiff-push-test}
EOT
    LREG=127.0.0.1:$port
    LREG_LOG=$dir/access.log
    # the access log goes to the registry's stdout
    setsid /usr/bin/docker-registry serve "$dir/config.yml" >"$LREG_LOG" 2>&1 3>&- &
    BG_PIDS+=("$!")
    wait_until 10 curl -sf -o /dev/null "http://$LREG/v2/" || fail_with "registry did not start"
}

log_mark() { LOG_MARK=$(wc -l <"$LREG_LOG"); }
log_since() { tail -n +"$((LOG_MARK + 1))" "$LREG_LOG" | grep -E '"(GET|HEAD|POST|PUT|PATCH|DELETE) ' || true; }
# blob_uploads: upload requests (POST without mount, PATCH, PUT) since log_mark
blob_uploads() { log_since | grep -E '"(POST|PATCH|PUT) /v2/[^ ]*/blobs/uploads' | grep -v 'mount=' || true; }

pull_q() { # REF
    run --separate-stderr sk pull -q "$1"
    [[ $status -eq 0 ]] || fail_with "pull $1 failed"
}

repo_digest() { # IMAGE REPO -> the RepoDigest for REPO in skiff's image inspect
    sk image inspect --format '{{range .RepoDigests}}{{.}} {{end}}' "$1" | tr ' ' '\n' | grep "^$2@" | head -n1
}

skopeo_digest() { skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$1"; }
raw_manifest() { skopeo inspect --tls-verify=false --raw "docker://$1"; }

@test "push: skopeo sees the digest skiff records as RepoDigest, v2s2 by default, same blobs" {
    pull_q "$SKIFF_REG/multi:latest"
    run --separate-stderr sk push "$SKIFF_REG/multi:latest" "$SKIFF_REG/$REPO:v1"
    assert_success
    [[ -z $output ]] || fail_with "push printed on stdout"
    [[ $stderr == *"Writing manifest"* ]] || fail_with "no progress on stderr"
    local rd sd m
    rd=$(repo_digest "$SKIFF_REG/multi:latest" "$SKIFF_REG/$REPO")
    [[ -n $rd ]] || fail_with "no RepoDigest for $SKIFF_REG/$REPO"
    sd=$(skopeo_digest "$SKIFF_REG/$REPO:v1")
    assert_equal "${rd#*@}" "$sd" "RepoDigest vs skopeo inspect"
    m=$(raw_manifest "$SKIFF_REG/$REPO:v1")
    assert_equal "$(jq -r .mediaType <<<"$m")" application/vnd.docker.distribution.manifest.v2+json
    assert_equal "$(jq -r .config.mediaType <<<"$m")" application/vnd.docker.container.image.v1+json
    assert_equal "$(jq -r '[.layers[].mediaType] | unique | join(",")' <<<"$m")" application/vnd.docker.image.rootfs.diff.tar.gzip
    assert_equal "$(jq -r .config.digest <<<"$m")" "sha256:$(fixture_id multi latest)"
    assert_equal "$(jq -r '[.layers[].digest] | join(",")' <<<"$m")" \
        "$(reg_manifest multi latest | jq -r '[.layers[].digest] | join(",")')" "layer blobs keep their digests"
    # what was pushed pulls back (into a fresh store) as the same image and tree
    run --separate-stderr sk --root "$T/data/other" pull -q "$SKIFF_REG/$REPO:v1"
    assert_success
    assert_equal "$output" "$(fixture_id multi latest)"
    assert_store_clean
}

@test "push --format oci keeps the OCI manifest byte for byte" {
    pull_q "$SKIFF_REG/busybox:latest"
    run --separate-stderr sk push --format oci -q "$SKIFF_REG/busybox:latest" "$SKIFF_REG/$REPO:oci"
    assert_success
    local m
    m=$(raw_manifest "$SKIFF_REG/$REPO:oci")
    # umoci's manifests carry no mediaType field: the registry's Content-Type tells
    assert_equal "$(curl -sf -o /dev/null -w '%{content_type}' "${ACCEPT_ALL[@]}" "http://$SKIFF_REG/v2/$REPO/manifests/oci")" \
        application/vnd.oci.image.manifest.v1+json "Content-Type of the pushed manifest"
    assert_equal "$(jq -r .config.mediaType <<<"$m")" application/vnd.oci.image.config.v1+json
    assert_equal "$(jq -r '.layers[0].mediaType' <<<"$m")" application/vnd.oci.image.layer.v1.tar+gzip
    assert_equal "$(skopeo_digest "$SKIFF_REG/$REPO:oci")" "$(fixture_digest busybox latest)" "same digest as the source"
}

@test "push of zstd layers: oci by default, --format v2s2 refused clearly" {
    pull_q "$SKIFF_REG/busybox-zstd:latest"
    run --separate-stderr sk push --format v2s2 "$SKIFF_REG/busybox-zstd:latest" "$SKIFF_REG/$REPO:z"
    assert_clean_error 125
    [[ $stderr == *zstd* && $stderr == *"--format oci"* ]] || fail_with "error does not explain zstd"
    run --separate-stderr sk push -q "$SKIFF_REG/busybox-zstd:latest" "$SKIFF_REG/$REPO:z"
    assert_success
    assert_equal "$(raw_manifest "$SKIFF_REG/$REPO:z" | jq -r '.layers[0].mediaType')" application/vnd.oci.image.layer.v1.tar+zstd
}

@test "second push uploads no blob; push to another repo on the same registry mounts" {
    start_logged_registry
    pull_q "$SKIFF_REG/multi:latest"
    log_mark
    run --separate-stderr sk push -q "$SKIFF_REG/multi:latest" "$LREG/first:1"
    assert_success
    [[ $(blob_uploads | grep -c '"PUT ') -eq 4 ]] || fail_with "expected 4 blob PUTs (config + 3 layers): $(blob_uploads)"
    log_mark
    run --separate-stderr sk push "$SKIFF_REG/multi:latest" "$LREG/first:1"
    assert_success
    [[ -z $(blob_uploads) ]] || fail_with "second push uploaded blobs: $(blob_uploads)"
    [[ $(log_since | grep -c '"HEAD /v2/first/blobs/') -eq 4 ]] || fail_with "expected 4 HEAD checks: $(log_since)"
    [[ $stderr == *"skipped: already exists"* ]] || fail_with "progress does not say skipped"
    log_mark
    run --separate-stderr sk push -q "$SKIFF_REG/multi:latest" "$LREG/second:1"
    assert_success
    [[ -z $(blob_uploads) ]] || fail_with "push to a new repo uploaded blobs: $(blob_uploads)"
    [[ $(log_since | grep -E '"POST /v2/second/blobs/uploads/\?mount=sha256:[0-9a-f]+&from=first HTTP/1.1" 201' -c) -eq 4 ]] ||
        fail_with "expected 4 cross-repo mounts: $(log_since)"
    assert_equal "$(skopeo_digest "$LREG/second:1")" "$(skopeo_digest "$LREG/first:1")"
}

@test "chunked upload (PATCH with Content-Range) gives the same image" {
    start_logged_registry
    pull_q "$SKIFF_REG/multi:latest"
    log_mark
    run --separate-stderr sk push -q --chunk-size 4096 "$SKIFF_REG/multi:latest" "$LREG/chunked:1"
    assert_success
    [[ $(blob_uploads | grep -c '"PATCH ') -ge 2 ]] || fail_with "no chunked PATCH uploads: $(blob_uploads)"
    run --separate-stderr sk --root "$T/data/other" pull -q "$LREG/chunked:1"
    assert_success
    assert_equal "$output" "$(fixture_id multi latest)"
    assert_equal "$(raw_manifest "$LREG/chunked:1" | jq -r '[.layers[].digest] | join(",")')" \
        "$(reg_manifest multi latest | jq -r '[.layers[].digest] | join(",")')"
}

@test "push by digest, --digestfile, and a digest that does not match" {
    pull_q "$SKIFF_REG/busybox:latest"
    run --separate-stderr sk push -q --digestfile "$T/work/d" "$SKIFF_REG/busybox:latest" "$SKIFF_REG/$REPO:t"
    assert_success
    local d
    d=$(cat "$T/work/d")
    [[ $d =~ ^sha256:[0-9a-f]{64}$ ]] || fail_with "digest file holds '$d'"
    assert_equal "$d" "$(skopeo_digest "$SKIFF_REG/$REPO:t")"
    run --separate-stderr sk push -q "$SKIFF_REG/busybox:latest" "$SKIFF_REG/$REPO-bydigest@$d"
    assert_success
    assert_equal "sha256:$(raw_manifest "$SKIFF_REG/$REPO-bydigest@$d" | sha256sum | cut -d' ' -f1)" "$d"
    local wrong=sha256:$(printf '%064d' 0)
    run --separate-stderr sk push -q "$SKIFF_REG/busybox:latest" "$SKIFF_REG/$REPO-bad@$wrong"
    assert_clean_error 125
    [[ $stderr == *"$d"* ]] || fail_with "error does not name the real digest"
}

@test "push of an unknown image or an id without destination fails clearly" {
    run --separate-stderr sk push "$SKIFF_REG/nope:latest"
    assert_clean_error 125
    pull_q "$SKIFF_REG/busybox:latest"
    run --separate-stderr sk push "$(fixture_id busybox latest)"
    assert_clean_error 125
    [[ $stderr == *DESTINATION* ]] || fail_with "error does not ask for a destination"
}

@test "a push killed with SIGKILL mid-way succeeds when run again" {
    start_logged_registry
    pull_q "$SKIFF_REG/big:latest"
    sk_argv
    log_mark
    "${SK[@]}" push -q --chunk-size 262144 "$SKIFF_REG/big:latest" "$LREG/killed:1" </dev/null &
    local pid=$!
    wait_until 20 sh -c "tail -n +$((LOG_MARK + 1)) '$LREG_LOG' | grep -q '\"PATCH '" || true
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    run --separate-stderr sk push -q "$SKIFF_REG/big:latest" "$LREG/killed:1"
    assert_success
    run --separate-stderr sk --root "$T/data/other" pull -q "$LREG/killed:1"
    assert_success
    assert_equal "$output" "$(fixture_id big latest)"
    assert_store_clean
}

# podman as the test user: runc, cgroupfs, its own storage under the test's HOME
podman_user() {
    mkdir -p "$T/home/.config/containers"
    printf '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
        >"$T/home/.config/containers/containers.conf"
    chown -R "$TU:$TG" "$T/home/.config"
}
pm() { as_user podman "$@"; }

@test "podman pulls what skiff pushed (same image id); skiff pulls what podman pushed" {
    command -v podman >/dev/null || require "podman is not installed"
    podman_user
    pull_q "$SKIFF_REG/busybox:latest"
    run --separate-stderr sk push -q "$SKIFF_REG/busybox:latest" "$SKIFF_REG/$REPO:s"
    assert_success
    run --separate-stderr pm pull -q --tls-verify=false "$SKIFF_REG/$REPO:s"
    [[ $status -eq 0 ]] || fail_with "podman pull failed"
    assert_equal "$(pm image inspect --format '{{.Id}}' "$SKIFF_REG/$REPO:s")" "$(fixture_id busybox latest)"
    run --separate-stderr pm push -q --tls-verify=false "$SKIFF_REG/$REPO:s" "$SKIFF_REG/$REPO:from-podman"
    [[ $status -eq 0 ]] || fail_with "podman push failed"
    run --separate-stderr sk --root "$T/data/other" pull -q "$SKIFF_REG/$REPO:from-podman"
    assert_success
    local want
    want=$(fixture_id "$REPO" from-podman)
    assert_equal "$output" "$want"
    pm rmi -af >/dev/null 2>&1 || true
}
