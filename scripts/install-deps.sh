#!/usr/bin/env bash
# Installs what Retort needs to build and test on Debian 12, from Debian's packages only.
# Idempotent: packages already present are not reinstalled.  Run as root (or via sudo).
#
#   scripts/install-deps.sh          what building needs
#   scripts/install-deps.sh --test   plus what the test suite needs beyond the database servers
#                                    (those are installed by scripts/*-server.sh when missing)
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config binutils
  libsqlite3-dev libpq-dev libmariadb-dev unixodbc-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
)
if [ "${1:-}" = "--test" ]; then
  # The ODBC drivers the ODBC suite goes through; clang and its libFuzzer for scripts/fuzz.sh;
  # openssl for the test servers' TLS certificates.
  packages+=(unixodbc odbc-postgresql odbc-mariadb libsqliteodbc clang libclang-rt-14-dev openssl)
fi
# Boost.DLL is header-only; any Boost >= 1.74 with <boost/dll.hpp> will do.  Debian 12 has
# 1.74 (libboost-dev) and 1.81 (libboost1.81-dev), which conflict: keep whichever is there.
if [ ! -f /usr/include/boost/dll.hpp ]; then
  packages+=(libboost1.81-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all build dependencies are present" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
