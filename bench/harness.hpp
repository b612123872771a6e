// bench/harness.hpp — runs workloads side by side and prints `workload backend retort_s raw_s
// ratio`.
#ifndef RETORT_BENCH_HARNESS_HPP
#define RETORT_BENCH_HARNESS_HPP

#include <functional>
#include <string>
#include <vector>

namespace retort::bench {

/// One workload: the same work done through Retort and through the raw client library.
/// Each function runs the work once and returns the seconds its timed part took (setup such
/// as emptying a table is excluded by the function itself).
struct Workload {
  std::string name;
  std::string backend;
  std::function<double()> retort;
  std::function<double()> raw;
  /// When set: operations per run, and the line also shows microseconds per operation.
  long operations = 0;
};

struct Options {
  int repetitions = 5;  ///< timed runs of each side, alternating; the median is reported
  std::string only;     ///< run only workloads whose name contains this
  std::string backend;  ///< run only workloads of this backend (empty: all)
  /// "retort" or "raw": run only that side (for profiling one side with perf; no ratio)
  std::string side;
};

/// Runs every workload and prints one line each.  Returns the number of workloads run.
int run_all(const std::vector<Workload>& workloads, const Options& options);

/// Seconds since an arbitrary epoch (steady clock).
double now_seconds();

}  // namespace retort::bench

#endif  // RETORT_BENCH_HARNESS_HPP
