// bench/data.cpp — deterministic rows shared by all workloads.
#include "data.hpp"

#include <chrono>

namespace retort::bench {

const Data& data() {
  static const Data d = [] {
    Data d;
    const DateTime base =
        std::chrono::local_days(std::chrono::year(2024) / 1 / 1) + std::chrono::microseconds(0);
    for (int i = 0; i < kRows; ++i) {
      d.id.push_back(i);
      d.name.push_back("user-" + std::to_string(i * 7919 % 100000));
      d.score.push_back(i * 0.25);
      d.created.push_back(base + std::chrono::seconds(i * 37) +
                          std::chrono::microseconds(i % 1000));
      d.active.push_back(i % 3 == 0);
    }
    return d;
  }();
  return d;
}

std::vector<Params> retort_params() {
  const Data& d = data();
  std::vector<Params> rows;
  rows.reserve(kRows);
  for (int i = 0; i < kRows; ++i) {
    rows.push_back({{"id", d.id[i]},
                    {"name", d.name[i]},
                    {"score", d.score[i]},
                    {"created", d.created[i]},
                    {"active", static_cast<bool>(d.active[i])}});
  }
  return rows;
}

void retort_insert_all(Connection& conn, const char* insert_sql) {
  conn.execute(text(insert_sql), retort_params());
  conn.commit();
}

std::int64_t retort_read_row(const Row& row) {
  const auto id = row.get<std::int64_t>(0);
  const auto name = row.get<std::string>(1);
  const auto score = row.get<double>(2);
  const auto created = row.get<DateTime>(3);
  const auto active = row.get<bool>(4);
  return id + static_cast<std::int64_t>(name.size()) + static_cast<std::int64_t>(score) +
         created.time_since_epoch().count() % 7 + active;
}

}  // namespace retort::bench
