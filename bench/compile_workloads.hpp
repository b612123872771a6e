// bench/compile_workloads.hpp — the compiled-statement cache: compiling through an engine's
// cache beside compiling without it.
#ifndef RETORT_BENCH_COMPILE_WORKLOADS_HPP
#define RETORT_BENCH_COMPILE_WORKLOADS_HPP

#include "harness.hpp"

#include <vector>

namespace retort::bench {

/// A three-table join with five predicates, compiled 100,000 times for SQLite: "retort" is
/// the engine's cache (a hit), "raw" is the same engine with `query_cache_size = 0` (full
/// compilation).  Two workloads: the same statement object each time, and the statement
/// built anew each time (new values, same structure: its key is computed each time).
std::vector<Workload> compile_workloads();

}  // namespace retort::bench

#endif  // RETORT_BENCH_COMPILE_WORKLOADS_HPP
