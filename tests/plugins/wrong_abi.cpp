// A plugin whose note says it was built for ABI 2.0.  Its entry would work, so a host that
// loaded it anyway would not notice: the test checks it is never mapped.
#include "test_plugin.hpp"

RETORT_TEST_DIALECT_DRIVER_SPEC("future", "future", "futuredrv")

RETORT_SDK_PLUGIN(
    "abi=2.0\n"
    "name=future\n"
    "version=2.0.0\n"
    "kinds=dialect,driver\n"
    "dialects=future\n"
    "drivers=futuredrv\n"
    "package=libretort2-plugin-future\n",
    spec)
