#!/usr/bin/env bash
# Lighthouse's mobile performance score (its default: a mid-range phone, simulated slow 4G and
# a 4× slower CPU) for the home, calendar, map and pact pages, in Debian's Chromium, over the
# network at its real size (bench/lib.sh seed_network). Each page is scored RUNS times and the
# median kept, as Lighthouse's own documentation advises against single runs. Fails when a
# median is under BUDGET (95).
#
# Lighthouse is installed on first use into $HOME/.cache/learning-city/lighthouse (npm, pinned:
# 12.x is the last line that runs on Node.js 20), not into end2end/, so the tests don't carry it.
#
# Usage: bench/lighthouse.sh [RUNS=3] [BUILD=release|debug]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
runs="${1:-3}"
build="${2:-release}"
budget="${BUDGET:-95}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/lighthouse.sh [RUNS=3] [release|debug]" >&2
    exit 2
    ;;
esac
LIGHTHOUSE_VERSION=12.8.2
# shellcheck source=../scripts/install-tools.sh
source scripts/install-tools.sh
# shellcheck source=lib.sh
source bench/lib.sh
need_tools sqlite3
scripts/install-browser.sh >/dev/null
lh_dir="$HOME/.cache/learning-city/lighthouse"
if [ ! -x "$lh_dir/node_modules/.bin/lighthouse" ] ||
  ! grep -q "\"version\": \"$LIGHTHOUSE_VERSION\"" "$lh_dir/node_modules/lighthouse/package.json"; then
  say "installing lighthouse $LIGHTHOUSE_VERSION (npm) into $lh_dir"
  mkdir -p "$lh_dir"
  (cd "$lh_dir" && npm install --no-audit --no-fund --no-save "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null)
fi
ensure_build
begin_run
cp -a "$site_src" "$work/site"
new_database sqlite
seed_network "$db_url"
start_server lighthouse "$db_url"

failed=0
printf '%-34s %6s %8s %8s %8s %8s   %s\n' page score FCP LCP TBT CLS "scores of each run"
for path in /en /en/calendar /en/map /en/cities/lucca/pact; do
  scores=()
  for i in $(seq 1 "$runs"); do
    out="$work/lh-$i.json"
    CHROME_PATH="$(command -v chromium)" "$lh_dir/node_modules/.bin/lighthouse" "$base$path" \
      --quiet --output=json --output-path="$out" --only-categories=performance \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>"$work/lh-err.txt" ||
      { cat "$work/lh-err.txt" >&2; exit 1; }
    scores+=("$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
a = r["audits"]
print(round(r["categories"]["performance"]["score"] * 100),
      a["first-contentful-paint"]["displayValue"].replace("\u00a0", ""),
      a["largest-contentful-paint"]["displayValue"].replace("\u00a0", ""),
      a["total-blocking-time"]["displayValue"].replace("\u00a0", ""),
      a["cumulative-layout-shift"]["displayValue"], sep=",")' "$out")")
  done
  # The run with the median score, and every run's score.
  median="$(printf '%s\n' "${scores[@]}" | sort -t, -k1,1n | sed -n "$(((runs + 1) / 2))p")"
  IFS=, read -r score fcp lcp tbt cls <<<"$median"
  printf '%-34s %6s %8s %8s %8s %8s   %s\n' "$path" "$score" "$fcp" "$lcp" "$tbt" "$cls" "$(printf '%s ' "${scores[@]%%,*}")"
  [ "$score" -ge "$budget" ] || { echo "$path: median score $score, budget $budget" >&2; failed=1; }
done
log_summary "$work/server-lighthouse.log"
[ "$failed" -eq 0 ]
