// bench/mariadb_workloads.cpp — the same work through Retort and directly through MariaDB
// Connector/C.
//
// The raw side is written the way a Connector/C expert would: server-side prepared
// statements (binary protocol), one transaction, results bound to native buffers and stored
// on the client, and for executemany Connector/C's array binding (STMT_ATTR_ARRAY_SIZE, one
// bulk execution).  Both sides start from the same native C++ data and end with native C++
// values.
#include "mariadb_workloads.hpp"

#include "data.hpp"

#include <retort/retort.hpp>

#include <mysql.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace retort::bench {

namespace {

constexpr const char* kTable = "retort_bench_mariadb";
constexpr const char* kCreate =
    "CREATE TABLE retort_bench_mariadb (id BIGINT PRIMARY KEY, name TEXT, score DOUBLE, "
    "created DATETIME(6), active BOOL)";
constexpr const char* kInsert =
    "INSERT INTO retort_bench_mariadb (id, name, score, created, active) VALUES (?, ?, ?, ?, ?)";
constexpr const char* kInsertRetort =
    "INSERT INTO retort_bench_mariadb (id, name, score, created, active) "
    "VALUES (:id, :name, :score, :created, :active)";
constexpr const char* kSelectAll =
    "SELECT id, name, score, created, active FROM retort_bench_mariadb";
constexpr const char* kSelectOne =
    "SELECT id, name, score, created, active FROM retort_bench_mariadb WHERE id = ?";
constexpr const char* kSelectOneRetort =
    "SELECT id, name, score, created, active FROM retort_bench_mariadb WHERE id = :id";
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

// ---- Connector/C, by hand ------------------------------------------------------------------

std::string decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// mariadb://user:password@host:port/database (what scripts/mariadb-server.sh prints).
struct Target {
  std::string user, password, host, database;
  unsigned port = 3306;
  explicit Target(const std::string& url) {
    std::string_view rest(url);
    rest.remove_prefix(rest.find("://") + 3);
    const size_t at = rest.rfind('@');
    if (at != std::string_view::npos) {
      const std::string_view cred = rest.substr(0, at);
      const size_t colon = cred.find(':');
      user = decode(cred.substr(0, colon));
      if (colon != std::string_view::npos) password = decode(cred.substr(colon + 1));
      rest.remove_prefix(at + 1);
    }
    const size_t slash = rest.find('/');
    std::string_view hostport = rest.substr(0, slash);
    if (slash != std::string_view::npos)
      database = decode(rest.substr(slash + 1, rest.find('?') - slash - 1));
    const size_t colon = hostport.rfind(':');
    if (colon != std::string_view::npos) {
      port = static_cast<unsigned>(std::stoul(std::string(hostport.substr(colon + 1))));
      hostport = hostport.substr(0, colon);
    }
    host = hostport;
  }
};

MYSQL_TIME to_time(const DateTime& t) {
  const int64_t us = t.time_since_epoch().count();
  int64_t days = us / kMicrosPerDay, rest = us % kMicrosPerDay;
  if (rest < 0) {
    --days;
    rest += kMicrosPerDay;
  }
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  MYSQL_TIME m{};
  m.year = static_cast<unsigned>(static_cast<int>(ymd.year()));
  m.month = static_cast<unsigned>(ymd.month());
  m.day = static_cast<unsigned>(ymd.day());
  m.second_part = static_cast<unsigned long>(rest % 1000000);
  rest /= 1000000;
  m.second = static_cast<unsigned>(rest % 60);
  m.minute = static_cast<unsigned>(rest / 60 % 60);
  m.hour = static_cast<unsigned>(rest / 3600);
  m.time_type = MYSQL_TIMESTAMP_DATETIME;
  return m;
}

DateTime from_time(const MYSQL_TIME& m) {
  const auto days = std::chrono::sys_days{std::chrono::year{static_cast<int>(m.year)} /
                                          std::chrono::month{m.month} / std::chrono::day{m.day}}
                        .time_since_epoch()
                        .count();
  return DateTime{std::chrono::microseconds(
      days * kMicrosPerDay +
      ((static_cast<int64_t>(m.hour) * 60 + m.minute) * 60 + m.second) * 1000000 + m.second_part)};
}

struct RawMariadb {
  MYSQL* m = nullptr;
  MYSQL_STMT* insert = nullptr;
  MYSQL_STMT* one = nullptr;
  MYSQL_STMT* all = nullptr;
  explicit RawMariadb(const std::string& url) {
    const Target t(url);
    m = mysql_init(nullptr);
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (mysql_real_connect(m, t.host.c_str(), t.user.c_str(), t.password.c_str(),
                           t.database.c_str(), t.port, nullptr, CLIENT_FOUND_ROWS) == nullptr) {
      throw std::runtime_error(std::string("connect: ") + mysql_error(m));
    }
    insert = prepare(kInsert);
    one = prepare(kSelectOne);
    all = prepare(kSelectAll);
  }
  ~RawMariadb() {
    mysql_stmt_close(insert);
    mysql_stmt_close(one);
    mysql_stmt_close(all);
    mysql_close(m);
  }
  MYSQL_STMT* prepare(const char* sql) {
    MYSQL_STMT* s = mysql_stmt_init(m);
    if (mysql_stmt_prepare(s, sql, static_cast<unsigned long>(std::strlen(sql))) != 0) {
      throw std::runtime_error(std::string("prepare: ") + mysql_stmt_error(s));
    }
    return s;
  }
  void exec(const char* sql) {
    if (mysql_query(m, sql) != 0)
      throw std::runtime_error(std::string(sql) + ": " + mysql_error(m));
  }
  static void check(MYSQL_STMT* s, int rc, const char* what) {
    if (rc != 0) throw std::runtime_error(std::string(what) + ": " + mysql_stmt_error(s));
  }
};

// executemany through Connector/C's column-wise array binding: one bulk execution.
void raw_insert_bulk(RawMariadb& raw) {
  const Data& d = data();
  raw.exec("START TRANSACTION");
  std::vector<const char*> names(kRows);
  std::vector<unsigned long> name_lengths(kRows);
  std::vector<MYSQL_TIME> created(kRows);
  std::vector<const MYSQL_TIME*> created_pointers(kRows);  // column-wise: through pointers
  std::vector<char> active(kRows);
  for (int i = 0; i < kRows; ++i) {
    names[i] = d.name[i].data();
    name_lengths[i] = static_cast<unsigned long>(d.name[i].size());
    created[i] = to_time(d.created[i]);
    created_pointers[i] = &created[i];
    active[i] = d.active[i] ? 1 : 0;
  }
  MYSQL_BIND b[5] = {};
  b[0].buffer_type = MYSQL_TYPE_LONGLONG;
  b[0].buffer = const_cast<int64_t*>(d.id.data());
  b[1].buffer_type = MYSQL_TYPE_STRING;
  b[1].buffer = names.data();
  b[1].length = name_lengths.data();
  b[2].buffer_type = MYSQL_TYPE_DOUBLE;
  b[2].buffer = const_cast<double*>(d.score.data());
  b[3].buffer_type = MYSQL_TYPE_DATETIME;
  b[3].buffer = created_pointers.data();
  b[4].buffer_type = MYSQL_TYPE_TINY;
  b[4].buffer = active.data();
  unsigned size = kRows;
  mysql_stmt_attr_set(raw.insert, STMT_ATTR_ARRAY_SIZE, &size);
  RawMariadb::check(raw.insert, mysql_stmt_bind_param(raw.insert, b), "bind");
  RawMariadb::check(raw.insert, mysql_stmt_execute(raw.insert), "bulk insert");
  size = 0;
  mysql_stmt_attr_set(raw.insert, STMT_ATTR_ARRAY_SIZE, &size);
  raw.exec("COMMIT");
}

// executemany as a loop of single-row executions.
void raw_insert_loop(RawMariadb& raw) {
  const Data& d = data();
  raw.exec("START TRANSACTION");
  int64_t id;
  double score;
  MYSQL_TIME created;
  char active;
  unsigned long name_length;
  MYSQL_BIND b[5] = {};
  b[0].buffer_type = MYSQL_TYPE_LONGLONG;
  b[0].buffer = &id;
  b[1].buffer_type = MYSQL_TYPE_STRING;
  b[1].length = &name_length;
  b[2].buffer_type = MYSQL_TYPE_DOUBLE;
  b[2].buffer = &score;
  b[3].buffer_type = MYSQL_TYPE_DATETIME;
  b[3].buffer = &created;
  b[4].buffer_type = MYSQL_TYPE_TINY;
  b[4].buffer = &active;
  for (int i = 0; i < kRows; ++i) {
    id = d.id[i];
    b[1].buffer = const_cast<char*>(d.name[i].data());
    name_length = static_cast<unsigned long>(d.name[i].size());
    score = d.score[i];
    created = to_time(d.created[i]);
    active = d.active[i] ? 1 : 0;
    RawMariadb::check(raw.insert, mysql_stmt_bind_param(raw.insert, b), "bind");
    RawMariadb::check(raw.insert, mysql_stmt_execute(raw.insert), "insert");
  }
  raw.exec("COMMIT");
}

// Result buffers of the 5 columns, and the checksum of the row they hold.
struct RowBuffers {
  int64_t id = 0;
  char name[256];
  unsigned long name_length = 0;
  double score = 0;
  MYSQL_TIME created{};
  signed char active = 0;
  MYSQL_BIND b[5] = {};
  RowBuffers() {
    b[0].buffer_type = MYSQL_TYPE_LONGLONG;
    b[0].buffer = &id;
    b[1].buffer_type = MYSQL_TYPE_STRING;
    b[1].buffer = name;
    b[1].buffer_length = sizeof name;
    b[1].length = &name_length;
    b[2].buffer_type = MYSQL_TYPE_DOUBLE;
    b[2].buffer = &score;
    b[3].buffer_type = MYSQL_TYPE_DATETIME;
    b[3].buffer = &created;
    b[4].buffer_type = MYSQL_TYPE_TINY;
    b[4].buffer = &active;
  }
  int64_t read() const {
    const std::string n(name, name_length);
    const DateTime c = from_time(created);
    return id + static_cast<int64_t>(n.size()) + static_cast<int64_t>(score) +
           c.time_since_epoch().count() % 7 + (active != 0);
  }
};

volatile int64_t sink = 0;

struct Shared {
  Engine engine;
  Connection conn;
  std::unique_ptr<RawMariadb> raw_conn;
  RawMariadb& raw;
  // The table exists before the raw side prepares its statements against it.
  explicit Shared(const std::string& url)
      : engine(create_engine(url)),
        conn(engine.connect()),
        raw_conn((reset_table(), std::make_unique<RawMariadb>(url))),
        raw(*raw_conn) {}
  void reset_table() {
    conn.execute(text(std::string("DROP TABLE IF EXISTS ") + kTable));
    conn.execute(text(kCreate));
    conn.commit();
  }
  void ensure_full() {
    if (conn.execute(text(std::string("SELECT count(*) FROM ") + kTable)).scalar_one<int64_t>() !=
        kRows) {
      truncate();
      retort_insert_all(conn, kInsertRetort);
    }
    conn.commit();
  }
  void truncate() {
    conn.execute(text(std::string("TRUNCATE TABLE ") + kTable));
    conn.commit();
  }
};

}  // namespace

std::vector<Workload> mariadb_workloads(const std::string& url) {
  auto s = std::make_shared<Shared>(url);
  auto retort_executemany = [s] {
    s->truncate();
    const double t0 = now_seconds();
    retort_insert_all(s->conn, kInsertRetort);
    return now_seconds() - t0;
  };
  std::vector<Workload> out;
  out.push_back({"executemany_100k", "mariadb", retort_executemany, [s] {
                   s->truncate();
                   const double t0 = now_seconds();
                   raw_insert_bulk(s->raw);
                   return now_seconds() - t0;
                 }});
  out.push_back({"executemany_100k_vs_loop", "mariadb", retort_executemany, [s] {
                   s->truncate();
                   const double t0 = now_seconds();
                   raw_insert_loop(s->raw);
                   return now_seconds() - t0;
                 }});
  out.push_back({"fetch_100k_x5", "mariadb",
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
                   MYSQL_STMT* st = s->raw.all;
                   s->raw.exec("START TRANSACTION");
                   RawMariadb::check(st, mysql_stmt_execute(st), "select all");
                   RawMariadb::check(st, mysql_stmt_store_result(st), "store");
                   RowBuffers row;
                   RawMariadb::check(st, mysql_stmt_bind_result(st, row.b), "bind result");
                   while (mysql_stmt_fetch(st) == 0) acc += row.read();
                   mysql_stmt_free_result(st);
                   s->raw.exec("COMMIT");
                   sink = sink + acc;
                   return now_seconds() - t0;
                 }});
  out.push_back({"point_select_100k", "mariadb",
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
                   MYSQL_STMT* st = s->raw.one;
                   s->raw.exec("START TRANSACTION");
                   int64_t id = 0;
                   MYSQL_BIND param = {};
                   param.buffer_type = MYSQL_TYPE_LONGLONG;
                   param.buffer = &id;
                   RowBuffers row;
                   for (int i = 0; i < kRows; ++i) {
                     id = i;
                     RawMariadb::check(st, mysql_stmt_bind_param(st, &param), "bind");
                     RawMariadb::check(st, mysql_stmt_execute(st), "select one");
                     RawMariadb::check(st, mysql_stmt_store_result(st), "store");
                     RawMariadb::check(st, mysql_stmt_bind_result(st, row.b), "bind result");
                     if (mysql_stmt_fetch(st) != 0) throw std::runtime_error("select one: no row");
                     acc += row.read();
                     mysql_stmt_free_result(st);
                   }
                   s->raw.exec("COMMIT");
                   sink = sink + acc;
                   return now_seconds() - t0;
                 }});
  return out;
}

}  // namespace retort::bench
