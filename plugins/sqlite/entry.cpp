// plugins/sqlite/entry.cpp — the plugin's metadata note and its one exported entry.
// SPDX-License-Identifier: MIT
#include "connection.hpp"
#include "dialect.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

namespace {

const retort::sdk::PluginSpec& plugin_spec() {
  static const retort_dialect* const dialects[] = {&retort::sqlite::sqlite_dialect()};
  static const retort_driver* const drivers[] = {&retort::sqlite::sqlite3_driver()};
  static const retort::sdk::PluginSpec spec{
      "sqlite", "0.1.0", RETORT_KIND_DIALECT | RETORT_KIND_DRIVER, dialects, drivers, {}};
  return spec;
}

}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=sqlite\n"
    "version=0.1.0\n"
    "kinds=dialect,driver\n"
    "dialects=sqlite\n"
    "drivers=sqlite3\n"
    "driver.sqlite3.dialects=sqlite\n"
    "dialect.sqlite.default_driver=sqlite3\n"
    "schemes=sqlite,sqlite+sqlite3\n"
    "package=libretort1-plugin-sqlite\n",
    plugin_spec)
