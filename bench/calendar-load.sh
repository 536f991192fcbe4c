#!/usr/bin/env bash
# The calendar under load. Over a fresh database with the demo network and MEETINGS more meetings
# (a fifth of them in Lucca), measures with wrk at 64 connections the requests per second and
# the 99th-percentile latency of the agenda page, one meeting page and Lucca's iCalendar feed,
# each next to the same server sending a static file of exactly the same size, and then
# sign-ups per second (POST /api/register, a new address each time). SQLite always, PostgreSQL
# too with BENCH_POSTGRES=1. Fails when any run had an answer other than 2xx or a socket error.
#
# Usage: bench/calendar-load.sh [MEETINGS=5000] [SECONDS=10] [BUILD=release|debug]
#   SITE_ROOT          the built site to serve (default <repo>/target/site)
#   BENCH_POSTGRES=1   also run on a throwaway database at BENCH_POSTGRES_URL
#                      (default postgres://postgres@127.0.0.1:5432/), dropped afterwards
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
meetings="${1:-5000}"
duration="${2:-10}"
build="${3:-release}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/calendar-load.sh [MEETINGS=5000] [SECONDS=10] [release|debug]" >&2
    exit 2
    ;;
esac
connections=64
# wrk's default of 2 s would turn a slow target into socket errors with no latency to show;
# with 10 s its p99 is measured, and only answers slower than that count as failures.
timeout=10

# shellcheck source=../scripts/install-tools.sh
source scripts/install-tools.sh
# shellcheck source=lib.sh
source bench/lib.sh
# wrk makes the load; the sqlite3 shell counts what the sign-ups stored.
need_tools wrk sqlite3

ensure_build

# The seed example is built with the server's flags (.cargo/config.toml), so it reuses the
# dependencies compiled for it.
seed_cargo() {
  local command="$1"
  shift
  cargo "$command" --locked "${profile[@]}" -p db --example seed_meetings "$@"
}
# Built here, where its progress shows; each seed below then runs it without rebuilding.
say "building the seed example (db/examples/seed_meetings.rs)"
seed_cargo build
seed() { seed_cargo run -q -- "$1" "$meetings"; }

begin_run

# The static twins are added to a copy, so the built site stays as cargo-leptos left it.
cp -a "$site_src" "$work/site"

counting_lua "$work/signup.lua"
cat >>"$work/signup.lua" <<'LUA'
-- Registrations for one occurrence, each from a new address: bench-<thread>-<n>@example.org.
-- Arguments: occurrence id, origin (the server refuses cross-site posts without it).
function request()
  n = n + 1
  local body = string.format(
    "lang=en&occurrence=%s&name=Bench&email=bench-%d-%d%%40example.org&consent=yes",
    arguments[1], tid, n)
  return wrk.format("POST", "/api/register", {
    ["Origin"] = arguments[2],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
LUA

failed=0
problems=()
rows=()

row() { rows+=("$(printf '%-46s %10s %10s %10s' "$1" "$2" "${rps:--}" "${p99:--}")"); }

# GET PATH into FILE; prints its size, fails unless the answer is 200.
fetch() {
  local status size
  read -r status size < <(curl -sS -o "$2" -w '%{http_code} %{size_download}\n' "$base$1")
  if [ "$status" != 200 ]; then
    echo "GET $1 answered $status" >&2
    kill -0 "$server" 2>/dev/null || echo "the server is no longer running" >&2
    tail -20 "$work/server-$run.log" >&2
    exit 1
  fi
  echo "$size"
}

# A page or feed, then a static file of the same bytes from the same server.
pair() {
  local label="$1" path="$2" twin="/bench-twin-$run-$1.$3"
  local bytes twin_bytes
  bytes="$(fetch "$path" "$work/site$twin")"
  twin_bytes="$(fetch "$twin" /dev/null)"
  if [ "$bytes" != "$twin_bytes" ]; then
    problems+=("$label: the static twin has $twin_bytes bytes, the page $bytes")
    failed=1
  fi
  # No Lua hook here: wrk would copy every body into Lua, taking CPU from the server it shares
  # the machine with, most of all for the static twins. fetch saw a 200, not a redirect.
  run_wrk "$run-$label" "$base$path"
  row "$label $path" "$bytes"
  run_wrk "$run-$label-static" "$base$twin"
  row "  static file, same size" "$twin_bytes"
}

count() {
  if [ "$run" = sqlite ]; then
    sqlite3 "$work/bench.db" "$1"
  else
    psql "$db_url" -tAc "$1"
  fi
}

measure() {
  run="$1" db_url="$2"
  say "$run: seeding $meetings meetings"
  local seeded
  seeded="$(seed "$db_url")"
  echo "$seeded"

  start_server "$run" "$db_url"

  # An occurrence at least a day ahead, so that registration stays open during the run: a
  # series date for the meeting page (it also lists the next dates), one without a seat limit
  # (or the most seats) for the sign-ups.
  local ids meeting signup
  ids="$(curl -fsS "$base/feeds/calendar.json?city=lucca" | python3 -c '
import datetime, json, sys
items = json.load(sys.stdin)["items"]
soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
ahead = [i for i in items
         if not i["cancelled"] and datetime.datetime.fromisoformat(i["start"]) > soon]
if not ahead:
    sys.exit("no upcoming occurrence in Lucca")
page = next((i for i in ahead if i["recurring"]), ahead[0])
signup = max(ahead, key=lambda i: float("inf") if i["capacity"] is None else i["capacity"])
print(page["id"], signup["id"])
')" || { echo "could not pick occurrences from /feeds/calendar.json?city=lucca" >&2; exit 1; }
  read -r meeting signup <<<"$ids"

  rows=()
  say "$run: measuring (wrk, 2 threads, $connections connections, ${duration} s each)"
  pair agenda /en/calendar html
  pair meeting "/en/meetings/$meeting" html
  pair feed "/feeds/calendar.ics?city=lucca" ics

  run_wrk "$run-signups" "$base" -s "$work/signup.lua" -- "$signup" "$base"
  local ok first_bad stored mails
  ok="$(awk '$1 == "signups_ok" { print $2 }' "$work/wrk-$run-signups.txt")"
  first_bad="$(awk '$1 == "first_bad_status" { print $2 }' "$work/wrk-$run-signups.txt")"
  # Requests still in flight when wrk stops may finish after it, so the rows can outnumber the 200s.
  sleep 1
  stored="$(count "SELECT COUNT(*) FROM registrations WHERE occurrence_id = $signup AND email LIKE 'bench-%@example.org'")"
  mails="$(count "SELECT COUNT(*) FROM outbox WHERE recipient LIKE '%bench-%@example.org%'")"
  row "sign-ups POST /api/register (occurrence $signup)" "-"
  if [ -z "$ok" ] || [ "$ok" -eq 0 ] || [ "$stored" -lt "$ok" ] || [ "$mails" -lt "$ok" ]; then
    problems+=("$run-signups: ${ok:-0} answered 200, $stored registrations stored, $mails mails queued")
    failed=1
  fi
  [ "${first_bad:-0}" = 0 ] || tail -20 "$work/server-$run.log" >&2

  local rss_peak
  rss_peak="$(awk '/^VmHWM:/ { print int($2 / 1024) }' "/proc/$server/status")"
  stop_server

  echo
  echo "backend=$run build=$build wrk: 2 threads, $connections connections, ${duration} s a run; seeded $seeded"
  echo "server RSS: ${rss_ready} MB when ready, ${rss_peak} MB peak"
  printf '%-46s %10s %10s %10s\n' target bytes req/s "p99 ms"
  printf '%s\n' "${rows[@]}"
  echo "sign-ups: ${ok:-0} answered 200, $stored registrations stored, $mails confirmation mails queued"
  log_summary "$work/server-$run.log"
  echo
}

measure sqlite "sqlite:$work/bench.db"

if [ "${BENCH_POSTGRES:-0}" = 1 ]; then
  if ! pg_isready -q -d "$pg_base/postgres"; then
    echo "BENCH_POSTGRES=1 but PostgreSQL does not answer at $pg_base" >&2
    exit 1
  fi
  pg_db="bench_calendar_$$"
  psql "$pg_base/postgres" -qc "CREATE DATABASE \"$pg_db\"" >/dev/null
  measure postgres "$pg_base/$pg_db"
fi

if [ "$failed" != 0 ]; then
  for log in "$work"/server-*.log; do
    echo "--- last lines of $(basename "$log")" >&2
    tail -20 "$log" >&2
  done
  printf 'FAILED: %s\n' "${problems[@]}" >&2
  exit 1
fi
