// PostgreSQL arrays through the postgresql plugin's array types (plugin_type("int8_array"),
// …): bound and read as JSON arrays, stored as native arrays.  Needs
// RETORT_TEST_POSTGRESQL_URL.
#include "support/backend_url.hpp"

#include <retort/engine.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>
#include <retort/sql/types.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace retort;

class PgArrays : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string url = retort::testing::backend_url("postgresql", "arrays");
    if (url.empty()) GTEST_SKIP() << "RETORT_TEST_POSTGRESQL_URL is not set";
    engine_.emplace(create_engine(url));
    metadata_.drop_all(*engine_);
    metadata_.create_all(*engine_);
  }
  void TearDown() override {
    if (engine_) metadata_.drop_all(*engine_);
  }

  // Inserts `json` into `column` and reads it back through a compiled select.
  std::optional<std::string> round_trip(const std::string& column,
                                        std::optional<std::string> json) {
    auto conn = engine_->connect();
    conn.execute(delete_(table_));
    Params p{{"id", 1}};
    p.set(column, json ? Value(Json{*json}) : Value(nullptr));
    conn.execute(insert(table_), p);
    auto v = conn.execute(select(table_.c[column]).where(table_.c["id"] == 1))
                 .scalar_one<std::optional<Json>>();
    conn.commit();
    if (!v) return std::nullopt;
    return v->text;
  }
  std::string server_text(const std::string& column) {
    auto conn = engine_->connect();
    return conn.execute(text("SELECT " + column + "::text FROM xo_pg_arrays WHERE id = 1"))
        .scalar_one<std::string>();
  }

  MetaData metadata_;
  Table table_{
      "xo_pg_arrays",
      metadata_,
      {Column("id", Integer(), {.primary_key = true}), Column("ints", plugin_type("int8_array")),
       Column("smalls", plugin_type("int4_array")), Column("floats", plugin_type("float8_array")),
       Column("nums", plugin_type("numeric_array")), Column("flags", plugin_type("bool_array")),
       Column("texts", plugin_type("text_array")), Column("ids", plugin_type("uuid_array")),
       Column("days", plugin_type("date_array")),
       Column("stamps", plugin_type("timestamptz_array")),
       Column("addrs", plugin_type("inet_array"))}};
  std::optional<Engine> engine_;
};

TEST_F(PgArrays, ColumnsAreNativeArrays) {
  auto conn = engine_->connect();
  const auto type = [&](const char* column) {
    return conn
        .execute(text("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                      "WHERE attrelid = 'xo_pg_arrays'::regclass AND attname = :c"),
                 {{"c", column}})
        .scalar_one<std::string>();
  };
  EXPECT_EQ(type("ints"), "bigint[]");
  EXPECT_EQ(type("floats"), "double precision[]");
  EXPECT_EQ(type("texts"), "text[]");
  EXPECT_EQ(type("stamps"), "timestamp with time zone[]");
}

TEST_F(PgArrays, IntegersWithNullsExtremesEmptyAndTwoDimensions) {
  EXPECT_EQ(round_trip("ints", "[1,null,-9223372036854775808,9223372036854775807]"),
            "[1,null,-9223372036854775808,9223372036854775807]");
  EXPECT_EQ(server_text("ints"), "{1,NULL,-9223372036854775808,9223372036854775807}");
  EXPECT_EQ(round_trip("ints", "[]"), "[]");
  EXPECT_EQ(round_trip("ints", "[[1, 2], [3, null]]"), "[[1,2],[3,null]]");
  EXPECT_EQ(round_trip("smalls", "[ 7 , 8 ]"), "[7,8]");
  EXPECT_EQ(round_trip("ints", std::nullopt), std::nullopt);
  EXPECT_EQ(round_trip("ints", "[null]"), "[null]");
}

TEST_F(PgArrays, FloatsAndNumericsKeepTheirValuesNanAndInfinities) {
  EXPECT_EQ(round_trip("floats", R"([1.5,-0,1e300,"NaN","Infinity","-Infinity"])"),
            R"([1.5,-0,1e+300,"NaN","Infinity","-Infinity"])");
  EXPECT_EQ(round_trip("nums", R"([12.3400,-0.000001,"NaN"])"), R"([12.3400,-0.000001,"NaN"])");
}

TEST_F(PgArrays, BooleansAndUuidsAndDates) {
  EXPECT_EQ(round_trip("flags", "[true,false,null]"), "[true,false,null]");
  EXPECT_EQ(round_trip("ids", R"(["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"])"),
            R"(["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"])");
  EXPECT_EQ(round_trip("days", R"(["2024-02-29","infinity"])"), R"(["2024-02-29","infinity"])");
  EXPECT_EQ(round_trip("addrs", R"(["10.0.0.1","::1/128","192.168.0.0/16"])"),
            R"(["10.0.0.1","::1","192.168.0.0/16"])");
}

TEST_F(PgArrays, TextWithQuotesCommasBracesBackslashesSpacesUnicodeAndTheWordNull) {
  const std::string json =
      R"(["a\"b","c,d","{e}","back\\slash"," padded ","","NULL","null",null,"日本語 ✓","tab\tnl\n","\ud83d\ude00"])";
  EXPECT_EQ(
      round_trip("texts", json),
      R"(["a\"b","c,d","{e}","back\\slash"," padded ","","NULL","null",null,"日本語 ✓","tab\tnl\n","😀"])");
  auto conn = engine_->connect();
  // Stored as the elements themselves, not as JSON text.
  EXPECT_EQ(conn.execute(text("SELECT texts[1] || '|' || texts[4] || '|' || texts[7] || '|' || "
                              "(texts[9] IS NULL)::text FROM xo_pg_arrays"))
                .scalar_one<std::string>(),
            "a\"b|back\\slash|NULL|true");
}

TEST_F(PgArrays, TimestamptzElementsAreTheServersText) {
  auto conn = engine_->connect();
  conn.execute(text("SET TIME ZONE 'UTC'"));
  conn.execute(insert(table_), {{"id", 1}, {"stamps", Json{R"(["2024-01-01 12:00:00+02"])"}}});
  EXPECT_EQ(conn.execute(select(table_.c["stamps"])).scalar_one<Json>().text,
            R"(["2024-01-01 10:00:00+00"])");
  conn.rollback();
}

TEST_F(PgArrays, WhatIsNotAJsonArrayIsAnErrorNamingTheProblem) {
  auto conn = engine_->connect();
  for (const char* bad : {R"({"a": 1})", "[1,", "[{\"x\":1}]", "42", R"(["\u0000"])"}) {
    try {
      conn.execute(insert(table_), {{"id", 1}, {"ints", Json{bad}}});
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot bind as an array"), std::string::npos)
          << e.what();
    }
    conn.rollback();
  }
  // Element syntax is the server's to check.
  EXPECT_THROW(conn.execute(insert(table_), {{"id", 1}, {"ints", Json{R"(["x"])"}}}), DBAPIError);
}

}  // namespace
