// Execution options (issues 4 and 7): isolation levels, AUTOCOMMIT, READ ONLY / DEFERRABLE and
// stream_results, on SQLite and, when RETORT_TEST_POSTGRESQL_URL is set, on PostgreSQL.
#include "support/backend_url.hpp"

#include <retort/engine.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace retort;

std::string url_for(const std::string& backend) {
  return retort::testing::backend_url(backend, "execopts");
}

std::string one_text(Connection& conn, const std::string& sql) {
  return conn.execute(text(sql)).scalar_one<std::string>();
}

class ExecutionOptionsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = url_for(GetParam());
    if (url_.empty()) GTEST_SKIP() << retort::testing::backend_env(GetParam()) << " is not set";
    engine_.emplace(create_engine(url_));
    auto conn = engine_->connect();
    conn.execute(text("DROP TABLE IF EXISTS xo_items"));
    conn.execute(text("CREATE TABLE xo_items (id INTEGER PRIMARY KEY, v INTEGER)"));
    conn.commit();
  }
  void TearDown() override {
    if (!engine_) return;
    auto conn = engine_->connect();
    conn.execute(text("DROP TABLE IF EXISTS xo_items"));
    conn.commit();
  }
  bool pg() const { return GetParam() == "postgresql"; }
  bool sqlite() const { return GetParam() == "sqlite"; }
  int64_t count(Connection& conn) {
    return conn.execute(text("SELECT count(*) FROM xo_items")).scalar_one<int64_t>();
  }

  std::string url_;
  std::optional<Engine> engine_;
};

TEST_P(ExecutionOptionsTest, UnknownIsolationLevelIsArgumentErrorListingTheDialectsLevels) {
  auto conn = engine_->connect();
  try {
    conn.execution_options({.isolation_level = "SNAPSHOT"});
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Invalid value 'SNAPSHOT' for isolation_level"), std::string::npos) << what;
    EXPECT_NE(what.find("SERIALIZABLE"), std::string::npos) << what;
    EXPECT_NE(what.find("AUTOCOMMIT"), std::string::npos) << what;
    EXPECT_EQ(what.find("REPEATABLE READ") != std::string::npos, !sqlite()) << what;
  }
  EXPECT_FALSE(conn.get_execution_options().isolation_level.has_value());
  EXPECT_THROW(create_engine(url_, {.isolation_level = "CHAOS"}), ArgumentError);
}

TEST_P(ExecutionOptionsTest, LevelNamesIgnoreCaseAndUnderscores) {
  auto conn = engine_->connect();
  conn.execution_options({.isolation_level = "read_uncommitted"});
  EXPECT_EQ(conn.get_execution_options().isolation_level, "READ UNCOMMITTED");
}

TEST_P(ExecutionOptionsTest, AutocommitCommitsEachStatementWithoutCommit) {
  auto writer = engine_->connect();
  writer.execution_options({.isolation_level = "AUTOCOMMIT"});
  writer.execute(text("INSERT INTO xo_items (id, v) VALUES (1, 10)"));
  auto reader = engine_->connect();
  EXPECT_EQ(count(reader), 1);  // visible before any commit()
  reader.rollback();
  writer.rollback();  // does nothing: the row is committed
  EXPECT_EQ(count(reader), 1);
  reader.rollback();
  // An explicit begin() under AUTOCOMMIT begins nothing on the server either.
  {
    auto tx = writer.begin();
    writer.execute(text("INSERT INTO xo_items (id, v) VALUES (2, 20)"));
    tx.rollback();
  }
  EXPECT_EQ(count(reader), 2);
}

TEST_P(ExecutionOptionsTest, ChangingTheLevelInsideATransactionIsInvalidRequest) {
  auto conn = engine_->connect();
  count(conn);  // autobegins
  EXPECT_THROW(conn.execution_options({.isolation_level = "SERIALIZABLE"}), InvalidRequestError);
  conn.commit();
  conn.execution_options({.isolation_level = "SERIALIZABLE"});
  // Options that do not touch transactions may change at any time.
  count(conn);
  conn.execution_options({.stream_results = true});
  EXPECT_EQ(conn.get_execution_options().isolation_level, "SERIALIZABLE");
}

TEST_P(ExecutionOptionsTest, TransactionOptionsAreRefusedForOneExecution) {
  auto conn = engine_->connect();
  EXPECT_THROW(conn.execute(text("SELECT 1"), {}, {.isolation_level = "SERIALIZABLE"}),
               ArgumentError);
  EXPECT_THROW(conn.execute(text("SELECT 1"), {}, {.yield_per = 0}), ArgumentError);
  EXPECT_THROW(conn.execution_options({.max_row_buffer = -5}), ArgumentError);
}

TEST_P(ExecutionOptionsTest, SqliteReadUncommittedIsThePragmaForThatTransactionOnly) {
  if (!sqlite()) GTEST_SKIP() << "SQLite only";
  auto conn = engine_->connect();
  conn.execution_options({.isolation_level = "READ UNCOMMITTED"});
  EXPECT_EQ(conn.execute(text("PRAGMA read_uncommitted")).scalar_one<int64_t>(), 1);
  conn.commit();
  conn.execution_options({.isolation_level = "SERIALIZABLE"});
  EXPECT_EQ(conn.execute(text("PRAGMA read_uncommitted")).scalar_one<int64_t>(), 0);
  conn.commit();
}

TEST_P(ExecutionOptionsTest, SqliteHasNoReadOnlyTransactions) {
  if (!sqlite()) GTEST_SKIP() << "SQLite only";
  auto conn = engine_->connect();
  try {
    conn.execution_options({.postgresql_readonly = true});
    FAIL() << "expected NotSupportedError";
  } catch (const NotSupportedError& e) {
    EXPECT_NE(std::string(e.what()).find("'sqlite' dialect has no READ ONLY"), std::string::npos)
        << e.what();
  }
}

TEST_P(ExecutionOptionsTest, StreamedResultsReturnEveryRowInChunks) {
  auto conn = engine_->connect();
  std::vector<Params> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back({{"id", i}, {"v", i * 2}});
  conn.execute(text("INSERT INTO xo_items (id, v) VALUES (:id, :v)"), rows);
  conn.commit();
  Result result =
      conn.execute(text("SELECT id, v FROM xo_items ORDER BY id"), {}, {.yield_per = 100});
  int64_t expected = 0;
  for (const Row& row : result) {
    ASSERT_EQ(row.get<int64_t>(0), expected);
    ASSERT_EQ(row.get<int64_t>(1), expected * 2);
    ++expected;
  }
  EXPECT_EQ(expected, 5000);
}

TEST_P(ExecutionOptionsTest, StatementsInterleaveWithAStreamingResult) {
  RETORT_SKIP_THROUGH_ODBC(pg(), retort::testing::odbc_limits::kNoServerCursors);
  auto conn = engine_->connect();
  conn.execution_options({.stream_results = true, .max_row_buffer = 50});
  std::vector<Params> rows;
  for (int i = 0; i < 500; ++i) rows.push_back({{"id", i}, {"v", i}});
  conn.execute(text("INSERT INTO xo_items (id, v) VALUES (:id, :v)"), rows);
  Result result = conn.execute(text("SELECT id FROM xo_items ORDER BY id"));
  int64_t seen = 0;
  for (const Row& row : result) {
    if (seen % 100 == 0) {
      // Another statement on the same connection while the result is open.
      conn.execute(text("UPDATE xo_items SET v = v + 1 WHERE id = :id"),
                   {{"id", row.get<int64_t>(0)}});
      if (pg()) {
        // Not streamed itself (an execution's option overrides the connection's), so the
        // only cursor is the open result's.
        EXPECT_EQ(conn.execute(text("SELECT count(*) FROM pg_cursors WHERE name LIKE 'retort_c%'"),
                               {}, {.stream_results = false})
                      .scalar_one<int64_t>(),
                  1);
      }
    }
    ++seen;
  }
  EXPECT_EQ(seen, 500);
  conn.commit();
  EXPECT_EQ(conn.execute(text("SELECT sum(v) FROM xo_items")).scalar_one<int64_t>(),
            499 * 500 / 2 + 5);
  if (pg()) {
    // Exhausted: the cursor was closed.
    EXPECT_EQ(conn.execute(text("SELECT count(*) FROM pg_cursors WHERE name LIKE 'retort_c%'"), {},
                           {.stream_results = false})
                  .scalar_one<int64_t>(),
              0);
  }
}

TEST_P(ExecutionOptionsTest, ReadUncommittedSeesAnotherConnectionsUncommittedRow) {
  if (pg()) GTEST_SKIP() << "PostgreSQL reads only committed rows at every level";
  if (sqlite()) GTEST_SKIP() << "SQLite's read_uncommitted acts only in shared-cache mode";
  auto writer = engine_->connect();
  writer.execute(text("INSERT INTO xo_items (id, v) VALUES (1, 10)"));  // not committed
  auto reader = engine_->connect();
  reader.execution_options({.isolation_level = "READ UNCOMMITTED"});
  EXPECT_EQ(count(reader), 1);
  reader.rollback();
  reader.execution_options({.isolation_level = "REPEATABLE READ"});
  EXPECT_EQ(count(reader), 0);
  reader.rollback();
  writer.rollback();
}

TEST_P(ExecutionOptionsTest, ReadOnlyTransactionRejectsAWrite) {
  if (sqlite()) GTEST_SKIP() << "SQLite has no READ ONLY transactions";
  auto conn = engine_->connect();
  conn.execution_options({.postgresql_readonly = true});
  EXPECT_EQ(count(conn), 0);  // reading is fine
  try {
    conn.execute(text("INSERT INTO xo_items (id, v) VALUES (1, 10)"));
    FAIL() << "expected the write to be refused";
  } catch (const DBAPIError& e) {
    EXPECT_EQ(e.sqlstate(), "25006") << e.what();
    // The server's verdict, classed as the Python drivers class it (psycopg2: InternalError,
    // PyMySQL: OperationalError) — not InterfaceError, which means a misuse of the client.
    // Through ODBC only the SQLSTATE is known: InternalError, as for PostgreSQL.
    if (pg() || retort::testing::through_odbc()) {
      EXPECT_NE(dynamic_cast<const InternalError*>(&e), nullptr) << e.what();
    } else {
      EXPECT_NE(dynamic_cast<const OperationalError*>(&e), nullptr) << e.what();
    }
  }
  conn.rollback();
}

INSTANTIATE_TEST_SUITE_P(Backends, ExecutionOptionsTest,
                         ::testing::Values("sqlite", "postgresql", "mariadb"),
                         [](const auto& info) { return info.param; });
// The same backends through the odbc driver (support/backend_url.hpp).
INSTANTIATE_TEST_SUITE_P(Odbc, ExecutionOptionsTest, ::testing::Values("sqlite", "postgresql", "mariadb"),
                         [](const auto& info) { return info.param; });

// --- PostgreSQL only --------------------------------------------------------------------------

class PgExecutionOptions : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = url_for("postgresql");
    if (url_.empty()) GTEST_SKIP() << "RETORT_TEST_POSTGRESQL_URL is not set";
    engine_.emplace(create_engine(url_));
    auto conn = engine_->connect();
    conn.execute(text("DROP TABLE IF EXISTS xo_pg_accounts"));
    conn.execute(text("CREATE TABLE xo_pg_accounts (id INTEGER PRIMARY KEY, balance INTEGER)"));
    conn.execute(text("INSERT INTO xo_pg_accounts VALUES (1, 100), (2, 100)"));
    conn.commit();
  }
  void TearDown() override {
    if (!engine_) return;
    auto conn = engine_->connect();
    conn.execute(text("DROP TABLE IF EXISTS xo_pg_accounts"));
    conn.commit();
  }
  std::string url_;
  std::optional<Engine> engine_;
};

TEST_F(PgExecutionOptions, EachIsolationLevelIsInEffect) {
  auto conn = engine_->connect();
  for (const char* level :
       {"READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"}) {
    conn.execution_options({.isolation_level = level});
    std::string expected = level;
    for (char& c : expected) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(one_text(conn, "SHOW transaction_isolation"), expected);
    conn.rollback();
  }
}

TEST_F(PgExecutionOptions, EngineLevelAppliesToEveryConnectionAndCloseResetsTheConnections) {
  auto engine = create_engine(url_, {.isolation_level = "repeatable read"});
  {
    auto conn = engine.connect();
    EXPECT_EQ(one_text(conn, "SHOW transaction_isolation"), "repeatable read");
    conn.rollback();
    conn.execution_options({.isolation_level = "SERIALIZABLE"});
    EXPECT_EQ(one_text(conn, "SHOW transaction_isolation"), "serializable");
  }
  auto again = engine.connect();
  EXPECT_EQ(again.get_execution_options().isolation_level, "REPEATABLE READ");
  EXPECT_EQ(one_text(again, "SHOW transaction_isolation"), "repeatable read");
}

TEST_F(PgExecutionOptions, SerializableConflictRaisesASerializationFailure) {
  auto a = engine_->connect();
  auto b = engine_->connect();
  a.execution_options({.isolation_level = "SERIALIZABLE"});
  b.execution_options({.isolation_level = "SERIALIZABLE"});
  // Write skew: each reads both rows, then moves money out of a different one.
  EXPECT_EQ(a.execute(text("SELECT sum(balance) FROM xo_pg_accounts")).scalar_one<int64_t>(), 200);
  EXPECT_EQ(b.execute(text("SELECT sum(balance) FROM xo_pg_accounts")).scalar_one<int64_t>(), 200);
  a.execute(text("UPDATE xo_pg_accounts SET balance = balance - 150 WHERE id = 1"));
  b.execute(text("UPDATE xo_pg_accounts SET balance = balance - 150 WHERE id = 2"));
  a.commit();
  try {
    b.commit();
    FAIL() << "expected a serialization failure";
  } catch (const OperationalError& e) {
    EXPECT_EQ(e.sqlstate(), "40001") << e.what();
    EXPECT_EQ(e.detail("retort.kind"), "serialization_failure");
    EXPECT_FALSE(e.connection_invalidated());
  }
  // The connection goes on.
  EXPECT_EQ(b.execute(text("SELECT sum(balance) FROM xo_pg_accounts")).scalar_one<int64_t>(), 50);
}

TEST_F(PgExecutionOptions, ReadOnlyRejectsAWrite) {
  auto conn = engine_->connect();
  conn.execution_options({.postgresql_readonly = true});
  EXPECT_EQ(one_text(conn, "SHOW transaction_read_only"), "on");
  try {
    conn.execute(text("UPDATE xo_pg_accounts SET balance = 0"));
    FAIL() << "expected an error";
  } catch (const DBAPIError& e) {
    EXPECT_EQ(e.sqlstate(), "25006") << e.what();
  }
  conn.rollback();
  conn.execution_options({.postgresql_readonly = false});
  conn.execute(text("UPDATE xo_pg_accounts SET balance = 0 WHERE id = 1"));
  conn.rollback();
}

TEST_F(PgExecutionOptions, SerializableReadOnlyDeferrable) {
  auto conn = engine_->connect();
  conn.execution_options({.isolation_level = "SERIALIZABLE",
                          .postgresql_readonly = true,
                          .postgresql_deferrable = true});
  EXPECT_EQ(one_text(conn, "SHOW transaction_isolation"), "serializable");
  EXPECT_EQ(one_text(conn, "SHOW transaction_read_only"), "on");
  EXPECT_EQ(one_text(conn, "SHOW transaction_deferrable"), "on");
  conn.rollback();
  EXPECT_THROW(conn.execution_options({.isolation_level = "AUTOCOMMIT"}), ArgumentError);
}

TEST_F(PgExecutionOptions, AutocommitStreamsInSingleRowMode) {
  auto conn = engine_->connect();
  conn.execution_options({.isolation_level = "AUTOCOMMIT", .stream_results = true});
  int64_t sum = 0;
  for (const Row& row : conn.execute(text("SELECT g FROM generate_series(1, 20000) g")))
    sum += row.get<int64_t>(0);
  EXPECT_EQ(sum, int64_t{20000} * 20001 / 2);
  EXPECT_EQ(one_text(conn, "SHOW transaction_isolation"), "read committed");
}

TEST_F(PgExecutionOptions, StreamingConnectionsRunDmlReturningAndWithQueriesToo) {
  auto conn = engine_->connect();
  conn.execution_options({.stream_results = true});
  EXPECT_EQ(conn.execute(text("UPDATE xo_pg_accounts SET balance = balance + 1 WHERE id = 1 "
                              "RETURNING balance"))
                .scalar_one<int64_t>(),
            101);
  EXPECT_EQ(conn.execute(text("WITH t AS (SELECT g FROM generate_series(1, 1000) g) "
                              "SELECT sum(g)::int8 FROM t"))
                .scalar_one<int64_t>(),
            500500);
  EXPECT_EQ(one_text(conn, "SHOW transaction_isolation"), "read committed");
  conn.rollback();
}

TEST_F(PgExecutionOptions, FetchingAStreamAfterCommitFailsClearly) {
  auto conn = engine_->connect();
  Result r = conn.execute(text("SELECT g FROM generate_series(1, 10000) g"), {}, {.yield_per = 10});
  EXPECT_EQ(r.fetchmany(10).size(), 10u);
  conn.commit();  // the cursor dies with its transaction
  try {
    for (const Row& row : r) (void)row;
    FAIL() << "expected an error";
  } catch (const DBAPIError& e) {
    EXPECT_EQ(e.sqlstate(), "34000") << e.what();
  }
  conn.rollback();
  EXPECT_EQ(conn.execute(text("SELECT 1")).scalar_one<int64_t>(), 1);
}

// Schemas: search_path through the URL's `options` key (percent-encoded) and through a
// connect option, and schema-qualified tables of the expression language.
TEST_F(PgExecutionOptions, SearchPathFromTheUrlAndSchemaQualifiedTables) {
  {
    auto conn = engine_->connect();
    conn.execute(text("DROP SCHEMA IF EXISTS xo_sp CASCADE"));
    conn.execute(text("CREATE SCHEMA xo_sp"));
    conn.execute(text("CREATE TABLE xo_sp.xo_sp_items (id INTEGER PRIMARY KEY, name TEXT)"));
    conn.execute(text("INSERT INTO xo_sp.xo_sp_items VALUES (1, 'in schema')"));
    conn.commit();
  }
  const std::string sep = url_.find('?') == std::string::npos ? "?" : "&";
  auto by_url = create_engine(url_ + sep + "options=-csearch_path%3Dxo_sp");
  {
    auto conn = by_url.connect();
    EXPECT_EQ(one_text(conn, "SHOW search_path"), "xo_sp");
    EXPECT_EQ(one_text(conn, "SELECT name FROM xo_sp_items"), "in schema");
  }
  auto by_option =
      create_engine(url_, {.connect_args = {{"options", "-c search_path=xo_sp,public"}}});
  {
    auto conn = by_option.connect();
    EXPECT_EQ(one_text(conn, "SHOW search_path"), "xo_sp,public");
    EXPECT_EQ(one_text(conn, "SELECT name FROM xo_sp_items"), "in schema");
  }
  // A Table with a schema is qualified in every statement, whatever the search_path.
  MetaData metadata;
  Table items("xo_sp_items", metadata,
              {Column("id", Integer(), {.primary_key = true}), Column("name", Text())},
              {.schema = "xo_sp"});
  Table more("xo_sp_more", metadata, {Column("id", Integer(), {.primary_key = true})},
             {.schema = "xo_sp"});
  auto conn = engine_->connect();
  EXPECT_EQ(one_text(conn, "SHOW search_path"), "\"$user\", public");
  conn.execute(CreateTable(more));
  conn.execute(insert(items), {{"id", 2}, {"name", "qualified"}});
  conn.execute(insert(more), {{"id", 7}});
  EXPECT_EQ(
      conn.execute(select(items.c["name"]).where(items.c["id"] == 2)).scalar_one<std::string>(),
      "qualified");
  EXPECT_EQ(conn.execute(select(more.c["id"])).scalar_one<int64_t>(), 7);
  conn.execute(text("DROP SCHEMA xo_sp CASCADE"));
  conn.commit();
}

}  // namespace
