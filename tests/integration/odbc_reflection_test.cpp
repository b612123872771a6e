// Reflection through the odbc driver (issue 8: "the dialect's reflection runs over any
// driver"): on SQLite, PostgreSQL and MariaDB, one schema is created through the native driver
// and the Inspector's answers through `dialect+odbc://` must be exactly those through the
// native driver; MetaData::reflect through ODBC, emitted again through ODBC, reflects
// identically; autoload_with, views, sequences and a missing table behave the same.
//
// Needs the private ODBC configuration of scripts/odbc-config.sh (RETORT_TEST_ODBC_*_URL)
// and, for the server backends, the native URLs of the same servers (RETORT_TEST_POSTGRESQL_URL,
// RETORT_TEST_MARIADB_URL); SQLite uses a file of this test program, opened through the DSN.
#include "support/reflection_schema.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/inspection.hpp>
#include <retort/sql/elements.hpp>
#include <retort/sql/schema.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace {

using namespace retort;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

struct Urls {
  std::string native;
  std::string odbc;
  std::string missing;  // what to set when one is empty
};

Urls urls_for(const std::string& backend) {
  if (backend == "sqlite") {
    static const struct File {
      std::filesystem::path path = std::filesystem::temp_directory_path() /
                                   ("retort-odbc-reflect-" + std::to_string(getpid()) + ".db");
      ~File() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
      }
    } file;
    std::string odbc = env("RETORT_TEST_ODBC_SQLITE_URL");
    if (!odbc.empty()) odbc = odbc.substr(0, odbc.find('?')) + "/" + file.path.string();
    return {"sqlite:///" + file.path.string(), odbc, "RETORT_TEST_ODBC_SQLITE_URL"};
  }
  if (backend == "postgresql") {
    return {env("RETORT_TEST_POSTGRESQL_URL"), env("RETORT_TEST_ODBC_POSTGRESQL_URL"),
            "RETORT_TEST_POSTGRESQL_URL and RETORT_TEST_ODBC_POSTGRESQL_URL"};
  }
  return {env("RETORT_TEST_MARIADB_URL"), env("RETORT_TEST_ODBC_MARIADB_URL"),
          "RETORT_TEST_MARIADB_URL and RETORT_TEST_ODBC_MARIADB_URL"};
}

const std::vector<std::string> kTables = {"orfl_parent", "orfl_child", "orfl_grand"};

class OdbcReflection : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const Urls urls = urls_for(GetParam());
    if (urls.native.empty() || urls.odbc.empty()) {
      GTEST_SKIP() << urls.missing << " not set (eval \"$(scripts/odbc-config.sh start)\")";
    }
    native_.emplace(create_engine(urls.native));
    odbc_.emplace(create_engine(urls.odbc));
    drop_all();
  }
  void TearDown() override {
    if (native_) drop_all();
  }
  void drop_all() {
    auto conn = native_->connect();
    for (const char* sql :
         {"DROP VIEW IF EXISTS orfl_view", "DROP TABLE IF EXISTS orfl_grand",
          "DROP TABLE IF EXISTS orfl_child", "DROP TABLE IF EXISTS orfl_parent"}) {
      conn.exec_driver_sql(sql);
    }
    if (is("postgresql")) {
      conn.exec_driver_sql("DROP TYPE IF EXISTS orfl_status");
      conn.exec_driver_sql("DROP SEQUENCE IF EXISTS orfl_seq");
    }
    conn.commit();
  }
  bool is(const char* backend) const { return GetParam() == backend; }
  std::optional<Engine> native_;
  std::optional<Engine> odbc_;
};

TEST_P(OdbcReflection, InspectorThroughOdbcAnswersAsTheNativeDriver) {
  retort::testing::reflection_schema("orfl", is("mariadb")).create_all(*native_);
  const std::string native = retort::testing::describe_reflected(inspect(*native_), kTables);
  const std::string odbc = retort::testing::describe_reflected(inspect(*odbc_), kTables);
  EXPECT_EQ(odbc, native);
  // A sanity check that the description is not empty on both sides alike.
  EXPECT_NE(native.find("column status"), std::string::npos) << native;
  EXPECT_NE(native.find("fk orfl_fk_child (ca,cb,) -> .orfl_child (a,b,)"), std::string::npos)
      << native;

  auto via_odbc = inspect(*odbc_);
  auto via_native = inspect(*native_);
  auto tables = via_odbc.get_table_names();
  for (const auto& t : kTables) {
    EXPECT_NE(std::find(tables.begin(), tables.end(), t), tables.end()) << t;
  }
  EXPECT_EQ(tables, via_native.get_table_names());
  EXPECT_EQ(via_odbc.get_schema_names(), via_native.get_schema_names());
  EXPECT_TRUE(via_odbc.has_table("orfl_parent"));
  EXPECT_FALSE(via_odbc.has_table("orfl_nothing"));
  EXPECT_TRUE(via_odbc.has_index("orfl_child", "orfl_ix_note"));
  EXPECT_FALSE(via_odbc.has_index("orfl_child", "orfl_ix_other"));
}

TEST_P(OdbcReflection, ReflectedThroughOdbcEmittedThroughOdbcReflectsIdentically) {
  const MetaData original = retort::testing::reflection_schema("orfl", is("mariadb"));
  original.create_all(*native_);
  const std::string first = retort::testing::describe_reflected(inspect(*native_), kTables, false);

  MetaData reflected;
  reflected.reflect(*odbc_, {.only = kTables});
  EXPECT_EQ(reflected.table_names().size(), 3u);
  original.drop_all(*native_);
  reflected.create_all(*odbc_);
  EXPECT_EQ(retort::testing::describe_reflected(inspect(*native_), kTables, false), first);
  reflected.drop_all(*odbc_);
  EXPECT_FALSE(inspect(*native_).has_table("orfl_parent"));
}

TEST_P(OdbcReflection, AutoloadWithThroughOdbcBuildsTheTablesAndSelects) {
  retort::testing::reflection_schema("orfl", is("mariadb")).create_all(*native_);
  {
    auto conn = native_->connect();
    conn.exec_driver_sql("INSERT INTO orfl_parent (id, code) VALUES (1, 'a')");
    conn.commit();
  }
  MetaData md;
  Table grand("orfl_grand", md, autoload_with(*odbc_));
  const auto sorted = md.sorted_tables();
  ASSERT_EQ(sorted.size(), 3u);
  EXPECT_EQ(sorted[0].name(), "orfl_parent");
  EXPECT_EQ(sorted[2].name(), "orfl_grand");
  auto conn = odbc_->connect();
  EXPECT_EQ(conn.execute(select(func::count()).select_from(grand)).scalar_one<std::int64_t>(), 0);
  const Table& parent = sorted[0];
  EXPECT_EQ(
      conn.execute(select(parent.c["code"]).where(parent.c["id"] == 1)).scalar_one<std::string>(),
      "a");
}

TEST_P(OdbcReflection, ViewsAndSequencesThroughOdbcAsTheNativeDriver) {
  retort::testing::reflection_schema("orfl", is("mariadb")).create_all(*native_);
  {
    auto conn = native_->connect();
    conn.exec_driver_sql("CREATE VIEW orfl_view AS SELECT id, code FROM orfl_parent");
    if (is("postgresql")) conn.exec_driver_sql("CREATE SEQUENCE orfl_seq");
    conn.commit();
  }
  auto via_odbc = inspect(*odbc_);
  auto via_native = inspect(*native_);
  const auto views = via_odbc.get_view_names();
  EXPECT_NE(std::find(views.begin(), views.end(), "orfl_view"), views.end());
  EXPECT_EQ(views, via_native.get_view_names());
  EXPECT_EQ(via_odbc.get_view_definition("orfl_view"), via_native.get_view_definition("orfl_view"));
  EXPECT_EQ(via_odbc.get_columns("orfl_view").size(), 2u);
  if (is("postgresql")) {
    const auto seqs = via_odbc.get_sequence_names();
    EXPECT_NE(std::find(seqs.begin(), seqs.end(), "orfl_seq"), seqs.end());
    EXPECT_EQ(seqs, via_native.get_sequence_names());
  }
}

TEST_P(OdbcReflection, MissingTableThroughOdbcRaisesNoSuchTableErrorNamingIt) {
  auto insp = inspect(*odbc_);
  try {
    insp.get_columns("orfl_missing");
    FAIL() << "no exception";
  } catch (const NoSuchTableError& e) {
    EXPECT_NE(std::string(e.what()).find("orfl_missing"), std::string::npos) << e.what();
  }
  EXPECT_THROW(insp.get_foreign_keys("orfl_missing"), NoSuchTableError);
  MetaData md;
  EXPECT_THROW(Table("orfl_missing", md, autoload_with(*odbc_)), NoSuchTableError);
}

INSTANTIATE_TEST_SUITE_P(Backends, OdbcReflection,
                         ::testing::Values("sqlite", "postgresql", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
