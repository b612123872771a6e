// plugins/sqlite/tests/transaction_test.cpp — transactions, savepoints and cancellation.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace retort::sqlite::test {
namespace {

class SqliteTransactions : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("tx.db");
    c_ = connect({path_});
    c_.exec("CREATE TABLE t(x INTEGER)");
  }
  int64_t count() { return c_.scalar("SELECT count(*) FROM t"); }
  TempDir dir_;
  std::string path_;
  Conn c_;
};

TEST_F(SqliteTransactions, CommitMakesChangesVisibleToOtherConnections) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK) << error.message();
  c_.exec("INSERT INTO t VALUES (1)");
  Conn other = connect({path_});
  EXPECT_EQ(other.scalar("SELECT count(*) FROM t"), 0);
  ASSERT_EQ(c_.call(driver().commit, error), RETORT_OK) << error.message();
  EXPECT_EQ(other.scalar("SELECT count(*) FROM t"), 1);
}

TEST_F(SqliteTransactions, RollbackDiscardsChanges) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  c_.exec("INSERT INTO t VALUES (1)");
  ASSERT_EQ(c_.call(driver().rollback, error), RETORT_OK);
  EXPECT_EQ(count(), 0);
}

TEST_F(SqliteTransactions, DdlIsTransactional) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  c_.exec("CREATE TABLE u(y)");
  ASSERT_EQ(c_.call(driver().rollback, error), RETORT_OK);
  ErrorBox gone;
  EXPECT_EQ(c_.try_exec("SELECT * FROM u", nullptr, gone), RETORT_SYNTAX);
}

TEST_F(SqliteTransactions, CommitWithoutTransactionIsInvalidState) {
  ErrorBox error;
  EXPECT_EQ(c_.call(driver().commit, error), RETORT_INVALID_STATE);
  EXPECT_EQ(error.sqlstate(), "25000");
}

TEST_F(SqliteTransactions, RollbackWithoutTransactionDoesNothing) {
  ErrorBox error;
  EXPECT_EQ(c_.call(driver().rollback, error), RETORT_OK) << error.message();
}

TEST_F(SqliteTransactions, BeginInsideATransactionIsInvalidState) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  ErrorBox again;
  EXPECT_EQ(c_.call(driver().begin, again), RETORT_INVALID_STATE);
}

TEST_F(SqliteTransactions, SavepointRollbackUndoesOnlyTheInnerWork) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  c_.exec("INSERT INTO t VALUES (1)");
  ASSERT_EQ(c_.call(driver().savepoint, "sa_1", error), RETORT_OK) << error.message();
  c_.exec("INSERT INTO t VALUES (2)");
  ASSERT_EQ(c_.call(driver().savepoint, "odd \"name\"", error), RETORT_OK) << error.message();
  c_.exec("INSERT INTO t VALUES (3)");
  ASSERT_EQ(c_.call(driver().release_savepoint, "odd \"name\"", error), RETORT_OK);
  ASSERT_EQ(c_.call(driver().rollback_to_savepoint, "sa_1", error), RETORT_OK);
  ASSERT_EQ(c_.call(driver().release_savepoint, "sa_1", error), RETORT_OK);
  ASSERT_EQ(c_.call(driver().commit, error), RETORT_OK) << error.message();
  EXPECT_EQ(count(), 1);
}

TEST_F(SqliteTransactions, UnknownSavepointIsInvalidState) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  ErrorBox unknown;
  EXPECT_EQ(c_.call(driver().rollback_to_savepoint, "never_made", unknown), RETORT_INVALID_STATE);
  EXPECT_EQ(unknown.sqlstate(), "3B001");
}

TEST_F(SqliteTransactions, BeginImmediateOptionTakesTheWriteLockAtBegin) {
  Conn immediate = connect({path_, {{"begin", "immediate"}, {"timeout", "0"}}});
  Conn deferred = connect({path_, {{"timeout", "0"}}});
  ErrorBox error;
  ASSERT_EQ(immediate.call(driver().begin, error), RETORT_OK) << error.message();
  ErrorBox busy;
  EXPECT_EQ(deferred.try_exec("INSERT INTO t VALUES (1)", nullptr, busy), RETORT_TIMEOUT);
  ASSERT_EQ(immediate.call(driver().rollback, error), RETORT_OK);
}

TEST_F(SqliteTransactions, ExecutemanyInsideATransactionJoinsIt) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  ParamBatch params(3);
  params.int64s({1, 2, 3});
  EXPECT_EQ(c_.exec("INSERT INTO t VALUES (?)", &params).rows_affected, 3);
  ASSERT_EQ(c_.call(driver().rollback, error), RETORT_OK);
  EXPECT_EQ(count(), 0);
}

TEST(SqliteCancel, CancelFromAnotherThreadInterruptsALongQuery) {
  Conn c = connect();
  Stmt s = c.prepare(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) "
      "SELECT count(*) FROM n");
  std::atomic<bool> done{false};
  std::thread canceller([&] {
    // sqlite3_interrupt only affects a running statement: keep asking until it stops.
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (done.load()) break;
      ErrorBox error;
      EXPECT_EQ(driver().cancel(c.get(), error.get()), RETORT_OK);
    }
  });
  retort_exec_info info{};
  ErrorBox error;
  const auto started = std::chrono::steady_clock::now();
  const retort_status st = s.execute(nullptr, info, error);
  done = true;
  canceller.join();
  EXPECT_EQ(st, RETORT_CANCELLED);
  EXPECT_EQ(error.sqlstate(), "57014");
  EXPECT_EQ(error.vendor_code(), 9);  // SQLITE_INTERRUPT
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  // The connection stays usable.
  EXPECT_EQ(c.scalar("SELECT 6 * 7"), 42);
}

}  // namespace
}  // namespace retort::sqlite::test
