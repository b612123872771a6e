#!/usr/bin/env bash
# Installs a build into a temporary prefix and proves the installed tree is usable the way
# users and plugin authors use it:
#   - a program built with find_package(Retort) finds the sqlite plugin with no configuration;
#   - a plugin built outside the tree with retort_add_plugin() (installed SDK only) loads;
#   - pkg-config compiles a program;
#   - every installed plugin exports exactly one dynamic symbol, the entry, and carries its note.
#   scripts/check-install.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: check-install.sh BUILD_DIR}
work=$(mktemp -d /tmp/retort-install.XXXXXX)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
export CMAKE_PREFIX_PATH="$work/prefix"

cmake -S "$root/tests/packaging/consumer" -B "$work/consumer" -G Ninja >/dev/null
cmake --build "$work/consumer" >/dev/null
env -u RETORT_PLUGIN_PATH "$work/consumer/consumer"

cmake -S "$root/tests/packaging/third_party_plugin" -B "$work/plugin" -G Ninja >/dev/null
cmake --build "$work/plugin" >/dev/null
out=$(RETORT_PLUGIN_PATH="$work/plugin/plugins" "$work/prefix/bin/retort" query "echo://" "hello from outside")
echo "$out" | grep -q "hello from outside" || { echo "third-party plugin did not answer: $out" >&2; exit 1; }
echo "third-party plugin: ok"

cat > "$work/pc.cpp" <<'CPP'
#include <retort/retort.hpp>
int main() { return retort::make_url("sqlite://").get_backend_name() == "sqlite" ? 0 : 1; }
CPP
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig" \
  g++ "$work/pc.cpp" -o "$work/pc" $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig" pkg-config --cflags --libs retort) \
  -Wl,-rpath,"$work/prefix/lib" -Wl,-rpath,"$work/prefix/lib/x86_64-linux-gnu"
"$work/pc" && echo "pkg-config: ok"

for so in $(find "$work/prefix" -path '*/retort/1/plugins/*.so'); do
  syms=$(readelf --dyn-syms -W "$so" | awk '$5 == "GLOBAL" && $7 != "UND" {print $8}' | sort -u)
  [ "$syms" = "retort_plugin_init_v1" ] || { echo "$so exports: $syms" >&2; exit 1; }
  readelf -n "$so" | grep -q "retort" || { echo "$so has no retort note" >&2; exit 1; }
  echo "plugin $(basename "$so"): exports only retort_plugin_init_v1, note present"
done
echo "install check: ok"
