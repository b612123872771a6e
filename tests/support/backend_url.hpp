// tests/support/backend_url.hpp — the database URL of a backend for parameterised
// integration tests: "sqlite" is a database file of this test program (removed when it
// exits), "postgresql" is RETORT_TEST_POSTGRESQL_URL, "mariadb" is RETORT_TEST_MARIADB_URL and
// "mysql" the same server through the mysql dialect (or RETORT_TEST_MYSQL_URL) — empty when
// unset: the test skips.
//
// Through ODBC: a suite instantiated a second time under the prefix `Odbc`
//   INSTANTIATE_TEST_SUITE_P(Odbc, SqlExecute, ::testing::Values("sqlite", "postgresql", …));
// runs the same backends through the odbc driver: "postgresql" is
// RETORT_TEST_ODBC_POSTGRESQL_URL, "mariadb" RETORT_TEST_ODBC_MARIADB_URL ("mysql" the same DSN
// through the mysql dialect), "sqlite" a database file of this test program opened through the
// DSN of RETORT_TEST_ODBC_SQLITE_URL (`eval "$(scripts/odbc-config.sh start)"` sets all three).
// The parameter stays the dialect's name, so a suite's per-dialect expectations hold as they
// are; `through_odbc()` tells a test which driver it runs on.
#ifndef RETORT_TESTS_SUPPORT_BACKEND_URL_HPP
#define RETORT_TESTS_SUPPORT_BACKEND_URL_HPP

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace retort::testing {

/// True when the running test belongs to an instantiation named `Odbc`: its backend is reached
/// through the odbc driver.
inline bool through_odbc() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return info != nullptr && std::string_view(info->test_suite_name()).substr(0, 5) == "Odbc/";
}

/// What a Debian ODBC driver cannot do (each checked against the driver, not assumed): tests
/// that need it skip through ODBC with this reason printed (RETORT_SKIP_THROUGH_ODBC).
namespace odbc_limits {
inline constexpr const char* kSqliteReturning =
    "the SQLite ODBC driver (libsqliteodbc 0.9998, older than SQLite's RETURNING) describes "
    "no result columns for INSERT/UPDATE/DELETE … RETURNING, so its rows cannot be fetched";
inline constexpr const char* kSqliteRegexp =
    "the SQLite ODBC driver defines no REGEXP function (the native sqlite driver registers one)";
inline constexpr const char* kSqliteExpressionTypes =
    "the SQLite ODBC driver describes a computed column with no declared type as text, so an "
    "integer window-function result arrives as text";
inline constexpr const char* kSqliteWithRowCount =
    "the SQLite ODBC driver reports no row count for a statement starting with WITH (it "
    "counts changes only for statements starting with INSERT, UPDATE or DELETE)";
inline constexpr const char* kSqliteDoubles =
    "the SQLite ODBC driver reads doubles through SQLite's 15-significant-digit text, so "
    "DBL_MAX comes back as inf";
inline constexpr const char* kParameterLimit =
    "ODBC binds at most 32767 parameters per statement (SQLNumParams counts them in an "
    "SQLSMALLINT: psqlODBC corrupts its heap and MariaDB Connector/ODBC fails with HY001 "
    "beyond), while the dialect pages multi-row INSERTs by its own 65535-parameter limit";
inline constexpr const char* kPsqlodbcBcDates =
    "psqlODBC reads a date before year 1 without its era (DATE '4713-01-01 BC' arrives as "
    "4713-01-01, as SQL_DATE_STRUCT and as text alike)";
inline constexpr const char* kMariadbTruncationWarning =
    "MariaDB Connector/ODBC 3.1.15 reports a value strict mode refuses (error 1265, 'Data "
    "truncated') under SQLSTATE 01000, a warning class, and its prepared execution then "
    "returns success: the row is refused but no error reaches the application";
inline constexpr const char* kNoServerCursors =
    "the odbc driver has no server-side cursors of its own (stream_results is ignored, as "
    "SQLAlchemy does on drivers without them), so no PostgreSQL cursor is open";
}  // namespace odbc_limits

/// In a test body or SetUp: skips when the test runs through ODBC and `condition` holds,
/// printing `reason`.
#define RETORT_SKIP_THROUGH_ODBC(condition, reason)         \
  do {                                                      \
    if (::retort::testing::through_odbc() && (condition)) { \
      GTEST_SKIP() << "through ODBC: " << (reason);         \
    }                                                       \
  } while (false)

/// The environment variable that holds `backend`'s URL (for skip messages).
inline const char* backend_env(const std::string& backend) {
  if (through_odbc()) {
    if (backend == "sqlite") return "RETORT_TEST_ODBC_SQLITE_URL";
    if (backend == "mariadb" || backend == "mysql") return "RETORT_TEST_ODBC_MARIADB_URL";
    return "RETORT_TEST_ODBC_POSTGRESQL_URL";
  }
  if (backend == "mariadb") return "RETORT_TEST_MARIADB_URL";
  if (backend == "mysql") return "RETORT_TEST_MARIADB_URL (or RETORT_TEST_MYSQL_URL)";
  return "RETORT_TEST_POSTGRESQL_URL";
}

/// The URL of `backend` reached through ODBC (see above); empty when its variable is unset.
inline std::string odbc_backend_url(const std::string& backend, const std::string& sqlite_file) {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v != nullptr ? v : "");
  };
  if (backend == "sqlite") {
    // sqlite+odbc://DSN → sqlite+odbc://DSN/<file>: the URL's database is the DSN's DATABASE=.
    std::string url = env("RETORT_TEST_ODBC_SQLITE_URL");
    if (url.empty()) return url;
    url = url.substr(0, url.find('?'));
    return url + "/" + sqlite_file;
  }
  if (backend == "mariadb" || backend == "mysql") {
    std::string s = env("RETORT_TEST_ODBC_MARIADB_URL");
    if (backend == "mysql" && s.rfind("mariadb", 0) == 0) s = "mysql" + s.substr(7);
    return s;
  }
  return env("RETORT_TEST_ODBC_POSTGRESQL_URL");
}

/// `stem` names the SQLite file (one per test file, so test programs can run in parallel).
inline std::string backend_url(const std::string& backend, const std::string& stem) {
  if (backend == "sqlite") {
    static struct Files {
      std::vector<std::filesystem::path> paths;
      ~Files() {
        for (const auto& p : paths) {
          std::error_code ec;
          std::filesystem::remove(p, ec);
        }
      }
    } files;
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() /
        ("retort-" + stem + (through_odbc() ? "-odbc-" : "-") + std::to_string(getpid()) + ".db");
    if (std::find(files.paths.begin(), files.paths.end(), path) == files.paths.end()) {
      files.paths.push_back(path);
    }
    if (through_odbc()) return odbc_backend_url(backend, path.string());
    return "sqlite:///" + path.string();
  }
  if (through_odbc()) return odbc_backend_url(backend, {});
  if (backend == "mariadb" || backend == "mysql") {
    // "mysql": the mysql dialect, on RETORT_TEST_MYSQL_URL when set, else on the MariaDB server.
    if (backend == "mysql") {
      if (const char* url = std::getenv("RETORT_TEST_MYSQL_URL"); url != nullptr && *url)
        return url;
    }
    const char* url = std::getenv("RETORT_TEST_MARIADB_URL");
    std::string s = url != nullptr ? url : "";
    if (backend == "mysql" && s.rfind("mariadb", 0) == 0) s = "mysql" + s.substr(7);
    return s;
  }
  const char* url = std::getenv("RETORT_TEST_POSTGRESQL_URL");
  return url != nullptr ? url : "";
}

}  // namespace retort::testing

#endif  // RETORT_TESTS_SUPPORT_BACKEND_URL_HPP
