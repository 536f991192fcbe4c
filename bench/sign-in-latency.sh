#!/usr/bin/env bash
# Time a coordinator waits for a sign-in: N sign-ins against a running server, each a real
# POST /api/sign_in (session created, Argon2id verification of the stored hash), reported as
# median and 95th percentile. Fails when the median exceeds the budget.
# Usage: bench/sign-in-latency.sh BASE_URL EMAIL PASSWORD [N] [BUDGET_MS]
# The account must exist (learning-city admin create); fewer than 5 wrong passwords are tried,
# so throttling never kicks in. With SERVER_PID set, the server's resident memory is printed
# before and after (each verification allocates 19 MiB; it must be given back).
set -euo pipefail
base="${1:?BASE_URL}"
email="${2:?EMAIL}"
password="${3:?PASSWORD}"
n="${4:-20}"
budget="${5:-250}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

rss() { [ -n "${SERVER_PID:-}" ] && printf 'server RSS %s: %s kB\n' "$1" "$(ps -o rss= -p "$SERVER_PID" | tr -d ' ')"; return 0; }
rss before
times=()
for _ in $(seq 1 "$n"); do
  t="$(curl -sS -o "$tmp/body" -w '%{http_code} %{time_total}' \
    -H "Origin: $base" \
    --data-urlencode "lang=en" --data-urlencode "email=$email" --data-urlencode "password=$password" \
    "$base/api/sign_in")"
  code="${t%% *}"
  if [ "$code" != 200 ]; then
    echo "sign-in answered $code: $(cat "$tmp/body")" >&2
    exit 1
  fi
  times+=("${t##* }")
done
printf '%s\n' "${times[@]}" | sort -n | awk -v budget="$budget" -v n="$n" '
  { t[NR] = $1 * 1000 }
  END {
    median = t[int((NR + 1) / 2)]
    p95 = t[int(NR * 0.95 + 0.999)]
    printf "sign-in: n=%d median=%.1f ms p95=%.1f ms min=%.1f ms max=%.1f ms (budget median %d ms)\n", n, median, p95, t[1], t[NR], budget
    exit (median > budget)
  }' || { rss after; exit 1; }
rss after
