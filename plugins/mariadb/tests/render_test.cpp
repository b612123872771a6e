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
  expect_rendered(t, "DATETIME(6)", "DATETIME(6)");
  RenderProbe tm(RETORT_CONSTRUCT_TYPE);
  type_attrs(tm, RETORT_GENERIC_TIME);
  expect_rendered(tm, "TIME(6)", "TIME(6)");
}

TEST(MysqlRenderType, LeavesStandardSpellingsToTheCore) {
  for (int64_t type : {RETORT_GENERIC_INTEGER, RETORT_GENERIC_SMALLINT, RETORT_GENERIC_BIGINT,
                       RETORT_GENERIC_FLOAT, RETORT_GENERIC_NUMERIC, RETORT_GENERIC_TEXT,
                       RETORT_GENERIC_DATE, RETORT_GENERIC_JSON}) {
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

TEST(MysqlRenderType, IntervalIsStoredAsADatetimeOffsetFromTheEpoch) {
  RenderProbe p(RETORT_CONSTRUCT_TYPE);
  type_attrs(p, RETORT_GENERIC_INTERVAL);
  expect_rendered(p, "DATETIME(6)", "DATETIME(6)");
}

TEST(MysqlRenderType, UuidIsNativeOnlyOnMariadb107AndLater) {
  RenderProbe unknown(RETORT_CONSTRUCT_TYPE);
  type_attrs(unknown, RETORT_GENERIC_UUID);
  expect_rendered(unknown, "CHAR(32)", "UUID");
  RenderProbe old(RETORT_CONSTRUCT_TYPE);
  type_attrs(old, RETORT_GENERIC_UUID);
  old.server_version("10.6.16-MariaDB");
  expect_rendered(old, "CHAR(32)", "CHAR(32)");
  RenderProbe mysql8(RETORT_CONSTRUCT_TYPE);
  type_attrs(mysql8, RETORT_GENERIC_UUID);
  mysql8.server_version("8.0.36");
  expect_rendered(mysql8, "CHAR(32)", "CHAR(32)");
  RenderProbe now(RETORT_CONSTRUCT_TYPE);
  type_attrs(now, RETORT_GENERIC_UUID);
  now.server_version("10.11.6-MariaDB-0+deb12u1");
  expect_rendered(now, "CHAR(32)", "UUID");
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

TEST(MysqlRenderExpression, ConcatIsTheConcatFunction) {
  RenderProbe p(RETORT_CONSTRUCT_CONCAT);
  p.child("a").child("?").child("b");
  expect_rendered(p, "concat(a, ?, b)", "concat(a, ?, b)");
}

TEST(MysqlRenderExpression, IsDistinctFromIsTheNullSafeEquality) {
  RenderProbe d(RETORT_CONSTRUCT_IS_DISTINCT_FROM);
  d.int_attr("negate", 0).child("a").child("b");
  expect_rendered(d, "NOT (a <=> b)", "NOT (a <=> b)");
  RenderProbe n(RETORT_CONSTRUCT_IS_DISTINCT_FROM);
  n.int_attr("negate", 1).child("a").child("b");
  expect_rendered(n, "a <=> b", "a <=> b");
}

TEST(MysqlRenderExpression, AggregateFilterIsRefused) {
  RenderProbe p(RETORT_CONSTRUCT_AGGREGATE_FILTER);
  p.child("count(*)").child("x > ?");
  const std::string hint =
      " has no FILTER clause; put a CASE expression inside the aggregate instead "
      "(count(CASE WHEN … THEN 1 END))";
  expect_refused(p, "MySQL" + hint, "MariaDB" + hint);
}

TEST(MysqlRenderExpression, NullsOrderIsEmulatedWithIsNull) {
  RenderProbe f(RETORT_CONSTRUCT_NULLS_ORDER);
  f.int_attr("nulls_first", 1).int_attr("direction", 2).child("x DESC").child("x");
  expect_rendered(f, "x IS NULL DESC, x DESC", "x IS NULL DESC, x DESC");
  RenderProbe l(RETORT_CONSTRUCT_NULLS_ORDER);
  l.int_attr("nulls_first", 0).int_attr("direction", 0).child("x").child("x");
  expect_rendered(l, "x IS NULL, x", "x IS NULL, x");
}

TEST(MysqlRenderExpression, RandomIsRandOtherFunctionsAreTheDefault) {
  RenderProbe r(RETORT_CONSTRUCT_FUNCTION);
  r.str_attr("name", "random").int_attr("count_star", 0);
  expect_rendered(r, "rand()", "rand()");
  RenderProbe seeded(RETORT_CONSTRUCT_FUNCTION);
  seeded.str_attr("name", "random").int_attr("count_star", 0).child("?");
  expect_rendered(seeded, "rand(?)", "rand(?)");
  RenderProbe other(RETORT_CONSTRUCT_FUNCTION);
  other.str_attr("name", "lower").int_attr("count_star", 0).child("x");
  expect_default(other);
}

TEST(MysqlRenderExpression, BetweenSymmetricIsTwoBetweens) {
  RenderProbe p(RETORT_CONSTRUCT_BETWEEN_SYMMETRIC);
  p.child("x").child("?1").child("?2");
  expect_rendered(p, "(x BETWEEN ?1 AND ?2 OR x BETWEEN ?2 AND ?1)",
                  "(x BETWEEN ?1 AND ?2 OR x BETWEEN ?2 AND ?1)");
}

TEST(MysqlRenderExpression, IlikeIsTheCoresLowerLikeWhoseLiteralDoublesBackslashes) {
  RenderProbe b(RETORT_CONSTRUCT_ILIKE);
  b.int_attr("negate", 1).int_attr("has_escape", 1).str_attr("escape", "\\");
  b.child("x").child("?").child("'\\\\'");
  expect_default(b);
  EXPECT_EQ(mysql().backslash_escapes, 1u);
  EXPECT_EQ(mariadb().backslash_escapes, 1u);
}

TEST(MysqlRenderExpression, BitwiseOperatorsAreCastToSigned) {
  const std::pair<int64_t, const char*> cases[] = {
      {RETORT_BITWISE_AND, "CAST(a & b AS SIGNED)"},
      {RETORT_BITWISE_OR, "CAST(a | b AS SIGNED)"},
      {RETORT_BITWISE_XOR, "CAST(a ^ b AS SIGNED)"},
      {RETORT_BITWISE_NOT, "CAST(~a AS SIGNED)"},
      {RETORT_BITWISE_LSHIFT, "CAST(a << b AS SIGNED)"},
      {RETORT_BITWISE_RSHIFT, "CAST(a >> b AS SIGNED)"}};
  for (const auto& [op, sql] : cases) {
    RenderProbe p(RETORT_CONSTRUCT_BITWISE);
    p.int_attr("operator", op).child("a");
    if (op != RETORT_BITWISE_NOT) p.child("b");
    expect_rendered(p, sql, sql);
  }
}

TEST(MysqlRenderDdl, CreateIndexIfNotExistsOnMariadbButNotOnMysql) {
  RenderProbe unknown(RETORT_CONSTRUCT_CREATE_INDEX);
  unknown.int_attr("if_not_exists", 1);
  expect_default(unknown);
  RenderProbe maria(RETORT_CONSTRUCT_CREATE_INDEX);
  maria.int_attr("if_not_exists", 1).server_version("10.11.6-MariaDB");
  expect_default(maria);
  RenderProbe mysql8(RETORT_CONSTRUCT_CREATE_INDEX);
  mysql8.int_attr("if_not_exists", 1).server_version("8.0.36");
  expect_refused(mysql8,
                 "MySQL has no CREATE INDEX IF NOT EXISTS; create the index without checkfirst, "
                 "or check the information_schema first",
                 "MySQL has no CREATE INDEX IF NOT EXISTS; create the index without checkfirst, "
                 "or check the information_schema first");
}

TEST(MysqlRenderDml, OnDuplicateKeyUsesTheRowAliasOnlyOnMysql8019AndLater) {
  for (const char* version : {"", "10.11.6-MariaDB", "8.0.18"}) {
    SCOPED_TRACE(version);
    RenderProbe p(RETORT_CONSTRUCT_ON_DUPLICATE_KEY_UPDATE);
    p.child("a = <v>");
    if (*version) p.server_version(version);
    expect_rendered(p, " ON DUPLICATE KEY UPDATE a = <v>", " ON DUPLICATE KEY UPDATE a = <v>");
    RenderProbe e(RETORT_CONSTRUCT_EXCLUDED_COLUMN);
    e.int_attr("context", 2).str_attr("name", "a");
    if (*version) e.server_version(version);
    expect_rendered(e, "VALUES(`a`)", "VALUES(`a`)");
  }
  RenderProbe p(RETORT_CONSTRUCT_ON_DUPLICATE_KEY_UPDATE);
  p.child("a = <v>").server_version("8.0.19");
  expect_rendered(p, " AS new ON DUPLICATE KEY UPDATE a = <v>",
                  " AS new ON DUPLICATE KEY UPDATE a = <v>");
  RenderProbe e(RETORT_CONSTRUCT_EXCLUDED_COLUMN);
  e.int_attr("context", 2).str_attr("name", "a").server_version("8.4.0");
  expect_rendered(e, "new.`a`", "new.`a`");
}

TEST(MysqlRenderSelect, SharedLocksUseMariadbSyntaxOnAMariadbServer) {
  RenderProbe p(RETORT_CONSTRUCT_FOR_UPDATE);
  p.int_attr("read", 1).server_version("10.11.6-MariaDB");
  expect_rendered(p, " LOCK IN SHARE MODE", " LOCK IN SHARE MODE");
}

TEST(MysqlDialect, CapabilitiesFollowTheServerVersion) {
  ASSERT_NE(mariadb().capabilities_for, nullptr);
  const uint64_t caps = mariadb().capabilities;
  const uint64_t v1011 = mariadb().capabilities_for("10.11.6-MariaDB-0+deb12u1", caps);
  EXPECT_EQ(v1011, caps);
  const uint64_t v104 = mariadb().capabilities_for("10.4.32-MariaDB", caps);
  EXPECT_EQ(v104 & RETORT_CAP_RETURNING, 0u);
  EXPECT_NE(v104 & RETORT_CAP_SEQUENCES, 0u);
  EXPECT_EQ(v104 & RETORT_CAP_NATIVE_UUID, 0u);
  const uint64_t v102 = mariadb().capabilities_for("5.5.5-10.2.44-MariaDB", caps);
  EXPECT_EQ(v102 & RETORT_CAP_SEQUENCES, 0u);
  const uint64_t mysql8 = mariadb().capabilities_for("8.0.36", caps);
  EXPECT_EQ(mysql8 & (RETORT_CAP_RETURNING | RETORT_CAP_SEQUENCES | RETORT_CAP_NATIVE_UUID), 0u);
  ASSERT_NE(mysql().capabilities_for, nullptr);
  EXPECT_EQ(mysql().capabilities_for("10.11.6-MariaDB", mysql().capabilities),
            mysql().capabilities & ~RETORT_CAP_NAMED_COLUMN_CHECKS);
  EXPECT_EQ(mysql().capabilities_for("8.0.36", mysql().capabilities), mysql().capabilities);
}

TEST(MysqlRenderSelect, LateralOnMysqlOnly) {
  RenderProbe p(RETORT_CONSTRUCT_LATERAL);
  p.child("(SELECT 1) AS l");
  EXPECT_EQ(p.render(mysql()), RETORT_NOT_IMPLEMENTED);
  EXPECT_EQ(p.render(mariadb()), RETORT_INVALID_ARGUMENT);
  EXPECT_EQ(p.error_message(), "MariaDB has no LATERAL derived tables");
  EXPECT_EQ(p.sql(), "");
}

TEST(MysqlRenderSelect, SetOperatorsAnyAllAndDistinctOnAreTheDefault) {
  RenderProbe set(RETORT_CONSTRUCT_SET_OPERATOR);
  set.int_attr("operator", RETORT_SET_OPERATION_EXCEPT).int_attr("all", 1);
  expect_default(set);
  RenderProbe any(RETORT_CONSTRUCT_ANY_ALL);
  any.int_attr("all", 0).child("(SELECT 1)");
  expect_default(any);
  RenderProbe on(RETORT_CONSTRUCT_DISTINCT_ON);
  on.child("a, b");
  expect_default(on);
}

TEST(MysqlRenderSelect, ForUpdateSpellings) {
  RenderProbe u(RETORT_CONSTRUCT_FOR_UPDATE);
  u.int_attr("read", 0).int_attr("nowait", 1).int_attr("has_of", 0);
  expect_rendered(u, " FOR UPDATE NOWAIT", " FOR UPDATE NOWAIT");
  RenderProbe s(RETORT_CONSTRUCT_FOR_UPDATE);
  s.int_attr("read", 1).int_attr("skip_locked", 1).int_attr("has_of", 0);
  expect_rendered(s, " FOR SHARE SKIP LOCKED", " LOCK IN SHARE MODE SKIP LOCKED");
  RenderProbe of(RETORT_CONSTRUCT_FOR_UPDATE);
  of.int_attr("read", 0).int_attr("has_of", 1).child("t1, t2");
  EXPECT_EQ(of.render(mysql()), RETORT_OK);
  EXPECT_EQ(of.sql(), " FOR UPDATE OF t1, t2");
  EXPECT_EQ(of.render(mariadb()), RETORT_INVALID_ARGUMENT);
  EXPECT_EQ(of.error_message(), "MariaDB cannot name the locked tables (no FOR UPDATE OF)");
  EXPECT_EQ(of.sql(), "");
  RenderProbe k(RETORT_CONSTRUCT_FOR_UPDATE);
  k.int_attr("read", 0).int_attr("key_share", 1);
  expect_refused(k, "MySQL has no FOR NO KEY UPDATE lock", "MariaDB has no FOR NO KEY UPDATE lock");
}

TEST(MysqlRenderSelect, FullJoinIsRefused) {
  RenderProbe p(RETORT_CONSTRUCT_FULL_JOIN);
  expect_refused(p, "MySQL has no FULL OUTER JOIN", "MariaDB has no FULL OUTER JOIN");
}

TEST(MysqlRenderDml, ReturningOnMariadbInsertAndDelete) {
  for (int64_t statement : {1, 3}) {
    RenderProbe p(RETORT_CONSTRUCT_RETURNING);
    p.int_attr("statement", statement).child("t.id");
    EXPECT_EQ(p.render(mariadb()), RETORT_OK) << p.error_message();
    EXPECT_EQ(p.sql(), " RETURNING t.id");
    EXPECT_EQ(p.render(mysql()), RETORT_INVALID_ARGUMENT);
    EXPECT_EQ(p.error_message(), "MySQL has no RETURNING clause");
  }
  RenderProbe u(RETORT_CONSTRUCT_RETURNING);
  u.int_attr("statement", 2).child("t.id");
  expect_refused(u, "MySQL has no RETURNING clause",
                 "MariaDB has RETURNING for INSERT and DELETE only, not for UPDATE");
}

TEST(MysqlRenderDml, MultiTableUpdateAndDelete) {
  RenderProbe u(RETORT_CONSTRUCT_MULTI_TABLE_UPDATE);
  u.int_attr("has_where", 1).child("t").child("o, p").child("x=?").child("t.id = o.id");
  u.child("t.x=?");
  expect_rendered(u, "UPDATE t, o, p SET t.x=? WHERE t.id = o.id",
                  "UPDATE t, o, p SET t.x=? WHERE t.id = o.id");
  EXPECT_EQ(u.emitted(2), 0);
  RenderProbe d(RETORT_CONSTRUCT_MULTI_TABLE_DELETE);
  d.int_attr("has_where", 1).child("t").child("o").child("t.id = o.id");
  expect_rendered(d, "DELETE FROM t USING t, o WHERE t.id = o.id",
                  "DELETE FROM t USING t, o WHERE t.id = o.id");
}

TEST(MysqlRenderDml, OnDuplicateKeyUpdateWithValuesOfExcludedColumns) {
  RenderProbe p(RETORT_CONSTRUCT_ON_DUPLICATE_KEY_UPDATE);
  p.child("a = VALUES(a)");
  expect_rendered(p, " ON DUPLICATE KEY UPDATE a = VALUES(a)",
                  " ON DUPLICATE KEY UPDATE a = VALUES(a)");
  RenderProbe e(RETORT_CONSTRUCT_EXCLUDED_COLUMN);
  e.str_attr("name", "order").int_attr("context", 2);
  expect_rendered(e, "VALUES(`order`)", "VALUES(`order`)");
  RenderProbe c(RETORT_CONSTRUCT_ON_CONFLICT);
  c.int_attr("do_update", 0).int_attr("has_target", 0);
  expect_default(c);
}

TEST(MysqlRenderDdl, InlineCommentsForColumnsAndTables) {
  RenderProbe col(RETORT_CONSTRUCT_INLINE_COMMENT);
  col.str_attr("comment", "it's a\\b").int_attr("table", 0).child("'it''s a\\b'");
  expect_rendered(col, " COMMENT 'it''s a\\\\b'", " COMMENT 'it''s a\\\\b'");
  RenderProbe table(RETORT_CONSTRUCT_INLINE_COMMENT);
  table.str_attr("comment", "t").int_attr("table", 1).child("'t'");
  expect_rendered(table, " COMMENT='t'", " COMMENT='t'");
}

TEST(MysqlRenderDdl, NextValueIsNextval) {
  RenderProbe p(RETORT_CONSTRUCT_NEXT_VALUE);
  p.str_attr("name", "seq").str_attr("schema", "app");
  EXPECT_EQ(p.render(mariadb()), RETORT_OK);
  EXPECT_EQ(p.sql(), "nextval(`app`.`seq`)");  // the probe quotes every identifier
}

TEST(MysqlRender, UnknownConstructIsLeftToTheCore) {
  RenderProbe p(0x7fff0000u);
  expect_default(p);
}

}  // namespace
}  // namespace retort::mariadb::test
