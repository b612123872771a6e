// bench/odbc_workloads.cpp — the same Retort code on postgresql+odbc and postgresql+libpq.
//
// Both sides are Retort engines on the same server and table, so the ratio measures the
// driver: psqlODBC through unixODBC (block cursors of fetch_array_size rows, parameter
// arrays of paramset_size rows) against the native libpq driver (pipelined executemany,
// binary results).  postgresql_workloads.cpp compares the libpq driver with raw libpq in the
// same run, so the two ratios multiply to ODBC against raw libpq.
#include "odbc_workloads.hpp"

#include "data.hpp"

#include <retort/retort.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace retort::bench {

namespace {

constexpr const char* kTable = "retort_bench_odbc";
// VARCHAR(64), not TEXT: psqlODBC reports TEXT as LONGVARCHAR, which the odbc driver reads
// row by row with SQLGetData (any length); a bounded column goes through the block cursor.
constexpr const char* kCreate =
    "CREATE TABLE retort_bench_odbc (id BIGINT PRIMARY KEY, name VARCHAR(64), score DOUBLE "
    "PRECISION, created TIMESTAMP, active BOOLEAN)";
constexpr const char* kInsert =
    "INSERT INTO retort_bench_odbc (id, name, score, created, active) "
    "VALUES (:id, :name, :score, :created, :active)";
constexpr const char* kSelectAll = "SELECT id, name, score, created, active FROM retort_bench_odbc";

volatile int64_t sink = 0;

// Built once: both sides are Retort, so building them is not what this measures.
const std::vector<Params>& rows() {
  static const std::vector<Params> all = retort_params();
  return all;
}

struct Side {
  Engine engine;
  Connection conn;
  explicit Side(const URL& url) : engine(create_engine(url)), conn(engine.connect()) {}
  void truncate() {
    conn.execute(text(std::string("TRUNCATE ") + kTable));
    conn.commit();
  }
  void ensure_full() {
    if (conn.execute(text(std::string("SELECT count(*) FROM ") + kTable)).scalar_one<int64_t>() !=
        kRows) {
      conn.execute(text(std::string("TRUNCATE ") + kTable));
      conn.execute(text(kInsert), rows());
    }
    conn.commit();
  }
  double insert_all() {
    truncate();
    const double t0 = now_seconds();
    conn.execute(text(kInsert), rows());
    conn.commit();
    return now_seconds() - t0;
  }
  double fetch_all() {
    ensure_full();
    const double t0 = now_seconds();
    int64_t acc = 0;
    for (const Row& row : conn.execute(text(kSelectAll))) acc += retort_read_row(row);
    conn.commit();
    sink = sink + acc;
    return now_seconds() - t0;
  }
};

}  // namespace

std::string psqlodbc_library() {
  if (const char* v = std::getenv("RETORT_BENCH_ODBC_PG_DRIVER"); v != nullptr && *v != '\0') {
    return v;
  }
  const char* path = "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so";
  std::error_code ec;
  return std::filesystem::exists(path, ec) ? path : "";
}

std::vector<Workload> odbc_workloads(const std::string& pg_url, const std::string& driver_library) {
  const URL libpq_url = make_url(pg_url);
  // DSN-less: naming the library needs no odbcinst.ini.
  URL odbc_url =
      URL::create("postgresql+odbc", libpq_url.username(), libpq_url.password(), libpq_url.host(),
                  libpq_url.port(), libpq_url.database(), {{"driver", driver_library}})
          .with_query_value("fetch_array_size", "1024")
          .with_query_value("paramset_size", "1024");
  // RETORT_BENCH_ODBC_OPTIONS="Protocol=7.4-1;BatchSize=100": extra connection-string
  // attributes, to compare psqlODBC settings against the plugin's defaults in one build.
  if (const char* extra = std::getenv("RETORT_BENCH_ODBC_OPTIONS"); extra != nullptr) {
    std::string_view rest = extra;
    while (!rest.empty()) {
      const std::string_view item = rest.substr(0, rest.find(';'));
      rest.remove_prefix(std::min(rest.size(), item.size() + 1));
      const size_t eq = item.find('=');
      if (eq == std::string_view::npos) continue;
      odbc_url = odbc_url.with_query_value(std::string(item.substr(0, eq)),
                                           std::string(item.substr(eq + 1)));
    }
  }
  auto libpq = std::make_shared<Side>(URL::create("postgresql+libpq", libpq_url.username(),
                                                  libpq_url.password(), libpq_url.host(),
                                                  libpq_url.port(), libpq_url.database()));
  libpq->conn.execute(text(std::string("DROP TABLE IF EXISTS ") + kTable));
  libpq->conn.execute(text(kCreate));
  libpq->conn.commit();
  auto odbc = std::make_shared<Side>(odbc_url);
  std::vector<Workload> out;
  out.push_back({"odbc_executemany_100k", "postgresql+odbc", [odbc] { return odbc->insert_all(); },
                 [libpq] { return libpq->insert_all(); }});
  out.push_back({"odbc_fetch_100k_x5", "postgresql+odbc", [odbc] { return odbc->fetch_all(); },
                 [libpq] { return libpq->fetch_all(); }});
  return out;
}

}  // namespace retort::bench
