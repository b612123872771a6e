// plugins/postgresql/tests/errors_test.cpp — SQLSTATE → status, details, and the failures
// that need a live server: serialization failures, deadlocks, cancel, lost sessions.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace retort::postgresql::test {
namespace {

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

class PgErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!server_url()) {
      GTEST_SKIP() << "no PostgreSQL server: set RETORT_TEST_POSTGRESQL_URL (e.g. run "
                      "eval \"$(scripts/pg-server.sh start)\")";
    }
    c_ = connect_server();
  }
  Conn c_;
};

TEST_F(PgErrors, UniqueViolationIsIntegrityWithEveryDiagnosticField) {
  ScratchTable t("uniq", "id int PRIMARY KEY, email text CONSTRAINT rt_email_unique UNIQUE");
  c_.exec("INSERT INTO " + t.name() + " VALUES (1, 'a@example.com')");
  ParamBatch p(1);
  p.int64s({2}).strings(RETORT_TYPE_TEXT, {"a@example.com"});
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO " + t.name() + " VALUES ($1, $2)", &p, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.status(), RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23505");
  EXPECT_NE(error.vendor_code(), 0);
  EXPECT_EQ(error.detail("constraint_name"), "rt_email_unique") << error.details();
  EXPECT_EQ(error.detail("table_name"), t.name());
  EXPECT_EQ(error.detail("schema_name"), "public");
  EXPECT_EQ(error.detail("severity"), "ERROR");
  EXPECT_EQ(error.detail("detail"), "Key (email)=(a@example.com) already exists.");
  // The primary message only: no "ERROR:" and no plugin prefix (the host adds the dialect).
  EXPECT_EQ(error.message(), "duplicate key value violates unique constraint \"rt_email_unique\"");
}

TEST_F(PgErrors, OtherConstraintViolationsAreIntegrity) {
  ScratchTable parent("parent", "id int PRIMARY KEY");
  ScratchTable child("child", "id int NOT NULL CHECK (id > 0) REFERENCES " + parent.name());
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO " + child.name() + " VALUES (NULL)", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23502");
  EXPECT_EQ(error.detail("column_name"), "id");
  error.reset();
  ASSERT_EQ(c_.try_exec("INSERT INTO " + child.name() + " VALUES (-1)", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23514");
  EXPECT_EQ(error.detail("constraint_name"), child.name() + "_id_check");
  error.reset();
  ASSERT_EQ(c_.try_exec("INSERT INTO " + child.name() + " VALUES (5)", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23503");
}

TEST_F(PgErrors, SqlMistakesAreSyntaxWithPositionAndHint) {
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("SELEC 1", nullptr, error), RETORT_SYNTAX);
  EXPECT_EQ(error.sqlstate(), "42601");
  EXPECT_EQ(error.detail("position"), "1");
  EXPECT_TRUE(contains(error.message(), "syntax error")) << error.message();
  EXPECT_FALSE(contains(error.message(), "ERROR:"));
  error.reset();
  ASSERT_EQ(c_.try_exec("SELECT * FROM rt_no_such_table", nullptr, error), RETORT_SYNTAX);
  EXPECT_EQ(error.sqlstate(), "42P01");
  error.reset();
  ASSERT_EQ(c_.try_exec("SELECT rt_no_such_function(1)", nullptr, error), RETORT_SYNTAX);
  EXPECT_EQ(error.sqlstate(), "42883");
  EXPECT_TRUE(error.detail("hint").has_value()) << error.details();
}

TEST_F(PgErrors, PermissionDeniedIsUnauthorized) {
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("SELECT * FROM pg_authid", nullptr, error), RETORT_UNAUTHORIZED);
  EXPECT_EQ(error.sqlstate(), "42501");
}

TEST_F(PgErrors, BadDataIsInvalidData) {
  ErrorBox error;
  ParamBatch zero(1);
  zero.int64s({0});
  ASSERT_EQ(c_.try_exec("SELECT 1 / $1", &zero, error), RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22012");
  error.reset();
  ParamBatch bad(1);
  bad.strings(RETORT_TYPE_TEXT, {"not a number"});
  ASSERT_EQ(c_.try_exec("SELECT $1::int", &bad, error), RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22P02");
  error.reset();
  ParamBatch big(1);
  big.int64s({int64_t{1} << 40});
  ASSERT_EQ(c_.try_exec("SELECT $1::int4", &big, error), RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22003");
}

TEST_F(PgErrors, VendorCodeIsThePackedSqlstate) {
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("SELECT 1/0", nullptr, error), RETORT_INVALID_DATA);
  // MAKE_SQLSTATE('2','2','0','1','2'): six bits per character, first character lowest.
  const char* s = "22012";
  int32_t expected = 0;
  for (int i = 0; i < 5; ++i) expected |= ((s[i] - '0') & 0x3F) << (6 * i);
  EXPECT_EQ(error.vendor_code(), expected);
}

TEST_F(PgErrors, SerializationFailureAndDeadlockAreDistinguishable) {
  ScratchTable t("ser", "id int PRIMARY KEY, v int");
  c_.exec("INSERT INTO " + t.name() + " VALUES (1, 0), (2, 0)");

  // Serialization failure: a REPEATABLE READ transaction updates a row changed since its
  // snapshot was taken.
  {
    Conn a = connect_server();
    Conn b = connect_server();
    ErrorBox error;
    ASSERT_EQ(a.call(driver().begin, error), RETORT_OK);
    a.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    EXPECT_EQ(a.scalar("SELECT v::int8 FROM " + t.name() + " WHERE id = 1"), 0);
    b.exec("UPDATE " + t.name() + " SET v = 1 WHERE id = 1");
    ASSERT_EQ(a.try_exec("UPDATE " + t.name() + " SET v = 2 WHERE id = 1", nullptr, error),
              RETORT_TRANSACTION_ROLLBACK);
    EXPECT_EQ(error.sqlstate(), "40001");
    EXPECT_EQ(error.detail("retort.kind"), "serialization_failure");
    ErrorBox rb;
    EXPECT_EQ(a.call(driver().rollback, rb), RETORT_OK);
  }

  // Deadlock: two sessions lock rows 1 and 2 in opposite orders, on two threads (the server
  // notices after deadlock_timeout, 1 s by default).
  Conn a = connect_server();
  Conn b = connect_server();
  ErrorBox ea, eb;
  ASSERT_EQ(a.call(driver().begin, ea), RETORT_OK);
  ASSERT_EQ(b.call(driver().begin, eb), RETORT_OK);
  a.exec("UPDATE " + t.name() + " SET v = 10 WHERE id = 1");
  b.exec("UPDATE " + t.name() + " SET v = 20 WHERE id = 2");
  std::atomic<retort_status> sa{RETORT_OK}, sb{RETORT_OK};
  std::thread ta([&] { sa = a.try_exec("UPDATE " + t.name() + " SET v = 11 WHERE id = 2", nullptr, ea); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::thread tb([&] { sb = b.try_exec("UPDATE " + t.name() + " SET v = 21 WHERE id = 1", nullptr, eb); });
  tb.join();
  // The victim's rollback lets the other one go on; end whichever transaction is left.
  if (sb == RETORT_TRANSACTION_ROLLBACK) {
    ErrorBox rb;
    b.call(driver().rollback, rb);
  }
  ta.join();
  ASSERT_TRUE((sa == RETORT_TRANSACTION_ROLLBACK) != (sb == RETORT_TRANSACTION_ROLLBACK))
      << "a: " << ea.message() << " / b: " << eb.message();
  ErrorBox& victim = sa == RETORT_TRANSACTION_ROLLBACK ? ea : eb;
  EXPECT_EQ(victim.sqlstate(), "40P01");
  EXPECT_EQ(victim.detail("retort.kind"), "deadlock");
  EXPECT_TRUE(contains(victim.message(), "deadlock detected")) << victim.message();
  ErrorBox end;
  a.call(driver().rollback, end);
  b.call(driver().rollback, end);
}

TEST_F(PgErrors, CancelFromAnotherThreadIsCancelled57014) {
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ErrorBox error;
    EXPECT_EQ(c_.call(driver().cancel, error), RETORT_OK) << error.message();
  });
  const auto start = std::chrono::steady_clock::now();
  ErrorBox error;
  const retort_status st = c_.try_exec("SELECT pg_sleep(10)", nullptr, error);
  canceller.join();
  EXPECT_EQ(st, RETORT_CANCELLED);
  EXPECT_EQ(error.sqlstate(), "57014");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(c_.scalar("SELECT 6::int8"), 6);
}

TEST_F(PgErrors, CancelWhileIdleDoesNothing) {
  ErrorBox error;
  EXPECT_EQ(c_.call(driver().cancel, error), RETORT_OK);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(c_.scalar("SELECT 8::int8"), 8);
}

TEST_F(PgErrors, StatementAndLockTimeoutsAreTimeout) {
  c_.exec("SET statement_timeout = '100ms'");
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("SELECT pg_sleep(5)", nullptr, error), RETORT_TIMEOUT);
  EXPECT_EQ(error.sqlstate(), "57014");
  c_.exec("SET statement_timeout = 0");

  ScratchTable t("lock", "id int");
  Conn holder = connect_server();
  ErrorBox e;
  ASSERT_EQ(holder.call(driver().begin, e), RETORT_OK);
  holder.exec("LOCK TABLE " + t.name() + " IN ACCESS EXCLUSIVE MODE");
  c_.exec("SET lock_timeout = '100ms'");
  error.reset();
  ASSERT_EQ(c_.try_exec("SELECT * FROM " + t.name(), nullptr, error), RETORT_TIMEOUT);
  EXPECT_EQ(error.sqlstate(), "55P03");
  ASSERT_EQ(holder.call(driver().rollback, e), RETORT_OK);
}

TEST_F(PgErrors, TerminatedSessionIsDisconnected) {
  const int64_t pid = c_.scalar("SELECT pg_backend_pid()::int8");
  Conn killer = connect_server();
  killer.exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("SELECT 1", nullptr, error), RETORT_DISCONNECTED) << error.message();
  // 57P01 when the server's goodbye was read, else libpq's "server closed the connection".
  EXPECT_TRUE(error.sqlstate() == "57P01" || error.sqlstate().rfind("08", 0) == 0)
      << error.sqlstate() << ": " << error.message();
  error.reset();
  EXPECT_EQ(c_.try_exec("SELECT 1", nullptr, error), RETORT_DISCONNECTED) << error.message();
  error.reset();
  EXPECT_EQ(c_.call(driver().ping, error), RETORT_DISCONNECTED);
  error.reset();
  EXPECT_EQ(c_.call(driver().begin, error), RETORT_DISCONNECTED) << error.message();
}

TEST_F(PgErrors, CommitOfAFailedTransactionReportsTheRollback) {
  ErrorBox error;
  ASSERT_EQ(c_.call(driver().begin, error), RETORT_OK);
  EXPECT_EQ(c_.try_exec("SELECT 1/0", nullptr, error), RETORT_INVALID_DATA);
  error.reset();
  EXPECT_EQ(c_.try_exec("SELECT 1", nullptr, error), RETORT_INTERNAL);
  EXPECT_EQ(error.sqlstate(), "25P02");
  error.reset();
  EXPECT_EQ(c_.call(driver().commit, error), RETORT_TRANSACTION_ROLLBACK);
  EXPECT_EQ(error.sqlstate(), "25P02");
  EXPECT_EQ(c_.scalar("SELECT 9::int8"), 9);
}

}  // namespace
}  // namespace retort::postgresql::test
