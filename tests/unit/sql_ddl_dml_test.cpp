// Compile tests for INSERT/UPDATE/DELETE and CREATE/DROP TABLE on the default, sqlite and
// postgresql dialects, and CompileError from a dialect's render hook.
#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>

#include <gtest/gtest.h>

namespace {

using namespace retort;

void expect_sql(const Executable& stmt, const std::string& default_sql,
                const std::string& sqlite_sql, const std::string& postgresql_sql) {
  EXPECT_EQ(stmt.compile().sql, default_sql);
  EXPECT_EQ(stmt.compile("sqlite").sql, sqlite_sql);
  EXPECT_EQ(stmt.compile("postgresql").sql, postgresql_sql);
}

struct Schema {
  MetaData metadata;
  Table users{"users",
              metadata,
              {Column("id", Integer(), {.primary_key = true}),
               Column("name", String(50), {.nullable = false}),
               Column("status", String(10), {.default_ = Value("new")})}};
};

TEST(SqlDml, InsertWithValues) {
  Schema s;
  auto stmt = insert(s.users).values({{"name", "ed"}});
  expect_sql(stmt, "INSERT INTO users (name, status) VALUES (:name, :status)",
             "INSERT INTO users (name, status) VALUES (?, ?)",
             "INSERT INTO users (name, status) VALUES ($1, $2)");
  const Compiled c = stmt.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 2u);
  EXPECT_EQ(c.parameters[0].value, Value("ed"));
  EXPECT_EQ(c.parameters[1].value, Value("new"));  // the column's client-side default
}

TEST(SqlDml, InsertOnItsOwnSetsEveryColumn) {
  Schema s;
  expect_sql(insert(s.users), "INSERT INTO users (id, name, status) VALUES (:id, :name, :status)",
             "INSERT INTO users (id, name, status) VALUES (?, ?, ?)",
             "INSERT INTO users (id, name, status) VALUES ($1, $2, $3)");
}

TEST(SqlDml, InsertColumnsFromExecutionKeys) {
  Schema s;
  const Compiled c = compile(insert(s.users), "postgresql", {"name", "id"});
  EXPECT_EQ(c.sql, "INSERT INTO users (id, name, status) VALUES ($1, $2, $3)");
  EXPECT_FALSE(c.parameters[0].value.has_value());
  EXPECT_THROW(compile(insert(s.users), "sqlite", {"nope"}), ArgumentError);
  EXPECT_THROW((void)insert(s.users).values({{"nope", 1}}), ArgumentError);
}

TEST(SqlDml, Update) {
  Schema s;
  auto stmt = update(s.users).where(s.users.c["id"] == 7).values({{"name", "x"}});
  expect_sql(stmt, "UPDATE users SET name=:name WHERE users.id = :id_1",
             "UPDATE users SET name=? WHERE users.id = ?",
             "UPDATE users SET name=$1 WHERE users.id = $2");
}

TEST(SqlDml, Delete) {
  Schema s;
  auto stmt = delete_(s.users).where(s.users.c["name"].in_({"a", "b"}));
  expect_sql(stmt, "DELETE FROM users WHERE users.name IN (__[POSTCOMPILE_name_1])",
             "DELETE FROM users WHERE users.name IN (__[POSTCOMPILE_name_1])",
             "DELETE FROM users WHERE users.name IN (__[POSTCOMPILE_name_1])");
  expect_sql(delete_(s.users), "DELETE FROM users", "DELETE FROM users", "DELETE FROM users");
}

TEST(SqlDdl, CreateTableAutoincrementAndConstraints) {
  MetaData md;
  Table users("users", md,
              {Column("id", Integer(), {.primary_key = true}),
               Column("name", String(50), {.nullable = false, .unique = true}),
               Column("created", types::DateTime(), {.server_default = "CURRENT_TIMESTAMP"})});
  Table addresses("addresses", md,
                  {Column("id", BigInteger(), {.primary_key = true}),
                   Column("user_id", Integer(), {.foreign_key = ForeignKey("users.id")}),
                   Column("email", String(100))});
  expect_sql(CreateTable(users),
             "CREATE TABLE users (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(50) NOT NULL, "
             "\n\tcreated TIMESTAMP DEFAULT CURRENT_TIMESTAMP, \n\tPRIMARY KEY (id), \n\tUNIQUE "
             "(name)\n)",
             "CREATE TABLE users (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(50) NOT NULL, "
             "\n\tcreated DATETIME DEFAULT CURRENT_TIMESTAMP, \n\tPRIMARY KEY (id), \n\tUNIQUE "
             "(name)\n)",
             "CREATE TABLE users (\n\tid SERIAL NOT NULL, \n\tname VARCHAR(50) NOT NULL, "
             "\n\tcreated TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP, \n\tPRIMARY KEY "
             "(id), \n\tUNIQUE (name)\n)");
  expect_sql(CreateTable(addresses, true),
             "CREATE TABLE IF NOT EXISTS addresses (\n\tid BIGINT NOT NULL, \n\tuser_id INTEGER, "
             "\n\temail VARCHAR(100), \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(user_id) REFERENCES "
             "users (id)\n)",
             "CREATE TABLE IF NOT EXISTS addresses (\n\tid BIGINT NOT NULL, \n\tuser_id INTEGER, "
             "\n\temail VARCHAR(100), \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(user_id) REFERENCES "
             "users (id)\n)",
             "CREATE TABLE IF NOT EXISTS addresses (\n\tid BIGSERIAL NOT NULL, \n\tuser_id "
             "INTEGER, \n\temail VARCHAR(100), \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(user_id) "
             "REFERENCES users (id)\n)");
  expect_sql(DropTable(users), "DROP TABLE users", "DROP TABLE users", "DROP TABLE users");
  expect_sql(DropTable(users, true), "DROP TABLE IF EXISTS users", "DROP TABLE IF EXISTS users",
             "DROP TABLE IF EXISTS users");
}

TEST(SqlDdl, CompositePrimaryKeyAndNamedUnique) {
  MetaData md;
  Table t("memberships", md,
          {Column("user_id", Integer()), Column("group_id", Integer()), Column("role", String(20)),
           PrimaryKeyConstraint{{"user_id", "group_id"}},
           UniqueConstraint{{"user_id", "role"}, "uq_role"}});
  // No autoincrement on a composite key; both key columns are NOT NULL.
  expect_sql(CreateTable(t),
             "CREATE TABLE memberships (\n\tuser_id INTEGER NOT NULL, \n\tgroup_id INTEGER NOT "
             "NULL, \n\trole VARCHAR(20), \n\tPRIMARY KEY (user_id, group_id), \n\tCONSTRAINT "
             "uq_role UNIQUE (user_id, role)\n)",
             "CREATE TABLE memberships (\n\tuser_id INTEGER NOT NULL, \n\tgroup_id INTEGER NOT "
             "NULL, \n\trole VARCHAR(20), \n\tPRIMARY KEY (user_id, group_id), \n\tCONSTRAINT "
             "uq_role UNIQUE (user_id, role)\n)",
             "CREATE TABLE memberships (\n\tuser_id INTEGER NOT NULL, \n\tgroup_id INTEGER NOT "
             "NULL, \n\trole VARCHAR(20), \n\tPRIMARY KEY (user_id, group_id), \n\tCONSTRAINT "
             "uq_role UNIQUE (user_id, role)\n)");
  EXPECT_THROW(Table("bad", md, {Column("a", Integer()), PrimaryKeyConstraint{{"b"}}}),
               ArgumentError);
}

TEST(SqlDdl, EveryGenericType) {
  MetaData md;
  Table t("t", md,
          {Column("a", SmallInteger()), Column("b", Boolean()), Column("c", Float()),
           Column("d", Double()), Column("e", Numeric(10, 2)), Column("f", Text()),
           Column("g", Unicode(20)), Column("h", types::Date()), Column("i", types::Time()),
           Column("j", types::DateTime(true)), Column("k", types::Interval()),
           Column("l", LargeBinary()), Column("m", JSON()), Column("n", types::Uuid())});
  expect_sql(CreateTable(t),
             "CREATE TABLE t (\n\ta SMALLINT, \n\tb BOOLEAN, \n\tc FLOAT, \n\td DOUBLE PRECISION, "
             "\n\te NUMERIC(10, 2), \n\tf TEXT, \n\tg VARCHAR(20), \n\th DATE, \n\ti TIME, \n\tj "
             "TIMESTAMP WITH TIME ZONE, \n\tk INTERVAL, \n\tl BLOB, \n\tm JSON, \n\tn UUID\n)",
             "CREATE TABLE t (\n\ta SMALLINT, \n\tb BOOLEAN, \n\tc FLOAT, \n\td DOUBLE, \n\te "
             "NUMERIC(10, 2), \n\tf TEXT, \n\tg VARCHAR(20), \n\th DATE, \n\ti TIME, \n\tj "
             "DATETIME, \n\tk DATETIME, \n\tl BLOB, \n\tm JSON, \n\tn CHAR(32)\n)",
             "CREATE TABLE t (\n\ta SMALLINT, \n\tb BOOLEAN, \n\tc FLOAT, \n\td DOUBLE PRECISION, "
             "\n\te NUMERIC(10, 2), \n\tf TEXT, \n\tg VARCHAR(20), \n\th DATE, \n\ti TIME, \n\tj "
             "TIMESTAMP WITH TIME ZONE, \n\tk INTERVAL, \n\tl BYTEA, \n\tm JSON, \n\tn UUID\n)");
}

TEST(SqlDdl, EnumIsACheckedStringExceptOnPostgresqlWhereItIsNative) {
  MetaData md;
  Table t("t", md, {Column("status", Enum({"active", "it's off"}, "status_t"))});
  EXPECT_EQ(CreateTable(t).compile("sqlite").sql,
            "CREATE TABLE t (\n\tstatus VARCHAR(8), \n\tCHECK (status IN ('active', 'it''s "
            "off'))\n)");
  EXPECT_EQ(CreateTable(t).compile().sql,
            "CREATE TABLE t (\n\tstatus VARCHAR(8), \n\tCHECK (status IN ('active', 'it''s "
            "off'))\n)");
  // PostgreSQL: the native type, by name (created by CREATE TYPE; see sql_schema_test.cpp).
  EXPECT_EQ(CreateTable(t).compile("postgresql").sql, "CREATE TABLE t (\n\tstatus status_t\n)");
  // Without a name the dialect's render hook refuses: CompileError names the construct and
  // the dialect.
  Table u("u", md, {Column("status", Enum({"a", "b"}))});
  try {
    (void)CreateTable(u).compile("postgresql");
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_STREQ(e.what(),
                 "table 'u', column 'status': The 'postgresql' dialect cannot render type Enum: "
                 "a native ENUM needs a name: Enum(values, \"name\")");
  }
}

TEST(SqlDdl, UnknownForeignKeyTargetIsAnError) {
  MetaData md;
  Table t("t", md, {Column("x", Integer(), {.foreign_key = ForeignKey("nowhere.id")})});
  EXPECT_THROW((void)CreateTable(t).compile(), ArgumentError);
  EXPECT_THROW(Table("t", md, {Column("y", Integer())}), ArgumentError);  // duplicate name
}

TEST(SqlDdl, UnknownDialectIsNoSuchModule) {
  Schema s;
  EXPECT_THROW((void)CreateTable(s.users).compile("nosuchdialect"), NoSuchModuleError);
}

}  // namespace
