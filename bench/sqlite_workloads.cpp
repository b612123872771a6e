// bench/sqlite_workloads.cpp — the same work through Retort and through the sqlite3 C API.
//
// Both sides start from the same native C++ data and end with native C++ values, and both
// store timestamps the way the sqlite plugin does (ISO text, microseconds), so the raw side
// does every conversion Retort does.
#include "sqlite_workloads.hpp"

#include "data.hpp"

#include <retort/retort.hpp>

#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace retort::bench {

namespace {

constexpr const char* kCreate =
    "CREATE TABLE bench (id INTEGER, name TEXT, score DOUBLE, created TIMESTAMP, active BOOLEAN)";

// ---- the raw side's own conversions -------------------------------------------------------

char* put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

// "YYYY-MM-DD HH:MM:SS.ffffff" into buf (27 bytes with NUL); returns the length.
int format_timestamp(DateTime t, char* buf) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  auto us = (t - day).count();
  const unsigned h = static_cast<unsigned>(us / 3'600'000'000);
  us %= 3'600'000'000;
  const unsigned m = static_cast<unsigned>(us / 60'000'000);
  us %= 60'000'000;
  const unsigned s = static_cast<unsigned>(us / 1'000'000);
  const unsigned f = static_cast<unsigned>(us % 1'000'000);
  const int y = static_cast<int>(ymd.year());
  char* p = buf;
  p = put2(p, static_cast<unsigned>(y / 100));
  p = put2(p, static_cast<unsigned>(y % 100));
  *p++ = '-';
  p = put2(p, static_cast<unsigned>(ymd.month()));
  *p++ = '-';
  p = put2(p, static_cast<unsigned>(ymd.day()));
  *p++ = ' ';
  p = put2(p, h);
  *p++ = ':';
  p = put2(p, m);
  *p++ = ':';
  p = put2(p, s);
  *p++ = '.';
  p = put2(p, f / 10000);
  p = put2(p, f / 100 % 100);
  p = put2(p, f % 100);
  *p = '\0';
  return static_cast<int>(p - buf);
}

int digits(const char* p, int n) {
  int v = 0;
  for (int i = 0; i < n; ++i) v = v * 10 + (p[i] - '0');
  return v;
}

DateTime parse_timestamp(const char* p, int len) {
  using namespace std::chrono;
  if (len < 19) throw std::runtime_error("bad timestamp");
  const local_days day{year(digits(p, 4)) / month(digits(p + 5, 2)) / digits(p + 8, 2)};
  std::int64_t us =
      (digits(p + 11, 2) * 3600LL + digits(p + 14, 2) * 60LL + digits(p + 17, 2)) * 1'000'000LL;
  if (len >= 26) us += digits(p + 20, 6);
  return DateTime(day) + microseconds(us);
}

void check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string("sqlite3: ") + sqlite3_errmsg(db));
  }
}

struct RawDb {
  sqlite3* db = nullptr;
  RawDb() {
    // The same threading mode as the plugin: one connection, one thread at a time.
    check(
        sqlite3_open_v2(":memory:", &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr),
        db);
    check(sqlite3_exec(db, kCreate, nullptr, nullptr, nullptr), db);
  }
  ~RawDb() { sqlite3_close(db); }
  void exec(const char* sql) { check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db); }
};

constexpr const char* kInsertRaw =
    "INSERT INTO bench (id, name, score, created, active) VALUES (?, ?, ?, ?, ?)";
constexpr const char* kSelect = "SELECT id, name, score, created, active FROM bench";

void raw_insert_all(RawDb& raw) {
  const Data& d = data();
  sqlite3_stmt* stmt = nullptr;
  raw.exec("BEGIN");
  check(sqlite3_prepare_v2(raw.db, kInsertRaw, -1, &stmt, nullptr), raw.db);
  char ts[32];
  for (int i = 0; i < kRows; ++i) {
    sqlite3_bind_int64(stmt, 1, d.id[i]);
    sqlite3_bind_text(stmt, 2, d.name[i].data(), static_cast<int>(d.name[i].size()), SQLITE_STATIC);
    sqlite3_bind_double(stmt, 3, d.score[i]);
    const int n = format_timestamp(d.created[i], ts);
    sqlite3_bind_text(stmt, 4, ts, n, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 5, d.active[i] ? 1 : 0);
    check(sqlite3_step(stmt), raw.db);
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  raw.exec("COMMIT");
}

// Keeps the compiler from discarding the values read.
constexpr const char* kInsertRetort =
    "INSERT INTO bench (id, name, score, created, active) "
    "VALUES (:id, :name, :score, :created, :active)";

volatile std::int64_t sink = 0;

}  // namespace

std::vector<Workload> sqlite_workloads() {
  auto engine = std::make_shared<Engine>(create_engine("sqlite://"));
  auto conn = std::make_shared<Connection>(engine->connect());
  conn->execute(text(kCreate));
  conn->commit();
  auto raw = std::make_shared<RawDb>();

  std::vector<Workload> out;
  out.push_back({"executemany_100k", "sqlite",
                 [conn] {
                   conn->execute(text("DELETE FROM bench"));
                   conn->commit();
                   const double t0 = now_seconds();
                   retort_insert_all(*conn, kInsertRetort);
                   return now_seconds() - t0;
                 },
                 [raw] {
                   raw->exec("DELETE FROM bench");
                   const double t0 = now_seconds();
                   raw_insert_all(*raw);
                   return now_seconds() - t0;
                 }});

  out.push_back(
      {"fetch_100k_x5", "sqlite",
       [conn] {
         if (conn->execute(text("SELECT count(*) FROM bench")).scalar_one<int64_t>() != kRows) {
           conn->execute(text("DELETE FROM bench"));
           retort_insert_all(*conn, kInsertRetort);
         }
         conn->commit();
         const double t0 = now_seconds();
         std::int64_t acc = 0;
         for (const Row& row : conn->execute(text(kSelect))) {
           const auto id = row.get<std::int64_t>(0);
           const auto name = row.get<std::string>(1);
           const auto score = row.get<double>(2);
           const auto created = row.get<DateTime>(3);
           const auto active = row.get<bool>(4);
           acc += id + static_cast<std::int64_t>(name.size()) + static_cast<std::int64_t>(score) +
                  created.time_since_epoch().count() % 7 + active;
         }
         conn->commit();
         const double t = now_seconds() - t0;
         sink = sink + acc;
         return t;
       },
       [raw] {
         sqlite3_stmt* count = nullptr;
         check(sqlite3_prepare_v2(raw->db, "SELECT count(*) FROM bench", -1, &count, nullptr),
               raw->db);
         sqlite3_step(count);
         const bool full = sqlite3_column_int64(count, 0) == kRows;
         sqlite3_finalize(count);
         if (!full) {
           raw->exec("DELETE FROM bench");
           raw_insert_all(*raw);
         }
         const double t0 = now_seconds();
         std::int64_t acc = 0;
         raw->exec("BEGIN");
         sqlite3_stmt* stmt = nullptr;
         check(sqlite3_prepare_v2(raw->db, kSelect, -1, &stmt, nullptr), raw->db);
         int rc;
         while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
           const std::int64_t id = sqlite3_column_int64(stmt, 0);
           const std::string name(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)),
                                  static_cast<std::size_t>(sqlite3_column_bytes(stmt, 1)));
           const double score = sqlite3_column_double(stmt, 2);
           const DateTime created =
               parse_timestamp(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)),
                               sqlite3_column_bytes(stmt, 3));
           const bool active = sqlite3_column_int(stmt, 4) != 0;
           acc += id + static_cast<std::int64_t>(name.size()) + static_cast<std::int64_t>(score) +
                  created.time_since_epoch().count() % 7 + active;
         }
         check(rc, raw->db);
         sqlite3_finalize(stmt);
         raw->exec("COMMIT");
         const double t = now_seconds() - t0;
         sink = sink + acc;
         return t;
       }});
  return out;
}

}  // namespace retort::bench
