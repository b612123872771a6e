// bench/postgresql_workloads.cpp — the same work through Retort and directly through libpq.
//
// The raw side is written the way a libpq expert would: one prepared statement, one
// transaction, binary parameters and results for fixed-width types, and for executemany
// libpq's own pipeline mode.  Both sides start from the same native C++ data and end with
// native C++ values.
#include "postgresql_workloads.hpp"

#include "data.hpp"

#include <retort/retort.hpp>

#include <arpa/inet.h>
#include <libpq-fe.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace retort::bench {

namespace {

constexpr const char* kTable = "retort_bench_pg";
constexpr const char* kCreate =
    "CREATE TABLE retort_bench_pg (id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION, "
    "created TIMESTAMP, active BOOLEAN)";
constexpr const char* kInsertRaw =
    "INSERT INTO retort_bench_pg (id, name, score, created, active) VALUES ($1, $2, $3, $4, $5)";
constexpr const char* kInsertRetort =
    "INSERT INTO retort_bench_pg (id, name, score, created, active) "
    "VALUES (:id, :name, :score, :created, :active)";
constexpr const char* kSelectAll = "SELECT id, name, score, created, active FROM retort_bench_pg";
constexpr const char* kSelectOneRaw =
    "SELECT id, name, score, created, active FROM retort_bench_pg WHERE id = $1";
constexpr const char* kSelectOneRetort =
    "SELECT id, name, score, created, active FROM retort_bench_pg WHERE id = :id";

// Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01.
constexpr int64_t kPgEpochMicros = 946'684'800'000'000;

// ---- libpq, by hand ------------------------------------------------------------------------

std::string libpq_conninfo(const std::string& url) {
  // A Retort URL `postgresql[+libpq]://…` is a libpq URI once the driver name is dropped.
  const auto scheme_end = url.find("://");
  return "postgresql" + url.substr(scheme_end);
}

void check(PGresult* r, PGconn* c, const char* what) {
  const auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_PIPELINE_SYNC) {
    std::string msg = std::string(what) + ": " + PQerrorMessage(c);
    PQclear(r);
    throw std::runtime_error(msg);
  }
  PQclear(r);
}

uint64_t be64(uint64_t v) {
  return __builtin_bswap64(v);
}

int64_t read_i64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return static_cast<int64_t>(be64(v));
}

double read_f64(const char* p) {
  const uint64_t v = static_cast<uint64_t>(read_i64(p));
  double d;
  std::memcpy(&d, &v, 8);
  return d;
}

struct RawPg {
  PGconn* c = nullptr;
  explicit RawPg(const std::string& url) {
    c = PQconnectdb(libpq_conninfo(url).c_str());
    if (PQstatus(c) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(c));
    const Oid insert_types[] = {20, 25, 701, 1114, 16};
    check(PQprepare(c, "ins", kInsertRaw, 5, insert_types), c, "prepare insert");
    const Oid select_types[] = {20};
    check(PQprepare(c, "one", kSelectOneRaw, 1, select_types), c, "prepare select one");
    check(PQprepare(c, "all", kSelectAll, 0, nullptr), c, "prepare select all");
  }
  ~RawPg() { PQfinish(c); }
  void exec(const char* sql) { check(PQexec(c, sql), c, sql); }
};

// Binary parameters of row i, in buffers that live as long as this object.
struct RowParams {
  uint64_t id, score, created;
  char active;
  const char* values[5];
  int lengths[5];
  static constexpr int kFormats[5] = {1, 1, 1, 1, 1};
  void set(const Data& d, int i) {
    id = be64(static_cast<uint64_t>(d.id[i]));
    uint64_t s;
    std::memcpy(&s, &d.score[i], 8);
    score = be64(s);
    created = be64(static_cast<uint64_t>(d.created[i].time_since_epoch().count() - kPgEpochMicros));
    active = d.active[i] ? 1 : 0;
    values[0] = reinterpret_cast<const char*>(&id);
    values[1] = d.name[i].data();
    values[2] = reinterpret_cast<const char*>(&score);
    values[3] = reinterpret_cast<const char*>(&created);
    values[4] = &active;
    lengths[0] = 8;
    lengths[1] = static_cast<int>(d.name[i].size());
    lengths[2] = 8;
    lengths[3] = 8;
    lengths[4] = 1;
  }
};

void raw_insert_loop(RawPg& raw) {
  const Data& d = data();
  raw.exec("BEGIN");
  RowParams p;
  for (int i = 0; i < kRows; ++i) {
    p.set(d, i);
    check(PQexecPrepared(raw.c, "ins", 5, p.values, p.lengths, RowParams::kFormats, 1), raw.c,
          "insert");
  }
  raw.exec("COMMIT");
}

void raw_insert_pipeline(RawPg& raw) {
  const Data& d = data();
  raw.exec("BEGIN");
  if (PQenterPipelineMode(raw.c) != 1) throw std::runtime_error("cannot enter pipeline mode");
  RowParams p;
  for (int i = 0; i < kRows; ++i) {
    p.set(d, i);
    if (PQsendQueryPrepared(raw.c, "ins", 5, p.values, p.lengths, RowParams::kFormats, 1) != 1) {
      throw std::runtime_error(PQerrorMessage(raw.c));
    }
  }
  PQpipelineSync(raw.c);
  for (int i = 0; i < kRows; ++i) {
    check(PQgetResult(raw.c), raw.c, "pipelined insert");
    PGresult* end = PQgetResult(raw.c);  // NULL after each query's results
    if (end != nullptr) PQclear(end);
  }
  check(PQgetResult(raw.c), raw.c, "pipeline sync");
  PQexitPipelineMode(raw.c);
  raw.exec("COMMIT");
}

// Reads row r of a binary result into native values; returns a checksum.
int64_t raw_read_row(PGresult* r, int row) {
  const int64_t id = read_i64(PQgetvalue(r, row, 0));
  const std::string name(PQgetvalue(r, row, 1), static_cast<size_t>(PQgetlength(r, row, 1)));
  const double score = read_f64(PQgetvalue(r, row, 2));
  const DateTime created{
      std::chrono::microseconds(read_i64(PQgetvalue(r, row, 3)) + kPgEpochMicros)};
  const bool active = PQgetvalue(r, row, 4)[0] != 0;
  return id + static_cast<int64_t>(name.size()) + static_cast<int64_t>(score) +
         created.time_since_epoch().count() % 7 + active;
}

volatile int64_t sink = 0;

struct Shared {
  Engine engine;
  Connection conn;
  std::unique_ptr<RawPg> raw_conn;
  RawPg& raw;
  // The table exists before the raw side prepares its statements against it.
  explicit Shared(const std::string& url)
      : engine(create_engine(url)),
        conn(engine.connect()),
        raw_conn((reset_table(), std::make_unique<RawPg>(url))),
        raw(*raw_conn) {}
  void reset_table() {
    conn.execute(text(std::string("DROP TABLE IF EXISTS ") + kTable));
    conn.execute(text(kCreate));
    conn.commit();
  }
  void ensure_full() {
    if (conn.execute(text(std::string("SELECT count(*) FROM ") + kTable)).scalar_one<int64_t>() !=
        kRows) {
      conn.execute(text(std::string("TRUNCATE ") + kTable));
      retort_insert_all(conn, kInsertRetort);
    }
    conn.commit();
  }
  void truncate() {
    conn.execute(text(std::string("TRUNCATE ") + kTable));
    conn.commit();
  }
};

}  // namespace

std::vector<Workload> postgresql_workloads(const std::string& url) {
  auto s = std::make_shared<Shared>(url);
  auto retort_executemany = [s] {
    s->truncate();
    const double t0 = now_seconds();
    retort_insert_all(s->conn, kInsertRetort);
    return now_seconds() - t0;
  };
  std::vector<Workload> out;
  out.push_back({"executemany_100k", "postgresql", retort_executemany, [s] {
                   s->truncate();
                   const double t0 = now_seconds();
                   raw_insert_pipeline(s->raw);
                   return now_seconds() - t0;
                 }});
  out.push_back({"executemany_100k_vs_loop", "postgresql", retort_executemany, [s] {
                   s->truncate();
                   const double t0 = now_seconds();
                   raw_insert_loop(s->raw);
                   return now_seconds() - t0;
                 }});
  out.push_back({"fetch_100k_x5", "postgresql",
                 [s] {
                   s->ensure_full();
                   const double t0 = now_seconds();
                   int64_t acc = 0;
                   for (const Row& row : s->conn.execute(text(kSelectAll)))
                     acc += retort_read_row(row);
                   s->conn.commit();
                   sink = sink + acc;
                   return now_seconds() - t0;
                 },
                 [s] {
                   s->ensure_full();
                   const double t0 = now_seconds();
                   int64_t acc = 0;
                   s->raw.exec("BEGIN");
                   PGresult* r = PQexecPrepared(s->raw.c, "all", 0, nullptr, nullptr, nullptr, 1);
                   if (PQresultStatus(r) != PGRES_TUPLES_OK) check(r, s->raw.c, "select all");
                   for (int i = 0, n = PQntuples(r); i < n; ++i) acc += raw_read_row(r, i);
                   PQclear(r);
                   s->raw.exec("COMMIT");
                   sink = sink + acc;
                   return now_seconds() - t0;
                 }});
  out.push_back({"point_select_100k", "postgresql",
                 [s] {
                   s->ensure_full();
                   const double t0 = now_seconds();
                   int64_t acc = 0;
                   const TextClause stmt = text(kSelectOneRetort);
                   for (int i = 0; i < kRows; ++i) {
                     acc += retort_read_row(s->conn.execute(stmt, {{"id", i}}).one());
                   }
                   s->conn.commit();
                   sink = sink + acc;
                   return now_seconds() - t0;
                 },
                 [s] {
                   s->ensure_full();
                   const double t0 = now_seconds();
                   int64_t acc = 0;
                   s->raw.exec("BEGIN");
                   const int formats[] = {1};
                   const int lengths[] = {8};
                   for (int i = 0; i < kRows; ++i) {
                     const uint64_t id = be64(static_cast<uint64_t>(i));
                     const char* values[] = {reinterpret_cast<const char*>(&id)};
                     PGresult* r = PQexecPrepared(s->raw.c, "one", 1, values, lengths, formats, 1);
                     if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
                       check(r, s->raw.c, "select one");
                       throw std::runtime_error("select one: no row");
                     }
                     acc += raw_read_row(r, 0);
                     PQclear(r);
                   }
                   s->raw.exec("COMMIT");
                   sink = sink + acc;
                   return now_seconds() - t0;
                 }});
  return out;
}

}  // namespace retort::bench
