#!/usr/bin/env bash
# Regenerate completions/ and man/ from the clap definitions.
# With --check, regenerate into a temp dir and fail when the committed files differ.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--check" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cargo run --quiet --bin skiff-gendocs -- "$tmp"
    if ! diff -r completions "$tmp/completions" >/dev/null || ! diff -r man "$tmp/man" >/dev/null; then
        echo "completions/ or man/ are stale: run scripts/gendocs.sh and commit the result" >&2
        diff -r completions "$tmp/completions" | head -20 >&2 || true
        diff -r man "$tmp/man" | head -20 >&2 || true
        exit 1
    fi
    echo "completions/ and man/ are up to date"
else
    rm -rf completions man
    cargo run --quiet --bin skiff-gendocs -- .
    echo "wrote completions/ and man/"
fi
