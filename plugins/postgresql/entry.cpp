// plugins/postgresql/entry.cpp — the plugin's metadata note and its one exported entry.
// SPDX-License-Identifier: MIT
#include "array_type.hpp"
#include "connection.hpp"
#include "dialect.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

namespace {

const retort::sdk::PluginSpec& plugin_spec() {
  static const retort_dialect* const dialects[] = {&retort::postgresql::postgresql_dialect()};
  static const retort_driver* const drivers[] = {&retort::postgresql::libpq_driver()};
  static const retort::sdk::PluginSpec spec{
      "postgresql", "0.1.0", RETORT_KIND_DIALECT | RETORT_KIND_DRIVER | RETORT_KIND_TYPE,
      dialects,     drivers, retort::postgresql::array_types()};
  return spec;
}

}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=postgresql\n"
    "version=0.1.0\n"
    "kinds=dialect,driver,type\n"
    "dialects=postgresql\n"
    "drivers=libpq\n"
    "types=int2_array,int4_array,int8_array,float8_array,numeric_array,bool_array,text_array,"
    "varchar_array,uuid_array,date_array,timestamp_array,timestamptz_array,inet_array\n"
    "driver.libpq.dialects=postgresql\n"
    "dialect.postgresql.default_driver=libpq\n"
    "schemes=postgresql,postgresql+libpq\n"
    "package=libretort1-plugin-postgresql\n",
    plugin_spec)
