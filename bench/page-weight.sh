#!/usr/bin/env bash
# Bytes a phone downloads for a page's first view: the HTML, every stylesheet, script and
# WebAssembly file it links and the base map a map page draws on, each as the server sends it
# with brotli accepted.
# Usage: bench/page-weight.sh [BASE_URL] [PATH] [BUDGET_BYTES]
set -euo pipefail
base="${1:-http://127.0.0.1:3000}"
path="${2:-/en}"
budget="${3:-400000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() { # url -> prints "bytes encoding"
  curl -fsS -H 'accept-encoding: br, gzip' -o "$tmp/body" -D "$tmp/headers" "$1"
  local enc
  enc="$(grep -i '^content-encoding:' "$tmp/headers" | awk '{print $2}' | tr -d '\r' || true)"
  printf '%s %s\n' "$(stat -c %s "$tmp/body")" "${enc:-identity}"
}

total=0
read -r bytes enc < <(fetch "$base$path")
printf '%-60s %8s B  %s\n' "$path" "$bytes" "$enc"
total=$((total + bytes))
html="$(curl -fsS "$base$path")"
# The stylesheet, the JS glue and the wasm bundle are linked from <head>.
reading=$total
for asset in $(grep -oE '(href|src)="/(pkg/[^"]+\.(css|js|wasm)|map/[^"]+\.svg)"' <<<"$html" | sed -E 's/^(href|src)="//; s/"$//' | sort -u); do
  read -r bytes enc < <(fetch "$base$asset")
  printf '%-60s %8s B  %s\n' "$asset" "$bytes" "$enc"
  total=$((total + bytes))
  case "$asset" in *.js | *.wasm) ;; *) reading=$((reading + bytes)) ;; esac
done
printf '%-60s %8s B\n' "without scripts (HTML, CSS, images)" "$reading"
printf '%-60s %8s B  (budget %s B)\n' "total" "$total" "$budget"
[ "$total" -le "$budget" ] || { echo "over budget" >&2; exit 1; }
