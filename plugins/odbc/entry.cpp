// plugins/odbc/entry.cpp — the plugin's metadata note and its one exported entry.
// SPDX-License-Identifier: MIT
#include "connection.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

namespace {

const retort::sdk::PluginSpec& plugin_spec() {
  static const retort_driver* const drivers[] = {&retort::odbc::odbc_driver()};
  static const retort::sdk::PluginSpec spec{"odbc", "0.1.0", RETORT_KIND_DRIVER, {}, drivers, {}};
  return spec;
}

}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=odbc\n"
    "version=0.1.0\n"
    "kinds=driver\n"
    "drivers=odbc\n"
    "driver.odbc.dialects=*\n"
    "package=libretort1-plugin-odbc\n",
    plugin_spec)
