#!/usr/bin/env bash
# Fuzzes every parser of user input (fuzz/README.md): builds the targets in fuzz/ under AFL++'s
# instrumentation with cargo-afl, on the project's stable toolchain, and runs each one for a
# bounded time. Installs cargo-afl and AFL++ first when they are missing; safe to run again.
#
#   scripts/fuzz.sh [seconds-per-target] [target…]    (default: 60 s, every target)
#
# Exits non-zero when a target crashed (a panic in a parser, or a value that broke one of the
# rules in domain/tests/invariants); the inputs stay in $FUZZ_OUT/<target>/default/crashes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here/fuzz"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

seconds="${1:-60}"
[ $# -gt 0 ] && shift
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [seconds-per-target] [target…]" >&2
  exit 2
fi
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for bin in src/bin/*.rs; do targets+=("$(basename "$bin" .rs)"); done
fi
for t in "${targets[@]}"; do
  [ -f "src/bin/$t.rs" ] || { echo "no target $t (see fuzz/src/bin)" >&2; exit 2; }
done

# Must equal the version of `afl` in fuzz/Cargo.toml.
AFL_RS_VERSION=0.18.2
export PATH="$HOME/.cargo/bin:$PATH"
# Instrumented builds take other flags than the project's: a folder of their own keeps both
# caches warm.
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/learning-city/fuzz-target}"
out="${FUZZ_OUT:-$HOME/.cache/learning-city/fuzz-out}"

if ! command -v cc >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1; then
  say "installing a C compiler and make (AFL++ is built from source)"
  apt-get update -qq && apt-get install -y -qq gcc make
fi
if ! cargo afl --version 2>/dev/null | grep -q "^cargo-afl $AFL_RS_VERSION "; then
  say "building cargo-afl $AFL_RS_VERSION and AFL++ (about 3 minutes, once)"
  cargo install --locked --force "cargo-afl@$AFL_RS_VERSION"
fi
# cargo-afl builds AFL++'s runtime for the rustc it was installed with; another toolchain
# needs its own.
rustc_version="$(rustc --version | cut -d' ' -f2)"
data="${XDG_DATA_HOME:-$HOME/.local/share}/afl.rs"
if ! compgen -G "$data/rustc-$rustc_version-*/afl.rs-$AFL_RS_VERSION/afl-llvm/afl-compiler-rt.o" >/dev/null; then
  say "building AFL++'s runtime for rustc $rustc_version"
  cargo afl config --build --force
fi

say "building the fuzz targets (cargo afl build --release)"
cargo afl build --release --locked

# No screen to draw on; two shared cores, so no pinning to one; a machine whose core dumps go
# to a handler still reports crashes through the exit status; stop a target at its first crash.
export AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_BENCH_UNTIL_CRASH=1

failed=()
printf '%-15s %10s %9s %7s %8s %6s\n' target execs exec/s corpus crashes hangs
for t in "${targets[@]}"; do
  dir="$out/$t"
  rm -rf "$dir"
  mkdir -p "$dir"
  status=0
  # -V bounds the fuzzing time; timeout bounds the whole, calibration included. -t: an input
  # that keeps a parser busy for a second is reported as a hang.
  timeout "$((seconds + 120))" cargo afl fuzz -V "$seconds" -t 1000 -x tokens.dict \
    -i "seeds/$t" -o "$dir" -- "$CARGO_TARGET_DIR/release/$t" >"$dir/afl.log" 2>&1 || status=$?
  stats="$dir/default/fuzzer_stats"
  field() { sed -n "s/^$1 *: *//p" "$stats" 2>/dev/null | head -n1; }
  crashes="$(find "$dir/default/crashes" -type f ! -name README.txt 2>/dev/null | wc -l)"
  hangs="$(find "$dir/default/hangs" -type f 2>/dev/null | wc -l)"
  printf '%-15s %10s %9s %7s %8s %6s\n' "$t" "$(field execs_done)" "$(field execs_per_sec)" \
    "$(field corpus_count)" "$crashes" "$hangs"
  if [ "$crashes" -gt 0 ]; then
    failed+=("$t")
    first="$(find "$dir/default/crashes" -type f ! -name README.txt | sort | head -n1)"
    echo "    $t crashed on $first; what it says:"
    (RUST_BACKTRACE=0 "$CARGO_TARGET_DIR/release/$t" <"$first" || true) 2>&1 | head -n 6 | sed 's/^/    /'
    echo "    again: $CARGO_TARGET_DIR/release/$t < '$first'"
  elif [ ! -f "$stats" ] || [ "$status" -ne 0 ]; then
    failed+=("$t")
    echo "    afl-fuzz did not run $t to the end (exit $status); its log, $dir/afl.log, ends:"
    tail -n 8 "$dir/afl.log" | sed 's/^/    /'
  fi
  if [ "$hangs" -gt 0 ]; then
    echo "    $t: $hangs input(s) took over a second, in $dir/default/hangs"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  say "failed: ${failed[*]}"
  exit 1
fi
say "${#targets[@]} targets, ${seconds} s each: no crash"
