// A driver-only plugin serving every dialect (like ODBC): `testdb+anydrv://` takes the
// dialect from `good` and the driver from here.
#include "test_plugin.hpp"

namespace {
const retort::sdk::PluginSpec& spec() {
  static const char* const served[] = {"*", nullptr};
  static const retort_driver* const drivers[] = {&retort_test::make_driver("anydrv", served)};
  static const retort::sdk::PluginSpec s{"anydrv", "1.0.0", RETORT_KIND_DRIVER, {}, drivers, {}};
  return s;
}
}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=anydrv\n"
    "version=1.0.0\n"
    "kinds=driver\n"
    "drivers=anydrv\n"
    "driver.anydrv.dialects=*\n",
    spec)
