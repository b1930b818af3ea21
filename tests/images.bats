#!/usr/bin/env bats
# images / image ls / inspect / tag / rmi / image prune and their --format.
load helpers

setup() {
    skiff_setup
    REF="$SKIFF_REG/busybox:latest"
    ID=$(fixture_id busybox latest)
}
teardown() { skiff_teardown; }

pull_busybox() {
    run --separate-stderr sk pull -q "$REF"
    assert_success
    assert_equal "$output" "$ID"
}

@test "a fresh store lists localhost/hello:latest" {
    run --separate-stderr sk images
    assert_success
    assert_output_matches 'localhost/hello[[:space:]]+latest'
}

@test "images shows Podman's columns and the pulled image" {
    pull_busybox
    run --separate-stderr sk images
    assert_success
    assert_output_matches '^REPOSITORY[[:space:]]+TAG[[:space:]]+IMAGE ID[[:space:]]+CREATED[[:space:]]+SIZE'
    assert_output_matches "$SKIFF_REG/busybox[[:space:]]+latest[[:space:]]+${ID:0:12}[[:space:]]"
}

@test "image ls is images" {
    pull_busybox
    run --separate-stderr sk images
    local a=$output
    run --separate-stderr sk image ls
    assert_success
    assert_equal "$output" "$a" "image ls output"
}

@test "images -q, --no-trunc" {
    pull_busybox
    run --separate-stderr sk images -q
    assert_success
    printf '%s\n' "$output" | grep -qx "${ID:0:12}" || fail_with "images -q lacks ${ID:0:12}"
    ! printf '%s\n' "$output" | grep -vqE '^[0-9a-f]{12}$' || fail_with "images -q prints more than short ids"
    run --separate-stderr sk images -q --no-trunc
    assert_success
    printf '%s\n' "$output" | grep -qxE "(sha256:)?$ID" || fail_with "images -q --no-trunc lacks the full id"
    run --separate-stderr sk images --no-trunc
    assert_success
    assert_output_contains "$ID"
}

@test "images --digests shows the manifest digest" {
    pull_busybox
    run --separate-stderr sk images --digests
    assert_success
    assert_output_matches '^REPOSITORY[[:space:]]+TAG[[:space:]]+DIGEST[[:space:]]+IMAGE ID'
    assert_output_contains "$(fixture_digest busybox latest)"
}

@test "images --format json" {
    pull_busybox
    run --separate-stderr sk images --format json
    assert_success
    jq -e 'type == "array" and length >= 2' <<<"$output" >/dev/null || fail_with "not a JSON array of the images"
    jq -e --arg id "$ID" '[.. | strings | select(contains($id))] | length > 0' <<<"$output" >/dev/null ||
        fail_with "JSON does not contain the image id"
    jq -e --arg r "$REF" '[.. | strings | select(contains($r))] | length > 0' <<<"$output" >/dev/null ||
        fail_with "JSON does not contain the image name"
}

@test "images --format Go templates and table" {
    pull_busybox
    run --separate-stderr sk images --format '{{.Repository}}:{{.Tag}}'
    assert_success
    printf '%s\n' "$output" | grep -qx "$REF" || fail_with "no line $REF"
    printf '%s\n' "$output" | grep -qx "localhost/hello:latest" || fail_with "no line localhost/hello:latest"
    run --separate-stderr sk images --no-trunc --format '{{.ID}} {{.Digest}}'
    assert_success
    printf '%s\n' "$output" | grep -qxE "(sha256:)?$ID $(fixture_digest busybox latest)" || fail_with "no '{{.ID}} {{.Digest}}' line"
    run --separate-stderr sk images --format 'table {{.Repository}} {{.Tag}}'
    assert_success
    assert_output_matches '^REPOSITORY[[:space:]]+TAG'
    assert_output_matches "$SKIFF_REG/busybox[[:space:]]+latest"
    run --separate-stderr sk images --format '{{.Size}}|{{.Created}}'
    assert_success
    [[ $output == *'|'* ]] || fail_with "size/created template"
}

@test "image inspect: Podman's field names and the image's digests" {
    pull_busybox
    run --separate-stderr sk image inspect "$REF"
    assert_success
    local j=$output
    jq -e 'type == "array" and length == 1' <<<"$j" >/dev/null || fail_with "not a one-element array"
    assert_equal "$(jq -r '.[0].Id' <<<"$j")" "$ID" Id
    assert_equal "$(jq -r '.[0].Digest' <<<"$j")" "$(fixture_digest busybox latest)" Digest
    jq -e --arg r "$REF" '.[0].RepoTags | index($r) != null' <<<"$j" >/dev/null || fail_with "RepoTags lacks $REF"
    jq -e --arg r "$SKIFF_REG/busybox@$(fixture_digest busybox latest)" '.[0].RepoDigests | index($r) != null' <<<"$j" >/dev/null ||
        fail_with "RepoDigests lacks the name@digest"
    assert_equal "$(jq -r '.[0].Architecture' <<<"$j")" amd64 Architecture
    assert_equal "$(jq -r '.[0].Os' <<<"$j")" linux Os
    assert_equal "$(jq -r '.[0].RootFS.Type' <<<"$j")" layers RootFS.Type
    assert_equal "$(jq -r '.[0].RootFS.Layers[]' <<<"$j")" "$(fixture_diffids busybox latest)" RootFS.Layers
    assert_equal "$(jq -c '.[0].Config.Cmd' <<<"$j")" '["/bin/sh"]' Config.Cmd
    jq -e '.[0].Config.Env | index("FOO=bar") != null' <<<"$j" >/dev/null || fail_with "Config.Env lacks FOO=bar"
    assert_equal "$(jq -r '.[0].Config.Labels["org.skiff.test"]' <<<"$j")" single Config.Labels
    jq -e '.[0].Size > 1000000' <<<"$j" >/dev/null || fail_with "Size is not the image size"
    [[ $(jq -r '.[0].Created' <<<"$j") == 2024-01-02T03:04:05* ]] || fail_with "Created"
    # `inspect` is the same, and so is inspecting by id and short id
    run --separate-stderr sk inspect "$REF"
    assert_success
    assert_equal "$(jq -r '.[0].Id' <<<"$output")" "$ID" "inspect Id"
    run --separate-stderr sk image inspect --format '{{.Id}}' "${ID:0:12}"
    assert_success
    assert_equal "$output" "$ID" "inspect by short id"
}

@test "image inspect --format templates" {
    pull_busybox
    run --separate-stderr sk image inspect --format '{{.Id}}' "$REF"
    assert_success
    assert_equal "$output" "$ID"
    run --separate-stderr sk image inspect --format '{{range .RootFS.Layers}}{{.}} {{end}}' "$REF"
    assert_success
    assert_equal "$(echo $output)" "$(echo $(fixture_diffids busybox latest))" "range over layers"
    run --separate-stderr sk inspect --format '{{json .Config.Cmd}}' "$REF"
    assert_success
    assert_equal "$output" '["/bin/sh"]'
    run --separate-stderr sk inspect --format '{{if .RepoTags}}tagged{{else}}untagged{{end}}' "$REF"
    assert_success
    assert_equal "$output" tagged
    run --separate-stderr sk inspect --format '{{json .}}' "$REF"
    assert_success
    assert_equal "$(jq -r .Id <<<"$output")" "$ID" "{{json .}}"
}

@test "inspect of an unknown image fails clearly" {
    run --separate-stderr sk image inspect localhost/nope:latest
    assert_clean_error
}

@test "tag adds a name; rmi of one name untags, of the last removes" {
    pull_busybox
    run --separate-stderr sk tag "$REF" localhost/mine:v1
    assert_success
    run --separate-stderr sk images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    assert_success
    assert_output_contains "localhost/mine:v1 ${ID:0:12}"
    assert_output_contains "$REF ${ID:0:12}"
    run --separate-stderr sk image inspect --format '{{.Id}}' localhost/mine:v1
    assert_success
    assert_equal "$output" "$ID"
    run --separate-stderr sk tag localhost/mine:v1 localhost/mine:v2
    assert_success
    run --separate-stderr sk image inspect --format '{{.Id}}' localhost/mine:v2
    assert_success
    assert_equal "$output" "$ID"

    run --separate-stderr sk rmi localhost/mine:v1
    assert_success
    run --separate-stderr sk image rm localhost/mine:v2
    assert_success
    run --separate-stderr sk images --format '{{.Repository}}:{{.Tag}}'
    assert_output_not_contains localhost/mine
    assert_output_contains "$REF"
    run --separate-stderr sk rmi "$REF"
    assert_success
    run --separate-stderr sk images -q --no-trunc
    assert_success
    assert_output_not_contains "$ID"
    assert_store_clean
}

@test "rmi by id removes every name with -f" {
    pull_busybox
    run --separate-stderr sk tag "$REF" localhost/other:x
    assert_success
    run --separate-stderr sk rmi -f "$ID"
    assert_success
    run --separate-stderr sk images -q --no-trunc
    assert_output_not_contains "$ID"
    assert_store_clean
}

@test "rmi of an unknown image fails clearly" {
    run --separate-stderr sk rmi localhost/nope:latest
    [[ $status -ne 0 ]] || fail_with "rmi of a missing image succeeded"
    assert_clean_error "$status"
}

@test "image prune removes dangling images; prune -a removes unused ones" {
    # moving:latest first names busybox, then multi: the busybox image is left dangling
    skopeo copy -q --src-tls-verify=false --dest-tls-verify=false \
        "docker://$SKIFF_REG/busybox:latest" "docker://$SKIFF_REG/moving:latest"
    run --separate-stderr sk pull -q "$SKIFF_REG/moving:latest"
    assert_success
    assert_equal "$output" "$ID"
    skopeo copy -q --src-tls-verify=false --dest-tls-verify=false \
        "docker://$SKIFF_REG/multi:latest" "docker://$SKIFF_REG/moving:latest"
    local multi
    multi=$(fixture_id multi latest)
    run --separate-stderr sk pull -q "$SKIFF_REG/moving:latest"
    assert_success
    assert_equal "$output" "$multi"
    run --separate-stderr sk images -a -q --no-trunc
    assert_output_contains "$ID"
    run --separate-stderr sk images -a
    assert_output_matches "<none>[[:space:]]+<none>[[:space:]]+${ID:0:12}"

    run --separate-stderr sk image prune -f
    assert_success
    run --separate-stderr sk images -a -q --no-trunc
    assert_output_not_contains "$ID"
    assert_output_contains "$multi"
    assert_store_clean

    run --separate-stderr sk image prune -a -f
    assert_success
    run --separate-stderr sk images -a -q --no-trunc
    assert_output_not_contains "$multi"
    assert_store_clean
    # and the pruned layers are gone from disk
    local d
    for d in $(fixture_diffids multi latest); do
        [[ ! -e $STORE/layers/${d#sha256:} ]] || fail_with "layer $d left after prune -a"
    done
}

@test "info and version" {
    run --separate-stderr sk info
    assert_success
    assert_output_contains "$STORE"
    run --separate-stderr sk version
    assert_success
    assert_output_contains "$(crate_version)"
}

@test "tag with a short name gives a local name, as in Podman (localhost/NAME:latest)" {
    pull_busybox
    run --separate-stderr sk tag "$REF" short
    assert_success
    run --separate-stderr sk images --format '{{.Repository}}:{{.Tag}}'
    assert_output_contains "localhost/short:latest"
    run --separate-stderr sk image inspect --format '{{.Id}}' short
    assert_equal "$output" "$ID" "the short name resolves"
}
