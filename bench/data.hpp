// bench/data.hpp — the rows every workload writes and reads, as native C++ values.
#ifndef RETORT_BENCH_DATA_HPP
#define RETORT_BENCH_DATA_HPP

#include <retort/engine.hpp>
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

/// The Retort side's work shared by every backend's workloads.
/// data() as the parameter sets of an executemany (id, name, score, created, active), built
/// anew on each call: building them is part of the work measured.
std::vector<Params> retort_params();
/// Runs `insert_sql` (named parameters :id … :active) with retort_params() and commits.
void retort_insert_all(Connection& conn, const char* insert_sql);
/// Reads one row of (id, name, score, created, active) into native values and folds them
/// into a number, so that the compiler keeps the reads.
std::int64_t retort_read_row(const Row& row);

}  // namespace retort::bench

#endif  // RETORT_BENCH_DATA_HPP
