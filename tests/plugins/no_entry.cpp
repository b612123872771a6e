// A library with a valid note but no entry symbol.
#include <retort/plugin_abi.h>

RETORT_PLUGIN_METADATA(
    "abi=1.0\n"
    "name=noentry\n"
    "version=1.0.0\n"
    "kinds=dialect,driver\n"
    "dialects=noentry\n"
    "drivers=noentrydrv\n");

extern "C" int retort_test_no_entry_marker(void) {
  return 42;
}
