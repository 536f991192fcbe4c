#!/usr/bin/env bash
# Installs what building and testing Learning City needs, only what is missing, and says so.
# Sourced by run.sh and test.sh; safe to run again.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the wasm-bindgen version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.100

# A folder of prebuilt tools for this machine image, when one sits beside the clone, saves
# about 25 minutes of building; it is only a cache.
for cache in "${LEARNING_CITY_TOOLS:-}" "$here/../shared/tools" ; do
  if [ -n "$cache" ] && [ -d "$cache/bin" ]; then
    export PATH="$cache/bin:$PATH"
  fi
done
export PATH="$HOME/.cargo/bin:$PATH"

has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }

if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  if ! rustup target add wasm32-unknown-unknown; then
    tarball="$here/../shared/tools/rust-std-wasm32-unknown-unknown-1.95.0.tar.xz"
    [ -f "$tarball" ] || { echo "cannot add the wasm32 target" >&2; exit 1; }
    say "rustup failed; unpacking the wasm32 standard library from $tarball"
    tar -xJf "$tarball" -C "$(rustc --print sysroot)/lib/rustlib/"
  fi
fi

if ! has_version cargo-leptos "$CARGO_LEPTOS_VERSION"; then
  say "building cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes, once)"
  cargo install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION" --features no_downloads
fi

if ! has_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (once)"
  cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

CARGO_DENY_VERSION=0.20.2
if ! has_version cargo-deny "$CARGO_DENY_VERSION"; then
  say "building cargo-deny $CARGO_DENY_VERSION (about 4 minutes, once)"
  cargo install --locked "cargo-deny@$CARGO_DENY_VERSION"
fi

if [ ! -d "$here/end2end/node_modules" ] || [ "$here/end2end/package-lock.json" -nt "$here/end2end/node_modules/.package-lock.json" ]; then
  say "installing the browser-test and wasm-opt packages (npm ci)"
  (cd "$here/end2end" && npm ci --no-audit --no-fund)
fi
# wasm-opt from npm's binaryen: Debian's older binaryen makes bundles that fail to hydrate.
export PATH="$here/end2end/node_modules/.bin:$PATH"
