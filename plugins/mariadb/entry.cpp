// plugins/mariadb/entry.cpp — the plugin's metadata note and its one exported entry.
// SPDX-License-Identifier: MIT
//
// The plugin provides the `mysql` and `mariadb` dialects.  Their default driver, `mariadbc`
// (MariaDB Connector/C, which serves both), is not part of it yet: until it is, a URL such as
// `mysql://…` fails in create_engine with NoSuchModuleError naming the missing driver, while
// compiling statements for either dialect works.
#include "dialect.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

namespace {

const retort::sdk::PluginSpec& plugin_spec() {
  static const retort_dialect* const dialects[] = {&retort::mariadb::mysql_dialect(),
                                                   &retort::mariadb::mariadb_dialect()};
  static const retort::sdk::PluginSpec spec{"mariadb", "0.1.0", RETORT_KIND_DIALECT,
                                            dialects,  {},      {}};
  return spec;
}

}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=mariadb\n"
    "version=0.1.0\n"
    "kinds=dialect\n"
    "dialects=mysql,mariadb\n"
    "dialect.mysql.default_driver=mariadbc\n"
    "dialect.mariadb.default_driver=mariadbc\n"
    "schemes=mysql,mariadb\n"
    "package=libretort1-plugin-mariadb\n",
    plugin_spec)
