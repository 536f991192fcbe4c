#!/usr/bin/env bash
# Pact sign-ups under load, and what a phone downloads for the sign-up form. Over a fresh
# database with the demo data, wrk sends the sign-up form as the page does (multipart, a new
# organisation and address each time, no logo) at 64 connections and counts sign-ups per
# second; each one stores an adhesion with its commitment and queues its confirmation mail in
# one transaction, which the script checks afterwards. On SQLite always and on PostgreSQL when
# it answers (a throwaway database, dropped at the end). Then bench/page-weight.sh weighs the
# sign-up page with brotli. Fails when a sign-up answered other than 200, a socket error
# occurred, fewer adhesions or mails were stored than answered 200, or the page is over budget.
#
# Usage: bench/pact-signup.sh [SECONDS=10] [BUILD=release|debug]
#   BENCH_POSTGRES=0     skip PostgreSQL (default: measured when it answers)
#   BENCH_POSTGRES_URL   where to create the throwaway database (postgres://postgres@127.0.0.1:5432/)
#   PAGE_BUDGET          bytes the sign-up page may weigh with everything it loads (400000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
duration="${1:-10}"
build="${2:-release}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/pact-signup.sh [SECONDS=10] [release|debug]" >&2
    exit 2
    ;;
esac
connections=64
timeout=10
page="/it/cities/lucca/pact/join"

# shellcheck source=../scripts/install-tools.sh
source scripts/install-tools.sh
# shellcheck source=lib.sh
source bench/lib.sh
need_tools wrk sqlite3
ensure_build

begin_run
cp -a "$site_src" "$work/site"

counting_lua "$work/join.lua"
cat >>"$work/join.lua" <<'LUA'
-- Lucca's sign-up form as the page sends it, each time from a new organisation and address:
-- "Bench <thread>-<n>", bench-<thread>-<n>@example.org. Arguments: a commitment id, the origin.
local boundary = "----learning-city-bench"
local function part(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name ..
    "\"\r\n\r\n" .. value .. "\r\n"
end
function request()
  n = n + 1
  local body = part("lang", "it") .. part("slug", "lucca") ..
    part("organisation", string.format("Bench %d-%d", tid, n)) ..
    part("legal_form", "association") .. part("sector", "museums-culture") ..
    part("address", "Via Fillungo 1, Lucca") .. part("latitude", "43.8441") ..
    part("longitude", "10.5049") .. part("contact_name", "Bench") ..
    part("email", string.format("bench-%d-%d@example.org", tid, n)) ..
    part("representative", "Bench") .. part("authority", "yes") .. part("privacy", "yes") ..
    part("listed", "yes") .. part("commitments[]", arguments[1]) .. "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/api/pact_join", {
    ["Origin"] = arguments[2],
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
  }, body)
end
LUA

failed=0
problems=()
results=()

count() {
  if [ "$run" = sqlite ]; then
    sqlite3 "$work/bench.db" "$1"
  else
    psql "$db_url" -tAc "$1"
  fi
}

measure() {
  run="$1" db_url="$2"
  start_server "$run" "$db_url"
  local commitment
  commitment="$(count "SELECT c.id FROM pact_commitments c JOIN pacts p ON p.id = c.pact_id \
    JOIN cities ci ON ci.id = p.city_id WHERE ci.slug = 'lucca' ORDER BY c.position LIMIT 1")"
  say "$run: sign-ups (wrk, 2 threads, $connections connections, ${duration} s)"
  run_wrk "$run-join" "$base" -s "$work/join.lua" -- "$commitment" "$base"
  local ok first_bad stored mails
  ok="$(awk '$1 == "signups_ok" { print $2 }' "$work/wrk-$run-join.txt")"
  first_bad="$(awk '$1 == "first_bad_status" { print $2 }' "$work/wrk-$run-join.txt")"
  # Requests in flight when wrk stops may still commit, so rows can outnumber the 200s.
  sleep 1
  stored="$(count "SELECT COUNT(*) FROM adhesions WHERE email LIKE 'bench-%@example.org'")"
  mails="$(count "SELECT COUNT(*) FROM outbox WHERE recipient LIKE '%bench-%@example.org%'")"
  if [ -z "$ok" ] || [ "$ok" -eq 0 ] || [ "$stored" -lt "$ok" ] || [ "$mails" -lt "$ok" ]; then
    problems+=("$run: ${ok:-0} sign-ups answered 200, $stored adhesions stored, $mails mails queued")
    failed=1
  fi
  [ "${first_bad:-0}" = 0 ] || tail -20 "$work/server-$run.log" >&2
  results+=("$(printf '%-9s %10s %10s %10s %10s' "$run" "${rps:--}" "${p99:--}" "$ok" "$stored")")
  if [ "$run" = sqlite ]; then
    say "weight of $page"
    if ! bench/page-weight.sh "$base" "$page" "${PAGE_BUDGET:-400000}" >"$work/weight.txt"; then
      problems+=("$page is over its budget")
      failed=1
    fi
  fi
  local rss_peak
  rss_peak="$(awk '/^VmHWM:/ { print int($2 / 1024) }' "/proc/$server/status")"
  results+=("          server RSS ${rss_ready} MB when ready, ${rss_peak} MB peak")
  log_summary "$work/server-$run.log"
  stop_server
}

measure sqlite "sqlite:$work/bench.db"
if [ "${BENCH_POSTGRES:-1}" = 1 ] && pg_isready -q -d "$pg_base/postgres" 2>/dev/null; then
  pg_db="bench_pact_$$"
  psql "$pg_base/postgres" -qc "CREATE DATABASE \"$pg_db\"" >/dev/null
  measure postgres "$pg_base/$pg_db"
elif [ "${BENCH_POSTGRES:-1}" = 1 ]; then
  echo "PostgreSQL does not answer at $pg_base: measured on SQLite only" >&2
fi

echo
echo "build=$build wrk: 2 threads, $connections connections, ${duration} s a run"
printf '%-9s %10s %10s %10s %10s\n' backend sign-ups/s "p99 ms" answered stored
printf '%s\n' "${results[@]}"
echo
echo "the sign-up page as a phone downloads it (brotli):"
cat "$work/weight.txt"

if [ "$failed" != 0 ]; then
  printf 'FAILED: %s\n' "${problems[@]}" >&2
  exit 1
fi
