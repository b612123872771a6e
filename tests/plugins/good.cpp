// The well-behaved test plugin: dialect `testdb`, driver `testdrv`.
#include "test_plugin.hpp"

RETORT_TEST_DIALECT_DRIVER_SPEC("testdb", "testdb", "testdrv")

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=testdb\n"
    "version=1.0.0\n"
    "kinds=dialect,driver\n"
    "dialects=testdb\n"
    "drivers=testdrv\n"
    "driver.testdrv.dialects=testdb\n"
    "dialect.testdb.default_driver=testdrv\n"
    "package=libretort1-plugin-testdb\n",
    spec)
