// bench/odbc_workloads.hpp — PostgreSQL through the odbc driver beside the libpq driver.
#ifndef RETORT_BENCH_ODBC_WORKLOADS_HPP
#define RETORT_BENCH_ODBC_WORKLOADS_HPP

#include "harness.hpp"

#include <string>
#include <vector>

namespace retort::bench {

/// The psqlODBC library the ODBC workloads load (RETORT_BENCH_ODBC_PG_DRIVER, or Debian's
/// odbc-postgresql path), or empty when it is not installed.
std::string psqlodbc_library();

/// A fetch of 100,000 rows x 5 columns and an executemany of 100,000 rows, each through
/// Retort on `postgresql+odbc` (psqlODBC, DSN-less: `?driver=<library>`; block cursors and
/// parameter arrays) beside Retort on `postgresql+libpq`, against the server at `pg_url`
/// (RETORT_TEST_POSTGRESQL_URL).  The ratio is odbc / libpq.
std::vector<Workload> odbc_workloads(const std::string& pg_url, const std::string& driver_library);

}  // namespace retort::bench

#endif  // RETORT_BENCH_ODBC_WORKLOADS_HPP
