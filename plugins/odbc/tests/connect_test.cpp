// plugins/odbc/tests/connect_test.cpp — connecting: errors naming the DSN or driver, no
// password in any message, server version and dialect detection.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <string>

namespace retort::odbc::test {
namespace {

bool has(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

TEST(OdbcConnect, DriverServesEveryDialectAndReportsDialectName) {
  const retort_driver& d = driver();
  EXPECT_STREQ(d.name, "odbc");
  ASSERT_NE(d.dialects, nullptr);
  EXPECT_STREQ(d.dialects[0], "*");
  EXPECT_TRUE(RETORT_HAS_FIELD(&d, retort_driver, dialect_name));
  EXPECT_TRUE(RETORT_HAS_FIELD(&d, retort_driver, server_version));
  EXPECT_TRUE(RETORT_HAS_FIELD(&d, retort_driver, cancel));
}

TEST(OdbcConnect, MissingDsnIsNotFoundAndNamesTheDsn) {
  ConnectSpec spec;
  spec.dialect = "postgresql";
  spec.host = "retort_no_such_dsn";
  spec.username = "u";
  spec.password = "sekrit-pw-1";
  Conn c;
  ErrorBox error;
  EXPECT_EQ(sdk::testing::connect(driver(), spec, c, error), RETORT_NOT_FOUND);
  EXPECT_EQ(error.sqlstate(), "IM002");
  EXPECT_TRUE(has(error.message(),
                  "ODBC data source 'retort_no_such_dsn' is not defined: "
                  "Data source name not found"))
      << error.message();
  EXPECT_FALSE(has(error.message() + error.details(), "sekrit-pw-1"));
}

TEST(OdbcConnect, UnknownDriverNameIsNotFoundAndNamesTheDriver) {
  ConnectSpec spec;
  spec.dialect = "mariadb";
  spec.query = {{"driver", "Retort No Such Driver"}, {"server", "127.0.0.1"}};
  Conn c;
  ErrorBox error;
  EXPECT_EQ(sdk::testing::connect(driver(), spec, c, error), RETORT_NOT_FOUND);
  EXPECT_TRUE(has(error.message(), "ODBC driver 'Retort No Such Driver' is not installed"))
      << error.message();
}

TEST(OdbcConnect, MissingDriverLibraryIsNotFoundAndNamesTheLibrary) {
  ConnectSpec spec;
  spec.dialect = "sqlite";
  spec.password = "sekrit-pw-2";
  spec.query = {{"driver", "/nonexistent/libretort-no-odbc.so"}, {"database", "/tmp/x.db"}};
  Conn c;
  ErrorBox error;
  EXPECT_EQ(sdk::testing::connect(driver(), spec, c, error), RETORT_NOT_FOUND);
  EXPECT_TRUE(has(error.message(),
                  "the ODBC driver library of driver "
                  "'/nonexistent/libretort-no-odbc.so' could not be loaded"))
      << error.message();
  EXPECT_FALSE(has(error.message() + error.details(), "sekrit-pw-2"));
}

TEST(OdbcConnect, WrongPasswordIsUnauthenticatedAndNeverShowsThePassword) {
  RETORT_ODBC_REQUIRE(spec, kPostgresql);
  ConnectSpec bad = spec;
  bad.password = "Wrong;Pass}word";
  Conn c;
  ErrorBox error;
  EXPECT_EQ(sdk::testing::connect(driver(), bad, c, error), RETORT_UNAUTHENTICATED)
      << error.message();
  EXPECT_TRUE(has(error.message(), "could not connect to ODBC data source '" + *spec.host + "': "))
      << error.message();
  EXPECT_TRUE(has(error.message(), "password authentication failed")) << error.message();
  EXPECT_FALSE(has(error.message() + error.details(), "Wrong;Pass}word"));
  EXPECT_FALSE(has(error.message() + error.details(), "Pass}}word"));
}

TEST(OdbcConnect, MariadbWrongPasswordIsUnauthenticated) {
  RETORT_ODBC_REQUIRE(spec, kMariadb);
  ConnectSpec bad = spec;
  bad.password = "nope-pw-3";
  Conn c;
  ErrorBox error;
  EXPECT_EQ(sdk::testing::connect(driver(), bad, c, error), RETORT_UNAUTHENTICATED)
      << error.message();
  EXPECT_EQ(error.sqlstate(), "28000");
  EXPECT_TRUE(has(error.message(), "Access denied for user")) << error.message();
  EXPECT_FALSE(has(error.message() + error.details(), "nope-pw-3"));
}

void expect_version_and_dialect(const ConnectSpec& spec, const std::string& dialect) {
  Conn c = open(spec);
  ASSERT_TRUE(c);
  char buffer[64];
  size_t length = sizeof buffer;
  ErrorBox error;
  ASSERT_EQ(driver().server_version(c.get(), buffer, &length, error.get()), RETORT_OK)
      << error.message();
  const std::string version(buffer);
  EXPECT_FALSE(version.empty());
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(version[0]))) << version;
  // The dotted number; a MariaDB server adds "-MariaDB", as it announces itself natively.
  const std::string number = version.substr(0, version.find('-'));
  EXPECT_EQ(number.find_first_not_of("0123456789."), std::string::npos) << version;
  EXPECT_EQ(version.substr(number.size()), dialect == "mariadb" ? "-MariaDB" : "") << version;
  length = sizeof buffer;
  ASSERT_EQ(driver().dialect_name(c.get(), buffer, &length, error.get()), RETORT_OK)
      << error.message();
  EXPECT_EQ(std::string(buffer), dialect);
}

TEST(OdbcConnect, PostgresqlReportsVersionAndDialect) {
  RETORT_ODBC_REQUIRE(spec, kPostgresql);
  expect_version_and_dialect(spec, "postgresql");
}

TEST(OdbcConnect, MariadbReportsVersionAndDialect) {
  RETORT_ODBC_REQUIRE(spec, kMariadb);
  expect_version_and_dialect(spec, "mariadb");
}

TEST(OdbcConnect, SqliteReportsVersionAndDialect) {
  RETORT_ODBC_REQUIRE(spec, kSqlite);
  expect_version_and_dialect(spec, "sqlite");
}

TEST(OdbcConnect, DsnLessConnectionStringWithQuotedDriverName) {
  RETORT_ODBC_REQUIRE(spec, kPostgresql);
  const char* driver_name = std::getenv("RETORT_ODBC_PG_DRIVER");
  const char* ini = std::getenv("ODBCINI");
  if (driver_name == nullptr || ini == nullptr) GTEST_SKIP() << "RETORT_ODBC_PG_DRIVER unset";
  // Take server and port from the DSN's entry in the private odbc.ini.
  std::string server, port, database;
  {
    FILE* f = std::fopen(ini, "r");
    ASSERT_NE(f, nullptr);
    char line[512];
    bool in_pg = false;
    while (std::fgets(line, sizeof line, f) != nullptr) {
      std::string l(line);
      while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
      if (!l.empty() && l[0] == '[') in_pg = l == "[" + *spec.host + "]";
      if (!in_pg) continue;
      if (l.rfind("Servername=", 0) == 0) server = l.substr(11);
      if (l.rfind("Port=", 0) == 0) port = l.substr(5);
      if (l.rfind("Database=", 0) == 0) database = l.substr(9);
    }
    std::fclose(f);
  }
  ConnectSpec dsnless;
  dsnless.dialect = "postgresql";
  dsnless.username = spec.username;
  dsnless.password = spec.password;
  dsnless.query = {
      {"driver", driver_name}, {"server", server}, {"port", port}, {"database", database}};
  Conn c = open(dsnless);
  ASSERT_TRUE(c);
  EXPECT_EQ(c.scalar("SELECT 41 + 1"), 42);
}

}  // namespace
}  // namespace retort::odbc::test
