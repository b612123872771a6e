// bench/main.cpp — the benchmark program.
//
//   retort_bench [--repetitions N] [--only NAME]
//
// Prints one line per workload: `workload backend retort_s raw_s ratio`, where ratio is
// retort_s / raw_s (the target is <= 1.15).  Server backends run when their
// RETORT_TEST_*_URL variable is set; the program says which it skipped.
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "harness.hpp"
#include "sqlite_workloads.hpp"

int main(int argc, char** argv) {
  retort::bench::Options options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repetitions") == 0 && i + 1 < argc) {
      options.repetitions = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      options.only = argv[++i];
    } else {
      fmt::print(stderr, "usage: {} [--repetitions N] [--only NAME]\n", argv[0]);
      return 2;
    }
  }
  std::vector<retort::bench::Workload> workloads = retort::bench::sqlite_workloads();
  for (const char* var : {"RETORT_TEST_POSTGRESQL_URL", "RETORT_TEST_MARIADB_URL"}) {
    fmt::print(stderr, "skipped: {} ({})\n", var,
               std::getenv(var) ? "backend not built into this benchmark yet" : "not set");
  }
  try {
    return retort::bench::run_all(workloads, options) > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "retort_bench: {}\n", e.what());
    return 1;
  }
}
