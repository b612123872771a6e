// Compile tests for SELECT and expressions on the default, sqlite and postgresql dialects.
#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

namespace {

using namespace retort;

struct Schema {
  MetaData metadata;
  Table users{"users",
              metadata,
              {Column("id", Integer(), {.primary_key = true}),
               Column("name", String(50), {.nullable = false}), Column("order", Integer())}};
  Table addresses{"addresses",
                  metadata,
                  {Column("id", Integer(), {.primary_key = true}),
                   Column("user_id", Integer(), {.foreign_key = ForeignKey("users.id")}),
                   Column("email", String(100))}};
};

// The SQL for the three dialects.
void expect_sql(const Executable& stmt, const std::string& default_sql,
                const std::string& sqlite_sql, const std::string& postgresql_sql) {
  EXPECT_EQ(stmt.compile().sql, default_sql);
  EXPECT_EQ(stmt.compile("sqlite").sql, sqlite_sql);
  EXPECT_EQ(stmt.compile("postgresql").sql, postgresql_sql);
}

TEST(SqlSelect, ColumnsWhereLimitOffset) {
  Schema s;
  auto stmt =
      select(s.users.c["id"], s.users.c["name"]).where(s.users.c["id"] == 5).limit(10).offset(20);
  expect_sql(stmt,
             "SELECT users.id, users.name FROM users WHERE users.id = :id_1 LIMIT :param_1 "
             "OFFSET :param_2",
             "SELECT users.id, users.name FROM users WHERE users.id = ? LIMIT ? OFFSET ?",
             "SELECT users.id, users.name FROM users WHERE users.id = $1 LIMIT $2 OFFSET $3");
  const Compiled c = stmt.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 3u);
  EXPECT_EQ(c.parameters[0].name, "id_1");
  EXPECT_EQ(c.parameters[0].value, Value(5));
  EXPECT_EQ(c.parameters[1].value, Value(10));
  EXPECT_EQ(c.parameters[2].value, Value(20));
}

TEST(SqlSelect, WholeTableAndReservedWordQuoting) {
  Schema s;
  expect_sql(select(s.users), "SELECT users.id, users.name, users.\"order\" FROM users",
             "SELECT users.id, users.name, users.\"order\" FROM users",
             "SELECT users.id, users.name, users.\"order\" FROM users");
}

TEST(SqlSelect, OffsetWithoutLimit) {
  Schema s;
  expect_sql(select(s.users.c["id"]).offset(3), "SELECT users.id FROM users OFFSET :param_1",
             "SELECT users.id FROM users LIMIT -1 OFFSET ?",
             "SELECT users.id FROM users OFFSET $1");
}

TEST(SqlSelect, ChainedWhereAndOrNotPrecedence) {
  Schema s;
  auto id = s.users.c["id"];
  auto name = s.users.c["name"];
  auto stmt = select(id).where(id > 1).where(or_(name == "a", name == nullptr)).where(!(id == 3));
  expect_sql(stmt,
             "SELECT users.id FROM users WHERE users.id > :id_1 AND (users.name = :name_1 OR "
             "users.name IS NULL) AND NOT (users.id = :id_2)",
             "SELECT users.id FROM users WHERE users.id > ? AND (users.name = ? OR users.name "
             "IS NULL) AND NOT (users.id = ?)",
             "SELECT users.id FROM users WHERE users.id > $1 AND (users.name = $2 OR users.name "
             "IS NULL) AND NOT (users.id = $3)");
}

TEST(SqlSelect, ArithmeticAndComparisons) {
  Schema s;
  auto id = s.users.c["id"];
  auto stmt = select((id + 1) * 2 - (id - 3)).where(id != 4 && id <= 5 && id >= 0 && 7 < id);
  expect_sql(stmt,
             // The operand of `* 2` is an expression, not a column: its parameter is param_1.
             "SELECT (users.id + :id_1) * :param_1 - (users.id - :id_2) AS anon_1 FROM users "
             "WHERE users.id != :id_3 AND users.id <= :id_4 AND users.id >= :id_5 AND :id_6 < "
             "users.id",
             "SELECT (users.id + ?) * ? - (users.id - ?) AS anon_1 FROM users WHERE users.id "
             "!= ? AND users.id <= ? AND users.id >= ? AND ? < users.id",
             "SELECT (users.id + $1) * $2 - (users.id - $3) AS anon_1 FROM users WHERE "
             "users.id != $4 AND users.id <= $5 AND users.id >= $6 AND $7 < users.id");
}

TEST(SqlSelect, LikeIlikeBetweenIs) {
  Schema s;
  auto name = s.users.c["name"];
  auto id = s.users.c["id"];
  auto stmt = select(id).where(and_(name.like("a%"), name.ilike("B%"), id.between(1, 9),
                                    name.is_(null()), name.is_not(null())));
  expect_sql(stmt,
             "SELECT users.id FROM users WHERE users.name LIKE :name_1 AND lower(users.name) "
             "LIKE lower(:name_2) AND users.id BETWEEN :id_1 AND :id_2 AND users.name IS NULL "
             "AND users.name IS NOT NULL",
             "SELECT users.id FROM users WHERE users.name LIKE ? AND lower(users.name) LIKE "
             "lower(?) AND users.id BETWEEN ? AND ? AND users.name IS NULL AND users.name IS "
             "NOT NULL",
             "SELECT users.id FROM users WHERE users.name LIKE $1 AND users.name ILIKE $2 AND "
             "users.id BETWEEN $3 AND $4 AND users.name IS NULL AND users.name IS NOT NULL");
}

TEST(SqlSelect, ExpandingIn) {
  Schema s;
  auto id = s.users.c["id"];
  auto stmt = select(id).where(id.in_({1, 2, 3})).where(s.users.c["name"] == bindparam("n"));
  expect_sql(stmt,
             "SELECT users.id FROM users WHERE users.id IN (__[POSTCOMPILE_id_1]) AND users.name "
             "= :n",
             "SELECT users.id FROM users WHERE users.id IN (__[POSTCOMPILE_id_1]) AND users.name "
             "= ?",
             "SELECT users.id FROM users WHERE users.id IN (__[POSTCOMPILE_id_1]) AND users.name "
             "= $1");
  // Expanded at execution: one placeholder per value, numbering continued.
  const auto pg = stmt.compile("postgresql").expand();
  EXPECT_EQ(pg.sql,
            "SELECT users.id FROM users WHERE users.id IN ($1, $2, $3) AND users.name = $4");
  ASSERT_EQ(pg.parameters.size(), 4u);
  EXPECT_EQ(pg.parameters[0].name, "id_1_1");
  EXPECT_EQ(pg.parameters[2].value, Value(3));
  EXPECT_EQ(pg.parameters[3].name, "n");
  EXPECT_FALSE(pg.parameters[3].value.has_value());
  EXPECT_EQ(stmt.compile("default").expand().sql,
            "SELECT users.id FROM users WHERE users.id IN (:id_1_1, :id_1_2, :id_1_3) AND "
            "users.name = :n");
}

TEST(SqlSelect, EmptyInAndNotIn) {
  Schema s;
  auto id = s.users.c["id"];
  auto name = s.users.c["name"];
  EXPECT_EQ(select(id).where(id.in_({})).compile("sqlite").expand().sql,
            "SELECT users.id FROM users WHERE users.id IN (SELECT CAST(NULL AS INTEGER) WHERE "
            "1!=1)");
  EXPECT_EQ(select(id).where(name.not_in({})).compile("postgresql").expand().sql,
            "SELECT users.id FROM users WHERE users.name NOT IN (SELECT CAST(NULL AS "
            "VARCHAR(50)) WHERE 1!=1)");
  // not_() of IN is NOT IN.
  EXPECT_EQ(select(id).where(!id.in_({1})).compile("sqlite").expand().sql,
            "SELECT users.id FROM users WHERE users.id NOT IN (?)");
}

TEST(SqlSelect, JoinInferredFromForeignKey) {
  Schema s;
  auto stmt = select(s.users.c["name"], s.addresses.c["email"])
                  .join(s.addresses)
                  .where(s.addresses.c["email"].like("%@x"));
  expect_sql(stmt,
             "SELECT users.name, addresses.email FROM users JOIN addresses ON users.id = "
             "addresses.user_id WHERE addresses.email LIKE :email_1",
             "SELECT users.name, addresses.email FROM users JOIN addresses ON users.id = "
             "addresses.user_id WHERE addresses.email LIKE ?",
             "SELECT users.name, addresses.email FROM users JOIN addresses ON users.id = "
             "addresses.user_id WHERE addresses.email LIKE $1");
}

TEST(SqlSelect, OuterJoinExplicitOnAndSelectFrom) {
  Schema s;
  auto j = s.users.outerjoin(s.addresses, s.users.c["id"] == s.addresses.c["id"]);
  expect_sql(select(s.users.c["id"]).select_from(j),
             "SELECT users.id FROM users LEFT OUTER JOIN addresses ON users.id = addresses.id",
             "SELECT users.id FROM users LEFT OUTER JOIN addresses ON users.id = addresses.id",
             "SELECT users.id FROM users LEFT OUTER JOIN addresses ON users.id = addresses.id");
}

TEST(SqlSelect, JoinWithoutForeignKeyIsAnError) {
  MetaData md;
  Table a("a", md, {Column("id", Integer(), {.primary_key = true})});
  Table b("b", md, {Column("id", Integer(), {.primary_key = true})});
  try {
    (void)select(a.c["id"]).join(b);
    FAIL() << "expected NoForeignKeysError";
  } catch (const NoForeignKeysError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Can't find any foreign key relationships between 'a' and 'b'. Give the onclause "
              "of this join explicitly.");
  }
}

struct CompositeSchema {
  MetaData md;
  Table orders{"orders",
               md,
               {Column("region", Integer(), {.primary_key = true}),
                Column("num", Integer(), {.primary_key = true}), Column("note", String(20))}};
  Table lines{"lines",
              md,
              {Column("id", Integer(), {.primary_key = true}), Column("ord_region", Integer()),
               Column("ord_num", Integer()),
               ForeignKeyConstraint({"ord_region", "ord_num"}, {"orders.region", "orders.num"})}};
};

TEST(SqlSelect, JoinInferredFromCompositeForeignKeyConstraint) {
  CompositeSchema s;
  EXPECT_EQ(select(s.orders.c["note"], s.lines.c["id"]).join(s.lines).compile().sql,
            "SELECT orders.note, lines.id FROM orders JOIN lines ON orders.region = "
            "lines.ord_region AND orders.num = lines.ord_num");
  // From the referencing side too.
  EXPECT_EQ(select(s.lines.c["id"]).join(s.orders).compile("sqlite").sql,
            "SELECT lines.id FROM lines JOIN orders ON orders.region = lines.ord_region AND "
            "orders.num = lines.ord_num");
}

TEST(SqlSelect, JoinInferredThroughAliasesAndSubqueries) {
  Schema s;
  auto u = s.users.alias("u");
  auto a = s.addresses.alias("a");
  EXPECT_EQ(select(u.c["name"], a.c["email"]).join(a).compile().sql,
            "SELECT u.name, a.email FROM users AS u JOIN addresses AS a ON u.id = a.user_id");
  // A subquery's columns carry the foreign keys of the table columns they select.
  auto sub = select(s.addresses.c["user_id"], s.addresses.c["email"]).subquery("sa");
  EXPECT_EQ(select(s.users.c["name"], sub.c["email"]).join(sub).compile().sql,
            "SELECT users.name, sa.email FROM users JOIN (SELECT addresses.user_id AS user_id, "
            "addresses.email AS email FROM addresses) AS sa ON users.id = sa.user_id");
  // And a subquery of the referenced table is a referent.
  auto su = select(s.users.c["id"]).where(s.users.c["name"] != "x").subquery("su");
  EXPECT_EQ(select(s.addresses.c["email"]).join(su).compile().sql,
            "SELECT addresses.email FROM addresses JOIN (SELECT users.id AS id FROM users WHERE "
            "users.name != :name_1) AS su ON su.id = addresses.user_id");
  // A subquery that does not select the foreign key column cannot join.
  auto no_fk = select(s.addresses.c["email"]).subquery("se");
  EXPECT_THROW((void)select(s.users.c["id"]).join(no_fk), NoForeignKeysError);
}

TEST(SqlSelect, JoinChainTriesTheRightmostTableFirst) {
  MetaData md;
  Table a("a", md, {Column("id", Integer(), {.primary_key = true})});
  Table b("b", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("a_id", Integer(), {.foreign_key = ForeignKey("a.id")})});
  Table c("c", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("a_id", Integer(), {.foreign_key = ForeignKey("a.id")}),
           Column("b_id", Integer(), {.foreign_key = ForeignKey("b.id")})});
  // c has foreign keys to both a and b: the join's right side (b) is tried first.
  EXPECT_EQ(select(a.c["id"]).join(b).join(c).compile().sql,
            "SELECT a.id FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id");
}

TEST(SqlSelect, JoinFromNamesTheLeftSide) {
  MetaData md;
  Table a("jf_a", md, {Column("id", Integer(), {.primary_key = true})});
  Table b("jf_b", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("a_id", Integer(), {.foreign_key = ForeignKey("jf_a.id")})});
  Table c("jf_c", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("a_id", Integer(), {.foreign_key = ForeignKey("jf_a.id")}),
           Column("b_id", Integer(), {.foreign_key = ForeignKey("jf_b.id")})});
  // join() would try b first (the join's right side); join_from(a, c) infers from a only.
  EXPECT_EQ(select(c.c["id"]).join_from(a, b).join_from(a, c).compile().sql,
            "SELECT jf_c.id FROM jf_a JOIN jf_b ON jf_a.id = jf_b.a_id JOIN jf_c ON jf_a.id = "
            "jf_c.a_id");
  EXPECT_EQ(select(c.c["id"]).join_from(b, c, std::nullopt, {.isouter = true}).compile().sql,
            "SELECT jf_c.id FROM jf_b LEFT OUTER JOIN jf_c ON jf_b.id = jf_c.b_id");
}

TEST(SqlSelect, JoinWithSeveralForeignKeysIsAmbiguous) {
  MetaData md;
  Table people("people", md, {Column("id", Integer(), {.primary_key = true})});
  Table loans("loans", md,
              {Column("id", Integer(), {.primary_key = true}),
               Column("lender", Integer(), {.foreign_key = ForeignKey("people.id")}),
               Column("borrower", Integer(), {.foreign_key = ForeignKey("people.id")})});
  try {
    (void)select(people.c["id"]).join(loans);
    FAIL() << "expected AmbiguousForeignKeysError";
  } catch (const AmbiguousForeignKeysError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Can't determine join between 'people' and 'loans'; tables have more than one "
              "foreign key constraint relationship between them. Please specify the 'onclause' "
              "of this join explicitly.");
  }
  // An explicit ON clause settles it.
  EXPECT_EQ(select(people.c["id"]).join(loans, people.c["id"] == loans.c["borrower"]).compile().sql,
            "SELECT people.id FROM people JOIN loans ON people.id = loans.borrower");
  // A self-referential foreign key joins an alias either way: ambiguous too.
  Table nodes("nodes", md,
              {Column("id", Integer(), {.primary_key = true}),
               Column("parent_id", Integer(), {.foreign_key = ForeignKey("nodes.id")})});
  auto parent = nodes.alias("parent");
  EXPECT_THROW((void)select(nodes.c["id"]).join(parent), AmbiguousForeignKeysError);
}

TEST(SqlSelect, AliasGroupByHavingOrderByDistinctFunctions) {
  Schema s;
  auto u = s.users.alias("u");
  auto stmt = select(u.c["name"], func::count(u.c["id"]), func::max(u.c["id"]).label("top"))
                  .group_by(u.c["name"])
                  .having(func::count(u.c["id"]) > 1)
                  .order_by(u.c["name"].desc(), func::count().asc())
                  .distinct();
  expect_sql(stmt,
             "SELECT DISTINCT u.name, count(u.id) AS count_1, max(u.id) AS top FROM users AS u "
             "GROUP BY u.name HAVING count(u.id) > :param_1 ORDER BY u.name DESC, count(*) ASC",
             "SELECT DISTINCT u.name, count(u.id) AS count_1, max(u.id) AS top FROM users AS u "
             "GROUP BY u.name HAVING count(u.id) > ? ORDER BY u.name DESC, count(*) ASC",
             "SELECT DISTINCT u.name, count(u.id) AS count_1, max(u.id) AS top FROM users AS u "
             "GROUP BY u.name HAVING count(u.id) > $1 ORDER BY u.name DESC, count(*) ASC");
}

TEST(SqlSelect, LiteralsBooleansAndGenericFunctions) {
  Schema s;
  auto stmt = select(literal_column("42"), literal("x"), func::call("abs", {s.users.c["id"]}),
                     func::coalesce(s.users.c["name"], "none"), func::now())
                  .where(or_(true_(), false_()));
  expect_sql(stmt,
             "SELECT 42, :param_1 AS anon_1, abs(users.id) AS abs_1, coalesce(users.name, "
             ":param_2) AS coalesce_1, CURRENT_TIMESTAMP AS now_1 FROM users WHERE true OR false",
             "SELECT 42, ? AS anon_1, abs(users.id) AS abs_1, coalesce(users.name, ?) AS "
             "coalesce_1, CURRENT_TIMESTAMP AS now_1 FROM users WHERE 1 OR 0",
             "SELECT 42, $1 AS anon_1, abs(users.id) AS abs_1, coalesce(users.name, $2) AS "
             "coalesce_1, CURRENT_TIMESTAMP AS now_1 FROM users WHERE true OR false");
}

TEST(SqlSelect, QuotesIdentifiersThatNeedIt) {
  MetaData md;
  Table t("User Data", md,
          {Column("1st", Integer()), Column("select", Integer()), Column("Mixed", Integer())});
  expect_sql(select(t),
             "SELECT \"User Data\".\"1st\", \"User Data\".\"select\", \"User Data\".\"Mixed\" FROM "
             "\"User Data\"",
             "SELECT \"User Data\".\"1st\", \"User Data\".\"select\", \"User Data\".\"Mixed\" FROM "
             "\"User Data\"",
             "SELECT \"User Data\".\"1st\", \"User Data\".\"select\", \"User Data\".\"Mixed\" FROM "
             "\"User Data\"");
}

TEST(SqlSelect, UnknownColumnIsAnError) {
  Schema s;
  EXPECT_THROW((void)s.users.c["nope"], ArgumentError);
}

}  // namespace
