#!/usr/bin/env bash
# Builds Learning City (release) and serves it with demo data at http://127.0.0.1:3000.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=install-tools.sh
source scripts/install-tools.sh
say "building and serving Learning City (cargo leptos serve --release); the first build takes a while"
exec cargo leptos serve --release --precompress --split
