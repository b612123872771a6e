// A second plugin named `testdb`: whichever of it and `good` is found first wins.
#include "test_plugin.hpp"

RETORT_TEST_DIALECT_DRIVER_SPEC("testdb", "testdb", "testdrv")

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=testdb\n"
    "version=9.9.9\n"
    "kinds=dialect,driver\n"
    "dialects=testdb\n"
    "drivers=testdrv\n"
    "dialect.testdb.default_driver=testdrv\n",
    spec)
