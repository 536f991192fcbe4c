#!/usr/bin/env bash
# The network map with the network's real size loaded: the demo's 77 cities and made-up ones
# (bench/roster.py, through the roster import) up to 425. Reports the server's render time of
# the map page (one request at a time: p50 and p99 over SECONDS), its throughput at 64
# connections next to the base map file the same server sends, and what a phone downloads for
# the page (bench/page-weight.sh with brotli: HTML, CSS and base map, then with scripts and
# WebAssembly; end2end/scripts/page-transfer.mjs in Chromium, the WebAssembly the bootstrap loads included),
# and how quickly the hydrated map answers pan and zoom (end2end/scripts/map-input-latency.mjs).
# On SQLite; the map reads a few hundred rows, the same on PostgreSQL.
#
# Usage: bench/map-render.sh [SECONDS=10] [BUILD=release|debug]
#   CITIES        how many member cities to load (425)
#   PAGE_BUDGET   bytes the map page may weigh with everything it loads (400000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
duration="${1:-10}"
build="${2:-release}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/map-render.sh [SECONDS=10] [release|debug]" >&2
    exit 2
    ;;
esac
cities="${CITIES:-425}"
connections=64
timeout=10
problems=()
failed=0

# shellcheck source=../scripts/install-tools.sh
source scripts/install-tools.sh
# shellcheck source=lib.sh
source bench/lib.sh
need_tools wrk sqlite3
scripts/install-browser.sh >/dev/null
ensure_build

begin_run
cp -a "$site_src" "$work/site"
db="$work/map.db"
url="sqlite:$db"

# A first start creates the schema and the demo network; the roster import adds the rest.
start_server seed "$url"
stop_server
demo="$(sqlite3 "$db" 'SELECT COUNT(*) FROM cities')"
mapfile -t clusters < <(sqlite3 "$db" 'SELECT slug FROM clusters ORDER BY position')
python3 bench/roster.py "$((cities - demo))" "${clusters[@]}" >"$work/roster.csv"
DATABASE_URL="$url" LOAD_DEMO_DATA=false "$bin" import-roster "$work/roster.csv"
loaded="$(sqlite3 "$db" 'SELECT COUNT(*) FROM cities')"
[ "$loaded" -eq "$cities" ] || { echo "expected $cities cities, found $loaded" >&2; exit 1; }

start_server map "$url"
page="$base/en/map"
markers="$(curl -fsS "$page" | grep -oE '<g class="marker( marker--lead)?"' | wc -l)"
say "the map page shows $markers markers for $loaded cities"
[ "$markers" -eq "$loaded" ] || problems+=("the map shows $markers markers for $loaded cities")

# Render time: one connection, one request at a time, so each is the server's whole work.
wrk -t1 -c1 -d"${duration}s" --latency "$page" >"$work/wrk-sequential.txt"
percentile() { awk -v p="$1" '$1 == p { v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) }
    else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
    printf "%.1f", v }' "$work/wrk-sequential.txt"; }
p50="$(percentile 50%)"
p99_one="$(percentile 99%)"
one_rps="$(awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$work/wrk-sequential.txt")"
bytes="$(curl -fsS "$page" | wc -c)"

run_wrk map "$page" -H 'accept-encoding: br'
map_rps="$rps" map_p99="$p99"
run_wrk basemap "$base/map/world-110m.svg" -H 'accept-encoding: br'
svg_rps="$rps" svg_p99="$p99"
log_summary "$work/server-map.log"

say "what a phone downloads for /en/map (brotli)"
bench/page-weight.sh "$base" /en/map "${PAGE_BUDGET:-400000}" || failed=1
say "what Chromium transfers to show and hydrate /en/map, the route's WebAssembly chunk included (gzip over http)"
(cd end2end && BASE_URL="$base" node scripts/page-transfer.mjs /en/map "${PAGE_BUDGET:-400000}") || failed=1
say "how quickly the hydrated map answers pan and zoom (Chromium, headless, no GPU)"
(cd end2end && BASE_URL="$base" node scripts/map-input-latency.mjs /en/map) || failed=1

cat <<REPORT

map page with $loaded cities ($markers markers, HTML $bytes B uncompressed), $build build, $(nproc) cores
  render, one request at a time:   p50 ${p50} ms   p99 ${p99_one} ms   (${one_rps} pages/s)
  at $connections connections:            ${map_rps} req/s   p99 ${map_p99} ms
  base map SVG, same server:        ${svg_rps} req/s   p99 ${svg_p99} ms
REPORT
for p in "${problems[@]}"; do echo "problem: $p" >&2; done
[ "${#problems[@]}" -eq 0 ] && [ "$failed" -eq 0 ]
