#!/usr/bin/env bash
# Build skiff as a static binary and install it to $PREFIX/bin (default ~/.local/bin).
# Says which host helpers are missing and how to get them.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-unknown-linux-gnu
[ "$(uname -m)" = x86_64 ] || target="$(uname -m)-unknown-linux-gnu"
prefix="${PREFIX:-$HOME/.local}"

if ! command -v cargo >/dev/null 2>&1; then
    [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || { echo "cargo not found: install Rust from https://rustup.rs" >&2; exit 1; }

RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
    cargo build --release --locked --target "$target" --bin skiff
bin="target/$target/release/skiff"
if command -v file >/dev/null 2>&1; then
    file "$bin" | grep -q 'statically linked\|static-pie linked' || { echo "warning: $bin is not statically linked" >&2; }
fi
install -D -m 0755 "$bin" "$prefix/bin/skiff"
echo "installed $prefix/bin/skiff ($(${prefix}/bin/skiff --version))"

missing=()
for tool in newuidmap newgidmap; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/bin/$tool" ] || missing+=("$tool (package uidmap)")
done
if [ ! -r /dev/net/tun ] || [ ! -w /dev/net/tun ]; then
    echo "note: /dev/net/tun is not usable by $(id -un): containers' default network needs it"
    echo "  (or pasta/slirp4netns: sudo apt-get install passt slirp4netns)"
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "Host helpers not found (skiff works without them, with less):"
    for m in "${missing[@]}"; do echo "  - $m"; done
    echo "On Debian/Ubuntu: sudo apt-get install uidmap"
fi
if ! grep -q "^$(id -un):" /etc/subuid 2>/dev/null && [ "$(id -u)" != 0 ]; then
    echo "No subordinate id range for $(id -un) in /etc/subuid: images with several owners will be squashed to yours."
    echo "  fix: sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $(id -un)"
fi
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "note: $prefix/bin is not on your PATH";; esac
