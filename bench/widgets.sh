#!/usr/bin/env bash
# The widgets as a municipal site's visitor receives them on a phone (bench/lib.sh seed_network:
# 425 cities, 5,000 meetings, 2,000 adherents): each widget's first load as sent with brotli
# (end2end/scripts/first-visit.mjs), the loader's size, how soon the host's frame follows the
# widget's content, and when the registration form is usable on the throttled mobile profile
# (end2end/scripts/embed-timing.mjs). Fails when a widget weighs more than 30 KB before any
# script, more than 100 KB in all (a form or a map) or 40 KB (a list), when the loader weighs
# more than 5 KB, or when the host shows a new height later than the frame after the change.
#
# Usage: bench/widgets.sh [BUILD=release|debug]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
build="${1:-release}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/widgets.sh [release|debug]" >&2
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
failed=0

new_database sqlite
seed_network "$db_url"
# The host page of embed-timing.mjs, allowed to frame every city's forms.
host_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
sql "$db_url" "INSERT INTO frame_origins (city_id, origin, added_at) VALUES (NULL, 'http://localhost:$host_port', 0)"
start_server widgets "$db_url"
meeting="$(a_meeting | grep -o '[0-9]*$')"
adherent="$(curl -fsS "$base/embed/it/cities/lucca/pact/adherents" | grep -o '/it/cities/lucca/pact/adherents/[0-9]*' | head -1 | grep -o '[0-9]*$')"
# label kind path: kind "form" and "map" may weigh 100 KB in all, "list" 40 KB.
widgets="calendar list /embed/it/calendar?city=lucca
meeting form /embed/it/meetings/$meeting
map map /embed/en/map?cluster=entrepreneurship
network-map map /embed/en/map
city-map map /embed/it/cities/lucca/map
pact-join form /embed/it/cities/lucca/pact/join
adherents list /embed/it/cities/lucca/pact/adherents
badge list /embed/it/cities/lucca/pact/adherents/$adherent"
mapfile -t paths < <(awk '{ print $3 }' <<<"$widgets")
(cd end2end && BASE_URL="$base" node scripts/first-visit.mjs --json "$work/widgets.json" "${paths[@]}")

loader="$(curl -fsS -H 'Accept-Encoding: br' "$base/embed.js" | wc -c)"
frame="$(curl -fsS -H 'Accept-Encoding: br' "$base/frame.js" | wc -c)"
echo "loader /embed.js: $loader B as sent (budget 5000 B); /frame.js inside each widget: $frame B"
[ "$loader" -le 5000 ] || { echo "over budget: the loader weighs $loader B" >&2; failed=1; }

(cd end2end && BASE_URL="$base" HOST_PORT="$host_port" node scripts/embed-timing.mjs "$meeting" 20 --json "$work/timing.json")

python3 - "$work/widgets.json" "$work/timing.json" <<PY || failed=1
import json, sys
kinds = {}
for line in """$widgets""".splitlines():
    label, kind, path = line.split()
    kinds[path] = (label, kind)
bad = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    label, kind = kinds[r["path"]]
    total_budget = 100000 if kind in ("form", "map") else 40000
    if r["before_scripts"] > 30000:
        bad.append(f'{label}: {r["before_scripts"]} B before any script, budget 30000 B')
    if r["total"] > total_budget:
        bad.append(f'{label}: {r["total"]} B in all, budget {total_budget} B')
    if r["no_js_code"]:
        bad.append(f'{label}: {r["no_js_code"]} scripts with JavaScript off')
timing = json.load(open(sys.argv[2]))
if timing["resize_frames"] > 1:
    bad.append(f'resize: the host shows a new height {timing["resize_frames"]} frames after the change')
for b in bad:
    print("over budget:", b, file=sys.stderr)
print("budgets: 30 KB before any script; 100 KB in all for a form or a map, 40 KB for a list; loader 5 KB; resize by the next frame")
sys.exit(1 if bad else 0)
PY
stop_server
log_summary "$work/server-widgets.log"
[ "$failed" -eq 0 ]
