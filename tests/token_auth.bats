#!/usr/bin/env bats
# skiff pull through Docker Hub's bearer-token flow, against a real registry set
# up the way Docker Hub is: Debian's docker-registry (distribution 2.8) with
# `auth: token:` (realm, service, issuer, rootcertbundle) and tests/token_server.py
# as the realm (RS256 JWTs with an x5c chain).  The token server gives anonymous
# clients `pull` on public/* only and checks HTTP Basic credentials (tok/tokpass).
# The harness pushed the `single` fixture as private/busybox and public/busybox.
load helpers

setup() {
    skiff_setup
    [[ -n ${SKIFF_TOKEN_REG:-} ]] || fail_with "harness without a token registry (SKIFF_TOKEN_REG unset)"
    TOKEN_LOG_LINES=$(wc -l <"$SKIFF_TOKEN_LOG" 2>/dev/null || echo 0)
}
teardown() { skiff_teardown; }

token_auth_json() { # FILE [password]
    local file=$1 pass=${2:-$SKIFF_TOKEN_PASS}
    mkdir -p "$(dirname "$file")"
    printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$SKIFF_TOKEN_REG" \
        "$(printf '%s:%s' "$SKIFF_TOKEN_USER" "$pass" | base64 -w0)" >"$file"
    chown -R "$TU:$TG" "$T/home" "$T/run"
}

# assert_not_pulled: a failed pull left no image, name or fixture blob behind
# (a fresh store already holds skiff's embedded localhost/hello image)
assert_not_pulled() {
    local id
    id=$(fixture_id busybox latest)
    run --separate-stderr sk images -q --no-trunc
    assert_success
    [[ $output != *"$id"* ]] || fail_with "image $id in the store after a failed pull"
    run --separate-stderr sk images
    assert_success
    [[ $output != *"$SKIFF_TOKEN_REG"* ]] || fail_with "a name on $SKIFF_TOKEN_REG after a failed pull"
    [[ ! -e $STORE/blobs/sha256/$id ]] || fail_with "the fixture's config blob was stored"
}

# token_requests: the token server's log lines written during this test
token_requests() { tail -n +"$((TOKEN_LOG_LINES + 1))" "$SKIFF_TOKEN_LOG"; }

# assert_token_issued USER REPO: the token server issued a token to USER ("" =
# anonymous) for service skiff-token-registry granting pull on REPO
assert_token_issued() {
    local user=$1 repo=$2 n
    n=$(token_requests | jq -s --arg u "$user" --arg r "$repo" \
        '[.[] | select(.user == $u and .service == "skiff-token-registry"
            and any(.access[]?; .name == $r and (.actions | index("pull"))))] | length')
    [[ $n -ge 1 ]] || {
        echo "FAILED: no token for user '$user' with pull on $repo; token server saw:" >&2
        token_requests >&2
        return 1
    }
}

@test "token registry: anonymous pull of public/busybox (token flow without credentials)" {
    run --separate-stderr sk pull "$SKIFF_TOKEN_REG/public/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
    assert_token_issued "" public/busybox
    assert_same_tree "$SKIFF_TOKEN_REG/public/busybox:latest" single
    assert_store_clean
}

@test "token registry: pull of private/busybox without credentials fails clearly" {
    run --separate-stderr sk pull "$SKIFF_TOKEN_REG/private/busybox:latest"
    assert_clean_error 125
    [[ ${stderr,,} =~ auth|credential|401|denied|login ]] || fail_with "error does not mention authentication"
    assert_not_pulled
    assert_store_clean
}

@test "token registry: --authfile" {
    token_auth_json "$T/home/creds/a.json"
    run --separate-stderr sk pull --authfile "$T/home/creds/a.json" "$SKIFF_TOKEN_REG/private/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
    assert_token_issued "$SKIFF_TOKEN_USER" private/busybox
    assert_same_tree "$SKIFF_TOKEN_REG/private/busybox:latest" single
    assert_store_clean
}

@test "token registry: REGISTRY_AUTH_FILE" {
    token_auth_json "$T/home/auth.json"
    run --separate-stderr sk REGISTRY_AUTH_FILE="$T/home/auth.json" pull "$SKIFF_TOKEN_REG/private/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
    assert_token_issued "$SKIFF_TOKEN_USER" private/busybox
    assert_same_tree "$SKIFF_TOKEN_REG/private/busybox:latest" single
    assert_store_clean
}

@test "token registry: credentials also work for public/ (authenticated token)" {
    token_auth_json "$T/home/auth.json"
    run --separate-stderr sk REGISTRY_AUTH_FILE="$T/home/auth.json" pull "$SKIFF_TOKEN_REG/public/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
    assert_token_issued "$SKIFF_TOKEN_USER" public/busybox
    assert_store_clean
}

@test "token registry: a wrong password fails clearly" {
    token_auth_json "$T/home/auth.json" wrong-password
    run --separate-stderr sk REGISTRY_AUTH_FILE="$T/home/auth.json" pull "$SKIFF_TOKEN_REG/private/busybox:latest"
    assert_clean_error 125
    [[ ${stderr,,} =~ auth|credential|401|denied|login|password ]] || fail_with "error does not mention authentication"
    [[ $stderr != *wrong-password* ]] || fail_with "the password appears in the error"
    token_requests | grep -q '"denied"' || fail_with "the token server never saw the wrong credentials"
    assert_not_pulled
    assert_store_clean
}
