// plugins/odbc/tests/execute_test.cpp — parameter arrays, block cursors, long data, exact
// numerics, timestamps, transactions, errors and cancel, through the C ABI.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace retort::odbc::test {
namespace {

class OdbcExecute : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    spec_ = backend_spec(GetParam());
    if (!spec_) {
      GTEST_SKIP() << GetParam().name << " through ODBC not configured: set " << GetParam().env
                   << " (eval \"$(scripts/odbc-config.sh start)\")";
    }
    conn_ = open(*spec_);
    ASSERT_TRUE(conn_);
    conn_.exec("DROP TABLE IF EXISTS odbc_plugin_t");
  }
  void TearDown() override {
    if (conn_) conn_.exec("DROP TABLE IF EXISTS odbc_plugin_t");
  }
  bool is(std::string_view name) const { return GetParam().name == name; }
  std::string text_type() const { return is("mariadb") ? "LONGTEXT" : "TEXT"; }
  std::string blob_type() const {
    return is("postgresql") ? "BYTEA" : is("mariadb") ? "LONGBLOB" : "BLOB";
  }

  std::optional<ConnectSpec> spec_;
  Conn conn_;
};

TEST_P(OdbcExecute, ExecutemanyRunsParameterArraysInChunksAndCountsEveryRow) {
  spec_->query.emplace_back("paramset_size", "1000");
  conn_ = open(*spec_);
  conn_.exec(
      "CREATE TABLE odbc_plugin_t (id INTEGER PRIMARY KEY, name VARCHAR(40), x DOUBLE PRECISION)");
  constexpr int64_t n = 2500;
  std::vector<std::optional<int64_t>> ids;
  std::vector<std::optional<std::string>> names;
  std::vector<std::optional<double>> xs;
  for (int64_t i = 0; i < n; ++i) {
    ids.push_back(i);
    names.push_back(i % 7 == 0 ? std::nullopt
                               : std::optional<std::string>("n\xc3\xa9" + std::to_string(i)));
    xs.push_back(i * 0.5);
  }
  ParamBatch params(n);
  params.int64s(ids).strings(RETORT_TYPE_TEXT, names).doubles(xs);
  const retort_exec_info info = conn_.exec("INSERT INTO odbc_plugin_t VALUES (?, ?, ?)", &params);
  EXPECT_EQ(info.rows_affected, n);
  EXPECT_EQ(conn_.scalar("SELECT COUNT(*) FROM odbc_plugin_t"), n);
  EXPECT_EQ(conn_.scalar("SELECT COUNT(*) FROM odbc_plugin_t WHERE name IS NULL"), (n + 6) / 7);
  EXPECT_EQ(conn_.text("SELECT name FROM odbc_plugin_t WHERE id = 2498"),
            "n\xc3\xa9"
            "2498");
}

TEST_P(OdbcExecute, BlockCursorServesEveryRowAcrossRowsetsAndBatches) {
  spec_->query.emplace_back("fetch_array_size", "64");
  conn_ = open(*spec_);
  conn_.exec("CREATE TABLE odbc_plugin_t (id INTEGER, name VARCHAR(20))");
  constexpr int64_t n = 1000;
  std::vector<std::optional<int64_t>> ids;
  std::vector<std::optional<std::string>> names;
  for (int64_t i = 0; i < n; ++i) {
    ids.push_back(i);
    names.push_back("row" + std::to_string(i));
  }
  ParamBatch params(n);
  params.int64s(ids).strings(RETORT_TYPE_TEXT, names);
  conn_.exec("INSERT INTO odbc_plugin_t VALUES (?, ?)", &params);
  auto batches = conn_.query("SELECT id, name FROM odbc_plugin_t ORDER BY id", nullptr, 300);
  ASSERT_EQ(batches.size(), 4u);  // 300 + 300 + 300 + 100
  int64_t next = 0;
  for (const Batch& b : batches) {
    ASSERT_EQ(b.type(0), static_cast<uint32_t>(RETORT_TYPE_INT64));
    for (int64_t r = 0; r < b.rows(); ++r, ++next) {
      ASSERT_EQ(b.i64(0, r), next);
      ASSERT_EQ(b.str(1, r), "row" + std::to_string(next));
    }
  }
  EXPECT_EQ(next, n);
}

TEST_P(OdbcExecute, LongTextAndBytesArriveWholeThroughGetData) {
  conn_.exec("CREATE TABLE odbc_plugin_t (id INTEGER, body " + text_type() + ", data " +
             blob_type() + ")");
  std::string body;
  for (int i = 0; i < 100000; ++i) body += (i % 3 == 0) ? "\xe2\x82\xac" : "ab";  // € and ASCII
  body += "\xf0\x9f\x98\x80";  // outside the BMP: a surrogate pair in UTF-16
  std::string data(300000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 % 256);
  ParamBatch params(1);
  params.int64s({1}).strings(RETORT_TYPE_TEXT, {body}).strings(RETORT_TYPE_BYTES, {data});
  conn_.exec("INSERT INTO odbc_plugin_t VALUES (?, ?, ?)", &params);
  auto batches = conn_.query("SELECT body, data FROM odbc_plugin_t");
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].type(0), static_cast<uint32_t>(RETORT_TYPE_TEXT));
  EXPECT_EQ(batches[0].str(0, 0), body);
  if (is("sqlite") && batches[0].type(1) != RETORT_TYPE_BYTES) {
    GTEST_SKIP() << "SQLite ODBC reports BLOB columns as text";
  }
  EXPECT_EQ(batches[0].type(1), static_cast<uint32_t>(RETORT_TYPE_BYTES));
  EXPECT_EQ(batches[0].str(1, 0), data);
}

TEST_P(OdbcExecute, NumericStaysExactDecimalText) {
  if (is("sqlite"))
    GTEST_SKIP() << "SQLite stores NUMERIC as REAL or INTEGER: nothing exact to keep";
  conn_.exec("CREATE TABLE odbc_plugin_t (v NUMERIC(30, 10))");
  ParamBatch params(2);
  params.strings(RETORT_TYPE_DECIMAL, {"12345678901234567890.0123456789", "-0.0000000001"});
  conn_.exec("INSERT INTO odbc_plugin_t VALUES (?)", &params);
  auto batches = conn_.query("SELECT v FROM odbc_plugin_t ORDER BY v DESC");
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].type(0), static_cast<uint32_t>(RETORT_TYPE_DECIMAL));
  EXPECT_EQ(batches[0].str(0, 0), "12345678901234567890.0123456789");
  EXPECT_EQ(batches[0].str(0, 1), "-0.0000000001");
}

TEST_P(OdbcExecute, TimestampKeepsMicrosecondsAndDatesRoundTrip) {
  conn_.exec(std::string("CREATE TABLE odbc_plugin_t (ts ") +
             (is("mariadb") ? "DATETIME(6)" : "TIMESTAMP") + ", d DATE)");
  const int64_t ts = 1700000000LL * 1000000 + 123456;  // 2023-11-14 22:13:20.123456
  ParamBatch params(1);
  params.micros(RETORT_TYPE_TIMESTAMP, {ts}).dates({19675});
  conn_.exec("INSERT INTO odbc_plugin_t VALUES (?, ?)", &params);
  auto batches = conn_.query("SELECT ts, d FROM odbc_plugin_t");
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].type(0), static_cast<uint32_t>(RETORT_TYPE_TIMESTAMP));
  EXPECT_EQ(batches[0].i64(0, 0), ts);
  EXPECT_EQ(batches[0].type(1), static_cast<uint32_t>(RETORT_TYPE_DATE));
  EXPECT_EQ(batches[0].fixed<int32_t>(1, 0), 19675);
}

TEST_P(OdbcExecute, UniqueViolationIsIntegrityWithDiagnosticsAndTheFailingRow) {
  conn_.exec("CREATE TABLE odbc_plugin_t (id INTEGER PRIMARY KEY)");
  ParamBatch params(4);
  params.int64s({1, 2, 2, 3});
  ErrorBox error;
  EXPECT_EQ(conn_.try_exec("INSERT INTO odbc_plugin_t VALUES (?)", &params, error),
            RETORT_INTEGRITY)
      << error.message();
  EXPECT_EQ(error.sqlstate().substr(0, 2), "23") << error.sqlstate();
  EXPECT_TRUE(error.detail("diag.1").has_value()) << error.details();
  if (is("sqlite")) {
    // The driver's HY000 said as the native sqlite driver says it; the record stays.
    EXPECT_EQ(error.sqlstate(), "23505");
    EXPECT_NE(error.detail("diag.1").value_or("").find("HY000 19 "), std::string::npos)
        << error.details();
  }
  if (is("postgresql")) {
    EXPECT_EQ(error.sqlstate(), "23505");
    EXPECT_NE(error.message().find("duplicate key value violates unique constraint"),
              std::string::npos)
        << error.message();
  }
}

TEST_P(OdbcExecute, SyntaxErrorIsProgrammingClass) {
  ErrorBox error;
  EXPECT_EQ(conn_.try_exec("SELEC 1", nullptr, error), RETORT_SYNTAX) << error.message();
  if (!is("sqlite")) {
    EXPECT_EQ(error.sqlstate().substr(0, 2), "42") << error.sqlstate();
  }
}

TEST_P(OdbcExecute, RollbackUndoesAndCommitKeepsAndSavepointsNest) {
  conn_.exec("CREATE TABLE odbc_plugin_t (id INTEGER)");
  ErrorBox e;
  ASSERT_EQ(conn_.call(driver().begin, e), RETORT_OK) << e.message();
  EXPECT_EQ(conn_.call(driver().begin, e), RETORT_INVALID_STATE);
  e.reset();
  conn_.exec("INSERT INTO odbc_plugin_t VALUES (1)");
  ASSERT_EQ(conn_.call(driver().savepoint, "sp1", e), RETORT_OK) << e.message();
  conn_.exec("INSERT INTO odbc_plugin_t VALUES (2)");
  ASSERT_EQ(conn_.call(driver().rollback_to_savepoint, "sp1", e), RETORT_OK) << e.message();
  ASSERT_EQ(conn_.call(driver().commit, e), RETORT_OK) << e.message();
  EXPECT_EQ(conn_.scalar("SELECT COUNT(*) FROM odbc_plugin_t"), 1);
  ASSERT_EQ(conn_.call(driver().begin, e), RETORT_OK);
  conn_.exec("INSERT INTO odbc_plugin_t VALUES (3)");
  ASSERT_EQ(conn_.call(driver().rollback, e), RETORT_OK);
  EXPECT_EQ(conn_.scalar("SELECT COUNT(*) FROM odbc_plugin_t"), 1);
  EXPECT_EQ(conn_.call(driver().commit, e), RETORT_INVALID_STATE);
}

TEST_P(OdbcExecute, CancelFromAnotherThreadStopsARunningQuery) {
  std::string sql;
  if (is("postgresql")) {
    sql = "SELECT pg_sleep(30)";
  } else if (is("mariadb")) {
    sql = "SELECT SLEEP(30)";
  } else {
    sql = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT COUNT(*) FROM r";
  }
  Stmt s = conn_.prepare(sql);
  ASSERT_TRUE(s);
  std::atomic<bool> done{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    while (!done) {
      ErrorBox e;
      driver().cancel(conn_.get(), e.get());
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  const auto start = std::chrono::steady_clock::now();
  retort_exec_info info{};
  ErrorBox error;
  retort_status st = s.execute(nullptr, info, error);
  if (st == RETORT_OK) {
    Batch b;
    st = s.fetch(10, b, error);
  }
  done = true;
  canceller.join();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (is("mariadb") && st == RETORT_OK) {
    // SLEEP() interrupted by KILL QUERY returns 1 instead of failing.
    SUCCEED();
  } else {
    EXPECT_EQ(st, RETORT_CANCELLED) << error.sqlstate() << " " << error.message();
  }
  EXPECT_LT(elapsed, std::chrono::seconds(20));
}

TEST_P(OdbcExecute, PingAndServerVersionWork) {
  ErrorBox e;
  EXPECT_EQ(conn_.call(driver().ping, e), RETORT_OK) << e.message();
}

INSTANTIATE_TEST_SUITE_P(Backends, OdbcExecute, ::testing::Values(kPostgresql, kMariadb, kSqlite),
                         [](const auto& info) { return info.param.name; });

TEST(OdbcExecuteOdbcConnect, FullConnectionStringIsPassedThrough) {
  RETORT_ODBC_REQUIRE(spec, kSqlite);
  const char* ini = std::getenv("ODBCINI");
  ASSERT_NE(ini, nullptr);
  ConnectSpec cs;
  cs.dialect = "sqlite";
  cs.query = {{"odbc_connect", "DSN=" + *spec.host + ";Timeout={5000};"}};
  Conn c = open(cs);
  ASSERT_TRUE(c);
  EXPECT_EQ(c.text("SELECT 'through; braces'"), "through; braces");
}

}  // namespace
}  // namespace retort::odbc::test
