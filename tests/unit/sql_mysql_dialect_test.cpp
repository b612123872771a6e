// Compile tests for the `mysql` and `mariadb` dialects (plugins/mariadb): the exact SQL of
// everything the compiler renders, as SQLAlchemy's MySQL and MariaDB dialects render it, and
// the errors.
#include "sql/nodes.hpp"
#include "support/sql_expect.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>
#include <retort/url.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace retort;
using retort::testing::expect_compile_error;
using retort::testing::expect_sql;

struct Schema {
  MetaData metadata;
  Table users{"my_users",
              metadata,
              {Column("id", Integer(), {.primary_key = true}),
               Column("name", String(50), {.nullable = false}), Column("order", Integer())}};
  Table addresses{"my_addresses",
                  metadata,
                  {Column("id", Integer(), {.primary_key = true}),
                   Column("user_id", Integer(), {.foreign_key = ForeignKey("my_users.id")}),
                   Column("email", String(100))}};
};

// The same SQL on both dialects.
void expect_mysql(const Executable& stmt, std::string_view sql) {
  expect_sql(stmt, {{"mysql", sql}, {"mariadb", sql}});
}

// Expanded for execution (expanding IN lists filled in), on both dialects.
void expect_mysql_expanded(const Executable& stmt, const std::string& sql) {
  for (const char* dialect : {"mysql", "mariadb"}) {
    SCOPED_TRACE(dialect);
    EXPECT_EQ(stmt.compile(dialect).expand().sql, sql);
  }
}

TEST(SqlMysqlSelect, WhereLimitOffsetPutsTheOffsetFirst) {
  Schema s;
  auto stmt =
      select(s.users.c["id"], s.users.c["name"]).where(s.users.c["id"] == 5).limit(10).offset(20);
  expect_mysql(stmt,
               "SELECT my_users.id, my_users.name FROM my_users WHERE my_users.id = ? LIMIT ?, ?");
  // Placeholders are positional: the offset's value comes before the limit's.
  const Compiled c = stmt.compile("mysql");
  ASSERT_EQ(c.parameters.size(), 3u);
  EXPECT_EQ(c.parameters[0].value, Value(5));
  EXPECT_EQ(c.parameters[1].value, Value(20));
  EXPECT_EQ(c.parameters[2].value, Value(10));
}

TEST(SqlMysqlSelect, LimitAloneAndOffsetAlone) {
  Schema s;
  expect_mysql(select(s.users.c["id"]).limit(3), "SELECT my_users.id FROM my_users LIMIT ?");
  // MySQL has no OFFSET without LIMIT: the largest row count, as SQLAlchemy renders it.
  expect_mysql(select(s.users.c["id"]).offset(3),
               "SELECT my_users.id FROM my_users LIMIT ?, 18446744073709551615");
}

TEST(SqlMysqlSelect, ReservedWordsAreQuotedWithBackticks) {
  Schema s;
  expect_mysql(select(s.users),
               "SELECT my_users.id, my_users.name, my_users.`order` FROM my_users");
  MetaData md;
  // `rank` and `lateral` are reserved by MySQL 8.0 only; `offset` and `returning` by MariaDB
  // only.
  Table t("Odd`Name", md,
          {Column("rank", Integer()), Column("lateral", Integer()), Column("offset", Integer()),
           Column("returning", Integer()), Column("status", Integer())});
  expect_sql(select(t), {{"mysql",
                          "SELECT `Odd``Name`.`rank`, `Odd``Name`.`lateral`, `Odd``Name`.offset, "
                          "`Odd``Name`.returning, `Odd``Name`.status FROM `Odd``Name`"},
                         {"mariadb",
                          "SELECT `Odd``Name`.rank, `Odd``Name`.lateral, `Odd``Name`.`offset`, "
                          "`Odd``Name`.`returning`, `Odd``Name`.status FROM `Odd``Name`"}});
}

TEST(SqlMysqlSelect, JoinGroupByHavingOrderByDistinct) {
  Schema s;
  auto u = s.users.alias("u");
  auto stmt = select(u.c["name"], func::count(u.c["id"]), func::max(u.c["id"]).label("top"))
                  .group_by(u.c["name"])
                  .having(func::count(u.c["id"]) > 1)
                  .order_by(u.c["name"].desc(), func::count().asc())
                  .distinct();
  expect_mysql(stmt,
               "SELECT DISTINCT u.name, count(u.id) AS count_1, max(u.id) AS top FROM my_users "
               "AS u GROUP BY u.name HAVING count(u.id) > ? ORDER BY u.name DESC, count(*) ASC");
  expect_mysql(select(s.users.c["name"], s.addresses.c["email"])
                   .join(s.addresses)
                   .where(s.addresses.c["email"].like("%@x")),
               "SELECT my_users.name, my_addresses.email FROM my_users JOIN my_addresses ON "
               "my_users.id = my_addresses.user_id WHERE my_addresses.email LIKE ?");
  auto j = s.users.outerjoin(s.addresses, s.users.c["id"] == s.addresses.c["id"]);
  expect_mysql(select(s.users.c["id"]).select_from(j),
               "SELECT my_users.id FROM my_users LEFT OUTER JOIN my_addresses ON my_users.id = "
               "my_addresses.id");
}

TEST(SqlMysqlSelect, OperatorsBooleansAndFunctions) {
  Schema s;
  auto id = s.users.c["id"];
  auto name = s.users.c["name"];
  auto stmt = select((id + 1) * 2, func::coalesce(name, "none"), func::now())
                  .where(and_(name.ilike("B%"), id.between(1, 9), name.is_(null()),
                              or_(true_(), false_()), !(id == 3)));
  // ILIKE is lower() LIKE lower(), as SQLAlchemy renders it for MySQL.
  expect_mysql(
      stmt,
      "SELECT (my_users.id + ?) * ? AS anon_1, coalesce(my_users.name, ?) AS "
      "coalesce_1, CURRENT_TIMESTAMP AS now_1 FROM my_users WHERE lower(my_users.name) LIKE "
      "lower(?) AND my_users.id BETWEEN ? AND ? AND my_users.name IS NULL AND (true OR "
      "false) AND NOT (my_users.id = ?)");
}

TEST(SqlMysqlSelect, ExpandingInExpandsToQmarks) {
  Schema s;
  auto id = s.users.c["id"];
  auto stmt = select(id).where(id.in_({1, 2, 3})).where(s.users.c["name"] == bindparam("n"));
  expect_mysql(stmt,
               "SELECT my_users.id FROM my_users WHERE my_users.id IN (__[POSTCOMPILE_id_1]) AND "
               "my_users.name = ?");
  expect_mysql_expanded(
      stmt,
      "SELECT my_users.id FROM my_users WHERE my_users.id IN (?, ?, ?) AND my_users.name = ?");
}

TEST(SqlMysqlSelect, EmptyInIsSqlalchemysDerivedTable) {
  Schema s;
  auto id = s.users.c["id"];
  auto name = s.users.c["name"];
  expect_mysql_expanded(select(id).where(id.in_({})),
                        "SELECT my_users.id FROM my_users WHERE my_users.id IN (SELECT 1 FROM "
                        "(SELECT 1) as _empty_set WHERE 1!=1)");
  expect_mysql_expanded(select(id).where(name.not_in({})),
                        "SELECT my_users.id FROM my_users WHERE my_users.name NOT IN (SELECT 1 "
                        "FROM (SELECT 1) as _empty_set WHERE 1!=1)");
  // Untyped and Boolean lists too: no CAST, so no CAST target is needed.
  expect_mysql_expanded(select(id).where(literal_column("1").in_({})),
                        "SELECT my_users.id FROM my_users WHERE 1 IN (SELECT 1 FROM (SELECT 1) "
                        "as _empty_set WHERE 1!=1)");
}

TEST(SqlMysqlDml, InsertUpdateDelete) {
  Schema s;
  expect_mysql(insert(s.users).values({{"name", "ed"}}), "INSERT INTO my_users (name) VALUES (?)");
  expect_mysql(insert(s.users), "INSERT INTO my_users (id, name, `order`) VALUES (?, ?, ?)");
  expect_mysql(update(s.users).where(s.users.c["id"] == 7).values({{"order", 2}}),
               "UPDATE my_users SET `order`=? WHERE my_users.id = ?");
  expect_mysql(delete_(s.users).where(s.users.c["name"].in_({"a", "b"})),
               "DELETE FROM my_users WHERE my_users.name IN (__[POSTCOMPILE_name_1])");
  expect_mysql_expanded(delete_(s.users).where(s.users.c["name"].in_({"a", "b"})),
                        "DELETE FROM my_users WHERE my_users.name IN (?, ?)");
  expect_mysql(delete_(s.users), "DELETE FROM my_users");
}

TEST(SqlMysqlDdl, AutoincrementColumnIsNotNullAutoIncrement) {
  MetaData md;
  Table users("my_users", md,
              {Column("id", Integer(), {.primary_key = true}),
               Column("name", String(50), {.nullable = false, .unique = true}),
               Column("created", types::DateTime(), {.server_default = "CURRENT_TIMESTAMP"})});
  Table addresses("my_addresses", md,
                  {Column("id", BigInteger(), {.primary_key = true}),
                   Column("user_id", Integer(), {.foreign_key = ForeignKey("my_users.id")}),
                   Column("email", String(100))});
  expect_mysql(CreateTable(users),
               "CREATE TABLE my_users (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tname "
               "VARCHAR(50) NOT NULL, \n\tcreated DATETIME(6) DEFAULT CURRENT_TIMESTAMP, \n\tPRIMARY "
               "KEY (id), \n\tUNIQUE (name)\n)");
  expect_mysql(CreateTable(addresses, true),
               "CREATE TABLE IF NOT EXISTS my_addresses (\n\tid BIGINT NOT NULL AUTO_INCREMENT, "
               "\n\tuser_id INTEGER, \n\temail VARCHAR(100), \n\tPRIMARY KEY (id), \n\tFOREIGN "
               "KEY(user_id) REFERENCES my_users (id)\n)");
}

TEST(SqlMysqlDdl, AutoincrementWithServerDefaultKeepsTheDefault) {
  MetaData md;
  // A server default and AUTO_INCREMENT exclude each other; SQLAlchemy keeps the default.
  Table t("my_counters", md,
          {Column("id", SmallInteger(),
                  {.primary_key = true, .autoincrement = true, .server_default = "7"})});
  expect_mysql(CreateTable(t),
               "CREATE TABLE my_counters (\n\tid SMALLINT DEFAULT 7 NOT NULL, \n\tPRIMARY KEY "
               "(id)\n)");
  // The other dialects are unchanged by the autoincrement construct's new child.
  expect_sql(CreateTable(t),
             {{"sqlite",
               "CREATE TABLE my_counters (\n\tid SMALLINT DEFAULT 7 NOT NULL, \n\tPRIMARY KEY "
               "(id)\n)"},
              {"postgresql",
               "CREATE TABLE my_counters (\n\tid SMALLSERIAL DEFAULT 7 NOT NULL, \n\tPRIMARY "
               "KEY (id)\n)"}});
}

TEST(SqlMysqlDdl, EveryGenericType) {
  MetaData md;
  Table t("my_types", md,
          {Column("a", SmallInteger()),
           Column("b", Boolean()),
           Column("c", Float()),
           Column("c2", Float(24)),
           Column("d", Double()),
           Column("e", Numeric(10, 2)),
           Column("e2", Numeric()),
           Column("f", Text()),
           Column("g", Unicode(20)),
           Column("g2", String(30)),
           Column("h", types::Date()),
           Column("i", types::Time()),
           Column("j", types::DateTime(true)),
           Column("j2", types::DateTime()),
           Column("l", LargeBinary()),
           Column("l2", LargeBinary(255)),
           Column("m", JSON()),
           Column("n", types::Uuid()),
           Column("o", BigInteger()),
           Column("p", Integer())});
  const std::string head =
      "CREATE TABLE my_types (\n\ta SMALLINT, \n\tb BOOL, \n\tc FLOAT, \n\tc2 FLOAT(24), \n\td "
      "DOUBLE, \n\te NUMERIC(10, 2), \n\te2 NUMERIC, \n\tf TEXT, \n\tg VARCHAR(20), \n\tg2 "
      "VARCHAR(30), \n\th DATE, \n\ti TIME(6), \n\tj DATETIME(6), \n\tj2 DATETIME(6), \n\tl BLOB, \n\tl2 "
      "BLOB(255), \n\tm JSON, \n\tn ";
  const std::string tail = ", \n\to BIGINT, \n\tp INTEGER\n)";
  expect_sql(CreateTable(t),
             {{"mysql", head + "CHAR(32)" + tail}, {"mariadb", head + "UUID" + tail}});
}

TEST(SqlMysqlDdl, EnumIsNativeInlineWithoutCheck) {
  MetaData md;
  Table t("my_enums", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("status", Enum({"active", "it's off", "back\\slash"}, "status_t"),
                  {.nullable = false})});
  expect_mysql(CreateTable(t),
               "CREATE TABLE my_enums (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tstatus "
               "ENUM('active','it''s off','back\\\\slash') NOT NULL, \n\tPRIMARY KEY (id)\n)");
  // Dialects without RETORT_CAP_NATIVE_ENUM keep the string and its CHECK.
  expect_sql(CreateTable(t),
             {{"sqlite",
               "CREATE TABLE my_enums (\n\tid INTEGER NOT NULL, \n\tstatus VARCHAR(10) NOT NULL, "
               "\n\tPRIMARY KEY (id), \n\tCHECK (status IN ('active', 'it''s off', "
               "'back\\slash'))\n)"}});
}

TEST(SqlMysqlDdl, NamedColumnCheckMovesAmongTheConstraintsOnMariadb) {
  MetaData md;
  Table t("my_checked", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("qty", Integer(), {.check = CheckConstraint("qty >= 0", "qty_nonneg")}),
           Column("price", Integer(), {.check = CheckConstraint("price > 0")})});
  // MySQL 8 takes a named CHECK in the column definition; MariaDB only among the table's
  // constraints.  An unnamed one stays inline on both.
  expect_sql(CreateTable(t),
             {{"mysql",
               "CREATE TABLE my_checked (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tqty INTEGER "
               "CONSTRAINT qty_nonneg CHECK (qty >= 0), \n\tprice INTEGER CHECK (price > 0), "
               "\n\tPRIMARY KEY (id)\n)"},
              {"mariadb",
               "CREATE TABLE my_checked (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tqty INTEGER, "
               "\n\tprice INTEGER CHECK (price > 0), \n\tPRIMARY KEY (id), \n\tCONSTRAINT "
               "qty_nonneg CHECK (qty >= 0)\n)"}});
}

TEST(SqlMysqlDdl, EnumWithoutValuesIsACompileError) {
  MetaData md;
  Table t("my_empty_enum", md, {Column("e", Enum(std::vector<std::string>{}))});
  expect_compile_error(CreateTable(t), "mysql",
                       "The 'mysql' dialect cannot render type Enum: ENUM requires at least one "
                       "value on dialect mysql");
}

TEST(SqlMysqlDdl, DropTableAndCreateIndex) {
  Schema s;
  expect_mysql(DropTable(s.users), "DROP TABLE my_users");
  expect_mysql(DropTable(s.users, true), "DROP TABLE IF EXISTS my_users");
  expect_mysql(CreateIndex(Index("ix_my_users_name", {s.users.c["name"]})),
               "CREATE INDEX ix_my_users_name ON my_users (name)");
  expect_mysql(CreateIndex(Index("ix_my_users_order", {s.users.c["order"]}, {.unique = true})),
               "CREATE UNIQUE INDEX ix_my_users_order ON my_users (`order`)");
}

TEST(SqlMysqlDdl, VarcharWithoutLengthIsSqlalchemysCompileError) {
  MetaData md;
  Table t("my_strings", md, {Column("s", String())});
  Table u("my_unicode", md, {Column("u", Unicode())});
  expect_compile_error(
      CreateTable(t), "mysql",
      "The 'mysql' dialect cannot render type String: VARCHAR requires a length on dialect mysql");
  expect_compile_error(CreateTable(u), "mariadb",
                       "The 'mariadb' dialect cannot render type Unicode: VARCHAR requires a "
                       "length on dialect mariadb");
}

TEST(SqlMysqlDdl, IntervalIsStoredAsADatetime) {
  MetaData md;
  Table t("my_intervals", md, {Column("k", types::Interval())});
  expect_sql(CreateTable(t), {{"mysql", "CREATE TABLE my_intervals (\n\tk DATETIME(6)\n)"},
                              {"mariadb", "CREATE TABLE my_intervals (\n\tk DATETIME(6)\n)"}});
}

// --- Constructs the render hook spells (RETORT_CONSTRUCT_* 10–30) ------------------------------

TEST(SqlMysqlExpression, ConcatIsTheConcatFunction) {
  Schema s;
  auto name = s.users.c["name"];
  // `||` is logical OR in MySQL's default sql_mode.
  expect_mysql(select(name.concat("x"), name + "!" + "?").where(name.contains("ed")),
               "SELECT concat(my_users.name, ?) AS anon_1, concat(my_users.name, ?, ?) AS anon_2 "
               "FROM my_users WHERE my_users.name LIKE concat('%', ?, '%')");
}

TEST(SqlMysqlExpression, IsDistinctFromIsTheNullSafeEquality) {
  Schema s;
  auto name = s.users.c["name"];
  expect_mysql(select(s.users.c["id"])
                   .where(and_(name.is_distinct_from("a"), name.is_not_distinct_from(nullptr))),
               "SELECT my_users.id FROM my_users WHERE NOT (my_users.name <=> ?) AND "
               "my_users.name <=> NULL");
}

TEST(SqlMysqlExpression, AggregateFilterIsACompileError) {
  Schema s;
  auto stmt = select(func::count().filter(s.users.c["id"] > 1));
  expect_compile_error(stmt, "mysql",
                       "The 'mysql' dialect cannot render FILTER (WHERE …): MySQL has no FILTER "
                       "clause; put a CASE expression inside the aggregate instead");
  expect_compile_error(stmt, "mariadb", "MariaDB has no FILTER clause");
}

TEST(SqlMysqlExpression, NullsFirstAndLastAreEmulatedWithIsNull) {
  Schema s;
  auto name = s.users.c["name"];
  auto id = s.users.c["id"];
  expect_mysql(select(id).order_by(name.desc().nulls_last(), id.nulls_first()),
               "SELECT my_users.id FROM my_users ORDER BY my_users.name IS NULL, my_users.name "
               "DESC, my_users.id IS NULL DESC, my_users.id");
}

TEST(SqlMysqlExpression, RandomIsRandAndOtherFunctionsKeepTheirNames) {
  Schema s;
  expect_mysql(select(s.users.c["id"]).order_by(func::random()).limit(1),
               "SELECT my_users.id FROM my_users ORDER BY rand() LIMIT ?");
  expect_mysql(select(func::lower(s.users.c["name"])),
               "SELECT lower(my_users.name) AS lower_1 FROM my_users");
}

TEST(SqlMysqlExpression, BetweenSymmetricIsEmulatedWithTwoBetweens) {
  Schema s;
  auto id = s.users.c["id"];
  expect_mysql(select(id).where(id.between(9, 1, true)),
               "SELECT my_users.id FROM my_users WHERE (my_users.id BETWEEN ? AND ? OR "
               "my_users.id BETWEEN ? AND ?)");
}

TEST(SqlMysqlExpression, IlikeEscapeDoublesABackslash) {
  Schema s;
  auto name = s.users.c["name"];
  // A backslash escapes inside MySQL string literals: '\\' is one backslash.
  expect_mysql(select(s.users.c["id"]).where(name.ilike("a\\%", '\\')),
               "SELECT my_users.id FROM my_users WHERE lower(my_users.name) LIKE lower(?) "
               "ESCAPE '\\\\'");
  expect_mysql(select(s.users.c["id"]).where(name.not_ilike("a/%", '/')),
               "SELECT my_users.id FROM my_users WHERE lower(my_users.name) NOT LIKE lower(?) "
               "ESCAPE '/'");
}

TEST(SqlMysqlSelect, IntersectAndExceptAreRendered) {
  Schema s;
  auto a = select(s.users.c["id"]);
  auto b = select(s.addresses.c["user_id"]);
  expect_mysql(a.intersect(b),
               "SELECT my_users.id FROM my_users INTERSECT SELECT my_addresses.user_id FROM "
               "my_addresses");
  expect_mysql(a.except_all(b),
               "SELECT my_users.id FROM my_users EXCEPT ALL SELECT my_addresses.user_id FROM "
               "my_addresses");
}

TEST(SqlMysqlSelect, LateralOnMysqlCompileErrorOnMariadb) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto lat =
      select(a.c["email"]).where(a.c["user_id"] == u.c["id"]).limit(1).lateral("first_address");
  auto stmt = select(u.c["name"], lat.c["email"]).join(lat, true_());
  expect_sql(stmt, {{"mysql",
                     "SELECT my_users.name, first_address.email FROM my_users JOIN LATERAL "
                     "(SELECT my_addresses.email AS email FROM my_addresses WHERE "
                     "my_addresses.user_id = my_users.id LIMIT ?) AS first_address ON true"}});
  expect_compile_error(stmt, "mariadb",
                       "The 'mariadb' dialect cannot render LATERAL: MariaDB has no LATERAL "
                       "derived tables");
}

TEST(SqlMysqlSelect, DistinctOnAndFullJoinAreCompileErrors) {
  Schema s;
  auto on = select(s.users.c["id"]).distinct_on(s.users.c["name"]);
  expect_compile_error(on, "mysql", "DISTINCT ON");
  expect_compile_error(on, "mariadb", "DISTINCT ON");
  auto full =
      select(s.users.c["id"]).select_from(s.users.outerjoin(s.addresses, std::nullopt, true));
  expect_compile_error(full, "mysql",
                       "The 'mysql' dialect cannot render FULL OUTER JOIN: MySQL has no FULL "
                       "OUTER JOIN");
  expect_compile_error(full, "mariadb", "MariaDB has no FULL OUTER JOIN");
}

TEST(SqlMysqlSelect, ForUpdateAndForShareAsEachServerSpellsThem) {
  Schema s;
  auto base = select(s.users.c["id"]).where(s.users.c["id"] == 1);
  expect_mysql(base.with_for_update(),
               "SELECT my_users.id FROM my_users WHERE my_users.id = ? FOR UPDATE");
  expect_mysql(base.with_for_update({.nowait = true}),
               "SELECT my_users.id FROM my_users WHERE my_users.id = ? FOR UPDATE NOWAIT");
  expect_sql(base.with_for_update({.read = true, .skip_locked = true}),
             {{"mysql",
               "SELECT my_users.id FROM my_users WHERE my_users.id = ? FOR SHARE SKIP "
               "LOCKED"},
              {"mariadb",
               "SELECT my_users.id FROM my_users WHERE my_users.id = ? LOCK IN SHARE "
               "MODE SKIP LOCKED"}});
  auto of = base.with_for_update({.of = {s.users}});
  expect_sql(of, {{"mysql",
                   "SELECT my_users.id FROM my_users WHERE my_users.id = ? FOR UPDATE OF "
                   "my_users"}});
  expect_compile_error(of, "mariadb",
                       "The 'mariadb' dialect cannot render FOR UPDATE: MariaDB cannot name the "
                       "locked tables (no FOR UPDATE OF)");
  expect_compile_error(base.with_for_update({.key_share = true}), "mysql",
                       "MySQL has no FOR NO KEY UPDATE lock");
  expect_compile_error(base.with_for_update({.read = true, .key_share = true}), "mariadb",
                       "MariaDB has no FOR KEY SHARE lock");
}

TEST(SqlMysqlDml, ReturningOnMariadbForInsertAndDeleteOnly) {
  Schema s;
  auto ins = insert(s.users).values({{"name", "ed"}}).returning(s.users.c["id"]);
  expect_sql(ins, {{"mariadb", "INSERT INTO my_users (name) VALUES (?) RETURNING my_users.id"}});
  expect_compile_error(ins, "mysql",
                       "The 'mysql' dialect cannot render RETURNING: MySQL has no RETURNING "
                       "clause");
  auto del = delete_(s.users).where(s.users.c["id"] == 1).returning(s.users.c["name"]);
  expect_sql(del,
             {{"mariadb", "DELETE FROM my_users WHERE my_users.id = ? RETURNING my_users.name"}});
  expect_compile_error(del, "mysql", "MySQL has no RETURNING clause");
  auto upd = update(s.users).values({{"name", "x"}}).returning(s.users.c["id"]);
  expect_compile_error(upd, "mariadb",
                       "The 'mariadb' dialect cannot render RETURNING: MariaDB has RETURNING for "
                       "INSERT and DELETE only, not for UPDATE");
  expect_compile_error(upd, "mysql", "MySQL has no RETURNING clause");
}

TEST(SqlMysqlDml, MultiTableUpdateAndDeleteListEveryTable) {
  Schema s;
  expect_mysql(update(s.users)
                   .values({{"name", "x"}})
                   .where(s.users.c["id"] == s.addresses.c["user_id"])
                   .where(s.addresses.c["email"] == "a@b"),
               "UPDATE my_users, my_addresses SET my_users.name=? WHERE my_users.id = "
               "my_addresses.user_id AND my_addresses.email = ?");
  expect_mysql(delete_(s.users).where(s.users.c["id"] == s.addresses.c["user_id"]),
               "DELETE FROM my_users USING my_users, my_addresses WHERE my_users.id = "
               "my_addresses.user_id");
}

TEST(SqlMysqlDml, OnDuplicateKeyUpdateWithValuesOfTheProposedRow) {
  Schema s;
  auto stmt = insert(s.users)
                  .values({{"id", 1}, {"name", "ed"}})
                  .on_duplicate_key_update(
                      {{"name", excluded(s.users).c["name"]}, {"order", s.users.c["order"] + 1}});
  expect_mysql(stmt,
               "INSERT INTO my_users (id, name) VALUES (?, ?) ON DUPLICATE KEY UPDATE name = "
               "VALUES(name), `order` = (my_users.`order` + ?)");
}

TEST(SqlMysqlDml, OnConflictIsACompileError) {
  Schema s;
  auto stmt = insert(s.users).values({{"id", 1}}).on_conflict_do_nothing();
  for (const char* dialect : {"mysql", "mariadb"}) {
    expect_compile_error(stmt, dialect, "the dialect has no INSERT … ON CONFLICT");
  }
}

TEST(SqlMysqlDdl, CommentsAreInlineWithBackslashesDoubled) {
  MetaData md;
  Table t("my_commented", md,
          {Column("id", Integer(), {.primary_key = true, .comment = "the key"}),
           Column("path", String(20), {.comment = "it's C:\\dir"})},
          {.comment = "all 'paths'"});
  expect_mysql(CreateTable(t),
               "CREATE TABLE my_commented (\n\tid INTEGER NOT NULL AUTO_INCREMENT COMMENT 'the "
               "key', \n\tpath VARCHAR(20) COMMENT 'it''s C:\\\\dir', \n\tPRIMARY KEY "
               "(id)\n) COMMENT='all ''paths'''");
}

TEST(SqlMysqlDdl, SequencesOnMariadbOnly) {
  MetaData md;
  Sequence seq("my_seq");
  Table t("my_sequenced", md, {Column("id", Integer(), {.primary_key = true, .sequence = seq})});
  expect_sql(select(seq.next_value()), {{"mariadb", "SELECT nextval(my_seq) AS anon_1"}});
  expect_sql(CreateTable(t), {{"mariadb",
                               "CREATE TABLE my_sequenced (\n\tid INTEGER DEFAULT nextval(my_seq) "
                               "NOT NULL, \n\tPRIMARY KEY (id)\n)"}});
  expect_sql(CreateSequence(seq), {{"mariadb", "CREATE SEQUENCE my_seq"}});
  expect_compile_error(select(seq.next_value()), "mysql", "sequence");
  expect_compile_error(CreateSequence(seq), "mysql", "CREATE SEQUENCE");
}

TEST(SqlMysqlEngine, BothSchemesResolveToTheMariadbcDriver) {
  for (const char* url : {"mysql://scott:tiger@localhost/test", "mariadb://u:p@localhost/db",
                          "mysql+mariadbc://u@localhost/db", "mariadb+mariadbc://u@localhost/db"}) {
    SCOPED_TRACE(url);
    const Engine engine = create_engine(make_url(url));
    EXPECT_EQ(engine.driver_name(), "mariadbc");
    EXPECT_EQ(engine.dialect_name(), std::string(url).substr(0, std::string(url).find_first_of(":+")));
  }
}

}  // namespace
