// bench/mariadb_workloads.hpp — MariaDB workloads: Retort beside MariaDB Connector/C.
#ifndef RETORT_BENCH_MARIADB_WORKLOADS_HPP
#define RETORT_BENCH_MARIADB_WORKLOADS_HPP

#include "harness.hpp"

#include <string>
#include <vector>

namespace retort::bench {

/// executemany of 100,000 rows (beside Connector/C's own array binding, the fastest raw path,
/// and beside a plain prepared-statement loop), a fetch of 100,000 rows x 5 columns, and
/// 100,000 point selects by primary key (both beside Connector/C prepared statements), against
/// the server at `url` (a Retort URL such as mariadb://u:p@127.0.0.1:3306/db).
std::vector<Workload> mariadb_workloads(const std::string& url);

}  // namespace retort::bench

#endif  // RETORT_BENCH_MARIADB_WORKLOADS_HPP
