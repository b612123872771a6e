// plugins/postgresql/tests/transaction_test.cpp — transactions and savepoints.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <string>

namespace retort::postgresql::test {
namespace {

class PgTransactions : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!server_url()) {
      GTEST_SKIP() << "no PostgreSQL server: set RETORT_TEST_POSTGRESQL_URL (e.g. run "
                      "eval \"$(scripts/pg-server.sh start)\")";
    }
    t_.emplace("tx", "x int PRIMARY KEY");
    c_ = connect_server();
  }
  int64_t count() { return c_.scalar("SELECT count(*) FROM " + t_->name()); }
  void insert(int x) { c_.exec("INSERT INTO " + t_->name() + " VALUES (" + std::to_string(x) + ")"); }
  std::optional<ScratchTable> t_;
  Conn c_;
};

TEST_F(PgTransactions, CommitMakesChangesVisibleToOtherConnections) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK) << error.message();
  insert(1);
  Conn other = connect_server();
  EXPECT_EQ(other.scalar("SELECT count(*) FROM " + t_->name()), 0);
  ASSERT_EQ(c_.call(driver().commit, error), RETORT_OK) << error.message();
  EXPECT_EQ(other.scalar("SELECT count(*) FROM " + t_->name()), 1);
}

TEST_F(PgTransactions, RollbackDiscardsChangesAndDdl) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  insert(1);
  c_.exec("CREATE TABLE " + table_name("tx_ddl") + " (y int)");
  ASSERT_EQ(c_.call(driver().rollback, error), RETORT_OK);
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM pg_tables WHERE tablename = '" + table_name("tx_ddl") +
                      "'"),
            0);
}

TEST_F(PgTransactions, BeginTwiceAndCommitWithoutATransactionAreInvalidState) {
  ErrorBox error;
  EXPECT_EQ(c_.call(driver().commit, error), RETORT_INVALID_STATE);
  error.reset();
  EXPECT_EQ(c_.call(driver().rollback, error), RETORT_OK);  // harmless without a transaction
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  EXPECT_EQ(c_.call(driver().begin, error), RETORT_INVALID_STATE);
  error.reset();
  EXPECT_EQ(c_.call(driver().rollback, error), RETORT_OK);
}

TEST_F(PgTransactions, ReleasingAConnectionRollsBack) {
  {
    Conn c = connect_server();
    ErrorBox error;
    ASSERT_EQ(c.call(driver().begin, error), RETORT_OK);
    c.exec("INSERT INTO " + t_->name() + " VALUES (1)");
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(PgTransactions, SavepointsRollBackAndReleaseInnerWork) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  insert(1);
  ASSERT_EQ(c_.call(driver().savepoint, "sp_1", error), RETORT_OK) << error.message();
  insert(2);
  ASSERT_EQ(c_.call(driver().rollback_to_savepoint, "sp_1", error), RETORT_OK);
  ASSERT_EQ(c_.call(driver().release_savepoint, "sp_1", error), RETORT_OK);
  // Names are quoted identifiers: case and odd characters are kept.
  ASSERT_EQ(c_.call(driver().savepoint, "Mixed Case \"sp\"", error), RETORT_OK) << error.message();
  insert(3);
  ASSERT_EQ(c_.call(driver().release_savepoint, "Mixed Case \"sp\"", error), RETORT_OK);
  // The server's verdict on state (3B001, 25P01): InternalError, as psycopg2 classes it.
  EXPECT_EQ(c_.call(driver().rollback_to_savepoint, "mixed case \"sp\"", error), RETORT_INTERNAL);
  EXPECT_EQ(error.sqlstate(), "3B001");
  error.reset();
  ASSERT_EQ(c_.call(driver().rollback, error), RETORT_OK);
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  insert(1);
  ASSERT_EQ(c_.call(driver().savepoint, "a", error), RETORT_OK);
  insert(2);
  ASSERT_EQ(c_.call(driver().savepoint, "b", error), RETORT_OK);
  insert(3);
  ASSERT_EQ(c_.call(driver().rollback_to_savepoint, "b", error), RETORT_OK);
  ASSERT_EQ(c_.call(driver().release_savepoint, "a", error), RETORT_OK);
  ASSERT_EQ(c_.call(driver().commit, error), RETORT_OK);
  EXPECT_EQ(c_.scalar("SELECT sum(x)::int8 FROM " + t_->name()), 3);
}

TEST_F(PgTransactions, FailureInsideASavepointIsRecoverable) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  insert(1);
  ASSERT_EQ(c_.call(driver().savepoint, "sp", error), RETORT_OK);
  EXPECT_EQ(c_.try_exec("INSERT INTO " + t_->name() + " VALUES (1)", nullptr, error),
            RETORT_INTEGRITY);
  error.reset();
  ASSERT_EQ(c_.call(driver().rollback_to_savepoint, "sp", error), RETORT_OK) << error.message();
  insert(2);
  ASSERT_EQ(c_.call(driver().commit, error), RETORT_OK) << error.message();
  EXPECT_EQ(count(), 2);
}

TEST_F(PgTransactions, SavepointOutsideATransactionIsTheServersStateError) {
  ErrorBox error;
  EXPECT_EQ(c_.call(driver().savepoint, "sp", error), RETORT_INTERNAL);
  EXPECT_EQ(error.sqlstate(), "25P01");
}

}  // namespace
}  // namespace retort::postgresql::test
