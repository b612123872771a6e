// The dialect plugins' reflection parsing, without a database: SQLite's declared types and
// CREATE statements, PostgreSQL's format_type() spellings and defaults, MySQL's ENUM column
// types and CHECK clauses.
#include "../plugins/mariadb/reflection.hpp"
#include "../plugins/mariadb/unsigned_type.hpp"
#include "../plugins/postgresql/reflection.hpp"
#include "../plugins/sqlite/reflection.hpp"

#include <gtest/gtest.h>

namespace {

using StringList = std::vector<std::string>;

TEST(SqliteReflection, DeclaredTypesMapToGenericTypesWithTheirParameters) {
  using retort::sqlite::map_type;
  EXPECT_EQ(map_type("VARCHAR(20)").generic, RETORT_GENERIC_STRING);
  EXPECT_EQ(map_type("VARCHAR(20)").length, 20);
  EXPECT_EQ(map_type("numeric(10, 2)").precision, 10);
  EXPECT_EQ(map_type("numeric(10, 2)").scale, 2);
  EXPECT_EQ(map_type("DOUBLE PRECISION").generic, RETORT_GENERIC_DOUBLE);
  EXPECT_EQ(map_type("DATETIME").generic, RETORT_GENERIC_DATETIME);
  EXPECT_EQ(map_type("BOOLEAN").generic, RETORT_GENERIC_BOOLEAN);
  EXPECT_EQ(map_type("BLOB").generic, RETORT_GENERIC_LARGE_BINARY);
  // SQLite's affinity rules for names it does not know; no type at all is NullType.
  EXPECT_EQ(map_type("UNSIGNED BIG INT").generic, RETORT_GENERIC_INTEGER);
  EXPECT_EQ(map_type("NATIVE CHARACTER(70)").generic, RETORT_GENERIC_TEXT);
  EXPECT_EQ(map_type("FLOAT8").generic, RETORT_GENERIC_FLOAT);
  // Rule 1 comes first: "FLOATING POINT" contains "INT" (SQLite's documented example).
  EXPECT_EQ(map_type("FLOATING POINT").generic, RETORT_GENERIC_INTEGER);
  EXPECT_EQ(map_type("MONEY").generic, RETORT_GENERIC_NUMERIC);
  EXPECT_EQ(map_type("").generic, RETORT_GENERIC_NULL);
}

TEST(SqliteReflection, CreateTableGivesConstraintNamesAndChecks) {
  const auto info = retort::sqlite::parse_create_table(
      "CREATE TABLE \"t\" (id INTEGER, a INT CHECK (a > 0), \"b c\" TEXT, -- note (\n"
      "  CONSTRAINT pk_t PRIMARY KEY (id), CONSTRAINT \"uq ab\" UNIQUE (a, \"b c\"),\n"
      "  CONSTRAINT fk_t FOREIGN KEY (a) REFERENCES o (id),\n"
      "  CONSTRAINT ck_len CHECK (length(\"b c\") < 5 AND ')' <> '('))");
  EXPECT_EQ(info.primary_key_name, "pk_t");
  ASSERT_EQ(info.uniques.size(), 1u);
  EXPECT_EQ(info.uniques[0].name, "uq ab");
  EXPECT_EQ(info.uniques[0].columns, (StringList{"a", "b c"}));
  ASSERT_EQ(info.foreign_keys.size(), 1u);
  EXPECT_EQ(info.foreign_keys[0].name, "fk_t");
  ASSERT_EQ(info.checks.size(), 2u);
  EXPECT_EQ(info.checks[0].name, "");
  EXPECT_EQ(info.checks[0].sqltext, "a > 0");
  EXPECT_EQ(info.checks[1].name, "ck_len");
  EXPECT_EQ(info.checks[1].sqltext, "length(\"b c\") < 5 AND ')' <> '('");
}

TEST(SqliteReflection, IndexElementsSplitAtTopLevelCommas) {
  EXPECT_EQ(retort::sqlite::parse_index_elements(
                "CREATE INDEX ix ON t (lower(name), substr(a, 1, 2) DESC, b)"),
            (StringList{"lower(name)", "substr(a, 1, 2)", "b"}));
}

TEST(SqliteReflection, PartialIndexPredicateIsWhatFollowsWhere) {
  using retort::sqlite::parse_index_where;
  EXPECT_EQ(parse_index_where("CREATE INDEX ix ON t (a, lower(b)) WHERE a > 0 AND b IS NOT NULL"),
            "a > 0 AND b IS NOT NULL");
  EXPECT_EQ(parse_index_where("CREATE UNIQUE INDEX \"where\" ON \"t\" (\"where\")"), "");
  EXPECT_EQ(parse_index_where("CREATE INDEX ix ON t (a) where (a IN (1, 2))"), "(a IN (1, 2))");
}

TEST(MariadbReflection, UnsignedColumnTypesMapToTheUnsignedPluginTypes) {
  using retort::mariadb::unsigned_type_for;
  EXPECT_STREQ(unsigned_type_for("int(10) unsigned"), "int_unsigned");
  EXPECT_STREQ(unsigned_type_for("int unsigned"), "int_unsigned");
  EXPECT_STREQ(unsigned_type_for("tinyint(3) unsigned zerofill"), "tinyint_unsigned");
  EXPECT_STREQ(unsigned_type_for("bigint(20) unsigned"), "bigint_unsigned");
  EXPECT_STREQ(unsigned_type_for("mediumint(8) unsigned"), "mediumint_unsigned");
  EXPECT_EQ(unsigned_type_for("int(11)"), nullptr);
  EXPECT_EQ(unsigned_type_for("decimal(10,2) unsigned"), nullptr);
}

TEST(PostgresqlReflection, FormatTypeSpellingsMapToGenericTypes) {
  using retort::postgresql::map_type;
  EXPECT_EQ(map_type("character varying(20)").length, 20);
  EXPECT_EQ(map_type("numeric(10,2)").scale, 2);
  EXPECT_EQ(map_type("timestamp(3) with time zone").generic, RETORT_GENERIC_DATETIME);
  EXPECT_TRUE(map_type("timestamp(3) with time zone").timezone);
  EXPECT_FALSE(map_type("timestamp without time zone").timezone);
  EXPECT_EQ(map_type("interval day to second").generic, RETORT_GENERIC_INTERVAL);
  EXPECT_EQ(map_type("real").precision, 24);
  EXPECT_EQ(map_type("jsonb").generic, RETORT_GENERIC_JSON);
  EXPECT_EQ(map_type("integer[]").generic, RETORT_GENERIC_NULL);
  EXPECT_EQ(map_type("tsvector").generic, RETORT_GENERIC_NULL);
}

TEST(PostgresqlReflection, LiteralDefaultsLoseTheirCasts) {
  using retort::postgresql::normalize_default;
  EXPECT_EQ(normalize_default("'abc'::character varying"), "'abc'");
  EXPECT_EQ(normalize_default("'it''s'::text"), "'it''s'");
  EXPECT_EQ(normalize_default("'2020-01-01 00:00:00'::timestamp without time zone"),
            "'2020-01-01 00:00:00'");
  EXPECT_EQ(normalize_default("NULL::character varying"), "NULL");
  EXPECT_EQ(normalize_default("now()"), "now()");
  EXPECT_EQ(normalize_default("('a'::text || 'b'::text)"), "('a'::text || 'b'::text)");
  EXPECT_EQ(normalize_default("0"), "0");
}

TEST(MariadbReflection, EnumValuesAreUnescaped) {
  EXPECT_EQ(retort::mariadb::parse_enum_values("enum('a','b''c','d,e')"),
            (StringList{"a", "b'c", "d,e"}));
}

TEST(MariadbReflection, ChecksBecomePortableSql) {
  using retort::mariadb::portable_sql;
  EXPECT_EQ(portable_sql("(`price` >= 0)"), "price >= 0");
  EXPECT_EQ(portable_sql("`a b` > 0 and `x` <> '`y`'"), "`a b` > 0 and x <> '`y`'");
  EXPECT_EQ(portable_sql("(`a` > 0) and (`b` > 0)"), "(a > 0) and (b > 0)");
  EXPECT_EQ(portable_sql("json_valid(`doc`)"), "json_valid(doc)");
}

}  // namespace
