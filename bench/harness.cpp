// bench/harness.cpp — alternating repetitions, median, one line per workload.
#include "harness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace retort::bench {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int run_all(const std::vector<Workload>& workloads, const Options& options) {
  fmt::print("{:<28} {:<12} {:>10} {:>10} {:>7}\n", "workload", "backend", "retort_s", "raw_s",
             "ratio");
  int ran = 0;
  for (const Workload& w : workloads) {
    if (!options.only.empty() && w.name.find(options.only) == std::string::npos) continue;
    if (!options.backend.empty() && w.backend != options.backend) continue;
    if (!options.side.empty()) {
      // One side only, for `perf stat` / `perf record` of that side: a warm-up, then the
      // timed runs, and no ratio.
      const auto& run = options.side == "raw" ? w.raw : w.retort;
      run();
      std::vector<double> t;
      for (int i = 0; i < options.repetitions; ++i) t.push_back(run());
      fmt::print("{:<28} {:<12} {:>10.4f} ({} side only)\n", w.name, w.backend, median(t),
                 options.side);
      std::fflush(stdout);
      ++ran;
      continue;
    }
    // One untimed warm-up of each side (page cache, statement caches, allocator).
    w.retort();
    w.raw();
    std::vector<double> r, raw;
    for (int i = 0; i < options.repetitions; ++i) {
      // Alternate which side goes first, so drift in machine load hits both equally.
      if (i % 2 == 0) {
        r.push_back(w.retort());
        raw.push_back(w.raw());
      } else {
        raw.push_back(w.raw());
        r.push_back(w.retort());
      }
    }
    const double rm = median(r), wm = median(raw);
    fmt::print("{:<28} {:<12} {:>10.4f} {:>10.4f} {:>7.3f}", w.name, w.backend, rm, wm, rm / wm);
    if (w.operations > 0) {
      fmt::print("   ({:.3f} vs {:.3f} us/op)", rm / static_cast<double>(w.operations) * 1e6,
                 wm / static_cast<double>(w.operations) * 1e6);
    }
    fmt::print("\n");
    std::fflush(stdout);
    ++ran;
  }
  return ran;
}

}  // namespace retort::bench
