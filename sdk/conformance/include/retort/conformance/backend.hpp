// retort/conformance/backend.hpp — the Core conformance kit: one GoogleTest suite that runs
// everything Retort Core can do against a backend given by URL.
// SPDX-License-Identifier: MIT
//
// A plugin author runs it against their plugin in a few lines:
//
//   #include <retort/conformance/backend.hpp>
//   RETORT_CONFORMANCE_BACKEND(MyDb, (retort::conformance::Backend{
//       .name = "mydb", .url_env = "MYDB_TEST_URL"}));
//
// and links the `Retort::conformance` object library plus GTest::gtest_main.  A backend whose
// URL is neither in its environment variable nor defaulted is skipped with a message saying
// so, never silently passed.  Capabilities the backend lacks skip the tests that need them,
// with the reason printed.
#ifndef RETORT_CONFORMANCE_BACKEND_HPP
#define RETORT_CONFORMANCE_BACKEND_HPP

#include <retort/retort.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace retort::conformance {

/// A backend under test.
struct Backend {
  std::string name;          ///< test name suffix: "sqlite", "postgresql"
  std::string url_env;       ///< environment variable holding the URL, or empty
  std::string default_url;   ///< URL when the variable is unset; empty: skip then
  /// DDL type names for the suite's tables (until the schema compiler renders them).
  std::string type_int = "INTEGER";
  std::string type_bigint = "BIGINT";
  std::string type_text = "TEXT";
  std::string type_varchar20 = "VARCHAR(20)";
  std::string type_double = "DOUBLE PRECISION";
  std::string type_bool = "BOOLEAN";
  std::string type_bytes = "BLOB";
  std::string type_date = "DATE";
  std::string type_time = "TIME";
  std::string type_timestamp = "TIMESTAMP";
  /// An integer primary key that generates its values (MySQL: `… AUTO_INCREMENT`).
  std::string type_autoincrement_pk = "INTEGER PRIMARY KEY";
  /// A query that runs for many seconds and can be cancelled (MariaDB stops a recursive CTE
  /// quietly after max_recursive_iterations, so it needs another one).
  std::string long_running_query =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) "
      "SELECT count(*) FROM n";
  /// Capabilities.
  bool savepoints = true;
  bool lastrowid = true;  ///< Result::lastrowid() after a plain INSERT
  bool cancel = true;
  /// Doubles come back bit for bit (a driver that passes them through decimal text with
  /// fewer than 17 significant digits cannot: the SQLite ODBC driver uses 15).
  bool exact_doubles = true;
  /// SQLSTATEs the backend reports for a unique violation, a NOT NULL violation and a
  /// cancelled statement (MySQL and MariaDB: 23000, 23000, 70100).
  std::string sqlstate_unique = "23505";
  std::string sqlstate_not_null = "23502";
  std::string sqlstate_cancel = "57014";

  /// The URL to use, or nullopt when the backend is not configured.
  std::optional<std::string> url() const {
    if (!url_env.empty()) {
      if (const char* v = std::getenv(url_env.c_str()); v != nullptr && *v != '\0') return v;
    }
    if (!default_url.empty()) return default_url;
    return std::nullopt;
  }
  friend void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }
};

/// Base fixture: an engine and a connection per test, and scratch tables.
class CoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  const Backend& backend() const { return GetParam(); }
  /// Creates `name` with the given column definitions, dropping any leftover first;
  /// committed.  The table is dropped again after the test.
  void create_table(const std::string& name, const std::string& columns);

  std::optional<Engine> engine;
  std::optional<Connection> conn;

 private:
  std::vector<std::string> tables_;
};

// One fixture per area, so test names read "TransactionTest.SavepointRollbackKeepsOuterWork".
class ExecuteTest : public CoreTest {};
class TypesTest : public CoreTest {};
class TransactionTest : public CoreTest {};
class ResultTest : public CoreTest {};
class ErrorTest : public CoreTest {};

std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace retort::conformance

// GoogleTest pastes the fixture name into identifiers, so the instantiations are made inside
// the kit's namespace with unqualified fixture names.
#define RETORT_CONFORMANCE_BACKEND(name, backend_expr)                                     \
  namespace retort::conformance {                                                          \
  INSTANTIATE_TEST_SUITE_P(name, ExecuteTest, ::testing::Values backend_expr,              \
                           backend_test_name);                                             \
  INSTANTIATE_TEST_SUITE_P(name, TypesTest, ::testing::Values backend_expr,                \
                           backend_test_name);                                             \
  INSTANTIATE_TEST_SUITE_P(name, TransactionTest, ::testing::Values backend_expr,          \
                           backend_test_name);                                             \
  INSTANTIATE_TEST_SUITE_P(name, ResultTest, ::testing::Values backend_expr,               \
                           backend_test_name);                                             \
  INSTANTIATE_TEST_SUITE_P(name, ErrorTest, ::testing::Values backend_expr,                \
                           backend_test_name);                                             \
  } /* namespace retort::conformance */                                                    \
  static_assert(true, "RETORT_CONFORMANCE_BACKEND needs a trailing semicolon")

#endif  // RETORT_CONFORMANCE_BACKEND_HPP
