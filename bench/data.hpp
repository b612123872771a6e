// bench/data.hpp — the rows every workload writes and reads, as native C++ values.
#ifndef RETORT_BENCH_DATA_HPP
#define RETORT_BENCH_DATA_HPP

#include <retort/value.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace retort::bench {

/// Rows per workload.
inline constexpr int kRows = 100'000;

/// Column-wise data: id, name, score, created, active.
struct Data {
  std::vector<std::int64_t> id;
  std::vector<std::string> name;
  std::vector<double> score;
  std::vector<DateTime> created;
  std::vector<bool> active;
};

/// The same kRows rows for every workload and backend, built once.
const Data& data();

}  // namespace retort::bench

#endif  // RETORT_BENCH_DATA_HPP
