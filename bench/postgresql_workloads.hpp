// bench/postgresql_workloads.hpp — PostgreSQL workloads: Retort beside libpq.
#ifndef RETORT_BENCH_POSTGRESQL_WORKLOADS_HPP
#define RETORT_BENCH_POSTGRESQL_WORKLOADS_HPP

#include "harness.hpp"

#include <string>
#include <vector>

namespace retort::bench {

/// executemany of 100,000 rows (beside libpq's pipeline loop, and beside a plain prepared
/// statement loop), a fetch of 100,000 rows x 5 columns, and 100,000 point selects by primary
/// key, against the server at `url` (a Retort URL such as postgresql://u:p@127.0.0.1:5432/db).
std::vector<Workload> postgresql_workloads(const std::string& url);

}  // namespace retort::bench

#endif  // RETORT_BENCH_POSTGRESQL_WORKLOADS_HPP
