// A plugin whose spec function throws: the SDK's entry must catch it and report
// "plugin initialisation threw" instead of letting it cross the C ABI.
#include "test_plugin.hpp"

#include <stdexcept>

namespace {
const retort::sdk::PluginSpec& spec() {
  throw std::runtime_error("spec exploded");
}
}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=initthrows\n"
    "version=1.0.0\n"
    "kinds=dialect,driver\n"
    "dialects=initthrows\n"
    "drivers=initthrowsdrv\n",
    spec)
