// tests/support/test_main.cpp — main() of the test programs.
//
// Makes plugin discovery hermetic before any test runs: only the build tree's plugins are
// seen, however the program is started (ctest, by hand, under a debugger).  A caller that
// sets RETORT_PLUGIN_PATH itself keeps its own value.
#include <gtest/gtest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  if (std::getenv("RETORT_PLUGIN_PATH") == nullptr) {
    setenv("RETORT_PLUGIN_PATH", RETORT_BUILD_PLUGIN_DIR, 1);
    setenv("RETORT_PLUGIN_PATH_ONLY", "1", 1);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
