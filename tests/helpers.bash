# shellcheck shell=bash
# Helpers for skiff's integration tests (bats).  `load helpers` in every file.
#
# The suite runs skiff as an unprivileged user (the harness creates them):
#   SKIFF_TEST_USER=skiff-sub    has /etc/subuid+subgid 200000-265535
#   SKIFF_TEST_USER=skiff-nosub  has no subordinate ids (owners squashed)
# scripts/test.sh runs every file once per user.  Each test gets a fresh HOME,
# XDG_DATA_HOME (so a fresh store) and XDG_RUNTIME_DIR, owned by that user.
#
# Shared state (registries, fixtures) comes from tests/harness.sh, started once
# by scripts/test.sh or by setup_suite.bash; its variables (SKIFF_REG, ...) are
# in the environment.
bats_require_minimum_version 1.5.0

HELPERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3
: "${SKIFF_TEST_USER:=skiff-sub}"
: "${SKIFF_TEST_ROOT:=/tmp/skiff-test}"
: "${SKIFF_BIN:=$SKIFF_TEST_ROOT/bin/skiff}"
SUBID_BASE=200000
HEX64='[0-9a-f]{64}'
export SKIFF_TEST_USER SKIFF_TEST_ROOT SKIFF_BIN

# Missing prerequisites: skip with a reason locally, fail under CI=true.
require() { # REASON
    if [[ ${CI:-} == true ]]; then
        echo "missing prerequisite under CI=true: $*" >&2
        return 1
    fi
    skip "$*"
}

setup_users() { "$HELPERS_DIR/harness.sh" users; }

# ---------------------------------------------------------------- per test --

# skiff_setup: call from setup().  Fresh dirs for the test user; sets
#   T (test dir), STORE (the default store), TU/TG (the user's uid/gid).
skiff_setup() {
    [[ $(id -u) -eq 0 ]] || { echo "the integration tests must run as root" >&2; return 1; }
    [[ -x $SKIFF_BIN ]] || { echo "no skiff binary at $SKIFF_BIN (build it or set SKIFF_BIN)" >&2; return 1; }
    [[ -n ${SKIFF_REG:-} ]] || { echo "harness not started (SKIFF_REG unset)" >&2; return 1; }
    id "$SKIFF_TEST_USER" >/dev/null 2>&1 || setup_users
    TU=$(id -u "$SKIFF_TEST_USER")
    TG=$(id -g "$SKIFF_TEST_USER")
    mkdir -p "$SKIFF_TEST_ROOT/t"
    chmod 755 "$SKIFF_TEST_ROOT" "$SKIFF_TEST_ROOT/t"
    T="$SKIFF_TEST_ROOT/t/$SKIFF_TEST_USER-$(basename "$BATS_TEST_FILENAME" .bats)-$BATS_TEST_NUMBER"
    rm -rf "$T"
    mkdir -p "$T/home" "$T/data" "$T/run" "$T/work"
    chown -R "$TU:$TG" "$T"
    chmod 755 "$T"
    chmod 700 "$T/run"
    STORE="$T/data/skiff"
    export T STORE TU TG
    BG_PIDS=()
    MOUNTS=()
}

# skiff_teardown: call from teardown().  Unmounts, kills what the test started
# in the background, removes the test dir of a passing test (kept on failure).
skiff_teardown() {
    local m p
    for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
    for p in "${BG_PIDS[@]}"; do kill -9 -- "-$p" 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
    # rootless podman (push, save and transports tests) leaves its pause
    # process in the test's runtime dir; -9: it ignores SIGTERM. Only if the
    # pid is still that process (not one that took over a dead one's pid).
    if [[ -n ${T:-} && -f $T/run/libpod/tmp/pause.pid ]]; then
        p=$(cat "$T/run/libpod/tmp/pause.pid")
        if [[ $p =~ ^[0-9]+$ && $(cat "/proc/$p/comm" 2>/dev/null) == "podman pause" ]]; then
            kill -9 "$p" 2>/dev/null || true
        fi
    fi
    if [[ ${BATS_TEST_COMPLETED:-} == 1 && -n ${T:-} && $T == "$SKIFF_TEST_ROOT"/t/* ]]; then
        rm -rf "$T"
    elif [[ -n ${T:-} ]]; then
        echo "# kept $T for inspection" >&3
    fi
}

# skiff_as USER [VAR=value...] ARGS...: run skiff as USER with a clean env.
skiff_as() {
    local user=$1 uid gid home
    shift
    uid=$(id -u "$user")
    gid=$(id -g "$user")
    local envs=()
    while [[ $# -gt 0 && $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
        envs+=("$1")
        shift
    done
    home="$T/home"
    setpriv --reuid="$uid" --regid="$gid" --init-groups \
        env -i HOME="$home" USER="$user" LOGNAME="$user" \
        PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 \
        XDG_DATA_HOME="$T/data" XDG_RUNTIME_DIR="$T/run" \
        "${envs[@]}" "$SKIFF_BIN" "$@" </dev/null
}

# sk ARGS...: skiff as the test user.  Use as `run sk pull ...`.
sk() { skiff_as "$SKIFF_TEST_USER" "$@"; }

# as_user CMD...: any command as the test user (same clean env)
as_user() {
    setpriv --reuid="$TU" --regid="$TG" --init-groups \
        env -i HOME="$T/home" PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$T/run" "$@" </dev/null
}

is_subuid_user() { [[ $SKIFF_TEST_USER == skiff-sub ]]; }

# ------------------------------------------------------------- assertions --

fail_with() {
    {
        echo "FAILED: $*"
        echo "status: ${status:-}"
        echo "output: ${output:-}"
        [[ -n ${stderr:-} ]] && echo "stderr: $stderr"
    } >&2
    return 1
}

assert_success() {
    [[ $status -eq 0 ]] || fail_with "expected exit 0"
}

assert_failure() { # [CODE]
    if [[ $# -gt 0 ]]; then
        [[ $status -eq $1 ]] || fail_with "expected exit $1"
    else
        [[ $status -ne 0 ]] || fail_with "expected a non-zero exit"
    fi
}

assert_output_contains() { # STRING (fixed)
    [[ $output == *"$1"* ]] || fail_with "output does not contain '$1'"
}

assert_output_not_contains() {
    [[ $output != *"$1"* ]] || fail_with "output contains '$1'"
}

assert_output_matches() { # ERE (whole output, multi-line)
    [[ $output =~ $1 ]] || fail_with "output does not match /$1/"
}

assert_equal() { # ACTUAL EXPECTED [what]
    [[ $1 == "$2" ]] || {
        printf 'FAILED: %s\n  expected: %s\n  actual:   %s\n' "${3:-values differ}" "$2" "$1" >&2
        return 1
    }
}

# assert_clean_error [CODE]: after `run --separate-stderr`: exit CODE (default
# 125), nothing on stdout, and stderr ends with exactly one line `Error: ...`
# (earlier stderr lines may be progress or warnings, none may start `Error`).
assert_clean_error() {
    local code=${1:-125} last nerr
    [[ $status -eq $code ]] || fail_with "expected exit $code"
    [[ -z $output ]] || fail_with "expected nothing on stdout"
    last=$(printf '%s\n' "$stderr" | sed '/^[[:space:]]*$/d' | tail -n1)
    [[ $last == "Error: "?* ]] || fail_with "last stderr line is not 'Error: ...'"
    nerr=$(printf '%s\n' "$stderr" | grep -c '^Error' || true)
    [[ $nerr -eq 1 ]] || fail_with "expected exactly one Error line on stderr, got $nerr"
    [[ $stderr != *panicked* && $stderr != *RUST_BACKTRACE* ]] || fail_with "skiff panicked"
}

# assert_store_clean: `skiff system check` exits 0 for the store (optional --root)
assert_store_clean() {
    run --separate-stderr sk "$@" system check
    [[ $status -eq 0 ]] || fail_with "skiff system check is not clean"
}

# --------------------------------------------------------------- fixtures --

ACCEPT_ALL=(-H 'Accept: application/vnd.oci.image.index.v1+json'
    -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json'
    -H 'Accept: application/vnd.oci.image.manifest.v1+json'
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json')

# reg_manifest NAME REF [REGISTRY]: the raw manifest bytes
reg_manifest() {
    curl -sf "${ACCEPT_ALL[@]}" "http://${3:-$SKIFF_REG}/v2/$1/manifests/$2"
}

# fixture_digest NAME TAG: the manifest (or index) digest, sha256:...
fixture_digest() {
    printf 'sha256:%s\n' "$(reg_manifest "$1" "$2" | sha256sum | cut -d' ' -f1)"
}

# fixture_id NAME TAG [ARCH]: 64-hex image id (config digest); ARCH picks from an index
fixture_id() {
    local m d
    m=$(reg_manifest "$1" "$2")
    if [[ $(jq -r '.manifests // empty | length' <<<"$m") != "" ]]; then
        d=$(jq -r --arg a "${3:-amd64}" '.manifests[] | select(.platform.architecture==$a) | .digest' <<<"$m")
        m=$(reg_manifest "$1" "$d")
    fi
    jq -r .config.digest <<<"$m" | sed 's/^sha256://'
}

# fixture_diffids NAME TAG: the layer diff ids (sha256:...), one per line
fixture_diffids() {
    local m c
    m=$(reg_manifest "$1" "$2")
    c=$(jq -r .config.digest <<<"$m")
    curl -sf "http://$SKIFF_REG/v2/$1/blobs/$c" | jq -r '.rootfs.diff_ids[]'
}

# ------------------------------------------------------------ tree compare --

# image_rootfs REF: prints a dir holding the image's merged rootfs as skiff
# stored it in $STORE (its layer dir, or a read-only overlay of its layer dirs);
# `STORE=DIR image_rootfs REF` for a store given with --root
image_rootfs() {
    local ref=$1 store=$STORE
    local rootargs=()
    [[ $STORE == "$T/data/skiff" ]] || rootargs=(--root "$STORE")
    local layers
    layers=$(sk "${rootargs[@]}" image inspect --format '{{range .RootFS.Layers}}{{.}} {{end}}' "$ref") || {
        echo "image inspect of $ref failed" >&2
        return 1
    }
    local dirs=() l
    for l in $layers; do
        l=${l#sha256:}
        [[ -d $store/layers/$l/diff ]] || { echo "no layer dir $store/layers/$l/diff" >&2; return 1; }
        dirs=("$store/layers/$l/diff" "${dirs[@]}") # top layer first
    done
    [[ ${#dirs[@]} -gt 0 ]] || { echo "image $ref has no layers" >&2; return 1; }
    if [[ ${#dirs[@]} -eq 1 ]]; then
        echo "${dirs[0]}"
        return 0
    fi
    local mnt
    mnt=$(mktemp -d "$T/work/merged.XXXXXX")
    local lower
    lower=$(
        IFS=:
        echo "${dirs[*]}"
    )
    mount -t overlay overlay -o "ro,userxattr,lowerdir=$lower" "$mnt" || return 1
    echo "$mnt"
}

# assert_same_tree REF UMOCI_TAG: skiff's rootfs of REF == `umoci unpack` of the
# fixture (same paths, types, modes, sizes, contents, mtimes, link targets, and
# owners through the user's mapping; for the no-subuid user: all owned by it)
assert_same_tree() {
    local ref=$1 tag=$2 dir
    dir=$(image_rootfs "$ref") || return 1
    [[ $dir == "$T"/work/merged.* ]] && MOUNTS+=("$dir")
    local want=$T/work/want.$tag got=$T/work/got.$tag
    if is_subuid_user; then
        "$PY" "$HELPERS_DIR/tree_listing.py" "$SKIFF_FIXTURES/unpacked/$tag/rootfs" --owners raw >"$want"
        "$PY" "$HELPERS_DIR/tree_listing.py" "$dir" --owners "sub:$TU:$TG:$SUBID_BASE" >"$got"
    else
        "$PY" "$HELPERS_DIR/tree_listing.py" "$SKIFF_FIXTURES/unpacked/$tag/rootfs" --owners drop >"$want"
        "$PY" "$HELPERS_DIR/tree_listing.py" "$dir" --owners "squash:$TU:$TG" >"$got" || {
            echo "FAILED: files not owned by $SKIFF_TEST_USER ($TU:$TG) in $dir" >&2
            return 1
        }
    fi
    [[ -s $want ]] || { echo "empty reference listing" >&2; return 1; }
    diff -u "$want" "$got" >&2 || {
        echo "FAILED: skiff's rootfs of $ref ($dir) differs from umoci unpack of $tag (- umoci, + skiff)" >&2
        return 1
    }
}

# store_snapshot: everything in the store that matters (for 'store unchanged')
store_listing() { # prints image ids and blob names
    sk images -q -a --no-trunc | sort
    find "$STORE/blobs" -type f 2>/dev/null | sort
}

# nothing_escaped: no file named like a lying-registry payload outside the store
# (the escape dirs themselves, this harness's or a concurrent one's, are not payloads)
assert_nothing_escaped() {
    local found
    found=$(find "$SKIFF_ESCAPE_DIR" "$T" /tmp -maxdepth 6 \( -name pwned -o -name escape -o -name escape2 -o -name dotdot -o -name absolute -o -name stolen \) \
        -not -path "$SKIFF_ESCAPE_DIR" -not -path '/tmp/skiff-harness.*/liar/escape' 2>/dev/null |
        grep -v '/\.git/' || true)
    [[ -z $found ]] || { echo "FAILED: files written outside the layer dir: $found" >&2; return 1; }
    [[ $(cat "$SKIFF_ESCAPE_DIR/secret") == "original secret" ]] || { echo "FAILED: escape/secret was modified" >&2; return 1; }
    [[ $(stat -c %h "$SKIFF_ESCAPE_DIR/secret") -eq 1 ]] || { echo "FAILED: escape/secret got a hardlink" >&2; return 1; }
}

# start_bg VAR CMD...: run CMD in the background in its own session; its pid
# (== its process group) goes to BG_PIDS (killed in teardown) and to VAR
start_bg() {
    local var=$1
    shift
    setsid "$@" &
    local _bg_pid=$!
    BG_PIDS+=("$_bg_pid")
    printf -v "$var" '%s' "$_bg_pid"
}

# crate_version: the version in Cargo.toml
crate_version() {
    sed -n 's/^version = "\(.*\)"/\1/p' "$HELPERS_DIR/../Cargo.toml" | head -n1
}

# alive PID: the process exists and is not a zombie
alive() {
    local st
    st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ $st != Z* ]]
}

# ------------------------------------------------------------- containers --

# The container tests' image: the busybox fixture plus a /bin symlink for every
# applet of the host's busybox (hostname, ip, touch, stat, kill, ...).
BBIMG_NAME=bbfull:latest

# sk_argv: sets the array SK to the command that runs skiff as the test user
# (same clean env as skiff_as) without redirecting stdin, for tests that need
# their own stdin, a pty, signals to the skiff process itself or `&`:
#   sk_argv; "${SK[@]}" run ... &   (that pid is skiff's: setpriv and env exec)
sk_argv() {
    SK=(setpriv --reuid="$TU" --regid="$TG" --init-groups
        env -i HOME="$T/home" USER="$SKIFF_TEST_USER" LOGNAME="$SKIFF_TEST_USER"
        PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8
        XDG_DATA_HOME="$T/data" XDG_RUNTIME_DIR="$T/run" "$SKIFF_BIN")
}

# pull_bbimg: pull the container tests' image quietly; sets IMG
pull_bbimg() {
    IMG=$SKIFF_REG/$BBIMG_NAME
    run --separate-stderr sk pull -q "$IMG"
    [[ $status -eq 0 ]] || fail_with "pull of $IMG failed"
}

# wait_until TIMEOUT_S CMD...: poll CMD every 0.1 s until it succeeds
wait_until() {
    local limit=$1 i
    shift
    for ((i = 0; i < limit * 10; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# free_port: a TCP port nothing listens on right now
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}

# run_d NAME ARGS...: skiff run -d --name NAME ARGS; checks the 64-hex id; sets CID
run_d() {
    local name=$1
    shift
    run --separate-stderr sk run -d --name "$name" "$@"
    assert_success
    [[ $output =~ ^$HEX64$ ]] || fail_with "run -d did not print a 64-hex id"
    CID=$output
}

# rm_all_containers: force-remove every container of the test user (teardown)
rm_all_containers() {
    local ids
    ids=$(sk ps -a -q 2>/dev/null || true)
    [[ -z $ids ]] || sk rm -f $ids >/dev/null 2>&1 || true
}

# ctr_field CTR TEMPLATE: `skiff inspect --format TEMPLATE CTR`
ctr_field() { sk inspect --format "$2" "$1"; }

# ctr_status CTR: the line of `ps -a` for the container named CTR
ctr_ps_line() { sk ps -a --format '{{.Names}} {{.Status}}' | awk -v n="$1" '$1 == n'; }
