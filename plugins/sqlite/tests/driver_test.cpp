// plugins/sqlite/tests/driver_test.cpp — connecting, executing, fetching, through the C ABI.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

namespace retort::sqlite::test {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;

int32_t days(int y, unsigned m, unsigned d) {
  return static_cast<int32_t>(sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count());
}

int64_t micros(int y, unsigned m, unsigned d, int64_t hh = 0, int64_t mi = 0, int64_t ss = 0,
               int64_t us = 0) {
  return days(y, m, d) * 86'400'000'000LL + ((hh * 60 + mi) * 60 + ss) * 1'000'000LL + us;
}

TEST(Connect, NullEmptyAndMemoryNamesOpenPrivateInMemoryDatabases) {
  for (const std::optional<std::string>& database :
       {std::optional<std::string>(), std::optional<std::string>(""),
        std::optional<std::string>(":memory:")}) {
    Conn a = connect({database});
    Conn b = connect({database});
    ASSERT_TRUE(a && b);
    a.exec("CREATE TABLE t(x)");
    // Each in-memory connection has its own database.
    ErrorBox error;
    EXPECT_EQ(b.try_exec("SELECT * FROM t", nullptr, error), RETORT_SYNTAX);
  }
}

TEST(Connect, NamedSharedMemoryDatabaseIsSharedBetweenConnections) {
  const ConnectSpec spec{"retort_shared_memory", {{"mode", "memory"}, {"cache", "shared"}}};
  Conn a = connect(spec);
  Conn b = connect(spec);
  a.exec("CREATE TABLE t(x)");
  a.exec("INSERT INTO t VALUES (1)");
  EXPECT_EQ(b.scalar("SELECT count(*) FROM t"), 1);
  EXPECT_FALSE(std::filesystem::exists("retort_shared_memory"));
}

TEST(Connect, FileDatabaseKeepsDataAcrossConnections) {
  TempDir dir;
  const std::string path = dir.file("data.db");
  {
    Conn c = connect({path});
    c.exec("CREATE TABLE t(x INTEGER)");
    c.exec("INSERT INTO t VALUES (41), (1)");
  }
  Conn c = connect({path});
  EXPECT_EQ(c.scalar("SELECT sum(x) FROM t"), 42);
}

TEST(Connect, UnknownOptionIsInvalidArgumentNamingTheKeyAndTheAcceptedOnes) {
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect({std::nullopt, {{"timeout", "1"}}, {{"colour", "red"}}}, c, error),
            RETORT_INVALID_ARGUMENT);
  EXPECT_FALSE(c);
  EXPECT_NE(error.message().find("'colour'"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("statement_cache_size"), std::string::npos);
}

TEST(Connect, BadOptionValueIsInvalidArgument) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"mode", "write"},
                                                        {"timeout", "-1"},
                                                        {"timeout", "soon"},
                                                        {"foreign_keys", "maybe"},
                                                        {"journal_mode", "wal; DROP TABLE t"},
                                                        {"statement_cache_size", "-3"},
                                                        {"begin", "later"},
                                                        {"cache", "big"}}) {
    Conn c;
    ErrorBox error;
    EXPECT_EQ(connect({std::nullopt, {{key, value}}}, c, error), RETORT_INVALID_ARGUMENT)
        << key << "=" << value;
    EXPECT_NE(error.message().find(key), std::string::npos) << error.message();
  }
}

TEST(Connect, LaterOptionValueWins) {
  TempDir dir;
  const std::string path = dir.file("later.db");
  // mode=ro from the URL is overridden by mode=rwc from the connect options.
  Conn c = connect({path, {{"mode", "ro"}}, {{"mode", "rwc"}}});
  ASSERT_TRUE(c);
  c.exec("CREATE TABLE t(x)");
}

TEST(Connect, UrlWithAHostIsRejected) {
  Conn c;
  ErrorBox error;
  EXPECT_EQ(connect({std::string("x.db"), {}, {}, std::string("example.com")}, c, error),
            RETORT_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("host"), std::string::npos);
}

TEST(Connect, ReadOnlyModeOnAMissingFileIsNotFoundNamingThePath) {
  TempDir dir;
  const std::string path = dir.file("missing.db");
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect({path, {{"mode", "ro"}}}, c, error), RETORT_NOT_FOUND);
  EXPECT_NE(error.message().find(path), std::string::npos) << error.message();
  EXPECT_EQ(error.vendor_code() & 0xff, 14);  // SQLITE_CANTOPEN
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Connect, UnopenablePathIsIo) {
  TempDir dir;
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect({dir.file("no/such/dir/x.db")}, c, error), RETORT_IO);
  EXPECT_NE(error.message().find("no/such/dir"), std::string::npos) << error.message();
}

TEST(Connect, FileThatIsNotADatabaseIsIoNamingThePath) {
  TempDir dir;
  const std::string path = dir.file("text.db");
  std::ofstream(path) << std::string(4096, 'x');
  Conn c;
  ErrorBox error;
  ASSERT_EQ(connect({path}, c, error), RETORT_IO);
  EXPECT_NE(error.message().find(path), std::string::npos) << error.message();
  EXPECT_EQ(error.detail("sqlite_code_name"), "SQLITE_NOTADB");
}

TEST(Connect, ReadOnlyConnectionRefusesWrites) {
  TempDir dir;
  const std::string path = dir.file("ro.db");
  connect({path}).exec("CREATE TABLE t(x)");
  Conn c = connect({path, {{"mode", "ro"}}});
  ErrorBox error;
  EXPECT_EQ(c.try_exec("INSERT INTO t VALUES (1)", nullptr, error), RETORT_IO);
  EXPECT_EQ(error.sqlstate(), "25006");
  EXPECT_EQ(error.detail("sqlite_code_name"), "SQLITE_READONLY");
}

TEST(Connect, UriOptionOpensAnSqliteUriFilename) {
  TempDir dir;
  const std::string path = dir.file("uri.db");
  connect({path}).exec("CREATE TABLE t(x)");
  Conn c = connect({"file:" + path + "?mode=ro", {{"uri", "true"}}});
  ErrorBox error;
  EXPECT_EQ(c.try_exec("INSERT INTO t VALUES (1)", nullptr, error), RETORT_IO);
}

TEST(Connect, JournalModeOptionIsApplied) {
  TempDir dir;
  Conn c = connect({dir.file("wal.db"), {{"journal_mode", "WAL"}}});
  auto batches = c.query("PRAGMA journal_mode");
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].str(0, 0), "wal");
}

TEST(Execute, ExecutemanyInsertsAThousandRowsFromOneBatch) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER, s TEXT, f REAL, ts TIMESTAMP)");
  constexpr int kRows = 1000;
  std::vector<std::optional<int64_t>> n, ts;
  std::vector<std::optional<std::string>> s;
  std::vector<std::optional<double>> f;
  for (int i = 0; i < kRows; ++i) {
    n.push_back(i % 7 == 0 ? std::nullopt : std::optional<int64_t>(i * 1'000'003LL - 500));
    s.push_back(i % 11 == 0 ? std::nullopt
                            : std::optional<std::string>("row " + std::to_string(i)));
    f.push_back(i / 3.0);
    ts.push_back(micros(1950, 1, 1) + i * 3'600'000'001LL);
  }
  ParamBatch params(kRows);
  params.int64s(n).strings(RETORT_TYPE_TEXT, s).doubles(f).micros(RETORT_TYPE_TIMESTAMP, ts);
  const retort_exec_info info = c.exec("INSERT INTO t(n, s, f, ts) VALUES (?, ?, ?, ?)", &params);
  EXPECT_EQ(info.rows_affected, kRows);
  EXPECT_EQ(info.column_count, 0);
  EXPECT_EQ(info.has_last_insert_id, 1);
  EXPECT_EQ(info.last_insert_id, kRows);

  int64_t row = 0;
  for (const Batch& b : c.query("SELECT n, s, f, ts FROM t ORDER BY id", nullptr, 64)) {
    EXPECT_LE(b.rows(), 64);
    ASSERT_EQ(b.type(0), RETORT_TYPE_INT64);
    ASSERT_EQ(b.type(1), RETORT_TYPE_TEXT);
    ASSERT_EQ(b.type(2), RETORT_TYPE_DOUBLE);
    ASSERT_EQ(b.type(3), RETORT_TYPE_TIMESTAMP);
    for (int64_t r = 0; r < b.rows(); ++r, ++row) {
      const auto i = static_cast<size_t>(row);
      ASSERT_EQ(b.is_null(0, r), !n[i].has_value()) << row;
      if (n[i]) {
        EXPECT_EQ(b.i64(0, r), *n[i]);
      }
      ASSERT_EQ(b.is_null(1, r), !s[i].has_value()) << row;
      if (s[i]) {
        EXPECT_EQ(b.str(1, r), *s[i]);
      }
      EXPECT_EQ(b.f64(2, r), *f[i]);
      EXPECT_EQ(b.i64(3, r), *ts[i]);
    }
  }
  EXPECT_EQ(row, kRows);
}

template <typename T>
std::vector<T> cycled(const std::vector<T>& samples, size_t n) {
  std::vector<T> out;
  for (size_t k = 0; k < n; ++k) out.push_back(samples[k % samples.size()]);
  return out;
}

TEST(Execute, EveryValueTypeRoundTripsThroughAThousandRowExecutemany) {
  Conn c = connect();
  c.exec(
      "CREATE TABLE v(id INTEGER PRIMARY KEY, i BIGINT, b BOOLEAN, f DOUBLE PRECISION, t TEXT, "
      "bl BLOB, d NUMERIC(20, 6), dt DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE, "
      "u UUID, j JSON, z)");
  using Uuid = std::array<uint8_t, 16>;
  const Uuid u0{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  Uuid u1;
  u1.fill(0xff);
  const double inf = std::numeric_limits<double>::infinity();
  // Four sample rows, the third all NULL, repeated to 1000 rows.
  const std::vector<std::optional<int64_t>> i{
      std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), {}, 0};
  const std::vector<std::optional<uint8_t>> b{1, 0, {}, {}};
  const std::vector<std::optional<double>> f{inf, -inf, {}, 1e-300};
  const std::vector<std::optional<std::string>> t{
      "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xe6\x97\xa5", "", {}, std::string("nul\0in", 6)};
  const std::vector<std::optional<std::string>> bl{
      std::string("\0a\0b", 4), "", {}, std::string(1000, '\xfe')};
  const std::vector<std::optional<std::string>> d{"123.456", "-0.5", {}, "42"};
  const std::vector<std::optional<int32_t>> dt{days(1, 1, 1), days(9999, 12, 31), {}, 0};
  const std::vector<std::optional<int64_t>> tm{0, 86'399'999'999LL, {}, 45'296'789'012LL};
  const std::vector<std::optional<int64_t>> ts{
      -1, micros(1900, 1, 1, 0, 0, 0, 1), {}, micros(2024, 2, 29, 12, 0, 0, 500'000)};
  const std::vector<std::optional<int64_t>> tz{
      micros(1969, 7, 20, 20, 17, 40), 0, {}, micros(2038, 1, 19, 3, 14, 8)};
  const std::vector<std::optional<Uuid>> u{u0, u1, {}, {}};
  const std::vector<std::optional<std::string>> j{R"({"a": [1, 2, 3], "b": "x"})", "123", {}, "[]"};
  constexpr size_t kRows = 1000;
  ParamBatch params(kRows);
  params.int64s(cycled(i, kRows))
      .bools(cycled(b, kRows))
      .doubles(cycled(f, kRows))
      .strings(RETORT_TYPE_TEXT, cycled(t, kRows))
      .strings(RETORT_TYPE_BYTES, cycled(bl, kRows))
      .strings(RETORT_TYPE_DECIMAL, cycled(d, kRows))
      .dates(cycled(dt, kRows))
      .micros(RETORT_TYPE_TIME, cycled(tm, kRows))
      .micros(RETORT_TYPE_TIMESTAMP, cycled(ts, kRows))
      .micros(RETORT_TYPE_TIMESTAMPTZ, cycled(tz, kRows))
      .uuids(cycled(u, kRows))
      .strings(RETORT_TYPE_JSON, cycled(j, kRows))
      .nulls();
  const retort_exec_info info = c.exec(
      "INSERT INTO v(i, b, f, t, bl, d, dt, tm, ts, tz, u, j, z) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      &params);
  EXPECT_EQ(info.rows_affected, static_cast<int64_t>(kRows));
  EXPECT_EQ(info.last_insert_id, static_cast<int64_t>(kRows));

  const uint32_t expected_types[] = {
      RETORT_TYPE_INT64,     RETORT_TYPE_BOOL,        RETORT_TYPE_DOUBLE, RETORT_TYPE_TEXT,
      RETORT_TYPE_BYTES,     RETORT_TYPE_DECIMAL,     RETORT_TYPE_DATE,   RETORT_TYPE_TIME,
      RETORT_TYPE_TIMESTAMP, RETORT_TYPE_TIMESTAMPTZ, RETORT_TYPE_UUID,   RETORT_TYPE_JSON,
      RETORT_TYPE_NULL};
  size_t row = 0;
  for (const Batch& r : c.query(
           "SELECT i, b, f, t, bl, d, dt, tm, ts, tz, u, j, z FROM v ORDER BY id", nullptr, 128)) {
    ASSERT_EQ(r.rows(), std::min<int64_t>(128, static_cast<int64_t>(kRows - row)));
    for (int col = 0; col < 13; ++col) ASSERT_EQ(r.type(col), expected_types[col]) << col;
    for (int64_t n = 0; n < r.rows(); ++n, ++row) {
      const size_t k = row % 4;
      SCOPED_TRACE(row);
      if (k == 2) {
        for (int col = 0; col < 13; ++col) EXPECT_TRUE(r.is_null(col, n)) << col;
        continue;
      }
      EXPECT_TRUE(r.is_null(12, n));
      EXPECT_EQ(r.i64(0, n), *i[k]);
      EXPECT_EQ(r.is_null(1, n), !b[k]);
      if (b[k]) {
        EXPECT_EQ(r.fixed<uint8_t>(1, n), *b[k]);
      }
      EXPECT_EQ(r.f64(2, n), *f[k]);
      EXPECT_FALSE(r.is_null(3, n));  // "" is not NULL
      EXPECT_EQ(r.str(3, n), *t[k]);
      EXPECT_EQ(r.str(4, n), *bl[k]);
      EXPECT_EQ(r.str(5, n), *d[k]);
      EXPECT_EQ(r.fixed<int32_t>(6, n), *dt[k]);
      EXPECT_EQ(r.i64(7, n), *tm[k]);
      EXPECT_EQ(r.i64(8, n), *ts[k]);
      EXPECT_EQ(r.i64(9, n), *tz[k]);
      EXPECT_EQ(r.is_null(10, n), !u[k]);
      if (u[k]) {
        EXPECT_EQ(r.uuid(10, n), *u[k]);
      }
      EXPECT_EQ(r.str(11, n), *j[k]);
    }
  }
  EXPECT_EQ(row, kRows);
  // The stored forms are SQLAlchemy's.
  auto stored = c.query(
      "SELECT CAST(ts AS TEXT), CAST(tz AS TEXT), CAST(u AS TEXT), CAST(dt AS TEXT), "
      "CAST(tm AS TEXT), typeof(b) FROM v WHERE id = 1");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].str(0, 0), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(stored[0].str(1, 0), "1969-07-20 20:17:40.000000+00:00");
  EXPECT_EQ(stored[0].str(2, 0), "000102030405060708090a0b0c0d0e0f");
  EXPECT_EQ(stored[0].str(3, 0), "0001-01-01");
  EXPECT_EQ(stored[0].str(4, 0), "00:00:00.000000");
  EXPECT_EQ(stored[0].str(5, 0), "integer");
}

TEST(Execute, ParameterCountMismatchIsInvalidArgument) {
  Conn c = connect();
  c.exec("CREATE TABLE t(a, b, c)");
  ParamBatch params(1);
  params.int64s({1}).int64s({2});
  ErrorBox error;
  EXPECT_EQ(c.try_exec("INSERT INTO t VALUES (?, ?, ?)", &params, error), RETORT_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("statement has 3 placeholders, 2 parameters given"),
            std::string::npos)
      << error.message();
  ErrorBox none;
  EXPECT_EQ(c.try_exec("INSERT INTO t VALUES (?, ?, ?)", nullptr, none), RETORT_INVALID_ARGUMENT);
}

TEST(Execute, StatementReturningRowsRunsForAtMostOneParameterRow) {
  Conn c = connect();
  ParamBatch params(2);
  params.int64s({1, 2});
  ErrorBox error;
  EXPECT_EQ(c.try_exec("SELECT ?", &params, error), RETORT_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("at most one parameter row"), std::string::npos);
}

TEST(Execute, IntervalParameterIsNotImplemented) {
  Conn c = connect();
  ParamBatch params(1);
  params.intervals({retort_interval{1, 2, 3}});
  ErrorBox error;
  EXPECT_EQ(c.try_exec("SELECT ?", &params, error), RETORT_NOT_IMPLEMENTED);
  EXPECT_NE(error.message().find("sqlite3 driver cannot bind INTERVAL"), std::string::npos)
      << error.message();
}

TEST(Execute, NanParameterIsRefusedInsteadOfBecomingNull) {
  Conn c = connect();
  ParamBatch params(1);
  params.doubles({std::numeric_limits<double>::quiet_NaN()});
  ErrorBox error;
  EXPECT_EQ(c.try_exec("SELECT ?", &params, error), RETORT_INVALID_DATA);
  EXPECT_NE(error.message().find("parameter 1"), std::string::npos);
}

TEST(Execute, DateOutsideYearsZeroToNineThousandIsInvalidData) {
  Conn c = connect();
  ParamBatch params(1);
  params.dates({days(10000, 1, 1)});
  ErrorBox error;
  EXPECT_EQ(c.try_exec("SELECT ?", &params, error), RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22008");
}

TEST(Execute, RowsAffectedCountsDmlAndIsUnknownForDdl) {
  Conn c = connect();
  EXPECT_EQ(c.exec("CREATE TABLE t(x INTEGER)").rows_affected, -1);
  EXPECT_EQ(c.exec("INSERT INTO t VALUES (1), (2), (3)").rows_affected, 3);
  EXPECT_EQ(c.exec("UPDATE t SET x = x + 1 WHERE x >= 2").rows_affected, 2);
  EXPECT_EQ(c.exec("WITH doomed AS (SELECT 3 AS v) DELETE FROM t WHERE x IN doomed").rows_affected,
            1);
  EXPECT_EQ(c.exec("DELETE FROM t WHERE x > 100").rows_affected, 0);
  EXPECT_EQ(c.exec("CREATE INDEX ix ON t(x)").rows_affected, -1);
  const retort_exec_info select = c.exec("SELECT * FROM t");
  EXPECT_EQ(select.rows_affected, -1);
  EXPECT_EQ(select.column_count, 1);
  EXPECT_EQ(select.has_last_insert_id, 0);
}

TEST(Execute, ReturningStatementsReportTheirRowsAndTheInsertedId) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER)");
  Stmt s = c.prepare("INSERT INTO t(x) VALUES (10), (20) RETURNING id, x");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK) << error.message();
  EXPECT_EQ(info.column_count, 2);
  EXPECT_EQ(info.rows_affected, -1);  // known only once the rows are consumed
  EXPECT_EQ(info.has_last_insert_id, 1);
  EXPECT_EQ(info.last_insert_id, 2);
  auto batches = s.fetch_all();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].rows(), 2);
  EXPECT_EQ(batches[0].i64(1, 1), 20);

  Stmt none = c.prepare("DELETE FROM t WHERE x > 100 RETURNING id");
  ASSERT_EQ(none.execute(nullptr, info, error), RETORT_OK);
  EXPECT_EQ(info.rows_affected, 0);
  EXPECT_EQ(info.has_last_insert_id, 0);
}

TEST(Execute, MoreThanOneStatementInTheTextIsRejected) {
  Conn c = connect();
  Stmt s;
  ErrorBox error;
  EXPECT_EQ(c.prepare("SELECT 1; SELECT 2", s, error), RETORT_SYNTAX);
  EXPECT_EQ(s.get(), nullptr);
  // Trailing semicolons and comments are fine.
  ErrorBox fine;
  EXPECT_EQ(c.prepare("SELECT 1; -- done\n /* really */ ;", s, fine), RETORT_OK);
}

TEST(Fetch, BatchStaysValidAfterStatementAndConnectionRelease) {
  Batch batch;
  {
    Conn c = connect();
    Stmt s = c.prepare("SELECT 'kept' AS word, x'00ff' AS bytes");
    retort_exec_info info{};
    ErrorBox error;
    ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
    ASSERT_EQ(s.fetch(10, batch, error), RETORT_OK);
  }
  ASSERT_EQ(batch.rows(), 1);
  EXPECT_EQ(batch.str(0, 0), "kept");
  EXPECT_EQ(batch.str(1, 0), std::string("\x00\xff", 2));
  // ~Batch releases it, exactly once.
}

TEST(Fetch, ValueThatDoesNotFitEndsTheBatchAndTheNextOneIsRetyped) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
  c.exec("INSERT INTO t(v) VALUES (1), (2), ('abc'), ('def'), (3), (NULL), (4.5), (x'01')");
  auto batches = c.query("SELECT v FROM t ORDER BY id");
  ASSERT_EQ(batches.size(), 5u);
  EXPECT_EQ(batches[0].type(0), RETORT_TYPE_INT64);
  EXPECT_EQ(batches[0].rows(), 2);
  EXPECT_EQ(batches[1].type(0), RETORT_TYPE_TEXT);
  ASSERT_EQ(batches[1].rows(), 2);
  EXPECT_EQ(batches[1].str(0, 1), "def");
  EXPECT_EQ(batches[2].type(0), RETORT_TYPE_INT64);
  ASSERT_EQ(batches[2].rows(), 2);
  EXPECT_EQ(batches[2].i64(0, 0), 3);
  EXPECT_TRUE(batches[2].is_null(0, 1));
  EXPECT_EQ(batches[3].type(0), RETORT_TYPE_DOUBLE);
  EXPECT_EQ(batches[3].f64(0, 0), 4.5);
  EXPECT_EQ(batches[4].type(0), RETORT_TYPE_BYTES);
}

TEST(Fetch, ExpressionColumnsTakeTheTypeOfTheirFirstNonNullValue) {
  Conn c = connect();
  auto batches = c.query(
      "SELECT a, b FROM (SELECT NULL AS a, NULL AS b UNION ALL SELECT 7, NULL "
      "UNION ALL SELECT 8, NULL)");
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].type(0), RETORT_TYPE_INT64);
  EXPECT_TRUE(batches[0].is_null(0, 0));
  EXPECT_EQ(batches[0].i64(0, 2), 8);
  EXPECT_EQ(batches[0].type(1), RETORT_TYPE_NULL);
  EXPECT_EQ(batches[0].rows(), 3);
}

TEST(Fetch, DescribeReportsNamesAndDeclaredTypes) {
  Conn c = connect();
  c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name VARCHAR(20))");
  Stmt s = c.prepare("SELECT id, name AS label, 1 + 1 FROM t");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
  ASSERT_EQ(info.column_count, 3);
  retort_column_desc desc{};
  desc.struct_size = sizeof desc;
  ASSERT_EQ(driver().describe(s.get(), 1, &desc, error.get()), RETORT_OK);
  EXPECT_EQ(std::string(desc.name, desc.name_length), "label");
  EXPECT_STREQ(desc.declared_type, "VARCHAR(20)");
  EXPECT_EQ(desc.type, static_cast<uint32_t>(RETORT_TYPE_NULL));
  ASSERT_EQ(driver().describe(s.get(), 2, &desc, error.get()), RETORT_OK);
  EXPECT_EQ(desc.declared_type, nullptr);
  ErrorBox out_of_range;
  EXPECT_EQ(driver().describe(s.get(), 3, &desc, out_of_range.get()), RETORT_INVALID_ARGUMENT);
}

TEST(Fetch, FetchBeforeExecuteIsInvalidState) {
  Conn c = connect();
  Stmt s = c.prepare("SELECT 1");
  Batch batch;
  ErrorBox error;
  EXPECT_EQ(s.fetch(10, batch, error), RETORT_INVALID_STATE);
}

TEST(Fetch, ExhaustedResultGivesEmptyBatchesAndReexecuteStartsOver) {
  Conn c = connect();
  Stmt s = c.prepare("SELECT value FROM json_each('[1, 2, 3]')");
  for (int round = 0; round < 2; ++round) {
    retort_exec_info info{};
    ErrorBox error;
    ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
    Batch first;
    ASSERT_EQ(s.fetch(2, first, error), RETORT_OK);
    EXPECT_EQ(first.rows(), 2);
    if (round == 1) continue;  // re-execute with a result still open
    Batch second, end, again;
    ASSERT_EQ(s.fetch(2, second, error), RETORT_OK);
    EXPECT_EQ(second.rows(), 1);
    ASSERT_EQ(s.fetch(2, end, error), RETORT_OK);
    EXPECT_EQ(end.rows(), 0);
    ASSERT_EQ(s.fetch(2, again, error), RETORT_OK);
    EXPECT_EQ(again.rows(), 0);
  }
}

TEST(StatementCache, TwoLiveStatementsWithTheSameSqlAreIndependent) {
  Conn c = connect();
  c.exec("CREATE TABLE t(x INTEGER)");
  c.exec("INSERT INTO t VALUES (1), (2), (3)");
  const char* sql = "SELECT x FROM t WHERE x >= ? ORDER BY x";
  Stmt a = c.prepare(sql);
  Stmt b = c.prepare(sql);
  ParamBatch from1(1), from3(1);
  from1.int64s({1});
  from3.int64s({3});
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(a.execute(&from1, info, error), RETORT_OK);
  ASSERT_EQ(b.execute(&from3, info, error), RETORT_OK);
  Batch ra, rb;
  ASSERT_EQ(a.fetch(10, ra, error), RETORT_OK);
  ASSERT_EQ(b.fetch(10, rb, error), RETORT_OK);
  EXPECT_EQ(ra.rows(), 3);
  EXPECT_EQ(rb.rows(), 1);
  a.release();
  b.release();
  // Both went back to the cache (one of them finalized as a duplicate); the SQL still works.
  EXPECT_EQ(c.query(sql, &from1).at(0).rows(), 3);
}

TEST(StatementCache, DisabledCacheStillRunsStatements) {
  Conn c = connect({std::nullopt, {{"statement_cache_size", "0"}}});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.scalar("SELECT 40 + 2"), 42);
}

TEST(StatementCache, CachedStatementSeesSchemaChanges) {
  Conn c = connect();
  c.exec("CREATE TABLE t(a INTEGER)");
  c.exec("INSERT INTO t VALUES (1)");
  EXPECT_EQ(c.query("SELECT * FROM t").at(0).columns(), 1);
  c.exec("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'");
  auto batches = c.query("SELECT * FROM t");
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].columns(), 2);
  EXPECT_EQ(batches[0].str(1, 0), "x");
}

}  // namespace
}  // namespace retort::sqlite::test
