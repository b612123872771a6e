// Connection errors through the odbc driver, as an application sees them (issue 6): a missing
// DSN, an unregistered driver name, a driver whose library is missing (named directly and
// through a DSN), a wrong password — each an OperationalError naming the DSN or the driver,
// with the SQLSTATE of the driver manager or the database, and never the password.
//
// The DSN and driver tests need the private ODBC configuration of scripts/odbc-config.sh
// (ODBCINI, with its `retort_missing_lib` DSN); the password tests need the server URLs.
#include <retort/engine.hpp>
#include <retort/exceptions.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

namespace {

using namespace retort;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// Connects to `url` and returns the OperationalError it must raise.
OperationalError connect_error(const std::string& url) {
  try {
    Engine engine = create_engine(url);
    Connection conn = engine.connect();
  } catch (const OperationalError& e) {
    return e;
  }
  ADD_FAILURE() << "connecting to " << url << " raised no OperationalError";
  return OperationalError(DBAPIError::Info{});
}

#define RETORT_REQUIRE_ODBCINI()                                                       \
  do {                                                                                 \
    if (env("ODBCINI").empty()) {                                                      \
      GTEST_SKIP() << "ODBCINI is not set (eval \"$(scripts/odbc-config.sh start)\")"; \
    }                                                                                  \
  } while (false)

TEST(OdbcConnectErrors, MissingDsnIsOperationalErrorNamingTheDsnWithoutThePassword) {
  RETORT_REQUIRE_ODBCINI();
  const OperationalError e =
      connect_error("postgresql+odbc://scott:Tiger-Secret-1@retort_no_such_dsn");
  const std::string what = e.what();
  EXPECT_EQ(e.sqlstate(), "IM002");
  EXPECT_EQ(e.driver(), "odbc");
  EXPECT_EQ(e.dialect(), "postgresql");
  EXPECT_TRUE(has(what, "ODBC data source 'retort_no_such_dsn' is not defined")) << what;
  EXPECT_TRUE(has(what, "define it in odbc.ini")) << what;
  EXPECT_FALSE(has(what, "Tiger-Secret-1")) << what;
  EXPECT_FALSE(has(e.driver_message(), "Tiger-Secret-1"));
  for (const auto& [k, v] : e.details()) EXPECT_FALSE(has(v, "Tiger-Secret-1")) << k;
}

TEST(OdbcConnectErrors, UnregisteredDriverNameIsOperationalErrorNamingTheDriver) {
  RETORT_REQUIRE_ODBCINI();
  const OperationalError e = connect_error(
      "mariadb+odbc://scott:Tiger-Secret-2@127.0.0.1:1/db?driver=Retort+No+Such+Driver");
  const std::string what = e.what();
  EXPECT_TRUE(has(what, "ODBC driver 'Retort No Such Driver' is not installed")) << what;
  EXPECT_FALSE(has(what, "Tiger-Secret-2")) << what;
}

TEST(OdbcConnectErrors, MissingDriverLibraryIsOperationalErrorNamingTheLibrary) {
  RETORT_REQUIRE_ODBCINI();
  const OperationalError e = connect_error(
      "sqlite+odbc://scott:Tiger-Secret-3@/tmp/x.db?driver=/nonexistent/libretort-no-odbc.so");
  const std::string what = e.what();
  EXPECT_TRUE(has(what,
                  "the ODBC driver library of driver '/nonexistent/libretort-no-odbc.so' could "
                  "not be loaded"))
      << what;
  EXPECT_FALSE(has(what, "Tiger-Secret-3")) << what;
}

TEST(OdbcConnectErrors, DsnWhoseDriverLibraryIsMissingNamesTheDsnAndTheLibrary) {
  RETORT_REQUIRE_ODBCINI();
  const OperationalError e =
      connect_error("postgresql+odbc://scott:Tiger-Secret-4@retort_missing_lib");
  const std::string what = e.what();
  EXPECT_TRUE(has(what,
                  "the ODBC driver library of ODBC data source 'retort_missing_lib' could "
                  "not be loaded"))
      << what;
  EXPECT_TRUE(has(what, "libretort-missing-odbc.so")) << what;
  EXPECT_TRUE(has(what, "check the Driver= path in odbcinst.ini")) << what;
  EXPECT_FALSE(has(what, "Tiger-Secret-4")) << what;
}

// `url` with its password replaced by `password`.
std::string with_password(const std::string& url, const std::string& password) {
  const size_t scheme = url.find("://") + 3;
  const size_t at = url.find('@', scheme);
  const size_t colon = url.find(':', scheme);
  return url.substr(0, colon + 1) + password + url.substr(at);
}

TEST(OdbcConnectErrors, PostgresqlWrongPasswordIsOperationalErrorWithoutThePassword) {
  const std::string url = env("RETORT_TEST_ODBC_POSTGRESQL_URL");
  if (url.empty()) GTEST_SKIP() << "RETORT_TEST_ODBC_POSTGRESQL_URL is not set";
  const OperationalError e = connect_error(with_password(url, "Wrong-Pass-5x"));
  const std::string what = e.what();
  EXPECT_TRUE(has(what, "could not connect to ODBC data source 'retort_pg'")) << what;
  EXPECT_TRUE(has(what, "password authentication failed")) << what;
  EXPECT_EQ(e.info().status, RETORT_UNAUTHENTICATED);
  EXPECT_FALSE(has(what, "Wrong-Pass-5x")) << what;
  for (const auto& [k, v] : e.details()) EXPECT_FALSE(has(v, "Wrong-Pass-5x")) << k;
}

TEST(OdbcConnectErrors, MariadbWrongPasswordIsOperationalErrorWithoutThePassword) {
  const std::string url = env("RETORT_TEST_ODBC_MARIADB_URL");
  if (url.empty()) GTEST_SKIP() << "RETORT_TEST_ODBC_MARIADB_URL is not set";
  const OperationalError e = connect_error(with_password(url, "Wrong-Pass-6x"));
  const std::string what = e.what();
  EXPECT_EQ(e.sqlstate(), "28000");
  EXPECT_EQ(e.info().status, RETORT_UNAUTHENTICATED);
  EXPECT_TRUE(has(what, "could not connect to ODBC data source 'retort_mariadb'")) << what;
  EXPECT_TRUE(has(what, "Access denied for user")) << what;
  EXPECT_FALSE(has(what, "Wrong-Pass-6x")) << what;
  for (const auto& [k, v] : e.details()) EXPECT_FALSE(has(v, "Wrong-Pass-6x")) << k;
}

}  // namespace

namespace {

// ODBC counts a statement's parameters in an SQLSMALLINT: beyond 32767 psqlODBC corrupts its
// heap and MariaDB Connector/ODBC fails with HY001, so the driver refuses such a statement
// before binding, naming the limit and what to do.
void expect_parameter_limit_refused(const char* env_name) {
  const std::string url = env(env_name);
  if (url.empty()) GTEST_SKIP() << env_name << " is not set";
  Engine engine = create_engine(url);
  auto conn = engine.connect();
  std::string sql = "SELECT 1 WHERE 1 IN (";
  Params params;
  for (int i = 0; i < 32768; ++i) {
    const std::string name = "p" + std::to_string(i);
    sql += (i ? ", :" : ":") + name;
    params.set(name, i);
  }
  sql += ")";
  try {
    conn.execute(text(sql), params);
    FAIL() << "no exception";
  } catch (const InterfaceError& e) {
    EXPECT_TRUE(has(e.what(), "the statement has 32768 parameters; ODBC binds at most 32767"))
        << std::string(e.what()).substr(0, 300);
  }
  // The connection is still usable.
  conn.rollback();
  EXPECT_EQ(conn.execute(text("SELECT 7")).scalar_one<std::int64_t>(), 7);
}

TEST(OdbcParameterLimit, PostgresqlStatementWithMoreThan32767ParametersIsRefused) {
  expect_parameter_limit_refused("RETORT_TEST_ODBC_POSTGRESQL_URL");
}

TEST(OdbcParameterLimit, MariadbStatementWithMoreThan32767ParametersIsRefused) {
  expect_parameter_limit_refused("RETORT_TEST_ODBC_MARIADB_URL");
}

}  // namespace
