// A plugin whose note says `namemismatch` but whose entry reports `impostor`.
#include "test_plugin.hpp"

RETORT_TEST_DIALECT_DRIVER_SPEC("impostor", "namemismatch", "nmdrv")

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=namemismatch\n"
    "version=1.0.0\n"
    "kinds=dialect,driver\n"
    "dialects=namemismatch\n"
    "drivers=nmdrv\n",
    spec)
