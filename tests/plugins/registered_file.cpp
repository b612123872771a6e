// A good plugin kept outside every search path, for register_plugin_file().
#include "test_plugin.hpp"

RETORT_TEST_DIALECT_DRIVER_SPEC("regfile", "regfile", "regfiledrv")

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=regfile\n"
    "version=1.0.0\n"
    "kinds=dialect,driver\n"
    "dialects=regfile\n"
    "drivers=regfiledrv\n",
    spec)
