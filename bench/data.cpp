// bench/data.cpp — deterministic rows shared by all workloads.
#include "data.hpp"

#include <chrono>

namespace retort::bench {

const Data& data() {
  static const Data d = [] {
    Data d;
    const DateTime base = std::chrono::local_days(std::chrono::year(2024) / 1 / 1) +
                          std::chrono::microseconds(0);
    for (int i = 0; i < kRows; ++i) {
      d.id.push_back(i);
      d.name.push_back("user-" + std::to_string(i * 7919 % 100000));
      d.score.push_back(i * 0.25);
      d.created.push_back(base + std::chrono::seconds(i * 37) + std::chrono::microseconds(i % 1000));
      d.active.push_back(i % 3 == 0);
    }
    return d;
  }();
  return d;
}

}  // namespace retort::bench
