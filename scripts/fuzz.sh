#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan in build-fuzz/, and
# runs each for a bounded time over its seed corpus.
#
#   scripts/fuzz.sh                      30 s per target
#   RETORT_FUZZ_SECONDS=300 scripts/fuzz.sh
#   scripts/fuzz.sh url                  one target
#
# New inputs libFuzzer finds go to a temporary directory, not into the committed corpus; a
# crash leaves its reproducer in build-fuzz/artifacts/ and makes the script fail.  Reproduce
# with `build-fuzz/bin/retort_fuzz_<target> <file>`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RETORT_FUZZ_BUILD_DIR:-"$root/build-fuzz"}
seconds=${RETORT_FUZZ_SECONDS:-30}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(url text)

cxx=$(command -v clang++ || true)
cc=$(command -v clang || true)
[ -n "$cxx" ] && [ -n "$cc" ] || { echo "fuzz.sh: clang/clang++ not found" >&2; exit 1; }

CC=$cc CXX=$cxx cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRETORT_BUILD_FUZZ=ON -DRETORT_BUILD_TESTS=OFF -DRETORT_BUILD_BENCH=OFF -DRETORT_BUILD_CLI=OFF \
  -DRETORT_INSTALL=OFF >&2
cmake --build "$build" -j "${RETORT_BUILD_JOBS:-2}" --target "${targets[@]/#/retort_fuzz_}" >&2

mkdir -p "$build/artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  echo "fuzz.sh: $t for ${seconds}s" >&2
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    "$build/bin/retort_fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
    "$work/$t" "$root/tests/fuzz/corpus/$t" >"$build/$t.log" 2>&1 || {
    status=1
    echo "fuzz.sh: $t FAILED; see $build/$t.log and $build/artifacts/" >&2
    tail -n 40 "$build/$t.log" >&2
  }
  grep -E "^stat::number_of_executed_units|^Done" "$build/$t.log" >&2 || true
done
exit $status
