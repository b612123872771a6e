// plugins/mariadb/tests/plugin_fixture.hpp — drives the built plugin through the C ABI only.
// SPDX-License-Identifier: MIT
//
// The tests dlopen retort_plugin_mariadb.so and call it exactly as the host does, through the
// SDK's test host (retort/sdk/testing/plugin_host.hpp) and render probe
// (retort/sdk/testing/render_probe.hpp).  Nothing here knows the plugin's C++ code.
#ifndef RETORT_PLUGINS_MARIADB_TESTS_PLUGIN_FIXTURE_HPP
#define RETORT_PLUGINS_MARIADB_TESTS_PLUGIN_FIXTURE_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/plugin_host.hpp>

namespace retort::mariadb::test {

/// The plugin, loaded once per process and never unloaded (as the host does).
inline sdk::testing::PluginHost& host() {
  static sdk::testing::PluginHost loaded(RETORT_MARIADB_PLUGIN_PATH);
  return loaded;
}

inline const retort_dialect& mysql() {
  return host().dialect("mysql");
}

inline const retort_dialect& mariadb() {
  return host().dialect("mariadb");
}

}  // namespace retort::mariadb::test

#endif  // RETORT_PLUGINS_MARIADB_TESTS_PLUGIN_FIXTURE_HPP
