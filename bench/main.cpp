// bench/main.cpp — the benchmark program.
//
//   retort_bench [--repetitions N] [--only NAME] [--backend NAME] [--side retort|raw]
//
// Prints one line per workload: `workload backend retort_s raw_s ratio`, where ratio is
// retort_s / raw_s (the target is <= 1.15).  Server backends run when their
// RETORT_TEST_*_URL variable is set; the program says which it skipped.
#include "compile_workloads.hpp"
#include "harness.hpp"
#include "sqlite_workloads.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <string>
#if RETORT_BENCH_POSTGRESQL
#include "postgresql_workloads.hpp"
#if RETORT_BENCH_MARIADB
#include "mariadb_workloads.hpp"
#endif
#endif
#if RETORT_BENCH_ODBC
#include "odbc_workloads.hpp"
#endif

int main(int argc, char** argv) {
  retort::bench::Options options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repetitions") == 0 && i + 1 < argc) {
      options.repetitions = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      options.only = argv[++i];
    } else if (std::strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
      options.backend = argv[++i];
    } else if (std::strcmp(argv[i], "--side") == 0 && i + 1 < argc &&
               (std::strcmp(argv[i + 1], "retort") == 0 || std::strcmp(argv[i + 1], "raw") == 0)) {
      options.side = argv[++i];
    } else {
      fmt::print(stderr,
                 "usage: {} [--repetitions N] [--only NAME] [--backend NAME] [--side retort|raw]\n"
                 "  --only NAME      workloads whose name contains NAME\n"
                 "  --backend NAME   workloads of one backend (sqlite, postgresql, mariadb, ...)\n"
                 "  --side SIDE      run one side only (for perf stat / perf record), no ratio\n",
                 argv[0]);
      return 2;
    }
  }
  try {
    std::vector<retort::bench::Workload> workloads = retort::bench::compile_workloads();
    auto sqlite = retort::bench::sqlite_workloads();
    workloads.insert(workloads.end(), sqlite.begin(), sqlite.end());
    const char* pg = std::getenv("RETORT_TEST_POSTGRESQL_URL");
#if RETORT_BENCH_POSTGRESQL
    if (pg != nullptr && *pg != '\0') {
      auto more = retort::bench::postgresql_workloads(pg);
      workloads.insert(workloads.end(), more.begin(), more.end());
    } else {
      fmt::print(stderr, "skipped: postgresql (RETORT_TEST_POSTGRESQL_URL is not set)\n");
    }
#else
    fmt::print(stderr, "skipped: postgresql ({})\n",
               pg ? "built without libpq-dev" : "RETORT_TEST_POSTGRESQL_URL is not set");
#endif
    const char* maria = std::getenv("RETORT_TEST_MARIADB_URL");
#if RETORT_BENCH_MARIADB
    if (maria != nullptr && *maria != '\0') {
      auto more = retort::bench::mariadb_workloads(maria);
      workloads.insert(workloads.end(), more.begin(), more.end());
    } else {
      fmt::print(stderr, "skipped: mariadb (RETORT_TEST_MARIADB_URL is not set)\n");
    }
#else
    fmt::print(stderr, "skipped: mariadb ({})\n",
               maria ? "built without libmariadb-dev" : "RETORT_TEST_MARIADB_URL is not set");
#endif
#if RETORT_BENCH_ODBC
    const std::string odbc_driver = retort::bench::psqlodbc_library();
    if (pg == nullptr || *pg == '\0') {
      fmt::print(stderr, "skipped: postgresql+odbc (RETORT_TEST_POSTGRESQL_URL is not set)\n");
    } else if (odbc_driver.empty()) {
      fmt::print(stderr,
                 "skipped: postgresql+odbc (psqlODBC not installed: apt-get install "
                 "odbc-postgresql, or set RETORT_BENCH_ODBC_PG_DRIVER)\n");
    } else {
      auto more = retort::bench::odbc_workloads(pg, odbc_driver);
      workloads.insert(workloads.end(), more.begin(), more.end());
    }
#endif
    return retort::bench::run_all(workloads, options) > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "retort_bench: {}\n", e.what());
    return 1;
  }
}
