// A plugin whose driver lacks the required `fetch` slot.
#include "test_plugin.hpp"

namespace {
const retort::sdk::PluginSpec& spec() {
  static const char* const served[] = {"missingslot", nullptr};
  static const retort_dialect dialect = retort_test::make_dialect("missingslot", "msdrv");
  static const retort_driver driver = [] {
    retort_driver d = retort_test::make_driver("msdrv", served);
    d.fetch = nullptr;
    return d;
  }();
  static const retort_dialect* const dialects[] = {&dialect};
  static const retort_driver* const drivers[] = {&driver};
  static const retort::sdk::PluginSpec s{
      "missingslot", "1.0.0", RETORT_KIND_DIALECT | RETORT_KIND_DRIVER, dialects, drivers, {}};
  return s;
}
}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=missingslot\n"
    "version=1.0.0\n"
    "kinds=dialect,driver\n"
    "dialects=missingslot\n"
    "drivers=msdrv\n",
    spec)
