#!/usr/bin/env bash
# How long the server takes to render each public page, in process (server/examples/
# render_pages.rs: the real router and middleware, no network, no compression, no page or feed
# cache), over the network at its real size (bench/lib.sh seed_network): microseconds per
# render (median, p99) and the database's share from the page's Server-Timing. SQLite, then
# PostgreSQL (BENCH_POSTGRES=0 skips it). A report, not a pass/fail budget: the throughput
# budgets are bench/page-throughput.sh's; this shows where a render's time goes.
#
# Usage: bench/render.sh [N=200] [BUILD=release|debug]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
n="${1:-200}"
build="${2:-release}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/render.sh [N=200] [release|debug]" >&2
    exit 2
    ;;
esac
# shellcheck source=../scripts/install-tools.sh
source scripts/install-tools.sh
# shellcheck source=lib.sh
source bench/lib.sh
need_tools sqlite3
ensure_build
begin_run
say "building the render example (server/examples/render_pages.rs)"
cargo build -q --locked "${profile[@]}" -p learning-city --example render_pages

runs=(sqlite)
[ "${BENCH_POSTGRES:-1}" = 0 ] || runs+=(postgres)
for run in "${runs[@]}"; do
  new_database "$run"
  seed_network "$db_url"
  say "$run: $n renders of each page"
  DATABASE_URL="$db_url" LEPTOS_SITE_ROOT="$site_src" LEPTOS_OUTPUT_NAME=learning-city RUST_LOG=warn \
    cargo run -q --locked "${profile[@]}" -p learning-city --example render_pages -- "$n"
done
