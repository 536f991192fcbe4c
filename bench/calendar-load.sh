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
# wrk makes the load; the sqlite3 shell counts what the sign-ups stored.
for tool in wrk sqlite3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    say "installing $tool (Debian)"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y "$tool" || { "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y "$tool"; }
  fi
done

target="${CARGO_TARGET_DIR:-$here/target}"
site_src="${SITE_ROOT:-$here/target/site}"
bin="$target/$build/learning-city"
if [ "$build" = release ]; then
  leptos_args=(--release --precompress --split)
  profile=(--release)
else
  leptos_args=(--split)
  profile=()
fi
if [ ! -x "$bin" ] || [ ! -d "$site_src" ]; then
  say "building the site (cargo leptos build ${leptos_args[*]})"
  cargo leptos build "${leptos_args[@]}"
fi
if [ ! -x "$bin" ] || [ ! -d "$site_src/pkg" ]; then
  echo "no server at $bin or no built site at $site_src" >&2
  exit 1
fi

# cargo-leptos builds debug binaries with `--cfg erase_components`; the same flags let the seed
# example reuse those compiled dependencies instead of building them all again.
seed_cargo() {
  local command="$1"
  shift
  if [ "$build" = debug ]; then
    RUSTFLAGS="--cfg erase_components${RUSTFLAGS:+ $RUSTFLAGS}" \
      cargo "$command" --locked "${profile[@]}" -p db --example seed_meetings "$@"
  else
    cargo "$command" --locked "${profile[@]}" -p db --example seed_meetings "$@"
  fi
}
# Built here, where its progress shows; each seed below then runs it without rebuilding.
say "building the seed example (db/examples/seed_meetings.rs)"
seed_cargo build
seed() { seed_cargo run -q -- "$1" "$meetings"; }

work="$(mktemp -d)"
server=""
pg_db=""
pg_base="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/}"
pg_base="${pg_base%/}"
# A child that has exited but is not yet waited for is a zombie: that is stopped too.
running() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}
# SIGTERM lets the server finish its requests and its mail round; one that has not stopped
# 15 s later is hung, which is a finding in itself, and gets SIGKILL so that the run can end.
stop_server() {
  [ -n "$server" ] || return 0
  kill "$server" 2>/dev/null || true
  local _
  for _ in $(seq 1 150); do
    running "$server" || break
    sleep 0.1
  done
  if running "$server"; then
    problems+=("${run:-server}: the server had not stopped 15 s after SIGTERM; killed")
    failed=1
    kill -KILL "$server" 2>/dev/null || true
  fi
  wait "$server" 2>/dev/null || true
  server=""
}
cleanup() {
  stop_server
  if [ -n "$pg_db" ]; then
    psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null ||
      echo "could not drop the PostgreSQL database $pg_db" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The static twins are added to a copy, so the built site stays as cargo-leptos left it.
cp -a "$site_src" "$work/site"

cat >"$work/signup.lua" <<'LUA'
-- Registrations for one occurrence, each from a new address: bench-<thread>-<n>@example.org.
-- Arguments: occurrence id, origin (the server refuses cross-site posts without it).
local threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end
function init(args)
  occurrence, origin = args[1], args[2]
  n, ok, bad, first_bad = 0, 0, 0, 0
end
function request()
  n = n + 1
  local body = string.format(
    "lang=en&occurrence=%s&name=Bench&email=bench-%d-%d%%40example.org&consent=yes",
    occurrence, tid, n)
  return wrk.format("POST", "/api/register", {
    ["Origin"] = origin,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end
function done(summary, latency, requests)
  local o, b, f = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
    if f == 0 then f = t:get("first_bad") end
  end
  io.write(string.format("signups_ok %d\nnot_2xx %d\nfirst_bad_status %d\n", o, b, f))
end
LUA

failed=0
problems=()
rows=()

# run_wrk LABEL URL [wrk options] [-- script arguments]: sets rps and p99 (ms).
run_wrk() {
  local label="$1" url="$2"
  shift 2
  local opts=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    opts+=("$1")
    shift
  done
  local out="$work/wrk-$label.txt"
  # What is left ("--" and the script's arguments) goes after the URL, where wrk expects it.
  if ! wrk -t2 -c"$connections" -d"${duration}s" --timeout "${timeout}s" --latency "${opts[@]}" "$url" "$@" >"$out" 2>&1; then
    cat "$out" >&2
    problems+=("$label: wrk failed")
    failed=1
  fi
  rps="$(awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$out")"
  p99="$(awk '$1 == "99%" { v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v) }
    else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
    printf "%.1f", v }' "$out")"
  local not_2xx errors timeouts
  # The sign-up script counts every answer but 200; wrk itself counts those of 400 and more.
  not_2xx="$(awk '$1 == "not_2xx" || /Non-2xx or 3xx responses:/ { if ($NF > n) n = $NF }
    END { print n + 0 }' "$out")"
  errors="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$out")"
  timeouts="$(awk '/Socket errors:/ { print $NF }' "$out")"
  if [ "${not_2xx:-0}" != 0 ] || [ "${errors:-0}" != 0 ]; then
    problems+=("$label: ${not_2xx:-0} answers not 2xx, ${errors:-0} socket errors ($(grep 'Socket errors' "$out" | xargs || true))")
    failed=1
  fi
  local done
  done="$(awk '$2 == "requests" && $3 == "in" { print $1 }' "$out")"
  if [ -z "$rps" ] || [ "${done:-0}" = 0 ]; then
    # Requests cut off by the end of the run count as neither answers nor errors.
    problems+=("$label: no request completed within the ${duration} s of the run")
    failed=1
    rps="" p99=""
  elif [ $((${timeouts:-0} * 100)) -ge "$done" ]; then
    # wrk leaves timed-out requests out of its percentiles: with 1 % of them, the true p99 is
    # at least the timeout.
    p99=">$((timeout * 1000))"
  fi
}

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

  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  base="http://127.0.0.1:$port"
  say "$run: starting $bin on 127.0.0.1:$port"
  # No SMTP and our own address: mail goes to files, and the Origin below is the server's own.
  env -u SMTP_URL -u PUBLIC_URL \
    OUTBOX_DIR="$work/outbox-$run" \
    RATE_LIMIT_PER_MINUTE=0 \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="$work/site" \
    LEPTOS_OUTPUT_NAME=learning-city \
    DATABASE_URL="$db_url" \
    RUST_LOG=warn \
    LOG_FORMAT=json \
    "$bin" >"$work/server-$run.log" 2>&1 &
  server=$!
  local ready=""
  for _ in $(seq 1 300); do
    if curl -fsS "$base/readyz" >/dev/null 2>&1; then
      ready=1
      break
    fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.2
  done
  if [ -z "$ready" ]; then
    echo "the server did not become ready" >&2
    tail -50 "$work/server-$run.log" >&2
    exit 1
  fi
  local rss_ready
  rss_ready="$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$server/status")"

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

# What the server warned about, most frequent first: a run can pass with the server unhappy.
log_summary() {
  python3 - "$1" <<'PY'
import collections, json, sys
seen = collections.Counter()
for line in open(sys.argv[1], errors="replace"):
    try:
        event = json.loads(line)
    except ValueError:
        seen[("?", line.strip()[:160])] += 1
        continue
    if event.get("level") in ("WARN", "ERROR"):
        seen[(event["level"], str(event.get("message", ""))[:160])] += 1
print(f"server log: {sum(seen.values())} warnings and errors")
for (level, message), n in seen.most_common(5):
    print(f"  {n:6} {level} {message}")
PY
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
