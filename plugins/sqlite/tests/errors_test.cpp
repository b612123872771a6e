// plugins/sqlite/tests/errors_test.cpp — error status, SQLSTATE, vendor code and details.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <string>

namespace retort::sqlite::test {
namespace {

class SqliteErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    c_ = connect();
    c_.exec("CREATE TABLE parent(id INTEGER PRIMARY KEY)");
    c_.exec(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT NOT NULL, "
        "p INTEGER REFERENCES parent(id), "
        "n INTEGER CONSTRAINT n_positive CHECK (n > 0), UNIQUE (a, b))");
    c_.exec("INSERT INTO parent VALUES (1)");
    c_.exec("INSERT INTO t(id, a, b) VALUES (1, 1, 'x')");
  }
  Conn c_;
};

TEST_F(SqliteErrors, UniqueViolationReportsIntegrityWithConstraintDetails) {
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO t(a, b) VALUES (1, 'x')", nullptr, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.status(), RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23505");
  EXPECT_EQ(error.vendor_code(), 2067);  // SQLITE_CONSTRAINT_UNIQUE
  EXPECT_EQ(error.message(), "UNIQUE constraint failed: t.a, t.b");
  EXPECT_EQ(error.detail("constraint_kind"), "unique");
  EXPECT_EQ(error.detail("table_name"), "t");
  EXPECT_EQ(error.detail("column_names"), "a,b");
  EXPECT_EQ(error.detail("sqlite_code_name"), "SQLITE_CONSTRAINT_UNIQUE");
  EXPECT_EQ(error.detail("sqlite_code_text"), "constraint failed");
}

TEST_F(SqliteErrors, PrimaryKeyViolationIsUniqueViolation) {
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO t(id, a, b) VALUES (1, 2, 'y')", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23505");
  EXPECT_EQ(error.detail("constraint_kind"), "primary key");
  EXPECT_EQ(error.detail("column_names"), "id");
}

TEST_F(SqliteErrors, NotNullViolationIs23502) {
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO t(a) VALUES (5)", nullptr, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23502");
  EXPECT_EQ(error.detail("constraint_kind"), "not null");
  EXPECT_EQ(error.detail("table_name"), "t");
  EXPECT_EQ(error.detail("column_names"), "b");
}

TEST_F(SqliteErrors, ForeignKeysAreEnforcedByDefault) {
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO t(a, b, p) VALUES (9, 'z', 42)", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23503");
  EXPECT_EQ(error.detail("constraint_kind"), "foreign key");
}

TEST(SqliteErrorsOptions, ForeignKeysOffAllowsDanglingReferences) {
  Conn c = connect({std::nullopt, {{"foreign_keys", "off"}}});
  c.exec("CREATE TABLE parent(id INTEGER PRIMARY KEY)");
  c.exec("CREATE TABLE child(p INTEGER REFERENCES parent(id))");
  ErrorBox error;
  EXPECT_EQ(c.try_exec("INSERT INTO child VALUES (42)", nullptr, error), RETORT_OK)
      << error.message();
}

TEST_F(SqliteErrors, CheckViolationIs23514NamingTheConstraint) {
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO t(a, b, n) VALUES (7, 'q', -1)", nullptr, error),
            RETORT_INTEGRITY);
  EXPECT_EQ(error.sqlstate(), "23514");
  EXPECT_EQ(error.detail("constraint_name"), "n_positive");
}

TEST_F(SqliteErrors, ConstraintMessageNeverContainsTheParameterValues) {
  ParamBatch secret(1);
  secret.int64s({1}).strings(RETORT_TYPE_TEXT, {"hunter2-secret"});
  c_.exec("UPDATE t SET b = 'hunter2-secret' WHERE id = 1");
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO t(a, b) VALUES (?, ?)", &secret, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.message().find("hunter2"), std::string::npos);
  for (const char* key : {"constraint_kind", "table_name", "column_names", "sqlite_code_name"}) {
    EXPECT_EQ(error.detail(key).value_or("").find("hunter2"), std::string::npos);
  }
}

TEST_F(SqliteErrors, SyntaxErrorIsReportedByPrepare) {
  Stmt s;
  ErrorBox error;
  ASSERT_EQ(c_.prepare("SELEKT 1", s, error), RETORT_SYNTAX);
  EXPECT_EQ(error.sqlstate(), "42000");
  EXPECT_EQ(error.vendor_code(), 1);  // SQLITE_ERROR
  EXPECT_NE(error.message().find("syntax error"), std::string::npos) << error.message();
  EXPECT_EQ(s.get(), nullptr);
}

TEST_F(SqliteErrors, UnknownTableAndColumnAreSyntaxErrorsWithTheirOwnSqlstate) {
  ErrorBox table;
  EXPECT_EQ(c_.try_exec("SELECT * FROM nowhere", nullptr, table), RETORT_SYNTAX);
  EXPECT_EQ(table.sqlstate(), "42S02");
  ErrorBox column;
  EXPECT_EQ(c_.try_exec("SELECT missing_column FROM t", nullptr, column), RETORT_SYNTAX);
  EXPECT_EQ(column.sqlstate(), "42S22");
}

TEST_F(SqliteErrors, ExecutemanyFailureNamesTheRowAndLeavesNothingBehindInAutocommit) {
  ParamBatch params(3);
  params.int64s({10, 1, 11}).strings(RETORT_TYPE_TEXT, {"a", "x", "b"});
  ErrorBox error;
  ASSERT_EQ(c_.try_exec("INSERT INTO t(a, b) VALUES (?, ?)", &params, error), RETORT_INTEGRITY);
  EXPECT_EQ(error.detail("parameter_row"), "1");
  EXPECT_EQ(c_.scalar("SELECT count(*) FROM t"), 1);  // the implicit transaction rolled back
  // And the connection is back in autocommit mode.
  ErrorBox commit;
  EXPECT_EQ(driver().commit(c_.get(), commit.get()), RETORT_INVALID_STATE);
}

TEST_F(SqliteErrors, DatatypeMismatchIsInvalidData) {
  ErrorBox error;
  // A non-integer rowid.
  EXPECT_EQ(c_.try_exec("INSERT INTO t(id, a, b) VALUES ('one', 1, 'w')", nullptr, error),
            RETORT_INVALID_DATA);
  EXPECT_EQ(error.sqlstate(), "22000");
  EXPECT_EQ(error.detail("sqlite_code_name"), "SQLITE_MISMATCH");
}

TEST(SqliteErrorsLocking, BusyDatabaseTimesOutWithTimeoutStatus) {
  TempDir dir;
  const std::string path = dir.file("busy.db");
  Conn writer = connect({path});
  writer.exec("CREATE TABLE t(x)");
  Conn other = connect({path, {{"timeout", "0.05"}}});
  ErrorBox begin;
  ASSERT_EQ(driver().begin(writer.get(), begin.get()), RETORT_OK);
  writer.exec("INSERT INTO t VALUES (1)");
  ErrorBox error;
  EXPECT_EQ(other.try_exec("INSERT INTO t VALUES (2)", nullptr, error), RETORT_TIMEOUT);
  EXPECT_EQ((error.vendor_code() & 0xff), 5);  // SQLITE_BUSY
  EXPECT_NE(error.message().find("database is locked"), std::string::npos) << error.message();
}

}  // namespace
}  // namespace retort::sqlite::test
