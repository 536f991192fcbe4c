#!/usr/bin/env bash
# Mail outbox throughput: messages per second the outbox worker delivers to a local SMTP
# listener, on SQLite and (when a server answers at TEST_POSTGRES_URL, default
# postgres://postgres@127.0.0.1:5432/test) on PostgreSQL with one and two workers. Fails when
# the SQLite single-worker rate is below the budget, or when a message goes missing.
# Usage: bench/outbox-throughput.sh [BUDGET_MSG_PER_S] [MESSAGES] [sqlite|postgres|both]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
budget="${1:-50}"
messages="${2:-500}"
backend="${3:-both}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# A debug build (dev profile, dependencies lightly optimised): a release build of the whole
# server takes too long from cold. Debug builds understate throughput, so the budget is
# deliberately modest; the figures are for comparing runs, not for capacity planning.
# .cargo/config.toml gives it the flags of cargo-leptos and scripts/test.sh, so the build is
# shared with theirs.
cargo run --locked -q -p learning-city --example outbox_throughput -- \
  --messages "$messages" --backend "$backend" | tee "$tmp/out"

[ "$backend" = postgres ] && exit 0
rate="$(awk '$1 == "backend=sqlite" && $2 == "workers=1" {
  for (i = 1; i <= NF; i++) if ($i ~ /^msg_per_s=/) { sub(/^msg_per_s=/, "", $i); print $i } }' "$tmp/out")"
[ -n "$rate" ] || { echo "no SQLite single-worker figure in the output" >&2; exit 1; }
printf 'sqlite, one worker: %s msg/s (budget %s msg/s)\n' "$rate" "$budget"
awk -v r="$rate" -v b="$budget" 'BEGIN { exit !(r >= b) }' || { echo "below budget" >&2; exit 1; }
