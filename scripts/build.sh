#!/usr/bin/env bash
# Configures and builds Retort with Ninja.
#   scripts/build.sh [BUILD_DIR] [extra cmake args…]
# BUILD_DIR defaults to ./build.  Uses ccache when installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
shift || true
jobs=${RETORT_BUILD_JOBS:-$(nproc)}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} "$@" >&2
cmake --build "$build" -j "$jobs" >&2
