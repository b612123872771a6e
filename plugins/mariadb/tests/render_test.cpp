// plugins/mariadb/tests/render_test.cpp — the dialects' render hook, called as the compiler
// calls it.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/render_probe.hpp>

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

namespace retort::mariadb::test {
namespace {

using sdk::testing::RenderProbe;

const retort_dialect& dialect(const std::string& name) {
  return name == "mysql" ? mysql() : mariadb();
}

// A RETORT_CONSTRUCT_TYPE (or CAST_TYPE) probe for generic type `type`.
void type_attrs(RenderProbe& p, int64_t type) {
  p.int_attr("type", type);
}

// Renders `p` on both dialects and expects RETORT_OK and `sql` from each.
void expect_rendered(RenderProbe& p, const std::string& mysql_sql, const std::string& mariadb_sql) {
  for (const char* name : {"mysql", "mariadb"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(p.render(dialect(name)), RETORT_OK) << p.error_message();
    EXPECT_EQ(p.sql(), std::string(name) == "mysql" ? mysql_sql : mariadb_sql);
  }
}

// Expects RETORT_NOT_IMPLEMENTED (the core's default) and nothing written, on both dialects.
void expect_default(RenderProbe& p) {
  for (const char* name : {"mysql", "mariadb"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(p.render(dialect(name)), RETORT_NOT_IMPLEMENTED);
    EXPECT_EQ(p.sql(), "");
  }
}

// Expects an error status with `message` (`{}` replaced by the dialect's name) and nothing
// written.
void expect_refused(RenderProbe& p, const std::string& mysql_message,
                    const std::string& mariadb_message) {
  for (const char* name : {"mysql", "mariadb"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(p.render(dialect(name)), RETORT_INVALID_ARGUMENT);
    EXPECT_EQ(p.error_message(), std::string(name) == "mysql" ? mysql_message : mariadb_message);
    EXPECT_EQ(p.sql(), "");
  }
}

TEST(MysqlRenderType, SpellsBooleanDoubleDatetimeAsMysqlDoes) {
  RenderProbe b(RETORT_CONSTRUCT_TYPE);
  type_attrs(b, RETORT_GENERIC_BOOLEAN);
  expect_rendered(b, "BOOL", "BOOL");
  RenderProbe d(RETORT_CONSTRUCT_TYPE);
  type_attrs(d, RETORT_GENERIC_DOUBLE);
  expect_rendered(d, "DOUBLE", "DOUBLE");
  RenderProbe t(RETORT_CONSTRUCT_TYPE);
  type_attrs(t, RETORT_GENERIC_DATETIME);
  t.int_attr("timezone", 1);
  expect_rendered(t, "DATETIME", "DATETIME");
}

TEST(MysqlRenderType, LeavesStandardSpellingsToTheCore) {
  for (int64_t type : {RETORT_GENERIC_INTEGER, RETORT_GENERIC_SMALLINT, RETORT_GENERIC_BIGINT,
                       RETORT_GENERIC_FLOAT, RETORT_GENERIC_NUMERIC, RETORT_GENERIC_TEXT,
                       RETORT_GENERIC_DATE, RETORT_GENERIC_TIME, RETORT_GENERIC_JSON}) {
    SCOPED_TRACE(type);
    RenderProbe p(RETORT_CONSTRUCT_TYPE);
    type_attrs(p, type);
    expect_default(p);
  }
  RenderProbe s(RETORT_CONSTRUCT_TYPE);
  s.int_attr("type", RETORT_GENERIC_STRING).int_attr("length", 20);
  expect_default(s);
}

TEST(MysqlRenderType, VarcharWithoutLengthIsRefusedWithSqlalchemysMessage) {
  for (int64_t type : {RETORT_GENERIC_STRING, RETORT_GENERIC_UNICODE}) {
    RenderProbe p(RETORT_CONSTRUCT_TYPE);
    type_attrs(p, type);
    expect_refused(p, "VARCHAR requires a length on dialect mysql",
                   "VARCHAR requires a length on dialect mariadb");
  }
}

TEST(MysqlRenderType, IntervalHasNoColumnType) {
  RenderProbe p(RETORT_CONSTRUCT_TYPE);
  type_attrs(p, RETORT_GENERIC_INTERVAL);
  expect_refused(p, "MySQL has no INTERVAL column type", "MariaDB has no INTERVAL column type");
}

TEST(MysqlRenderType, LargeBinaryIsBlobWithOptionalLength) {
  RenderProbe p(RETORT_CONSTRUCT_TYPE);
  type_attrs(p, RETORT_GENERIC_LARGE_BINARY);
  expect_rendered(p, "BLOB", "BLOB");
  RenderProbe n(RETORT_CONSTRUCT_TYPE);
  n.int_attr("type", RETORT_GENERIC_LARGE_BINARY).int_attr("length", 1000);
  expect_rendered(n, "BLOB(1000)", "BLOB(1000)");
}

TEST(MysqlRenderType, UuidIsChar32OnMysqlAndNativeOnMariadb) {
  RenderProbe p(RETORT_CONSTRUCT_TYPE);
  type_attrs(p, RETORT_GENERIC_UUID);
  expect_rendered(p, "CHAR(32)", "UUID");
}

TEST(MysqlRenderType, EnumIsAnInlineEnumWithEscapedValues) {
  RenderProbe p(RETORT_CONSTRUCT_TYPE);
  p.int_attr("type", RETORT_GENERIC_ENUM).int_attr("length", 8).str_attr("name", "status_t");
  p.int_attr("value_count", 3).str_attr("value.0", "active").str_attr("value.1", "it's off");
  p.str_attr("value.2", "a\\b");
  expect_rendered(p, "ENUM('active','it''s off','a\\\\b')", "ENUM('active','it''s off','a\\\\b')");
}

TEST(MysqlRenderType, EnumWithoutValuesIsRefused) {
  RenderProbe p(RETORT_CONSTRUCT_TYPE);
  p.int_attr("type", RETORT_GENERIC_ENUM).int_attr("value_count", 0);
  expect_refused(p, "ENUM requires at least one value on dialect mysql",
                 "ENUM requires at least one value on dialect mariadb");
}

TEST(MysqlRenderCastType, MapsGenericTypesOntoCastTargets) {
  struct Case {
    int64_t type;
    const char* mysql;
    const char* mariadb;
  };
  for (const Case& c :
       {Case{RETORT_GENERIC_INTEGER, "SIGNED INTEGER", "SIGNED INTEGER"},
        Case{RETORT_GENERIC_SMALLINT, "SIGNED INTEGER", "SIGNED INTEGER"},
        Case{RETORT_GENERIC_BIGINT, "SIGNED INTEGER", "SIGNED INTEGER"},
        Case{RETORT_GENERIC_NUMERIC, "DECIMAL", "DECIMAL"},
        Case{RETORT_GENERIC_FLOAT, "FLOAT", "FLOAT"},
        Case{RETORT_GENERIC_DOUBLE, "DOUBLE", "DOUBLE"},
        Case{RETORT_GENERIC_STRING, "CHAR", "CHAR"}, Case{RETORT_GENERIC_TEXT, "CHAR", "CHAR"},
        Case{RETORT_GENERIC_DATE, "DATE", "DATE"}, Case{RETORT_GENERIC_TIME, "TIME", "TIME"},
        Case{RETORT_GENERIC_DATETIME, "DATETIME", "DATETIME"},
        Case{RETORT_GENERIC_LARGE_BINARY, "BINARY", "BINARY"},
        Case{RETORT_GENERIC_JSON, "JSON", "JSON"}, Case{RETORT_GENERIC_UUID, "CHAR(32)", "UUID"}}) {
    SCOPED_TRACE(c.type);
    RenderProbe p(RETORT_CONSTRUCT_CAST_TYPE);
    type_attrs(p, c.type);
    p.child("<ddl type>");
    expect_rendered(p, c.mysql, c.mariadb);
    EXPECT_EQ(p.emitted(0), 0);
  }
  RenderProbe n(RETORT_CONSTRUCT_CAST_TYPE);
  n.int_attr("type", RETORT_GENERIC_NUMERIC).int_attr("precision", 10).int_attr("scale", 2);
  expect_rendered(n, "DECIMAL(10, 2)", "DECIMAL(10, 2)");
  RenderProbe s(RETORT_CONSTRUCT_CAST_TYPE);
  s.int_attr("type", RETORT_GENERIC_UNICODE).int_attr("length", 20);
  expect_rendered(s, "CHAR(20)", "CHAR(20)");
}

TEST(MysqlRenderCastType, BooleanAndIntervalHaveNoCastTarget) {
  for (int64_t type : {RETORT_GENERIC_BOOLEAN, RETORT_GENERIC_INTERVAL}) {
    RenderProbe p(RETORT_CONSTRUCT_CAST_TYPE);
    type_attrs(p, type);
    p.child("<ddl type>");
    expect_refused(p, "MySQL has no CAST target for it", "MariaDB has no CAST target for it");
  }
}

TEST(MysqlRenderAutoincrement, PutsAutoIncrementAfterNotNull) {
  RenderProbe p(RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN);
  p.int_attr("type", RETORT_GENERIC_INTEGER).int_attr("server_default", 0);
  p.child("INTEGER").child(" NOT NULL");
  expect_rendered(p, "INTEGER NOT NULL AUTO_INCREMENT", "INTEGER NOT NULL AUTO_INCREMENT");
  EXPECT_EQ(p.emitted(0), 1);
  EXPECT_EQ(p.emitted(1), 1);
}

TEST(MysqlRenderAutoincrement, ServerDefaultKeepsThePlainColumn) {
  RenderProbe p(RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN);
  p.int_attr("type", RETORT_GENERIC_INTEGER).int_attr("server_default", 1);
  p.child("INTEGER").child(" DEFAULT 7 NOT NULL");
  expect_default(p);
}

TEST(MysqlRenderLimitOffset, LimitAloneIsTheCoreDefault) {
  RenderProbe p(RETORT_CONSTRUCT_LIMIT_OFFSET);
  p.int_attr("has_limit", 1).int_attr("has_offset", 0).child("?L").absent_child();
  expect_default(p);
}

TEST(MysqlRenderLimitOffset, OffsetComesFirst) {
  RenderProbe p(RETORT_CONSTRUCT_LIMIT_OFFSET);
  p.int_attr("has_limit", 1).int_attr("has_offset", 1).child("?L").child("?O");
  expect_rendered(p, " LIMIT ?O, ?L", " LIMIT ?O, ?L");
}

TEST(MysqlRenderLimitOffset, OffsetWithoutLimitUsesTheLargestRowCount) {
  RenderProbe p(RETORT_CONSTRUCT_LIMIT_OFFSET);
  p.int_attr("has_limit", 0).int_attr("has_offset", 1).absent_child().child("?O");
  expect_rendered(p, " LIMIT ?O, 18446744073709551615", " LIMIT ?O, 18446744073709551615");
}

TEST(MysqlRenderEmptySet, IsSqlalchemysDerivedTableWithoutCast) {
  RenderProbe p(RETORT_CONSTRUCT_EMPTY_SET);
  p.int_attr("type", RETORT_GENERIC_INTEGER).child("CAST(NULL AS SIGNED INTEGER)");
  expect_rendered(p, "SELECT 1 FROM (SELECT 1) as _empty_set WHERE 1!=1",
                  "SELECT 1 FROM (SELECT 1) as _empty_set WHERE 1!=1");
}

TEST(MysqlRender, UnknownConstructIsLeftToTheCore) {
  RenderProbe p(0x7fff0000u);
  expect_default(p);
}

}  // namespace
}  // namespace retort::mariadb::test
