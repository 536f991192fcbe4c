#!/usr/bin/env bash
# Holds every dependency to deny.toml: no known advisory, licences we may ship, one version of a
# crate where we can choose, crates.io only. Run by scripts/test.sh; installs cargo-deny first
# when it is missing (scripts/install-tools.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-deny >/dev/null 2>&1 || source scripts/install-tools.sh

# The RustSec advisory database is a git repository on GitHub, cloned where cargo-deny keeps it.
# Where GitHub does not answer (a machine that reaches only the package registries), a copy
# already there is used; its date is printed either way. With none at all the check fails: an
# advisory check that cannot see advisories proves nothing.
db="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs/advisory-db-3157b0e258782691"
# cargo-deny removes its copy before cloning again, so it is asked only when GitHub answers.
if timeout 20 git ls-remote --exit-code https://github.com/rustsec/advisory-db HEAD >/dev/null 2>&1; then
  cargo deny fetch db
fi
if [ ! -d "$db/.git" ]; then
  printf 'No advisory database: cargo-deny cannot clone it from GitHub, and none is at\n%s\n(a clone of https://github.com/rustsec/advisory-db).\n' "$db" >&2
  exit 1
fi
printf 'RustSec advisory database of %s\n' "$(git -C "$db" log -1 --format=%cs)"
cargo deny --locked --offline check
