// tests/integration/mariadb_server_version_test.cpp — an engine learns its server's version on
// its first connection and compiles for that server from then on (server_dialect.hpp).
//
// Needs RETORT_TEST_MARIADB_URL (a MariaDB server); the `mysql` dialect on it renders MariaDB's
// spellings once it knows the server is MariaDB.
#include <retort/retort.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace {

using namespace retort;

std::string mysql_url() {
  const char* url = std::getenv("RETORT_TEST_MARIADB_URL");
  const std::string s = url != nullptr ? url : "";
  return s.rfind("mariadb", 0) == 0 ? "mysql" + s.substr(7) : "";
}

TEST(ServerVersion, MysqlDialectSwitchesToMariadbSpellingsAfterTheFirstConnect) {
  const std::string url = mysql_url();
  if (url.empty()) GTEST_SKIP() << "RETORT_TEST_MARIADB_URL is not set";
  MetaData md;
  Table t("rt_sv_items", md, {Column("id", Integer(), {.primary_key = true})});
  const Select locked = select(t.c["id"]).with_for_update({.read = true});
  Engine engine = create_engine(url);
  // Before any connection the dialect renders for MySQL 8.
  EXPECT_NE(engine.compile(locked).sql.find(" FOR SHARE"), std::string::npos)
      << engine.compile(locked).sql;
  Connection conn = engine.connect();
  EXPECT_NE(conn.server_version().find("MariaDB"), std::string::npos);
  // The cached compilation for the unknown server is not reused for the known one.
  const std::string after = engine.compile(locked).sql;
  EXPECT_NE(after.find(" LOCK IN SHARE MODE"), std::string::npos) << after;
  EXPECT_EQ(after.find("FOR SHARE"), std::string::npos) << after;
  // A second connection asks nothing new and keeps the adapted dialect.
  Connection second = engine.connect();
  EXPECT_EQ(engine.compile(locked).sql, after);
}

}  // namespace
