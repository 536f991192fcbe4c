#!/usr/bin/env bash
# Runs every test of Learning City: Rust unit and integration tests (on SQLite and on
# PostgreSQL, which must answer), then the browser tests against the real server in Chromium.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=install-tools.sh
source scripts/install-tools.sh
scripts/install-browser.sh

export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
# Both backends are supported, so both are tested: no PostgreSQL, no passing run.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -d "$TEST_POSTGRES_URL"; then
  printf '\nPostgreSQL does not answer at %s: the storage tests need it. Start it\n(pg_ctlcluster --skip-systemctl-redirect 15 main start) or set TEST_POSTGRES_URL.\n' "$TEST_POSTGRES_URL" >&2
  exit 1
fi

say "dependencies: advisories, licences, duplicates, sources (cargo deny, deny.toml)"
scripts/deny.sh

say "code health: no file over 600 lines, no function over 80, no import circle, no SQL from text"
scripts/code-health.sh --check | tail -n 20

say "Rust tests (cargo test)"
# `--cfg erase_components` comes from .cargo/config.toml, for the tests and every build alike.
# The integration tests need the server binary, so this also builds the one the browser tests
# run: cargo-leptos builds only the browser's part below, and the server's dependencies are
# compiled once.
cargo test --locked

say "building the browser's part of the site (cargo leptos build --frontend-only)"
cargo leptos build --frontend-only

target="${CARGO_TARGET_DIR:-$here/target}"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# The administrator the README tells a newcomer to create, made the same way.
export ADMIN_EMAIL="admin@example.org" ADMIN_PASSWORD="correct horse battery staple"
echo "$ADMIN_PASSWORD" | DATABASE_URL="sqlite:$work/learning-city.db" \
  "$target/debug/learning-city" admin create --email "$ADMIN_EMAIL" --name "Ada Admin" --locale en
say "starting learning-city on 127.0.0.1:$port over a fresh SQLite database"
# One browser on 127.0.0.1 plays every citizen, so the per-client limit on public writes is
# raised here (server/tests/api/meetings/ tests the limit itself); a coordinator's new meeting is
# looked for in the feed at once, so feeds are not kept (the cache has its own test there too).
OUTBOX_DIR="$work/outbox" \
RATE_LIMIT_BURST=100000 \
FEED_CACHE_SECONDS=0 \
LEPTOS_SITE_ADDR="127.0.0.1:$port" \
LEPTOS_SITE_ROOT="$here/target/site" \
LEPTOS_OUTPUT_NAME=learning-city \
DATABASE_URL="sqlite:$work/learning-city.db" \
RUST_LOG="${RUST_LOG:-warn}" \
  "$target/debug/learning-city" > "$work/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done

say "browser tests (Chromium, node --test)"
# The tests read mail where the server writes it without SMTP (one .eml file per message).
(cd end2end && BASE_URL="http://127.0.0.1:$port" OUTBOX_DIR="$work/outbox" npm test) || { echo "--- server log"; tail -50 "$work/server.log"; exit 1; }

say "the server's log of the browser tests: no error, no warning, no panic"
# Every page a person could reach has been served by now. A warning, an error or a panic in the
# log is a fault even when the page looked right (a view built twice, a context gone before its
# task). One warning is expected: topojson notes at start-up that three of the base map's
# countries have no usable id (they are drawn all the same).
if sed 's/\x1b\[[0-9;]*m//g' "$work/server.log" \
  | grep -E '(^|[^A-Za-z_])(ERROR|WARN)([^A-Za-z_]|$)|panicked at' | grep -v ' WARN topojson::'; then
  echo "the server logged the lines above while the browser tests ran" >&2
  exit 1
fi
