// tests/integration/odbc_detect_test.cpp — `odbc://DSN`: create_engine learns the dialect
// from the database through the driver's dialect_name slot.
//
// Needs the private ODBC configuration of scripts/odbc-config.sh (RETORT_TEST_ODBC_*_URL);
// each test skips, saying so, without it.
#include <retort/plugins.hpp>
#include <retort/retort.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
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

// The file of the installed plugin that provides `name` as a driver (or dialect), or "".
std::string plugin_file(const std::string& name, bool driver) {
  for (const retort::PluginInfo& p : retort::discover_plugins().plugins) {
    const auto& names = driver ? p.drivers : p.dialects;
    if (std::find(names.begin(), names.end(), name) != names.end()) return p.path;
  }
  return {};
}

TEST(OdbcDialectDetection, DetectedDialectNotInstalledIsNoSuchModuleErrorListingInstalledOnes) {
  const std::string url = bare_odbc("RETORT_TEST_ODBC_SQLITE_URL");
  if (url.empty()) {
    GTEST_SKIP() << "set RETORT_TEST_ODBC_SQLITE_URL (eval \"$(scripts/odbc-config.sh start)\")";
  }
  const std::string odbc = plugin_file("odbc", true);
  const std::string postgresql = plugin_file("postgresql", false);
  if (odbc.empty() || postgresql.empty() || odbc == "<registered>" ||
      postgresql == "<registered>") {
    GTEST_SKIP() << "needs the odbc and postgresql plugins as files";
  }
  // A process that sees only the odbc driver and the postgresql dialect: the SQLite data
  // source is detected as 'sqlite', which is then not installed.  ("threadsafe" re-runs this
  // test in a fresh process, so no plugin is loaded yet when the search path changes.)
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        const std::string path = odbc + ":" + postgresql;
        setenv("RETORT_PLUGIN_PATH", path.c_str(), 1);
        setenv("RETORT_PLUGIN_PATH_ONLY", "1", 1);
        (void)retort::discover_plugins(true);
        try {
          (void)retort::create_engine(url);
          std::fprintf(stderr, "no error\n");
        } catch (const retort::NoSuchModuleError& e) {
          std::fprintf(stderr, "NoSuchModuleError: %s\n", e.what());
          std::exit(0);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "other error: %s\n", e.what());
        }
        std::exit(1);
      },
      ::testing::ExitedWithCode(0),
      "NoSuchModuleError: the database behind odbc://retort_sqlite speaks dialect 'sqlite' \\(as "
      "its driver 'odbc' reports\\), which no installed plugin provides; installed dialects: "
      "postgresql\\.  Install the plugin for 'sqlite', or name an installed dialect in the URL");
}

}  // namespace
