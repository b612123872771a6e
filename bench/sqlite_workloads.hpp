// bench/sqlite_workloads.hpp — SQLite workloads: Retort beside the sqlite3 C API.
#ifndef RETORT_BENCH_SQLITE_WORKLOADS_HPP
#define RETORT_BENCH_SQLITE_WORKLOADS_HPP

#include "harness.hpp"

#include <vector>

namespace retort::bench {

/// executemany of 100,000 rows (int, text, double, timestamp, bool) and a fetch of 100,000
/// rows x 5 columns into native values, each on an in-memory database.
std::vector<Workload> sqlite_workloads();

}  // namespace retort::bench

#endif  // RETORT_BENCH_SQLITE_WORKLOADS_HPP
