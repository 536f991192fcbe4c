#!/usr/bin/env bash
# How many pages a second one server sends, next to what the same server does for a static
# file of the same bytes in the same run, over the network at its real size (bench/lib.sh
# seed_network), with `Accept-Encoding: br` as a phone sends it. For the home, agenda, meeting,
# map and pact pages and Lucca's iCalendar feed:
#   hit   the same address again and again: served from the kept, compressed copy;
#   miss  every request a new address (a query parameter the page ignores, numbered): the page
#         rendered, compressed and kept each time;
#   twin  a static file holding the page's bytes (and its brotli copy beside it, as the built
#         site's files have), from the same server.
# Then Lucca's feed (about a thousand dates) with nothing kept (FEED_CACHE_SECONDS=0).
# SQLite, then PostgreSQL (BENCH_POSTGRES=0 skips it). Fails when a run had an answer other
# than 2xx, or when a budget is not held: hit ≥ 50 % and miss ≥ 20 % of the twin's requests/s,
# p99 on a hit < 20 ms, the uncached feed ≥ 300 req/s.
#
# Usage: bench/page-throughput.sh [SECONDS=10] [BUILD=release|debug]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
duration="${1:-10}"
build="${2:-release}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/page-throughput.sh [SECONDS=10] [release|debug]" >&2
    exit 2
    ;;
esac
connections=64
timeout=10

# shellcheck source=../scripts/install-tools.sh
source scripts/install-tools.sh
# shellcheck source=lib.sh
source bench/lib.sh
need_tools wrk sqlite3
ensure_build
begin_run
cp -a "$site_src" "$work/site"
failed=0
problems=()
report=()

# Each request a new address: the path with `miss=<thread>-<n>` added to its query.
cat >"$work/miss.lua" <<'LUA'
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
end
function init(args)
  n = 0
end
function request()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "miss=" .. tid .. "-" .. n)
end
LUA

# ratio A B: A as a percentage of B.
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{100 * a / b:.0f}')" "$1" "$2"; }

measure() {
  local run="$1"
  new_database "$run"
  seed_network "$db_url"
  local events
  start_server "$run" "$db_url"
  local meeting
  meeting="$(a_meeting)"
  local rows=()
  say "$run: measuring (wrk, 2 threads, $connections connections, ${duration} s each)"
  while read -r label path; do
    case "$label" in home | agenda | meeting | map | pact) ;; *) continue ;; esac
    pair "$label" "$path"
  done < <(page_paths "$meeting")
  pair feed "/feeds/calendar.ics?city=lucca"
  events="$(curl -fsS "$base/feeds/calendar.ics?city=lucca" | grep -c '^BEGIN:VEVENT')"
  log_summary "$work/server-$run.log"
  stop_server

  # Nothing kept: every request renders Lucca's whole feed (from the kept VEVENTs of each
  # meeting, so a feed is their concatenation).
  FEED_CACHE_SECONDS=0 PAGE_CACHE_SECONDS=0 start_server "$run-uncached" "$db_url"
  run_wrk "$run-feed-uncached" "$base/feeds/calendar.ics?city=lucca" -H 'accept-encoding: br'
  rows+=("$(printf '%-44s %9s %9s %7s %7s' "feed, nothing kept ($events events)" "-" "-" "$rps" "$p99")")
  if [ -n "$rps" ] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 300 else 1)" "$rps"; then :; else
    problems+=("$run: the uncached feed served ${rps:-0} req/s (budget 300)")
    failed=1
  fi
  log_summary "$work/server-$run-uncached.log"
  stop_server

  report+=("" "backend=$run build=$build, $(nproc) cores, wrk 2 threads, $connections connections, ${duration} s a run, accept-encoding: br")
  report+=("$(printf '%-44s %9s %9s %7s %7s' target 'br bytes' 'twin r/s' 'req/s' 'p99 ms')")
  report+=("${rows[@]}")
}

# pair LABEL PATH: the page on a hit and on a miss, and its static twin.
pair() {
  local label="$1" path="$2"
  local twin="/bench-twin-$run-$label.html"
  [[ "$path" == /feeds/* ]] && twin="/bench-twin-$run-$label.ics"
  curl -fsS -o "$work/site$twin" "$base$path"
  curl -fsS -H 'accept-encoding: br' -o "$work/page.br" "$base$path"
  # The twin's brotli copy is the page's own bytes, as the server keeps them.
  cp "$work/page.br" "$work/site$twin.br"
  local bytes twin_bytes
  bytes="$(stat -c %s "$work/page.br")"
  twin_bytes="$(curl -fsS -H 'accept-encoding: br' "$base$twin" | wc -c)"
  if [ "$bytes" != "$twin_bytes" ]; then
    problems+=("$run $label: the twin sends $twin_bytes bytes, the page $bytes")
    failed=1
  fi
  run_wrk "$run-$label-twin" "$base$twin" -H 'accept-encoding: br'
  local twin_rps="$rps"
  run_wrk "$run-$label-hit" "$base$path" -H 'accept-encoding: br'
  rows+=("$(printf '%-44s %9s %9s %7s %7s  %s %%' "$label $path (hit)" "$bytes" "$twin_rps" "$rps" "$p99" "$(ratio "${rps:-0}" "$twin_rps")")")
  if [ -z "$rps" ] || [ "$(ratio "$rps" "$twin_rps")" -lt 50 ]; then
    problems+=("$run $label: a hit served ${rps:-0} req/s, under 50 % of the twin's $twin_rps")
    failed=1
  fi
  if [ -z "$p99" ] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1].lstrip('>')) >= 20 else 1)" "$p99"; then
    problems+=("$run $label: p99 on a hit ${p99:-?} ms (budget 20 ms)")
    failed=1
  fi
  run_wrk "$run-$label-miss" "$base$path" -H 'accept-encoding: br' -s "$work/miss.lua"
  rows+=("$(printf '%-44s %9s %9s %7s %7s  %s %%' "  (miss, a new address each time)" "" "" "$rps" "$p99" "$(ratio "${rps:-0}" "$twin_rps")")")
  if [ -z "$rps" ] || [ "$(ratio "$rps" "$twin_rps")" -lt 20 ]; then
    problems+=("$run $label: a miss served ${rps:-0} req/s, under 20 % of the twin's $twin_rps")
    failed=1
  fi
}

run=sqlite
measure sqlite
if [ "${BENCH_POSTGRES:-1}" != 0 ]; then
  run=postgres
  measure postgres
fi

printf '%s\n' "${report[@]}"
if [ "$failed" != 0 ]; then
  printf 'FAILED: %s\n' "${problems[@]}" >&2
  exit 1
fi
