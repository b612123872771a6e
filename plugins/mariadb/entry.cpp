// plugins/mariadb/entry.cpp — the plugin's metadata note and its one exported entry.
// SPDX-License-Identifier: MIT
//
// The plugin provides the `mysql` and `mariadb` dialects and their default driver,
// `mariadbc` (MariaDB Connector/C), which serves both, and the UNSIGNED integer types.
#include "connection.hpp"
#include "dialect.hpp"
#include "unsigned_type.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

namespace {

const retort::sdk::PluginSpec& plugin_spec() {
  static const retort_dialect* const dialects[] = {&retort::mariadb::mysql_dialect(),
                                                   &retort::mariadb::mariadb_dialect()};
  static const retort_driver* const drivers[] = {&retort::mariadb::mariadbc_driver()};
  static const retort::sdk::PluginSpec spec{
      "mariadb", "0.1.0", RETORT_KIND_DIALECT | RETORT_KIND_DRIVER | RETORT_KIND_TYPE,
      dialects,  drivers, retort::mariadb::unsigned_types()};
  return spec;
}

}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=mariadb\n"
    "version=0.1.0\n"
    "kinds=dialect,driver,type\n"
    "dialects=mysql,mariadb\n"
    "drivers=mariadbc\n"
    "types=tinyint_unsigned,smallint_unsigned,mediumint_unsigned,int_unsigned,bigint_unsigned\n"
    "driver.mariadbc.dialects=mariadb,mysql\n"
    "dialect.mysql.default_driver=mariadbc\n"
    "dialect.mariadb.default_driver=mariadbc\n"
    "schemes=mysql,mariadb,mysql+mariadbc,mariadb+mariadbc\n"
    "package=libretort1-plugin-mariadb\n",
    plugin_spec)
