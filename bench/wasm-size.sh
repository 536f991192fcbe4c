#!/usr/bin/env bash
# The WebAssembly each public page makes a phone download on a first visit: the bundle's files
# (main module, its JavaScript glue, any chunk fetched at run time) as Chromium requested them,
# weighed as the server sends them with brotli accepted (bench/lib.sh visit_pages). Fails above
# 120 KB for any page, 60 KB for a page whose only interaction is a form (a meeting's
# registration, the pact's sign-up), or above 10 requests of code for a page.
#
# Usage: bench/wasm-size.sh [BUILD=release|debug]
#   PAGE_BUDGET, FORM_BUDGET, REQUEST_BUDGET   (120000, 60000, 10)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
build="${1:-release}"
case "$build" in
  release | debug) ;;
  *)
    echo "usage: bench/wasm-size.sh [release|debug]" >&2
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

say "the bundle as built ($site_src/pkg, brotli where precompressed)"
for f in "$site_src"/pkg/*.wasm "$site_src"/pkg/*.js; do
  [ -e "$f" ] || continue
  printf '  %-60s %8s B raw' "${f#"$site_src"/}" "$(stat -c %s "$f")"
  if [ -e "$f.br" ]; then printf ' %8s B br' "$(stat -c %s "$f.br")"; fi
  echo
done

visit_pages "$work/visits.json" >/dev/null
python3 - "$work/visits.json" "${PAGE_BUDGET:-120000}" "${FORM_BUDGET:-60000}" "${REQUEST_BUDGET:-10}" <<'PY'
import json, sys
page_budget, form_budget, request_budget = map(int, sys.argv[2:5])
# Pages whose only interaction is a form: a meeting's registration, the pact's sign-up.
forms = ("/meetings/", "/pact/join")
bad = []
print(f'{"page":40} {"code files":>10} {"wasm + glue (br)":>17}  budget   files')
for line in open(sys.argv[1]):
    r = json.loads(line)
    budget = form_budget if any(f in r["path"] for f in forms) else page_budget
    print(f'{r["path"]:40} {r["code_requests"]:>10} {r["wasm_code"]:>17}  {budget:>6}   {" ".join(r["wasm_files"]) or "-"}')
    if r["wasm_code"] > budget:
        bad.append(f'{r["path"]}: {r["wasm_code"]} B of WebAssembly and glue, budget {budget} B')
    if r["code_requests"] > request_budget:
        bad.append(f'{r["path"]}: {r["code_requests"]} requests for code, budget {request_budget}')
for b in bad:
    print("over budget:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
