# Shared by the load benchmarks: starting and stopping the server, running wrk and reading its
# figures, and summing up what the server logged. Sourced by the scripts in bench/; they set
# `work` (a temp dir), `bin` (the server), `connections`, `duration`, `timeout`, and the arrays
# `problems` and the flag `failed` that these functions add to.

# need_tools TOOL…: installs Debian's package of each tool that is missing.
need_tools() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      say "installing $tool (Debian)"
      local sudo=()
      [ "$(id -u)" -eq 0 ] || sudo=(sudo)
      export DEBIAN_FRONTEND=noninteractive
      "${sudo[@]}" apt-get install -y "$tool" || { "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y "$tool"; }
    fi
  done
}

# ensure_build: sets target, site_src, bin, leptos_args and profile for $build (release or
# debug), building the site first when the server or the site is missing.
ensure_build() {
  target="${CARGO_TARGET_DIR:-$here/target}"
  site_src="${SITE_ROOT:-$here/target/site}"
  bin="$target/$build/learning-city"
  if [ "$build" = release ]; then
    leptos_args=(--release --precompress)
    profile=(--release)
  else
    leptos_args=()
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
}

# begin_run: a temp dir for the run (`work`), no server yet, and on exit: the server stopped,
# the throwaway PostgreSQL database (`pg_db`, under `pg_base`) dropped, the temp dir removed.
begin_run() {
  work="$(mktemp -d)"
  server=""
  pg_db=""
  pg_base="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/}"
  pg_base="${pg_base%/}"
  trap end_run EXIT
  trap 'exit 130' INT TERM
}

end_run() {
  stop_server
  if [ -n "$pg_db" ]; then
    psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null ||
      echo "could not drop the PostgreSQL database $pg_db" >&2
  fi
  rm -rf "$work"
}

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

# start_server RUN DB_URL: starts $bin on a free loopback port over DB_URL, without a rate
# limit on public writes, with mail written to files; sets server, base and rss_ready (MB).
start_server() {
  local run="$1" db_url="$2"
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
  rss_ready="$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$server/status")"
}

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

# counting_lua FILE: the part of a wrk script that every sign-up benchmark shares: each thread
# gets an id (`tid`), `arguments` holds the script's arguments, `n` counts its requests, and at
# the end the answers are summed up as `signups_ok`, `not_2xx` and `first_bad_status` lines for
# run_wrk to read. The benchmark appends its own `request()`.
counting_lua() {
  cat >"$1" <<'LUA'
local threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end
function init(args)
  arguments = args
  n, ok, bad, first_bad = 0, 0, 0, 0
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
}

# sql DB_URL QUERY: one value from a SQLite file or a PostgreSQL database.
sql() {
  case "$1" in
    sqlite:*) sqlite3 "${1#sqlite:}" "$2" ;;
    *) psql "$1" -tAc "$2" ;;
  esac
}

# seed_network DB_URL: the network at its real size for the page benchmarks, the same on every
# run: the demo network and MEETINGS meetings (db/examples/seed_meetings.rs, a fifth in Lucca),
# made-up member cities up to CITIES (bench/roster.py through the roster import) and ADHERENTS
# approved, listed adherents (db/examples/seed_adherents.rs, four in five in Lucca). The
# examples are built with the server's flags, so they reuse its compiled dependencies.
seed_network() {
  local db_url="$1"
  say "seeding ${MEETINGS:-5000} meetings, ${CITIES:-425} cities, ${ADHERENTS:-2000} adherents"
  cargo run -q --locked "${profile[@]}" -p db --example seed_meetings -- "$db_url" "${MEETINGS:-5000}"
  local demo
  demo="$(sql "$db_url" 'SELECT COUNT(*) FROM cities')"
  if [ "$demo" -lt "${CITIES:-425}" ]; then
    local clusters
    mapfile -t clusters < <(sql "$db_url" 'SELECT slug FROM clusters ORDER BY position')
    python3 "$here/bench/roster.py" "$((${CITIES:-425} - demo))" "${clusters[@]}" >"$work/roster.csv"
    DATABASE_URL="$db_url" LOAD_DEMO_DATA=false "$bin" import-roster "$work/roster.csv" >/dev/null
  fi
  cargo run -q --locked "${profile[@]}" -p db --example seed_adherents -- "$db_url" "${ADHERENTS:-2000}"
}

# new_database RUN: sets db_url for a run: a SQLite file in the temp dir, or a throwaway
# PostgreSQL database (dropped by end_run) for RUN=postgres.
new_database() {
  if [ "$1" = postgres ]; then
    if ! pg_isready -q -d "$pg_base/postgres"; then
      echo "PostgreSQL does not answer at $pg_base (BENCH_POSTGRES=0 measures SQLite only)" >&2
      exit 1
    fi
    pg_db="bench_pages_$$"
    psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS \"$pg_db\"" >/dev/null
    psql "$pg_base/postgres" -qc "CREATE DATABASE \"$pg_db\"" >/dev/null
    db_url="$pg_base/$pg_db"
  else
    db_url="sqlite:$work/$1.db"
  fi
}

# a_meeting: the path of a date in Lucca at least a day ahead (a date of a series when there
# is one), read from Lucca's JSON feed on the running server.
a_meeting() {
  curl -fsS "$base/feeds/calendar.json?city=lucca" | python3 -c '
import datetime, json, sys
items = json.load(sys.stdin)["items"]
soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
ahead = [i for i in items
         if not i["cancelled"] and datetime.datetime.fromisoformat(i["start"]) > soon]
if not ahead:
    sys.exit("no upcoming occurrence in Lucca")
print("/en/meetings/%d" % next((i for i in ahead if i["recurring"]), ahead[0])["id"])
'
}

# The public pages the page benchmarks visit, by label: the meeting's path comes from a_meeting.
page_paths() {
  local meeting="$1"
  cat <<PAGES
home /en
agenda /en/calendar
meeting $meeting
map /en/map
cluster /en/clusters/entrepreneurship
city /en/cities/lucca
pact /en/cities/lucca/pact
join /it/cities/lucca/pact/join
network-pact /en/pact
PAGES
}

# visit_pages OUT: seeds the network on SQLite, starts the server, and writes to OUT what a
# phone's first visit to each page of page_paths fetches (end2end/scripts/first-visit.mjs,
# one JSON object per page), then prints its table.
visit_pages() {
  local out="$1"
  new_database sqlite
  seed_network "$db_url"
  start_server visit "$db_url"
  local paths=()
  mapfile -t paths < <(page_paths "$(a_meeting)" | awk '{ print $2 }')
  (cd "$here/end2end" && BASE_URL="$base" node scripts/first-visit.mjs --json "$out" "${paths[@]}")
  stop_server
}
