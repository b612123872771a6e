// plugins/postgresql/tests/execute_test.cpp — execution: the statement cache, pipelined
// executemany, whole and streamed results.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace retort::postgresql::test {
namespace {

class PgExecute : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!server_url()) {
      GTEST_SKIP() << "no PostgreSQL server: set RETORT_TEST_POSTGRESQL_URL (e.g. run "
                      "eval \"$(scripts/pg-server.sh start)\")";
    }
    c_ = connect_server();
  }
  int64_t count(const std::string& table) { return c_.scalar("SELECT count(*) FROM " + table); }
  Conn c_;
};

TEST_F(PgExecute, RowsAffectedComesFromTheCommandTag) {
  ScratchTable t("aff", "id int PRIMARY KEY, v text");
  EXPECT_EQ(c_.exec("INSERT INTO " + t.name() + " SELECT g, 'x' FROM generate_series(1, 5) g")
                .rows_affected,
            5);
  EXPECT_EQ(c_.exec("UPDATE " + t.name() + " SET v = 'y' WHERE id > 2").rows_affected, 3);
  EXPECT_EQ(c_.exec("DELETE FROM " + t.name() + " WHERE id = 1").rows_affected, 1);
  retort_exec_info ddl = c_.exec("CREATE TEMP TABLE ddl_probe (x int)");
  EXPECT_EQ(ddl.rows_affected, -1);
  EXPECT_EQ(ddl.column_count, 0);
  retort_exec_info sel = c_.exec("SELECT id FROM " + t.name());
  EXPECT_EQ(sel.column_count, 1);
  EXPECT_EQ(sel.rows_affected, 4);
  EXPECT_EQ(sel.has_last_insert_id, 0);
}

TEST_F(PgExecute, ExecutemanyOfAThousandRowsRunsInOnePipeline) {
  ScratchTable t("many", "id int PRIMARY KEY, label text");
  std::vector<std::optional<int64_t>> ids;
  std::vector<std::optional<std::string>> labels;
  for (int i = 0; i < 1000; ++i) {
    ids.push_back(i);
    labels.push_back("row " + std::to_string(i));
  }
  ParamBatch p(1000);
  p.int64s(ids).strings(RETORT_TYPE_TEXT, labels);
  const retort_exec_info info = c_.exec("INSERT INTO " + t.name() + " VALUES ($1, $2)", &p);
  EXPECT_EQ(info.rows_affected, 1000);
  EXPECT_EQ(count(t.name()), 1000);
  EXPECT_EQ(c_.text("SELECT label FROM " + t.name() + " WHERE id = 734"), "row 734");
  // One round trip: the server saw one Sync for the whole batch, so outside a transaction
  // block all rows share one transaction id.
  EXPECT_EQ(c_.scalar("SELECT count(DISTINCT xmin::text) FROM " + t.name()), 1);
}

TEST_F(PgExecute, ExecutemanyErrorNamesTheRowAndAppliesNothing) {
  ScratchTable t("many_err", "id int PRIMARY KEY");
  std::vector<std::optional<int64_t>> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(i == 500 ? 3 : i);  // row 500 repeats id 3
  ParamBatch p(1000);
  p.int64s(ids);
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO " + t.name() + " VALUES ($1)", &p, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23505");
  EXPECT_EQ(error.detail("parameter_row"), "500") << error.details();
  EXPECT_EQ(error.detail("constraint_name"), t.name() + "_pkey");
  // One Sync: outside a transaction block the batch is atomic.
  EXPECT_EQ(count(t.name()), 0);
  // The connection is usable afterwards, and pipeline mode is over.
  EXPECT_EQ(c_.scalar("SELECT 1::int8"), 1);
}

TEST_F(PgExecute, ExecutemanyInsideATransactionLeavesItAborted) {
  ScratchTable t("many_tx", "id int PRIMARY KEY");
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  ParamBatch p(3);
  p.int64s({1, 2, 1});
  ASSERT_EQ(c_.try_exec("INSERT INTO " + t.name() + " VALUES ($1)", &p, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.detail("parameter_row"), "2");
  error.reset();
  ASSERT_EQ(c_.call(driver().rollback, error), RETORT_OK) << error.message();
  EXPECT_EQ(count(t.name()), 0);
}

TEST_F(PgExecute, LargeExecutemanyStreamsThroughFullSocketBuffers) {
  ScratchTable t("big_many", "id int PRIMARY KEY, payload text");
  constexpr int kRows = 20000;
  std::vector<std::optional<int64_t>> ids;
  std::vector<std::optional<std::string>> payloads;
  for (int i = 0; i < kRows; ++i) {
    ids.push_back(i);
    payloads.push_back(std::string(2000, static_cast<char>('a' + i % 26)));
  }
  ParamBatch p(kRows);
  p.int64s(ids).strings(RETORT_TYPE_TEXT, payloads);
  EXPECT_EQ(c_.exec("INSERT INTO " + t.name() + " VALUES ($1, $2)", &p).rows_affected, kRows);
  EXPECT_EQ(count(t.name()), kRows);
  EXPECT_EQ(c_.scalar("SELECT sum(length(payload))::int8 FROM " + t.name()), int64_t{kRows} * 2000);
}

TEST_F(PgExecute, StatementsReturningRowsRefuseSeveralParameterRows) {
  ParamBatch p(2);
  p.int64s({1, 2});
  ErrorBox error;
  EXPECT_EQ(c_.try_exec("SELECT $1::int8", &p, error), RETORT_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("at most one parameter row"), std::string::npos);
}

TEST_F(PgExecute, ParameterCountMismatchIsInvalidArgument) {
  ParamBatch p(1);
  p.int64s({1});
  ErrorBox error;
  EXPECT_EQ(c_.try_exec("SELECT $1::int8 + $2::int8", &p, error), RETORT_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("2 parameters"), std::string::npos) << error.message();
  // More values than placeholders is PostgreSQL's business: a parameter whose type is given
  // need not be referenced, and the server accepts it.
}

TEST_F(PgExecute, ZeroParameterRowsRunNothing) {
  ScratchTable t("zero", "id int");
  ParamBatch p(0);
  p.int64s({});
  EXPECT_EQ(c_.exec("INSERT INTO " + t.name() + " VALUES ($1)", &p).rows_affected, 0);
  EXPECT_EQ(count(t.name()), 0);
}

TEST_F(PgExecute, EmptyStatementSucceeds) {
  EXPECT_EQ(c_.exec("").column_count, 0);
}

TEST_F(PgExecute, SeveralStatementsInOneStringAreASyntaxError) {
  ErrorBox error;
  EXPECT_EQ(c_.try_exec("SELECT 1; SELECT 2", nullptr, error), RETORT_SYNTAX);
  EXPECT_EQ(error.sqlstate(), "42601");
}

TEST_F(PgExecute, PreparedStatementsAreCachedPerSqlAndParameterTypes) {
  auto named = [&] {
    return c_.scalar(
        "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'retort_s%' "
        "AND statement LIKE 'SELECT $1::text AS probe%'");
  };
  ParamBatch as_int(1), as_text(1);
  as_int.int64s({1});
  as_text.strings(RETORT_TYPE_TEXT, {"1"});
  for (int i = 0; i < 3; ++i) c_.query("SELECT $1::text AS probe", &as_int);
  EXPECT_EQ(named(), 1);
  c_.query("SELECT $1::text AS probe", &as_text);
  EXPECT_EQ(named(), 2);
}

TEST_F(PgExecute, DeclaredIntegerParametersTravelAsInt4OrInt2WhenTheyFit) {
  ParamBatch p(1);
  p.int64s({7}).flags(RETORT_COLUMN_DECLARED_INT32);
  p.int64s({7}).flags(RETORT_COLUMN_DECLARED_INT16);
  p.int64s({5'000'000'000}).flags(RETORT_COLUMN_DECLARED_INT32);  // does not fit: int8
  p.int64s({40'000}).flags(RETORT_COLUMN_DECLARED_INT16);         // does not fit: int8
  p.int64s({7});                                                  // no hint: int8
  p.int64s({std::nullopt}).flags(RETORT_COLUMN_DECLARED_INT32);
  EXPECT_EQ(c_.text("SELECT concat_ws(',', pg_typeof($1), pg_typeof($2), pg_typeof($3), "
                    "pg_typeof($4), pg_typeof($5), pg_typeof($6), $1 + $2, $3, $4)",
                    &p),
            "integer,smallint,bigint,bigint,bigint,integer,14,5000000000,40000");
  // PostgreSQL has no substr(text, bigint, bigint): only the hint makes this resolve.
  ParamBatch s(1);
  s.int64s({2}).flags(RETORT_COLUMN_DECLARED_INT32);
  s.int64s({3}).flags(RETORT_COLUMN_DECLARED_INT32);
  EXPECT_EQ(c_.text("SELECT substr('retort', $1, $2)", &s), "eto");
  // One value out of range in an executemany batch widens the whole batch, not just the row.
  ScratchTable t("int_hint", "a bigint");
  ParamBatch many(3);
  many.int64s({1, -5'000'000'000, 3}).flags(RETORT_COLUMN_DECLARED_INT32);
  c_.exec("INSERT INTO " + t.name() + " VALUES ($1)", &many);
  EXPECT_EQ(c_.scalar("SELECT sum(a)::int8 FROM " + t.name()), -4'999'999'996);
}

TEST_F(PgExecute, CacheEvictionDeallocatesOnTheServer) {
  Conn c = connect_server({{"statement_cache_size", "2"}});
  for (int i = 0; i < 6; ++i) c.query("SELECT " + std::to_string(i) + " AS n");
  // Two cached statements (the counting query is one) plus the one just pushed out, whose
  // DEALLOCATE waits for the next moment the session is idle outside a transaction.
  for (int i = 0; i < 3; ++i) {
    EXPECT_LE(c.scalar("SELECT count(*) FROM pg_prepared_statements WHERE " + std::to_string(i) +
                       " >= 0"),
              3);
  }
  Conn uncached = connect_server({{"statement_cache_size", "0"}});
  for (int i = 0; i < 3; ++i) uncached.query("SELECT 1");
  EXPECT_EQ(uncached.scalar("SELECT count(*) FROM pg_prepared_statements"), 0);
}

TEST_F(PgExecute, StaleCachedStatementsAreReplacedOutsideTransactions) {
  ScratchTable t("stale", "a int");
  c_.exec("INSERT INTO " + t.name() + " VALUES (1)");
  const std::string select = "SELECT * FROM " + t.name();
  EXPECT_EQ(c_.query(select)[0].columns(), 1);
  connect_server().exec("ALTER TABLE " + t.name() + " ADD COLUMN b int DEFAULT 7");
  // "cached plan must not change result type": forgotten, prepared afresh, run again.
  auto batches = c_.query(select);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].columns(), 2);
  c_.exec("DEALLOCATE ALL");
  EXPECT_EQ(c_.query(select).size(), 1u);
}

TEST_F(PgExecute, WholeResultsAreServedInBatches) {
  Stmt s = c_.prepare("SELECT g::int8 FROM generate_series(1, 10000) g ORDER BY g");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
  int64_t expected = 1, batches = 0;
  for (const Batch& b : s.fetch_all(3000)) {
    ++batches;
    for (int64_t r = 0; r < b.rows(); ++r) ASSERT_EQ(b.i64(0, r), expected++);
  }
  EXPECT_EQ(expected, 10001);
  EXPECT_EQ(batches, 4);
}

TEST_F(PgExecute, StreamingFetchesTwoHundredThousandRowsInBatches) {
  Conn c = connect_server({{"stream_results", "true"}});
  Stmt s = c.prepare("SELECT g::int8, repeat('x', 20) FROM generate_series(1, 200000) g");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK) << error.message();
  EXPECT_EQ(info.column_count, 2);
  EXPECT_EQ(info.rows_affected, -1);
  int64_t expected = 1, batches = 0;
  for (;;) {
    Batch b;
    ASSERT_EQ(s.fetch(10000, b, error), RETORT_OK) << error.message();
    if (b.rows() == 0) break;
    ++batches;
    EXPECT_LE(b.rows(), 10000);
    for (int64_t r = 0; r < b.rows(); ++r) ASSERT_EQ(b.i64(0, r), expected++);
  }
  EXPECT_EQ(expected, 200001);
  EXPECT_EQ(batches, 20);
}

TEST_F(PgExecute, StreamingDeliversRowsBeforeALateErrorThenTheError) {
  const std::string sql =
      "SELECT (g + 1 / (g - 150000) * 0)::int8 FROM generate_series(1, 200000) g";
  ErrorBox error;
  // Whole results: the error comes from execute.
  EXPECT_EQ(c_.try_exec(sql, nullptr, error), RETORT_INVALID_DATA);
  // Streamed: rows first — proof that rows arrive before the query has finished.
  Conn c = connect_server({{"stream_results", "1"}});
  Stmt s = c.prepare(sql);
  retort_exec_info info{};
  error.reset();
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK) << error.message();
  int64_t rows = 0;
  retort_status st = RETORT_OK;
  for (;;) {
    Batch b;
    error.reset();
    st = s.fetch(7000, b, error);
    if (st != RETORT_OK || b.rows() == 0) break;
    rows += b.rows();
  }
  EXPECT_EQ(rows, 149999);
  EXPECT_EQ(st, RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22012");
  EXPECT_EQ(c.scalar("SELECT 2::int8"), 2);
}

TEST_F(PgExecute, AnotherCommandDuringAStreamKeepsBothResultsWhole) {
  Conn c = connect_server({{"stream_results", "true"}});
  Stmt s = c.prepare("SELECT g::int8 FROM generate_series(1, 5000) g");
  retort_exec_info info{};
  ErrorBox error;
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
  Batch first;
  ASSERT_EQ(s.fetch(100, first, error), RETORT_OK);
  ASSERT_EQ(first.rows(), 100);
  // The session is busy with the stream; this reads the rest of it into memory first.
  EXPECT_EQ(c.scalar("SELECT 99::int8"), 99);
  ASSERT_EQ(driver().begin(c.get(), error.get()), RETORT_OK) << error.message();
  int64_t expected = 101;
  for (const Batch& b : s.fetch_all(1000)) {
    for (int64_t r = 0; r < b.rows(); ++r) ASSERT_EQ(b.i64(0, r), expected++);
  }
  EXPECT_EQ(expected, 5001);
  ASSERT_EQ(driver().rollback(c.get(), error.get()), RETORT_OK);
}

TEST_F(PgExecute, ReleasingAStatementMidStreamLeavesTheSessionUsable) {
  Conn c = connect_server({{"stream_results", "true"}});
  {
    Stmt s = c.prepare("SELECT g FROM generate_series(1, 50000) g");
    retort_exec_info info{};
    ErrorBox error;
    ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
    Batch b;
    ASSERT_EQ(s.fetch(10, b, error), RETORT_OK);
    // Executing again discards the rest of the first run.
    ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
    Batch again;
    ASSERT_EQ(s.fetch(3, again, error), RETORT_OK);
    EXPECT_EQ(again.i64(0, 0), 1);
  }
  EXPECT_EQ(c.scalar("SELECT 3::int8"), 3);
}

TEST_F(PgExecute, StreamResultsOptionInATransactionFetchesFromACursorInBoundedChunks) {
  ErrorBox error;
  ASSERT_EQ(driver().begin(c_.get(), error.get()), RETORT_OK) << error.message();
  Stmt s = c_.prepare("SELECT g::int8, repeat('y', 10) FROM generate_series(1, 100000) g");
  retort_statement_options options{};
  options.struct_size = sizeof options;
  options.stream_results = 1;
  options.max_row_buffer = 300;
  ASSERT_NE(driver().statement_set_options, nullptr);
  ASSERT_EQ(driver().statement_set_options(s.get(), &options, error.get()), RETORT_OK);
  retort_exec_info info{};
  ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK) << error.message();
  EXPECT_EQ(info.rows_affected, -1);
  int64_t expected = 1;
  for (;;) {
    Batch b;
    ASSERT_EQ(s.fetch(10000, b, error), RETORT_OK) << error.message();
    if (b.rows() == 0) break;
    ASSERT_LE(b.rows(), 300);  // never more than one FETCH's worth in memory
    for (int64_t r = 0; r < b.rows(); ++r) ASSERT_EQ(b.i64(0, r), expected++);
    if (expected == 301) {
      // The session is free between fetches: the cursor is a server-side object.
      EXPECT_EQ(c_.scalar("SELECT count(*) FROM pg_cursors WHERE name LIKE 'retort_c%'"), 1);
    }
  }
  EXPECT_EQ(expected, 100001);
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM pg_cursors WHERE name LIKE 'retort_c%'"),
            0);  // closed when exhausted
  ASSERT_EQ(driver().rollback(c_.get(), error.get()), RETORT_OK);
}

TEST_F(PgExecute, ReleasingAStreamingCursorStatementClosesTheCursor) {
  ErrorBox error;
  ASSERT_EQ(driver().begin(c_.get(), error.get()), RETORT_OK) << error.message();
  {
    Stmt s = c_.prepare("SELECT g::int8 FROM generate_series(1, 10000) g WHERE g > $1");
    retort_statement_options options{};
    options.struct_size = sizeof options;
    options.stream_results = 1;
    ASSERT_EQ(driver().statement_set_options(s.get(), &options, error.get()), RETORT_OK);
    ParamBatch params(1);
    params.int64s({5000});
    retort_exec_info info{};
    ASSERT_EQ(s.execute(&params, info, error), RETORT_OK) << error.message();
    Batch b;
    ASSERT_EQ(s.fetch(10, b, error), RETORT_OK);
    EXPECT_EQ(b.i64(0, 0), 5001);
    EXPECT_EQ(c_.scalar("SELECT count(*) FROM pg_cursors WHERE name LIKE 'retort_c%'"), 1);
  }
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM pg_cursors WHERE name LIKE 'retort_c%'"), 0);
  ASSERT_EQ(driver().commit(c_.get(), error.get()), RETORT_OK) << error.message();
}

// libpq before 17 would drop the connection on the ParameterDescription of these.
TEST_F(PgExecute, TwentyThousandParametersWork) {
  constexpr int kParams = 20000;
  std::string list;
  std::vector<std::optional<int64_t>> values;
  for (int i = 1; i <= kParams; ++i) {
    list += (i > 1 ? ",$" : "$") + std::to_string(i);
    values.emplace_back(i);
  }
  ErrorBox error;
  {
    Stmt s = c_.prepare("SELECT sum(x)::int8, count(*)::int8 FROM unnest(ARRAY[" + list +
                        "]::int8[]) x");
    ParamBatch params(1);
    for (int i = 0; i < kParams; ++i) params.int64s({values[static_cast<size_t>(i)]});
    for (int run = 0; run < 2; ++run) {  // the second run finds it in the cache
      retort_exec_info info{};
      ASSERT_EQ(s.execute(&params, info, error), RETORT_OK) << error.message();
      ASSERT_EQ(info.column_count, 2);
      retort_column_desc desc{};
      desc.struct_size = sizeof desc;
      ASSERT_EQ(s.describe(0, desc, error), RETORT_OK);
      EXPECT_EQ(desc.type, static_cast<uint32_t>(RETORT_TYPE_INT64));
      Batch b;
      ASSERT_EQ(s.fetch(10, b, error), RETORT_OK) << error.message();
      ASSERT_EQ(b.rows(), 1);
      EXPECT_EQ(b.i64(0, 0), int64_t{kParams} * (kParams + 1) / 2);
      EXPECT_EQ(b.i64(1, 0), kParams);
    }
  }
  // A command with as many parameters, once and pipelined twice.
  ScratchTable t("manyparams", "x int8");
  std::string insert = "INSERT INTO " + t.name() + " (x) VALUES ";
  for (int i = 1; i <= kParams; ++i) insert += (i > 1 ? ",($" : "($") + std::to_string(i) + ")";
  Stmt s = c_.prepare(insert);
  ParamBatch rows(2);
  for (int i = 0; i < kParams; ++i) rows.int64s({values[static_cast<size_t>(i)], int64_t{-1}});
  retort_exec_info info{};
  ASSERT_EQ(s.execute(&rows, info, error), RETORT_OK) << error.message();
  EXPECT_EQ(info.rows_affected, 2 * kParams);
  EXPECT_EQ(c_.scalar("SELECT sum(x)::int8 FROM " + t.name()),
            int64_t{kParams} * (kParams + 1) / 2 - kParams);
  EXPECT_EQ(c_.scalar("SELECT 1::int8"), 1);  // the session survived
}

TEST_F(PgExecute, BatchesOutliveTheirStatement) {
  Batch b;
  {
    Stmt s = c_.prepare("SELECT 'kept'::text");
    retort_exec_info info{};
    ErrorBox error;
    ASSERT_EQ(s.execute(nullptr, info, error), RETORT_OK);
    ASSERT_EQ(s.fetch(10, b, error), RETORT_OK);
  }
  EXPECT_EQ(b.str(0, 0), "kept");
}

TEST_F(PgExecute, CopyFromStdinIsNotImplementedAndTheSessionSurvives) {
  ScratchTable t("copy", "id int");
  ErrorBox error;
  EXPECT_EQ(c_.try_exec("COPY " + t.name() + " FROM STDIN", nullptr, error),
            RETORT_NOT_IMPLEMENTED);
  EXPECT_EQ(c_.scalar("SELECT 4::int8"), 4);
  error.reset();
  EXPECT_EQ(c_.try_exec("COPY " + t.name() + " TO STDOUT", nullptr, error), RETORT_NOT_IMPLEMENTED);
  EXPECT_EQ(c_.scalar("SELECT 5::int8"), 5);
}

}  // namespace
}  // namespace retort::postgresql::test
