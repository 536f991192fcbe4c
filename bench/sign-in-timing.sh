#!/usr/bin/env bash
# Whether a refused sign-in tells an unknown address from a known one by its time: alternates
# wrong-password sign-ins for EMAIL (an existing account) and for addresses that have none,
# against a running server, and fails when the median of either is more than three times the
# other's. Without the dummy Argon2 hash an unknown address answers in about a millisecond
# against tens. The server test `accounts::sign_in::unknown_addresses_cost_the_same_argon2_work`
# checks the same without a clock: one Argon2 run for each refused sign-in.
# Usage: bench/sign-in-timing.sh BASE_URL EMAIL [ROUNDS]
# ROUNDS (default 4) stays under the lock-out (5 failures per address, 20 per client).
set -euo pipefail
base="${1:?BASE_URL}"
email="${2:?EMAIL}"
rounds="${3:-4}"

failed() {
  local t code
  t="$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -H "Origin: $base" \
    --data-urlencode "lang=en" --data-urlencode "email=$1" \
    --data-urlencode "password=not the password" "$base/api/sign_in")"
  code="${t%% *}"
  if [ "$code" != 422 ]; then
    echo "a wrong password for $1 answered $code, not 422" >&2
    exit 1
  fi
  echo "${t##* }"
}

known=()
unknown=()
for i in $(seq 1 "$rounds"); do
  # Alternated, so that load on the machine hits both alike.
  known+=("$(failed "$email")")
  unknown+=("$(failed "nobody-$i-$RANDOM@example.org")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ t[NR] = $1 * 1000 } END { print t[int((NR + 1) / 2)] }'; }
k="$(median "${known[@]}")"
u="$(median "${unknown[@]}")"
printf 'refused sign-in: known address median %.1f ms, unknown address median %.1f ms\n' "$k" "$u"
awk -v k="$k" -v u="$u" 'BEGIN { exit !(u > k / 3 && u < k * 3) }' || {
  echo "an unknown address answers in a different time than a known one" >&2
  exit 1
}
