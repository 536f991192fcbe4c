#!/usr/bin/env bash
# What a phone downloads on a first visit to each public page, everything as the server sends
# it with brotli accepted (HTML, CSS, scripts, WebAssembly, the map's data and base map), over
# the network at its real size (425 cities, 5,000 meetings, 2,000 adherents; bench/lib.sh
# seed_network). Fails when a page weighs more than 150 KB in all or 40 KB before any script
# (the page loaded with JavaScript off), or fetches any script or WebAssembly with JavaScript
# off.
#
# Usage: bench/first-visit.sh [BUILD=release|debug]
#   TOTAL_BUDGET, BEFORE_SCRIPTS_BUDGET   bytes (150000, 40000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
build="${1:-release}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/first-visit.sh [release|debug]" >&2
    exit 2
    ;;
esac
# shellcheck source=../scripts/install-tools.sh
source scripts/install-tools.sh
# shellcheck source=lib.sh
source bench/lib.sh
need_tools sqlite3
scripts/install-browser.sh >/dev/null
ensure_build
begin_run
cp -a "$site_src" "$work/site"
problems=()
failed=0

visit_pages "$work/visits.json"
python3 - "$work/visits.json" "${TOTAL_BUDGET:-150000}" "${BEFORE_SCRIPTS_BUDGET:-40000}" <<'PY' || failed=1
import json, sys
total_budget, before_budget = int(sys.argv[2]), int(sys.argv[3])
bad = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["total"] > total_budget:
        bad.append(f'{r["path"]}: {r["total"]} B in all, budget {total_budget} B')
    if r["before_scripts"] > before_budget:
        bad.append(f'{r["path"]}: {r["before_scripts"]} B before any script, budget {before_budget} B')
    if r["no_js_code"]:
        bad.append(f'{r["path"]}: {r["no_js_code"]} scripts or WebAssembly files with JavaScript off')
for b in bad:
    print("over budget:", b, file=sys.stderr)
print(f"budgets: {total_budget} B in all, {before_budget} B before any script, no code with JavaScript off")
sys.exit(1 if bad else 0)
PY
log_summary "$work/server-visit.log"
[ "$failed" -eq 0 ]
