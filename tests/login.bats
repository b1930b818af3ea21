#!/usr/bin/env bats
# skiff login / logout against the harness's htpasswd registry ($SKIFF_AUTH_REG)
# and its token registry ($SKIFF_TOKEN_REG, Docker Hub's bearer flow).
load helpers

setup() {
    skiff_setup
    AUTHJSON=$T/run/containers/auth.json
}
teardown() { skiff_teardown; }

login_ok() { # REGISTRY USER PASS [flags...]
    local reg=$1 user=$2 pass=$3
    shift 3
    run --separate-stderr sk login "$@" -u "$user" -p "$pass" "$reg"
    assert_success
    assert_equal "$output" "Login Succeeded!"
}

@test "login: a wrong password is refused clearly and nothing is saved" {
    run --separate-stderr sk login -u "$SKIFF_AUTH_USER" -p wrong-password "$SKIFF_AUTH_REG"
    assert_clean_error 125
    [[ $stderr == *"logging in to $SKIFF_AUTH_REG: invalid username/password"* ]] || fail_with "unclear error"
    [[ $stderr != *wrong-password* ]] || fail_with "the password appears in the error"
    [[ ! -e $AUTHJSON ]] || fail_with "auth.json written after a failed login"
}

@test "login: right password stored 0600 (dir 0700), used by pull and push; logout removes it" {
    login_ok "$SKIFF_AUTH_REG" "$SKIFF_AUTH_USER" "$SKIFF_AUTH_PASS"
    assert_equal "$(stat -c '%a %U' "$AUTHJSON")" "600 $SKIFF_TEST_USER" "auth.json mode and owner"
    assert_equal "$(stat -c %a "$(dirname "$AUTHJSON")")" 700 "containers dir mode"
    assert_equal "$(jq -r --arg r "$SKIFF_AUTH_REG" '.auths[$r].auth' "$AUTHJSON" | base64 -d)" "$SKIFF_AUTH_USER:$SKIFF_AUTH_PASS"
    run --separate-stderr sk login --get-login "$SKIFF_AUTH_REG"
    assert_success
    assert_equal "$output" "$SKIFF_AUTH_USER"
    run --separate-stderr sk pull -q "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
    run --separate-stderr sk push -q "$SKIFF_AUTH_REG/private/busybox:latest" "$SKIFF_AUTH_REG/push/$SKIFF_TEST_USER/bb:1"
    assert_success
    assert_equal "$(skopeo inspect --tls-verify=false --creds "$SKIFF_AUTH_USER:$SKIFF_AUTH_PASS" --format '{{.Digest}}' "docker://$SKIFF_AUTH_REG/push/$SKIFF_TEST_USER/bb:1")" \
        "$(sk image inspect --format '{{range .RepoDigests}}{{.}} {{end}}' "$SKIFF_AUTH_REG/private/busybox:latest" | tr ' ' '\n' | sed -n "s|^$SKIFF_AUTH_REG/push/$SKIFF_TEST_USER/bb@||p")"
    run --separate-stderr sk logout "$SKIFF_AUTH_REG"
    assert_success
    assert_equal "$output" "Removed login credentials for $SKIFF_AUTH_REG"
    assert_equal "$(jq -r --arg r "$SKIFF_AUTH_REG" '.auths[$r] // "gone"' "$AUTHJSON")" gone
    run --separate-stderr sk login --get-login "$SKIFF_AUTH_REG"
    assert_clean_error 125
    run --separate-stderr sk --root "$T/data/other" pull -q "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_clean_error 125
    run --separate-stderr sk logout "$SKIFF_AUTH_REG"
    assert_clean_error 125
    [[ $stderr == *"not logged into $SKIFF_AUTH_REG"* ]] || fail_with "unclear logout error"
}

@test "login merges with what auth.json already has; logout -a empties auths only" {
    mkdir -p "$(dirname "$AUTHJSON")"
    printf '{"auths":{"other.example:5000":{"auth":"%s"}},"credHelpers":{"x.io":"y"}}\n' "$(printf 'a:b' | base64)" >"$AUTHJSON"
    chown -R "$TU:$TG" "$T/run"
    printf '%s\n' "$SKIFF_AUTH_PASS" >"$T/work/pw"
    sk_argv
    run --separate-stderr "${SK[@]}" login -u "$SKIFF_AUTH_USER" --password-stdin "$SKIFF_AUTH_REG" <"$T/work/pw"
    assert_success
    assert_equal "$(jq -r '.auths | keys | join(",")' "$AUTHJSON")" "$SKIFF_AUTH_REG,other.example:5000"
    assert_equal "$(jq -r '.credHelpers["x.io"]' "$AUTHJSON")" y
    run --separate-stderr sk logout -a
    assert_success
    assert_equal "$(jq -c .auths "$AUTHJSON")" "{}"
    assert_equal "$(jq -r '.credHelpers["x.io"]' "$AUTHJSON")" y
}

@test "login --authfile and REGISTRY_AUTH_FILE are where credentials go" {
    login_ok "$SKIFF_AUTH_REG" "$SKIFF_AUTH_USER" "$SKIFF_AUTH_PASS" --authfile "$T/home/a/auth.json"
    [[ -f $T/home/a/auth.json && ! -e $AUTHJSON ]] || fail_with "credentials not in the --authfile"
    run --separate-stderr sk pull -q --authfile "$T/home/a/auth.json" "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_success
    run --separate-stderr sk REGISTRY_AUTH_FILE="$T/home/env.json" login -u "$SKIFF_AUTH_USER" -p "$SKIFF_AUTH_PASS" "$SKIFF_AUTH_REG"
    assert_success
    [[ -f $T/home/env.json ]] || fail_with "REGISTRY_AUTH_FILE not written"
    run --separate-stderr sk logout --authfile "$T/home/a/auth.json" "$SKIFF_AUTH_REG"
    assert_success
}

@test "Docker's config.json is read, including the https://index.docker.io/v1/ key" {
    mkdir -p "$T/home/.docker"
    printf '{"auths":{"https://index.docker.io/v1/":{"auth":"%s"},"%s":{"auth":"%s"}}}\n' \
        "$(printf 'hubuser:x' | base64)" "$SKIFF_AUTH_REG" "$(printf '%s:%s' "$SKIFF_AUTH_USER" "$SKIFF_AUTH_PASS" | base64 -w0)" \
        >"$T/home/.docker/config.json"
    chown -R "$TU:$TG" "$T/home/.docker"
    run --separate-stderr sk login --get-login docker.io
    assert_success
    assert_equal "$output" hubuser
    run --separate-stderr sk pull -q "$SKIFF_AUTH_REG/private/busybox:latest"
    assert_success
    run --separate-stderr sk logout "$SKIFF_AUTH_REG"
    assert_clean_error 125
    [[ $stderr == *"docker logout"* ]] || fail_with "logout does not point at docker logout"
}

@test "token registry: login checks with a token request; push with the stored credentials" {
    run --separate-stderr sk login -u "$SKIFF_TOKEN_USER" -p wrong "$SKIFF_TOKEN_REG"
    assert_clean_error 125
    [[ $stderr == *"invalid username/password"* ]] || fail_with "unclear error"
    [[ ! -e $AUTHJSON ]] || fail_with "auth.json written after a failed login"
    login_ok "$SKIFF_TOKEN_REG" "$SKIFF_TOKEN_USER" "$SKIFF_TOKEN_PASS"
    run --separate-stderr sk pull -q "$SKIFF_TOKEN_REG/private/busybox:latest"
    assert_success
    local dst=$SKIFF_TOKEN_REG/private/push-$SKIFF_TEST_USER
    run --separate-stderr sk push -q "$SKIFF_TOKEN_REG/private/busybox:latest" "$dst:1"
    assert_success
    grep -q "push-$SKIFF_TEST_USER" "$SKIFF_TOKEN_LOG" || fail_with "no token asked for the push repository"
    tail -n 20 "$SKIFF_TOKEN_LOG" | jq -se --arg r "private/push-$SKIFF_TEST_USER" \
        'any(.[]; any(.access[]?; .name == $r and (.actions | index("push"))))' >/dev/null ||
        fail_with "no token granted push on private/push-$SKIFF_TEST_USER"
    run --separate-stderr sk --root "$T/data/other" pull -q "$dst:1"
    assert_success
    assert_equal "$output" "$(fixture_id busybox latest)"
}

@test "push --creds works without any stored credentials" {
    run --separate-stderr sk pull -q "$SKIFF_REG/busybox:latest"
    assert_success
    run --separate-stderr sk push -q "$SKIFF_REG/busybox:latest" "$SKIFF_AUTH_REG/push/$SKIFF_TEST_USER/creds:1"
    assert_clean_error 125
    run --separate-stderr sk push -q --creds "$SKIFF_AUTH_USER:$SKIFF_AUTH_PASS" "$SKIFF_REG/busybox:latest" "$SKIFF_AUTH_REG/push/$SKIFF_TEST_USER/creds:1"
    assert_success
}
