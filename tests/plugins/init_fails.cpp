// A plugin whose entry reports an error.
#include <retort/sdk/plugin.hpp>

RETORT_PLUGIN_METADATA(
    "abi=1.0\n"
    "name=initfails\n"
    "version=1.0.0\n"
    "kinds=dialect,driver\n"
    "dialects=initfails\n"
    "drivers=initfailsdrv\n");

extern "C" __attribute__((visibility("default"))) retort_status retort_plugin_init_v1(
    uint32_t /*host_abi_version*/, const retort_host_api* /*host*/, retort_plugin* /*out*/,
    uint32_t /*out_capacity*/, retort_error* error) {
  return retort::sdk::set_error(error, RETORT_IO,
                                "test plugin refuses to start: licence file missing", "58030");
}
