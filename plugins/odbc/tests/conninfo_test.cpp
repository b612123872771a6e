// plugins/odbc/tests/conninfo_test.cpp — URL parts → ODBC connection string (no database).
// SPDX-License-Identifier: MIT
#include "../conninfo.hpp"

#include <retort/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace retort::odbc {
namespace {

struct Params {
  std::string dialect = "postgresql";
  std::optional<std::string> username, password, host, database;
  int32_t port = -1;
  std::vector<std::pair<std::string, std::string>> query, options;

  ConnectSettings build() const {
    std::vector<retort_option> q, o;
    for (const auto& [k, v] : query) q.push_back({k.c_str(), v.c_str()});
    for (const auto& [k, v] : options) o.push_back({k.c_str(), v.c_str()});
    retort_connect_params p{};
    p.struct_size = sizeof p;
    p.dialect = dialect.c_str();
    p.driver = "odbc";
    p.username = username ? username->c_str() : nullptr;
    p.password = password ? password->c_str() : nullptr;
    p.host = host ? host->c_str() : nullptr;
    p.port = port;
    p.database = database ? database->c_str() : nullptr;
    p.query = q.data();
    p.query_count = q.size();
    p.options = o.data();
    p.option_count = o.size();
    return connect_settings(p);
  }
};

TEST(OdbcConnInfo, DsnFromHostWithCredentials) {
  Params p;
  p.dialect = "mariadb";
  p.username = "scott";
  p.password = "tiger";
  p.host = "MyDSN";
  const ConnectSettings s = p.build();
  EXPECT_EQ(s.connection_string, "DSN=MyDSN;UID=scott;PWD=tiger;");
  EXPECT_EQ(s.target, "ODBC data source 'MyDSN'");
  EXPECT_EQ(s.password, "tiger");
}

TEST(OdbcConnInfo, PostgresqlDialectAsksForRealBooleans) {
  Params p;
  p.host = "pg";
  EXPECT_EQ(p.build().connection_string, "DSN=pg;BoolsAsChar=0;Protocol=7.4-0;BatchSize=1024;");
  p.query = {{"BoolsAsChar", "1"}};
  EXPECT_EQ(p.build().connection_string, "DSN=pg;BoolsAsChar=1;Protocol=7.4-0;BatchSize=1024;");
}

TEST(OdbcConnInfo, DsnLessWithDriverQueryKeys) {
  Params p;
  p.dialect = "mysql";
  p.username = "u";
  p.password = "p";
  p.host = "ignored-when-server-given";
  p.query = {{"driver", "MariaDB Unicode"},
             {"server", "127.0.0.1"},
             {"port", "3307"},
             {"database", "shop"}};
  const ConnectSettings s = p.build();
  EXPECT_EQ(s.connection_string,
            "DRIVER={MariaDB Unicode};SERVER=127.0.0.1;PORT=3307;DATABASE=shop;UID=u;PWD=p;");
  EXPECT_EQ(s.target, "ODBC driver 'MariaDB Unicode' (server 127.0.0.1:3307)");
}

TEST(OdbcConnInfo, DsnLessTakesHostPortAndDatabaseFromTheUrl) {
  Params p;
  p.dialect = "sqlite";
  p.database = "/tmp/x y.db";
  p.query = {{"driver", "SQLite3"}};
  EXPECT_EQ(p.build().connection_string, "DRIVER=SQLite3;DATABASE={/tmp/x y.db};");
  p.dialect = "mariadb";
  p.database = "db";
  p.host = "10.0.0.1";
  p.port = 3306;
  EXPECT_EQ(p.build().connection_string, "DRIVER=SQLite3;SERVER=10.0.0.1;PORT=3306;DATABASE=db;");
}

TEST(OdbcConnInfo, ValuesWithSpecialCharactersAreBraceQuoted) {
  EXPECT_EQ(quote_value("plain"), "plain");
  EXPECT_EQ(quote_value("a;b"), "{a;b}");
  EXPECT_EQ(quote_value("x}y"), "{x}}y}");
  EXPECT_EQ(quote_value("{z}"), "{{z}}}");
  EXPECT_EQ(quote_value(" lead"), "{ lead}");
  EXPECT_EQ(quote_value("k=v"), "{k=v}");
  EXPECT_EQ(quote_value(""), "{}");
  Params p;
  p.dialect = "mysql";
  p.host = "d";
  p.username = "u";
  p.password = "p;w}d";
  EXPECT_EQ(p.build().connection_string, "DSN=d;UID=u;PWD={p;w}}d};");
}

TEST(OdbcConnInfo, OdbcConnectIsPassedThroughAsIs) {
  Params p;
  p.username = "ignored";
  p.query = {{"odbc_connect", "Driver={PostgreSQL Unicode};Server=h;PWD={se;cret};"}};
  const ConnectSettings s = p.build();
  EXPECT_EQ(s.connection_string, "Driver={PostgreSQL Unicode};Server=h;PWD={se;cret};");
  EXPECT_EQ(s.password, "se;cret");
  EXPECT_EQ(s.target, "ODBC driver 'PostgreSQL Unicode'");
}

TEST(OdbcConnInfo, ExtraKeysBecomeAttributesAndOptionsWin) {
  Params p;
  p.dialect = "mariadb";
  p.host = "d";
  p.query = {{"CharacterSet", "utf8mb4"}, {"fetch_array_size", "10"}};
  p.options = {{"charactersET", "latin1"}, {"fetch_array_size", "20"}, {"paramset_size", "7"}};
  const ConnectSettings s = p.build();
  EXPECT_EQ(s.connection_string, "DSN=d;CharacterSet=latin1;");
  EXPECT_EQ(s.fetch_array_size, 20);
  EXPECT_EQ(s.paramset_size, 7);
}

TEST(OdbcConnInfo, BadValuesAndMissingTargetAreClearErrors) {
  Params p;
  p.host = "d";
  p.query = {{"fetch_array_size", "0"}};
  try {
    p.build();
    FAIL() << "expected an error";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), RETORT_INVALID_ARGUMENT);
    EXPECT_STREQ(e.what(),
                 "option 'fetch_array_size' must be an integer from 1 to 100000, got '0'");
  }
  Params none;
  try {
    none.build();
    FAIL() << "expected an error";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), RETORT_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("needs a data source name as its host"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace retort::odbc
