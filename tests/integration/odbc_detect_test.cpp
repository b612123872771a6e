// tests/integration/odbc_detect_test.cpp — `odbc://DSN`: create_engine learns the dialect
// from the database through the driver's dialect_name slot.
//
// Needs the private ODBC configuration of scripts/odbc-config.sh (RETORT_TEST_ODBC_*_URL);
// each test skips, saying so, without it.
#include <retort/retort.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace {

// "sqlite+odbc://retort_sqlite" → "odbc://retort_sqlite".
std::string bare_odbc(const char* env) {
  const char* url = std::getenv(env);
  if (url == nullptr || *url == '\0') return {};
  const std::string u(url);
  return "odbc" + u.substr(u.find("://"));
}

void expect_detected(const char* env, const std::string& dialect) {
  const std::string url = bare_odbc(env);
  if (url.empty()) GTEST_SKIP() << "set " << env << " (eval \"$(scripts/odbc-config.sh start)\")";
  retort::Engine engine = retort::create_engine(url);
  EXPECT_EQ(engine.dialect_name(), dialect);
  EXPECT_EQ(engine.driver_name(), "odbc");
  retort::Connection conn = engine.connect();
  EXPECT_EQ(conn.execute(retort::text("SELECT 2 + 3")).scalar_one<int64_t>(), 5);
}

TEST(OdbcDialectDetection, BareOdbcUrlOnSqliteDsnPicksTheSqliteDialect) {
  expect_detected("RETORT_TEST_ODBC_SQLITE_URL", "sqlite");
}

TEST(OdbcDialectDetection, BareOdbcUrlOnPostgresqlDsnPicksThePostgresqlDialect) {
  expect_detected("RETORT_TEST_ODBC_POSTGRESQL_URL", "postgresql");
}

TEST(OdbcDialectDetection, BareOdbcUrlOnMariadbDsnPicksTheMariadbDialect) {
  expect_detected("RETORT_TEST_ODBC_MARIADB_URL", "mariadb");
}

TEST(OdbcDialectDetection, UnknownDsnIsOperationalErrorNamingTheDsnWithoutPassword) {
  if (bare_odbc("RETORT_TEST_ODBC_SQLITE_URL").empty()) {
    GTEST_SKIP() << "set RETORT_TEST_ODBC_SQLITE_URL (eval \"$(scripts/odbc-config.sh start)\")";
  }
  try {
    (void)retort::create_engine("odbc://scott:Tiger-Secret-9@retort_no_such_dsn");
    FAIL() << "expected OperationalError";
  } catch (const retort::OperationalError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("ODBC data source 'retort_no_such_dsn' is not defined"), std::string::npos)
        << what;
    EXPECT_NE(what.find("to detect its dialect"), std::string::npos) << what;
    EXPECT_EQ(what.find("Tiger-Secret-9"), std::string::npos) << what;
  }
}

}  // namespace
