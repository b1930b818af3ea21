#!/usr/bin/env bash
# The one test command: `sudo scripts/test.sh` (or as root; .ci/run calls it).
#
# As root: installs the Debian packages the tests need, creates the test users
# (skiff-sub with subuids 200000-265535, skiff-nosub without), then runs
#   cargo fmt --check, cargo clippy -D warnings, cargo test (unit tests),
#   scripts/gendocs.sh --check (completions/ and man/ up to date),
#   the static release build, and the bats integration suite in tests/ once
#   per test user, against a local docker-registry (tests/harness.sh).
# Ends with `N passed, N failed[, N skipped]`; exits non-zero on any failure.
# Under CI=true nothing may skip.
#
# Environment: SKIFF_TEST_FILES="tests/pull.bats ..." to run some files only;
# SKIFF_TEST_USERS="skiff-sub" to run as one user only; SKIFF_SKIP_CARGO_CHECKS=1
# to go straight to the build and the integration suite.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$PWD
TARGET=x86_64-unknown-linux-gnu
TEST_ROOT=${SKIFF_TEST_ROOT:-/tmp/skiff-test}
export SKIFF_TEST_ROOT=$TEST_ROOT
export SKIFF_BIN=$TEST_ROOT/bin/skiff

PACKAGES=(
    podman buildah skopeo umoci docker-registry uidmap busybox-static bats hyperfine
    passt slirp4netns fuse-overlayfs runc crun apache2-utils file zstd curl jq
    python3 python3-cryptography util-linux procps attr gzip tar ca-certificates
)

step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) != "install ok installed" ]]; then
            missing+=("$p")
        fi
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        step "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

if [[ -f $HOME/.cargo/env ]]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null || die "cargo not found (install rustup, or source ~/.cargo/env)"

if is_root; then
    install_packages
    if [[ -e /dev/net/tun ]]; then chmod 0666 /dev/net/tun; fi
    tests/harness.sh users
elif [[ ${CI:-} == true ]]; then
    die "under CI=true the suite must run as root (it installs packages and creates users)"
fi

if [[ -z ${SKIFF_SKIP_CARGO_CHECKS:-} ]]; then
    step "cargo fmt --check"
    cargo fmt --all -- --check
    step "cargo clippy --all-targets -- -D warnings"
    cargo clippy --all-targets -- -D warnings
    step "cargo test (unit tests)"
    cargo test
    if [[ -x scripts/gendocs.sh ]]; then
        step "scripts/gendocs.sh --check"
        scripts/gendocs.sh --check
    else
        echo "scripts/gendocs.sh not present: completions/man freshness not checked" >&2
        [[ ${CI:-} != true ]] || die "scripts/gendocs.sh missing under CI=true"
    fi
fi

step "static release build"
RUSTFLAGS='-C target-feature=+crt-static' cargo build --release --target "$TARGET"
BIN=$REPO/target/$TARGET/release/skiff
file -L "$BIN" | grep -qE 'statically linked|static-pie linked' || die "$BIN is not static: $(file -L "$BIN")"
mkdir -p "$TEST_ROOT/bin"
chmod 755 "$TEST_ROOT" "$TEST_ROOT/bin"
install -m 755 "$BIN" "$SKIFF_BIN"

if ! is_root; then
    echo "integration tests skipped: they need root (to run skiff as the test users); run: sudo scripts/test.sh" >&2
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi

# ---- integration suite: one harness (registries, fixtures) for every run ----
HARNESS_ENV=$(mktemp /tmp/skiff-harness-env.XXXXXX)
cleanup() { tests/harness.sh stop "$HARNESS_ENV" || true; rm -f "$HARNESS_ENV"; }
trap cleanup EXIT
step "starting registries and building fixtures"
tests/harness.sh start "$HARNESS_ENV"
# shellcheck disable=SC1090
. "$HARNESS_ENV"

# Default: every tests/*.bats file.
read -r -a FILES <<<"${SKIFF_TEST_FILES:-$(echo tests/*.bats)}"
read -r -a USERS <<<"${SKIFF_TEST_USERS:-skiff-sub skiff-nosub}"
passed=0 failed=0 skipped=0 planned=0 bats_failed=0
TAP_DIR=$(mktemp -d /tmp/skiff-tap.XXXXXX)
for user in "${USERS[@]}"; do
    step "bats as $user"
    tap=$TAP_DIR/$user.tap
    if ! SKIFF_TEST_USER=$user bats --tap "${FILES[@]}" | sed -u "s/^\(not \)\{0,1\}ok [0-9]* /&[$user] /" | tee "$tap"; then
        bats_failed=1
    fi
    p=$(grep -cE '^ok [0-9]+' "$tap" || true)
    s=$(grep -cE '^ok [0-9]+ .*# skip' "$tap" || true)
    f=$(grep -cE '^not ok [0-9]+' "$tap" || true)
    n=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n1)
    passed=$((passed + p - s))
    skipped=$((skipped + s))
    failed=$((failed + f))
    planned=$((planned + ${n:-0}))
done
# tests that never reported (bats died) count as failed
if ((passed + skipped + failed < planned)); then
    failed=$((failed + planned - passed - skipped - failed))
fi
if ((bats_failed && failed == 0)); then
    echo "bats exited non-zero without a failing test (setup_suite or harness error?)" >&2
    failed=1
fi
rm -rf "$TAP_DIR"

summary="$passed passed, $failed failed"
((skipped == 0)) || summary+=", $skipped skipped"
echo
echo "$summary"
if ((failed > 0)); then exit 1; fi
if [[ ${CI:-} == true ]] && ((skipped > 0)); then
    echo "tests skipped under CI=true" >&2
    exit 1
fi
