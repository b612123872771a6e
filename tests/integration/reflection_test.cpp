// Reflection through the dialect plugins, on SQLite always, on PostgreSQL when
// RETORT_TEST_POSTGRESQL_URL is set and on MariaDB when RETORT_TEST_MARIADB_URL is set: the
// Inspector's answers, a schema covering every generic type and constraint kind reflected,
// emitted, created again and reflected again identically, autoload_with, and the errors (a
// table that does not exist, a type with no equivalent on another dialect).
#include "support/backend_url.hpp"
#include "support/reflection_schema.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/inspection.hpp>
#include <retort/sql/elements.hpp>
#include <retort/sql/schema.hpp>
#include <retort/text.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

namespace {

using namespace retort;

std::string url_for(const std::string& backend) {
  if (backend == "mariadb") {
    const char* url = std::getenv("RETORT_TEST_MARIADB_URL");
    return url != nullptr ? url : "";
  }
  return retort::testing::backend_url(backend, "reflection");
}

const std::vector<std::string> kTables = {"rfl_parent", "rfl_child", "rfl_grand"};

class Reflection : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string url = url_for(GetParam());
    if (url.empty()) GTEST_SKIP() << "no URL for " << GetParam();
    engine_.emplace(create_engine(url));
    drop_all();
  }
  void TearDown() override {
    if (engine_) drop_all();
  }
  void drop_all() {
    auto conn = engine_->connect();
    for (const char* sql : {"DROP VIEW IF EXISTS rfl_view", "DROP TABLE IF EXISTS rfl_odd",
                            "DROP TABLE IF EXISTS rfl_grand", "DROP TABLE IF EXISTS rfl_child",
                            "DROP TABLE IF EXISTS rfl_parent"}) {
      conn.exec_driver_sql(sql);
    }
    if (GetParam() == "postgresql") conn.exec_driver_sql("DROP TYPE IF EXISTS rfl_status");
    conn.commit();
  }
  bool is(const char* backend) const { return GetParam() == backend; }
  std::optional<Engine> engine_;
};

TEST_P(Reflection, ReflectedSchemaEmittedAgainReflectsIdentically) {
  const MetaData original = retort::testing::reflection_schema("rfl", is("mariadb"));
  original.create_all(*engine_);
  const std::string first = retort::testing::describe_reflected(inspect(*engine_), kTables, false);

  MetaData reflected;
  reflected.reflect(*engine_, {.only = kTables});
  EXPECT_EQ(reflected.table_names().size(), 3u);
  original.drop_all(*engine_);
  reflected.create_all(*engine_);
  const std::string second = retort::testing::describe_reflected(inspect(*engine_), kTables, false);
  EXPECT_EQ(first, second);
  reflected.drop_all(*engine_);
}

TEST_P(Reflection, InspectorReportsTypesConstraintsAndIndexes) {
  retort::testing::reflection_schema("rfl", is("mariadb")).create_all(*engine_);
  auto insp = inspect(*engine_);
  const auto names = insp.get_table_names();
  for (const auto& t : kTables) {
    EXPECT_NE(std::find(names.begin(), names.end(), t), names.end()) << t;
  }
  EXPECT_TRUE(insp.has_table("rfl_parent"));
  EXPECT_FALSE(insp.has_table("rfl_nothing"));
  EXPECT_TRUE(insp.has_index("rfl_child", "rfl_ix_note"));
  EXPECT_FALSE(insp.has_index("rfl_child", "rfl_ix_other"));

  const auto cols = insp.get_columns("rfl_parent");
  ASSERT_EQ(cols.size(), 19u);
  EXPECT_EQ(cols[0].name, "id");
  EXPECT_TRUE(cols[0].autoincrement);
  EXPECT_FALSE(cols[0].nullable);
  EXPECT_EQ(cols[1].type.kind(), TypeKind::string);
  EXPECT_EQ(cols[1].type->length(), 20);
  EXPECT_FALSE(cols[1].nullable);
  EXPECT_EQ(cols[3].type.kind(), TypeKind::numeric);
  EXPECT_EQ(cols[3].type->precision(), 10);
  EXPECT_EQ(cols[3].type->scale(), 2);
  // MariaDB reports the default as the column stores it, with the scale's digits.
  EXPECT_EQ(cols[3].default_, std::optional<std::string>(is("mariadb") ? "0.00" : "0"));
  EXPECT_EQ(cols[9].type.kind(), TypeKind::date_time);
  EXPECT_FALSE(cols[9].type->timezone());
  EXPECT_EQ(cols[17].type.kind(), TypeKind::big_integer);
  if (is("postgresql")) {
    EXPECT_TRUE(cols[10].type->timezone());
    EXPECT_EQ(cols[18].type.kind(), TypeKind::enum_);
    EXPECT_EQ(cols[18].type->enum_values(), (std::vector<std::string>{"new", "done"}));
    EXPECT_EQ(cols[18].type->enum_name(), "rfl_status");
    EXPECT_EQ(cols[2].comment, "display name");
    EXPECT_EQ(insp.get_table_comment("rfl_parent"), "the parents");
    EXPECT_EQ(cols[14].type.kind(), TypeKind::uuid);
    EXPECT_EQ(cols[11].type.kind(), TypeKind::interval);
  }
  EXPECT_EQ(cols[18].default_, std::optional<std::string>("'new'"));

  const auto pk = insp.get_pk_constraint("rfl_child");
  EXPECT_EQ(pk.constrained_columns, (std::vector<std::string>{"a", "b"}));
  const auto fks = insp.get_foreign_keys("rfl_grand");
  ASSERT_EQ(fks.size(), 1u);
  EXPECT_EQ(fks[0].name, "rfl_fk_child");
  EXPECT_EQ(fks[0].constrained_columns, (std::vector<std::string>{"ca", "cb"}));
  EXPECT_EQ(fks[0].referred_table, "rfl_child");
  EXPECT_EQ(fks[0].referred_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(fks[0].onupdate, "CASCADE");
  EXPECT_EQ(fks[0].ondelete, "");
  const auto child_fks = insp.get_foreign_keys("rfl_child");
  ASSERT_EQ(child_fks.size(), 1u);
  EXPECT_EQ(child_fks[0].ondelete, "CASCADE");

  const auto uqs = insp.get_unique_constraints("rfl_child");
  ASSERT_EQ(uqs.size(), 1u);
  EXPECT_EQ(uqs[0].name, "rfl_uq_a_note");
  EXPECT_EQ(uqs[0].column_names, (std::vector<std::string>{"a", "note"}));

  const auto indexes = insp.get_indexes("rfl_child");
  if (is("mariadb")) {
    // No expression index there; the foreign key's own index is listed too.
    EXPECT_TRUE(insp.has_index("rfl_child", "rfl_fk_parent"));
  } else {
    ASSERT_EQ(indexes.size(), 2u);
    EXPECT_EQ(indexes[0].name, "rfl_ix_lower_note");
    EXPECT_EQ(indexes[0].column_names, (std::vector<std::string>{""}));
    EXPECT_NE(indexes[0].expressions[0].find("lower("), std::string::npos);
    EXPECT_EQ(indexes[1].name, "rfl_ix_note");
    EXPECT_EQ(indexes[1].column_names, (std::vector<std::string>{"note"}));
  }

  const auto checks = insp.get_check_constraints("rfl_parent");
  bool found = false;
  for (const auto& ck : checks) {
    if (ck.name == "rfl_price_positive") {
      found = true;
      EXPECT_NE(ck.sqltext.find("price >= "), std::string::npos) << ck.sqltext;
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(Reflection, AutoloadWithBuildsTheTableAndTheTablesItRefersTo) {
  retort::testing::reflection_schema("rfl", is("mariadb")).create_all(*engine_);
  MetaData md;
  Table grand("rfl_grand", md, autoload_with(*engine_));
  EXPECT_EQ(grand.name(), "rfl_grand");
  // The foreign keys pulled in the tables they refer to.
  const auto names = md.table_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "rfl_child"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "rfl_parent"), names.end());
  const auto sorted = md.sorted_tables();
  ASSERT_EQ(sorted.size(), 3u);
  EXPECT_EQ(sorted[0].name(), "rfl_parent");
  EXPECT_EQ(sorted[2].name(), "rfl_grand");
  // A select of the reflected table runs.
  auto conn = engine_->connect();
  EXPECT_EQ(conn.execute(select(func::count()).select_from(grand)).scalar_one<std::int64_t>(), 0);
}

TEST_P(Reflection, ViewsAreListedWithTheirDefinition) {
  retort::testing::reflection_schema("rfl", is("mariadb")).create_all(*engine_);
  auto conn = engine_->connect();
  conn.exec_driver_sql("CREATE VIEW rfl_view AS SELECT id, code FROM rfl_parent");
  conn.commit();
  auto insp = inspect(*engine_);
  const auto views = insp.get_view_names();
  EXPECT_NE(std::find(views.begin(), views.end(), "rfl_view"), views.end());
  const auto tables = insp.get_table_names();
  EXPECT_EQ(std::find(tables.begin(), tables.end(), "rfl_view"), tables.end());
  EXPECT_NE(insp.get_view_definition("rfl_view").find("rfl_parent"), std::string::npos);
  EXPECT_TRUE(insp.has_table("rfl_view"));
  EXPECT_EQ(insp.get_columns("rfl_view").size(), 2u);
}

TEST_P(Reflection, MissingTableRaisesNoSuchTableErrorNamingIt) {
  auto insp = inspect(*engine_);
  try {
    insp.get_columns("rfl_missing");
    FAIL() << "no exception";
  } catch (const NoSuchTableError& e) {
    EXPECT_NE(std::string(e.what()).find("rfl_missing"), std::string::npos) << e.what();
  }
  EXPECT_THROW(insp.get_foreign_keys("rfl_missing"), NoSuchTableError);
  EXPECT_THROW(insp.get_view_definition("rfl_missing"), NoSuchTableError);
  MetaData md;
  EXPECT_THROW(Table("rfl_missing", md, autoload_with(*engine_)), NoSuchTableError);
  try {
    md.reflect(*engine_, {.only = {"rfl_missing"}});
    FAIL() << "no exception";
  } catch (const NoSuchTableError& e) {
    EXPECT_NE(std::string(e.what()).find("'rfl_missing'"), std::string::npos) << e.what();
  }
}

TEST_P(Reflection, TypeWithoutEquivalentFailsToEmitNamingTheType) {
  auto conn = engine_->connect();
  const char* odd_type = is("postgresql") ? "tsvector" : is("mariadb") ? "GEOMETRY" : "";
  conn.exec_driver_sql(std::string("CREATE TABLE rfl_odd (id INTEGER PRIMARY KEY, v ") + odd_type +
                       ")");
  conn.commit();
  auto insp = inspect(*engine_);
  const auto cols = insp.get_columns("rfl_odd");
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_EQ(cols[1].type.kind(), TypeKind::null);
  MetaData md;
  md.reflect(*engine_, {.only = {"rfl_odd"}});
  const char* other = is("postgresql") ? "sqlite" : "postgresql";
  try {
    md.create_all_sql(other);
    FAIL() << "no exception";
  } catch (const CompileError& e) {
    if (!is("sqlite")) {
      EXPECT_NE(std::string(e.what()).find(cols[1].type_name), std::string::npos) << e.what();
    }
    EXPECT_NE(std::string(e.what()).find("NullType"), std::string::npos) << e.what();
  }
}

TEST_P(Reflection, OtherSchemaIsReflectedWithQualifiedNames) {
  if (!is("postgresql")) GTEST_SKIP() << "schemas: PostgreSQL";
  auto conn = engine_->connect();
  conn.exec_driver_sql("DROP SCHEMA IF EXISTS rfl_other CASCADE");
  conn.exec_driver_sql("CREATE SCHEMA rfl_other");
  conn.exec_driver_sql("CREATE TABLE rfl_other.t1 (id SERIAL PRIMARY KEY, tags INTEGER[])");
  conn.exec_driver_sql(
      "CREATE TABLE rfl_other.t2 (id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
      "t1_id INTEGER REFERENCES rfl_other.t1 (id) ON DELETE SET NULL DEFERRABLE INITIALLY "
      "DEFERRED, label VARCHAR(10) DEFAULT 'x')");
  conn.commit();
  auto insp = inspect(*engine_);
  const auto schemas = insp.get_schema_names();
  EXPECT_NE(std::find(schemas.begin(), schemas.end(), "rfl_other"), schemas.end());
  EXPECT_EQ(insp.get_table_names("rfl_other"), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_FALSE(insp.has_table("t1"));
  EXPECT_TRUE(insp.has_table("t1", "rfl_other"));
  const auto seqs = insp.get_sequence_names("rfl_other");
  EXPECT_NE(std::find(seqs.begin(), seqs.end(), "t1_id_seq"), seqs.end());
  const auto t1 = insp.get_columns("t1", "rfl_other");
  EXPECT_TRUE(t1[0].autoincrement);
  EXPECT_FALSE(t1[0].default_);  // the serial's nextval is not reported
  // An array reflects as the ARRAY plugin type of its element type.
  EXPECT_EQ(std::string(t1[1].type->type_name()), "plugin type 'int4_array'");
  EXPECT_EQ(t1[1].type_name, "integer[]");
  const auto t2 = insp.get_columns("t2", "rfl_other");
  EXPECT_EQ(t2[0].identity, 1);
  EXPECT_TRUE(t2[0].autoincrement);
  EXPECT_EQ(t2[2].default_, std::optional<std::string>("'x'"));
  const auto fks = insp.get_foreign_keys("t2", "rfl_other");
  ASSERT_EQ(fks.size(), 1u);
  EXPECT_EQ(fks[0].referred_schema, "rfl_other");
  EXPECT_EQ(fks[0].ondelete, "SET NULL");
  EXPECT_EQ(fks[0].deferrable, std::optional<bool>(true));
  EXPECT_EQ(fks[0].initially, "DEFERRED");
  MetaData md;
  md.reflect(*engine_, {.schema = "rfl_other", .only = {"t2"}});
  EXPECT_EQ(md.table_names(), (std::vector<std::string>{"rfl_other.t2", "rfl_other.t1"}));
  conn.exec_driver_sql("DROP SCHEMA rfl_other CASCADE");
  conn.commit();
}

INSTANTIATE_TEST_SUITE_P(Backends, Reflection, ::testing::Values("sqlite", "postgresql", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
