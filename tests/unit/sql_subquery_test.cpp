// Compile tests for selectables on the default, sqlite and postgresql dialects: subqueries
// (derived, scalar, correlated, LATERAL), EXISTS, IN / ANY / ALL with a subquery, CTEs
// (recursive, nested, in DML), set operations, DISTINCT ON, FULL OUTER JOIN, FOR UPDATE and
// the select-list builders.
#include "support/sql_expect.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>
#include <retort/text.hpp>

#include <gtest/gtest.h>

namespace {

using namespace retort;
using retort::testing::expect_compile_error;
using retort::testing::expect_sql;

struct Schema {
  MetaData metadata;
  Table users{"users",
              metadata,
              {Column("id", Integer(), {.primary_key = true}),
               Column("name", String(50), {.nullable = false}), Column("score", Integer())}};
  Table addresses{"addresses",
                  metadata,
                  {Column("id", Integer(), {.primary_key = true}),
                   Column("user_id", Integer(), {.foreign_key = ForeignKey("users.id")}),
                   Column("email", String(100))}};
};

// --- Derived tables ---------------------------------------------------------------------------

TEST(SqlSubquery, NamedSubqueryJoinedWithExplicitOn) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto counts = select(a.c["user_id"], func::count(a.c["id"]).label("n"))
                    .group_by(a.c["user_id"])
                    .subquery("counts");
  auto stmt = select(u.c["name"], counts.c["n"]).join(counts, u.c["id"] == counts.c["user_id"]);
  const char* sql =
      "SELECT users.name, counts.n FROM users JOIN (SELECT addresses.user_id AS user_id, "
      "count(addresses.id) AS n FROM addresses GROUP BY addresses.user_id) AS counts ON "
      "users.id = counts.user_id";
  expect_sql(stmt, {{"default", sql}, {"sqlite", sql}, {"postgresql", sql}});
  EXPECT_EQ(counts.c["n"].type().kind(), TypeKind::integer);
}

TEST(SqlSubquery, AnonymousSubqueriesAreNumberedAndUnlabelledFunctionsGetAnonLabels) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto sq = select(u.c["id"], func::count(a.c["id"])).join(a).group_by(u.c["id"]).subquery();
  auto sq2 = select(u.c["id"]).where(u.c["score"] > 3).subquery();
  auto stmt = select(sq.c["id"], sq.c["count"]).join(sq2, sq.c["id"] == sq2.c["id"]);
  expect_sql(stmt,
             {{"default",
               "SELECT anon_1.id, anon_1.count_1 FROM (SELECT users.id AS id, "
               "count(addresses.id) AS count_1 FROM users JOIN addresses ON users.id = "
               "addresses.user_id GROUP BY users.id) AS anon_1 JOIN (SELECT users.id AS id FROM "
               "users WHERE users.score > :score_1) AS anon_2 ON anon_1.id = anon_2.id"},
              {"postgresql",
               "SELECT anon_1.id, anon_1.count_1 FROM (SELECT users.id AS id, "
               "count(addresses.id) AS count_1 FROM users JOIN addresses ON users.id = "
               "addresses.user_id GROUP BY users.id) AS anon_1 JOIN (SELECT users.id AS id FROM "
               "users WHERE users.score > $1) AS anon_2 ON anon_1.id = anon_2.id"}});
}

TEST(SqlSubquery, SelectOfWholeSubqueryAndRepeatedColumnNamesAreDisambiguated) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto both = select(u.c["id"], a.c["id"]).where(u.c["id"] == a.c["user_id"]);
  expect_sql(both, {{"sqlite",
                     "SELECT users.id, addresses.id AS id_1 FROM users, addresses WHERE "
                     "users.id = addresses.user_id"}});
  auto sq = both.subquery("pairs");
  expect_sql(select(sq), {{"sqlite",
                           "SELECT pairs.id, pairs.id_1 FROM (SELECT users.id AS id, "
                           "addresses.id AS id_1 FROM users, addresses WHERE users.id = "
                           "addresses.user_id) AS pairs"}});
  EXPECT_EQ(sq.c.all().size(), 2u);
  (void)sq.c["id_1"];
  EXPECT_THROW((void)sq.c["nope"], ArgumentError);
}

TEST(SqlSubquery, SubqueryAliasRendersTheSameSelectUnderAnotherName) {
  Schema s;
  auto sq = select(s.users.c["id"]).subquery("a").alias("b");
  expect_sql(select(sq.c["id"]),
             {{"sqlite", "SELECT b.id FROM (SELECT users.id AS id FROM users) AS b"}});
}

// --- Scalar subqueries and correlation ----------------------------------------------------------

TEST(SqlSubquery, CorrelatedScalarSubqueryInSelectListGetsAnonLabel) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto cnt = select(func::count(a.c["id"])).where(a.c["user_id"] == u.c["id"]).scalar_subquery();
  EXPECT_EQ(cnt.type().kind(), TypeKind::integer);
  const char* sql =
      "SELECT users.name, (SELECT count(addresses.id) AS count_1 FROM addresses WHERE "
      "addresses.user_id = users.id) AS anon_1 FROM users";
  expect_sql(select(u.c["name"], cnt), {{"default", sql}, {"sqlite", sql}, {"postgresql", sql}});
  expect_sql(select(u.c["name"], cnt.label("n")),
             {{"sqlite",
               "SELECT users.name, (SELECT count(addresses.id) AS count_1 FROM addresses WHERE "
               "addresses.user_id = users.id) AS n FROM users"}});
}

TEST(SqlSubquery, CorrelatedScalarSubqueryInWhereComparison) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto cnt = select(func::count(a.c["id"])).where(a.c["user_id"] == u.c["id"]).scalar_subquery();
  expect_sql(select(u.c["name"]).where(cnt > 1),
             {{"default",
               "SELECT users.name FROM users WHERE (SELECT count(addresses.id) AS count_1 FROM "
               "addresses WHERE addresses.user_id = users.id) > :param_1"},
              {"postgresql",
               "SELECT users.name FROM users WHERE (SELECT count(addresses.id) AS count_1 FROM "
               "addresses WHERE addresses.user_id = users.id) > $1"}});
}

TEST(SqlSubquery, SubqueryWithOneFromIsNotCorrelated) {
  Schema s;
  auto& u = s.users;
  auto avg = select(func::avg(u.c["score"])).scalar_subquery();
  expect_sql(select(u.c["name"]).where(u.c["score"] > avg),
             {{"sqlite",
               "SELECT users.name FROM users WHERE users.score > (SELECT avg(users.score) AS "
               "avg_1 FROM users)"}});
}

TEST(SqlSubquery, ExplicitCorrelateNoneAndCorrelateExcept) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto inner = select(func::count(a.c["id"])).where(a.c["user_id"] == u.c["id"]);
  expect_sql(select(u.c["name"], inner.correlate({}).scalar_subquery().label("n")),
             {{"sqlite",
               "SELECT users.name, (SELECT count(addresses.id) AS count_1 FROM addresses, users "
               "WHERE addresses.user_id = users.id) AS n FROM users"}});
  expect_sql(select(u.c["name"], inner.correlate_except({a}).scalar_subquery().label("n")),
             {{"sqlite",
               "SELECT users.name, (SELECT count(addresses.id) AS count_1 FROM addresses "
               "WHERE addresses.user_id = users.id) AS n FROM users"}});
  expect_sql(select(u.c["name"], inner.correlate({u}).scalar_subquery().label("n")),
             {{"sqlite",
               "SELECT users.name, (SELECT count(addresses.id) AS count_1 FROM addresses "
               "WHERE addresses.user_id = users.id) AS n FROM users"}});
}

TEST(SqlSubquery, AutoCorrelationRemovingEveryFromIsACompileError) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto inner = select(u.c["id"]).where(u.c["id"] == a.c["user_id"]);
  auto stmt = select(u.c["name"], a.c["email"]).where(exists(inner));
  expect_compile_error(stmt, "sqlite", "no FROM clauses due to auto-correlation");
}

TEST(SqlSubquery, ScalarSubqueryNeedsExactlyOneColumn) {
  Schema s;
  try {
    (void)select(s.users.c["id"], s.users.c["name"]).scalar_subquery();
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("exactly one column; this one has 2"), std::string::npos);
  }
}

TEST(SqlSubquery, CorrelatedSubqueryInDeleteWhere) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto stmt = delete_(u).where(!exists(select(a.c["id"]).where(a.c["user_id"] == u.c["id"])));
  expect_sql(stmt, {{"sqlite",
                     "DELETE FROM users WHERE NOT (EXISTS (SELECT addresses.id FROM addresses "
                     "WHERE addresses.user_id = users.id))"}});
}

TEST(SqlSubquery, CorrelatedScalarSubqueryInUpdateWhere) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto cnt = select(func::count(a.c["id"])).where(a.c["user_id"] == u.c["id"]).scalar_subquery();
  expect_sql(update(u).where(cnt >= 2).values({{"score", 100}}),
             {{"postgresql",
               "UPDATE users SET score=$1 WHERE (SELECT count(addresses.id) AS count_1 FROM "
               "addresses WHERE addresses.user_id = users.id) >= $2"}});
}

TEST(SqlSubquery, CompoundOrderByLabelAndPosition) {
  Schema s;
  auto& u = s.users;
  auto total = (u.c["score"] + 1).label("total");
  auto stmt = union_all(select(u.c["name"], total), select(u.c["name"], total))
                  .order_by(total.desc(), u.c["name"]);
  expect_sql(stmt, {{"sqlite",
                     "SELECT users.name, users.score + ? AS total FROM users UNION ALL SELECT "
                     "users.name, users.score + ? AS total FROM users ORDER BY total DESC, name"}});
}

// --- EXISTS, IN, ANY / ALL -------------------------------------------------------------------

TEST(SqlSubquery, ExistsAndNotExists) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto has = select(a.c["id"]).where(a.c["user_id"] == u.c["id"]);
  expect_sql(select(u.c["name"]).where(exists(has)),
             {{"default",
               "SELECT users.name FROM users WHERE EXISTS (SELECT addresses.id FROM addresses "
               "WHERE addresses.user_id = users.id)"},
              {"sqlite",
               "SELECT users.name FROM users WHERE EXISTS (SELECT addresses.id FROM addresses "
               "WHERE addresses.user_id = users.id)"}});
  expect_sql(select(u.c["name"]).where(!has.exists()).where(u.c["id"] > 2),
             {{"postgresql",
               "SELECT users.name FROM users WHERE NOT (EXISTS (SELECT addresses.id FROM "
               "addresses WHERE addresses.user_id = users.id)) AND users.id > $1"}});
}

TEST(SqlSubquery, InAndNotInWithSubquery) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto ids = select(a.c["user_id"]).where(a.c["email"].like("%@x"));
  expect_sql(select(u.c["name"]).where(u.c["id"].in_(ids)),
             {{"default",
               "SELECT users.name FROM users WHERE users.id IN (SELECT addresses.user_id FROM "
               "addresses WHERE addresses.email LIKE :email_1)"},
              {"postgresql",
               "SELECT users.name FROM users WHERE users.id IN (SELECT addresses.user_id FROM "
               "addresses WHERE addresses.email LIKE $1)"}});
  const char* not_in =
      "SELECT users.name FROM users WHERE users.id NOT IN (SELECT addresses.user_id FROM "
      "addresses WHERE addresses.email LIKE ?)";
  expect_sql(select(u.c["name"]).where(u.c["id"].not_in(ids)), {{"sqlite", not_in}});
  expect_sql(select(u.c["name"]).where(!u.c["id"].in_(ids)), {{"sqlite", not_in}});
  EXPECT_THROW((void)u.c["id"].in_(select(a.c["id"], a.c["email"])), ArgumentError);
}

TEST(SqlSubquery, AnyAndAllOnPostgresqlCompileErrorOnSqlite) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto all_stmt = select(u.c["name"]).where(u.c["score"] > all_(select(a.c["id"])));
  expect_sql(all_stmt,
             {{"default",
               "SELECT users.name FROM users WHERE users.score > ALL (SELECT addresses.id FROM "
               "addresses)"},
              {"postgresql",
               "SELECT users.name FROM users WHERE users.score > ALL (SELECT addresses.id FROM "
               "addresses)"}});
  auto any_stmt = select(u.c["name"]).where(u.c["id"] == any_(select(a.c["user_id"])));
  expect_sql(any_stmt, {{"postgresql",
                         "SELECT users.name FROM users WHERE users.id = ANY (SELECT "
                         "addresses.user_id FROM addresses)"}});
  expect_compile_error(all_stmt, "sqlite",
                       "The 'sqlite' dialect cannot render ALL: SQLite has no ANY / ALL");
  expect_compile_error(any_stmt, "sqlite", "The 'sqlite' dialect cannot render ANY");
}

TEST(SqlSubquery, LateralOnPostgresqlCompileErrorOnSqlite) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto lat = select(a.c["email"])
                 .where(a.c["user_id"] == u.c["id"])
                 .order_by(a.c["email"])
                 .limit(1)
                 .lateral("first_address");
  auto stmt = select(u.c["name"], lat.c["email"]).join(lat, true_());
  expect_sql(stmt, {{"postgresql",
                     "SELECT users.name, first_address.email FROM users JOIN LATERAL (SELECT "
                     "addresses.email AS email FROM addresses WHERE addresses.user_id = "
                     "users.id ORDER BY addresses.email LIMIT $1) AS first_address ON true"}});
  expect_compile_error(stmt, "sqlite",
                       "The 'sqlite' dialect cannot render LATERAL: SQLite has no LATERAL");
}

// --- CTEs -------------------------------------------------------------------------------------

TEST(SqlSubquery, CteReferencedTwiceIsRenderedOnce) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto totals = select(a.c["user_id"], func::count(a.c["id"]).label("n"))
                    .group_by(a.c["user_id"])
                    .cte("totals");
  auto t2 = totals.alias("t2");
  auto stmt = select(u.c["name"], totals.c["n"])
                  .join(totals, u.c["id"] == totals.c["user_id"])
                  .where(totals.c["n"] == select(func::max(t2.c["n"])).scalar_subquery());
  const char* sql =
      "WITH totals AS (SELECT addresses.user_id AS user_id, count(addresses.id) AS n FROM "
      "addresses GROUP BY addresses.user_id) SELECT users.name, totals.n FROM users JOIN "
      "totals ON users.id = totals.user_id WHERE totals.n = (SELECT max(t2.n) AS max_1 FROM "
      "totals AS t2)";
  expect_sql(stmt, {{"default", sql}, {"sqlite", sql}, {"postgresql", sql}});
}

TEST(SqlSubquery, RecursiveCteRendersColumnListAndParametersInTextOrder) {
  auto nums = select(literal(1, Integer()).label("n")).cte("nums", true);
  nums = nums.union_all(select((nums.c["n"] + 1).label("n")).where(nums.c["n"] < 10));
  auto stmt = select(nums.c["n"]);
  expect_sql(stmt,
             {{"default",
               "WITH RECURSIVE nums(n) AS (SELECT :param_1 AS n UNION ALL SELECT nums.n + :n_1 "
               "AS n FROM nums WHERE nums.n < :n_2) SELECT nums.n FROM nums"},
              {"sqlite",
               "WITH RECURSIVE nums(n) AS (SELECT ? AS n UNION ALL SELECT nums.n + ? AS n FROM "
               "nums WHERE nums.n < ?) SELECT nums.n FROM nums"},
              {"postgresql",
               "WITH RECURSIVE nums(n) AS (SELECT $1 AS n UNION ALL SELECT nums.n + $2 AS n "
               "FROM nums WHERE nums.n < $3) SELECT nums.n FROM nums"}});
  const Compiled c = stmt.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 3u);
  EXPECT_EQ(c.parameters[0].value, Value(1));
  EXPECT_EQ(c.parameters[1].value, Value(1));
  EXPECT_EQ(c.parameters[2].value, Value(10));
}

TEST(SqlSubquery, SecondRecursiveTermKeepsTheCompoundFlat) {
  auto nums = select(literal(1, Integer()).label("n")).cte("nums", true);
  nums = nums.union_all(select((nums.c["n"] + 1).label("n")).where(nums.c["n"] < 3));
  nums = nums.union_all(select((nums.c["n"] + 10).label("n")).where(nums.c["n"] < 2));
  expect_sql(select(nums.c["n"]),
             {{"sqlite",
               "WITH RECURSIVE nums(n) AS (SELECT ? AS n UNION ALL SELECT nums.n + ? AS n FROM "
               "nums WHERE nums.n < ? UNION ALL SELECT nums.n + ? AS n FROM nums WHERE nums.n < "
               "?) SELECT nums.n FROM nums"}});
}

TEST(SqlSubquery, NestedCtesAreOrderedDependenciesFirst) {
  Schema s;
  auto& u = s.users;
  auto high = select(u.c["id"], u.c["score"]).where(u.c["score"] > 5).cte("high");
  auto high_ids = select(high.c["id"]).where(high.c["id"] < 100).cte("high_ids");
  expect_sql(select(high_ids.c["id"]),
             {{"postgresql",
               "WITH high AS (SELECT users.id AS id, users.score AS score FROM users WHERE "
               "users.score > $1), high_ids AS (SELECT high.id AS id FROM high WHERE high.id < "
               "$2) SELECT high_ids.id FROM high_ids"}});
}

TEST(SqlSubquery, AnonymousCteIsNamedAnon) {
  Schema s;
  auto c = select(s.users.c["id"]).cte();
  expect_sql(select(c.c["id"]), {{"sqlite",
                                  "WITH anon_1 AS (SELECT users.id AS id FROM users) SELECT "
                                  "anon_1.id FROM anon_1"}});
}

TEST(SqlSubquery, DeleteWithCteInWhereGetsWithPrefix) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  auto inactive = select(u.c["id"]).where(u.c["score"] < 1).cte("inactive");
  auto stmt = delete_(a).where(a.c["user_id"].in_(select(inactive.c["id"])));
  expect_sql(stmt,
             {{"default",
               "WITH inactive AS (SELECT users.id AS id FROM users WHERE users.score < "
               ":score_1) DELETE FROM addresses WHERE addresses.user_id IN (SELECT inactive.id "
               "FROM inactive)"},
              {"sqlite",
               "WITH inactive AS (SELECT users.id AS id FROM users WHERE users.score < ?) "
               "DELETE FROM addresses WHERE addresses.user_id IN (SELECT inactive.id FROM "
               "inactive)"},
              {"postgresql",
               "WITH inactive AS (SELECT users.id AS id FROM users WHERE users.score < $1) "
               "DELETE FROM addresses WHERE addresses.user_id IN (SELECT inactive.id FROM "
               "inactive)"}});
}

TEST(SqlSubquery, UpdateWithCteInWhereGetsWithPrefix) {
  Schema s;
  auto& u = s.users;
  auto top = select(u.c["id"]).order_by(u.c["score"].desc()).limit(2).cte("top");
  auto stmt = update(u).where(u.c["id"].in_(select(top.c["id"]))).values({{"score", 0}});
  expect_sql(stmt, {{"postgresql",
                     "WITH top AS (SELECT users.id AS id FROM users ORDER BY users.score DESC "
                     "LIMIT $1) UPDATE users SET score=$2 WHERE users.id IN (SELECT top.id FROM "
                     "top)"}});
}

// --- Set operations ---------------------------------------------------------------------------

struct SetOps : Schema {
  Select s1 = select(users.c["id"], users.c["name"]).where(users.c["score"] > 5);
  Select s2 = select(users.c["id"], users.c["name"]).where(users.c["name"].like("a%"));
};

TEST(SqlSubquery, UnionWithOrderByAndLimitOnTheWhole) {
  SetOps s;
  auto stmt = union_(s.s1, s.s2).order_by(s.users.c["name"].desc()).limit(3);
  expect_sql(stmt,
             {{"default",
               "SELECT users.id, users.name FROM users WHERE users.score > :score_1 UNION "
               "SELECT users.id, users.name FROM users WHERE users.name LIKE :name_1 ORDER BY "
               "name DESC LIMIT :param_1"},
              {"sqlite",
               "SELECT users.id, users.name FROM users WHERE users.score > ? UNION SELECT "
               "users.id, users.name FROM users WHERE users.name LIKE ? ORDER BY name DESC "
               "LIMIT ?"},
              {"postgresql",
               "SELECT users.id, users.name FROM users WHERE users.score > $1 UNION SELECT "
               "users.id, users.name FROM users WHERE users.name LIKE $2 ORDER BY name DESC "
               "LIMIT $3"}});
}

TEST(SqlSubquery, EverySetOperatorAndTheAllFormsOnSqlite) {
  SetOps s;
  const std::string a = "SELECT users.id, users.name FROM users WHERE users.score > ?";
  const std::string b = "SELECT users.id, users.name FROM users WHERE users.name LIKE ?";
  expect_sql(s.s1.union_all(s.s2), {{"sqlite", a + " UNION ALL " + b}});
  expect_sql(intersect(s.s1, s.s2), {{"sqlite", a + " INTERSECT " + b}});
  expect_sql(except_(s.s1, s.s2), {{"sqlite", a + " EXCEPT " + b}});
  expect_sql(union_all(s.s1, s.s2, s.s1), {{"sqlite", a + " UNION ALL " + b + " UNION ALL " + a}});
  const std::string pa = "SELECT users.id, users.name FROM users WHERE users.score > $1";
  const std::string pb = "SELECT users.id, users.name FROM users WHERE users.name LIKE $2";
  expect_sql(intersect_all(s.s1, s.s2), {{"postgresql", pa + " INTERSECT ALL " + pb}});
  expect_sql(s.s1.except_all(s.s2), {{"postgresql", pa + " EXCEPT ALL " + pb}});
  expect_compile_error(intersect_all(s.s1, s.s2), "sqlite",
                       "The 'sqlite' dialect cannot render INTERSECT ALL: SQLite has INTERSECT "
                       "and EXCEPT but no ALL form");
  expect_compile_error(except_all(s.s1, s.s2), "sqlite",
                       "The 'sqlite' dialect cannot render EXCEPT ALL");
}

TEST(SqlSubquery, MembersWithOwnLimitAreGroupedOrWrappedOnSqlite) {
  SetOps s;
  auto stmt = union_all(s.s1.order_by(s.users.c["id"]).limit(2), s.s2);
  expect_sql(stmt, {{"postgresql",
                     "(SELECT users.id, users.name FROM users WHERE users.score > $1 ORDER BY "
                     "users.id LIMIT $2) UNION ALL SELECT users.id, users.name FROM users WHERE "
                     "users.name LIKE $3"},
                    {"sqlite",
                     "SELECT * FROM (SELECT users.id, users.name FROM users WHERE users.score > ? "
                     "ORDER BY users.id LIMIT ?) UNION ALL SELECT users.id, users.name FROM users "
                     "WHERE users.name LIKE ?"}});
}

TEST(SqlSubquery, NestedSetOperationsAreGrouped) {
  SetOps s;
  auto stmt = union_(except_(s.s1, s.s2), s.s1);
  const std::string a = "SELECT users.id, users.name FROM users WHERE users.score > ?";
  const std::string b = "SELECT users.id, users.name FROM users WHERE users.name LIKE ?";
  expect_sql(stmt, {{"default",
                     "(SELECT users.id, users.name FROM users WHERE users.score > :score_1 "
                     "EXCEPT SELECT users.id, users.name FROM users WHERE users.name LIKE "
                     ":name_1) UNION SELECT users.id, users.name FROM users WHERE users.score > "
                     ":score_2"},
                    {"sqlite", "SELECT * FROM (" + a + " EXCEPT " + b + ") UNION " + a}});
}

TEST(SqlSubquery, SubqueryOfCompoundLabelsEveryMember) {
  SetOps s;
  auto combined = union_all(s.s1, s.s2).subquery("combined");
  expect_sql(select(func::count()).select_from(combined),
             {{"sqlite",
               "SELECT count(*) AS count_1 FROM (SELECT users.id AS id, users.name AS name FROM "
               "users WHERE users.score > ? UNION ALL SELECT users.id AS id, users.name AS name "
               "FROM users WHERE users.name LIKE ?) AS combined"}});
  (void)combined.c["name"];
}

TEST(SqlSubquery, CompoundMembersNeedTheSameNumberOfColumns) {
  SetOps s;
  try {
    (void)union_(s.s1, select(s.users.c["id"]));
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("select #1 has 2 columns, select #2 has 1"),
              std::string::npos);
  }
}

// --- DISTINCT ON, FULL OUTER JOIN, FOR UPDATE ---------------------------------------------------

TEST(SqlSubquery, DistinctOnOnlyOnPostgresql) {
  Schema s;
  auto& a = s.addresses;
  auto stmt = select(a.c["user_id"], a.c["email"])
                  .distinct_on(a.c["user_id"])
                  .order_by(a.c["user_id"], a.c["email"]);
  expect_sql(stmt, {{"postgresql",
                     "SELECT DISTINCT ON (addresses.user_id) addresses.user_id, addresses.email "
                     "FROM addresses ORDER BY addresses.user_id, addresses.email"}});
  expect_compile_error(stmt, "sqlite", "The 'sqlite' dialect cannot render DISTINCT ON");
  expect_sql(stmt.distinct(), {{"postgresql",
                                "SELECT DISTINCT ON (addresses.user_id) addresses.user_id, "
                                "addresses.email FROM addresses ORDER BY addresses.user_id, "
                                "addresses.email"}});
  expect_compile_error(stmt, "default", "The 'default' dialect cannot render DISTINCT ON");
}

TEST(SqlSubquery, FullOuterJoin) {
  Schema s;
  auto& u = s.users;
  auto& a = s.addresses;
  const char* sql =
      "SELECT users.name, addresses.email FROM users FULL OUTER JOIN addresses ON users.id = "
      "addresses.user_id";
  expect_sql(select(u.c["name"], a.c["email"]).join(a, u.c["id"] == a.c["user_id"], {.full = true}),
             {{"default", sql}, {"sqlite", sql}, {"postgresql", sql}});
  expect_sql(select(u.c["name"], a.c["email"]).outerjoin(a, std::nullopt, true), {{"sqlite", sql}});
  expect_sql(select(u.c["name"], a.c["email"]).select_from(u.join(a, std::nullopt, {.full = true})),
             {{"sqlite", sql}});
}

TEST(SqlSubquery, WithForUpdateVariants) {
  Schema s;
  auto& u = s.users;
  auto base = select(u.c["id"]).where(u.c["id"] == 1);
  expect_sql(base.with_for_update(),
             {{"default", "SELECT users.id FROM users WHERE users.id = :id_1 FOR UPDATE"},
              {"sqlite", "SELECT users.id FROM users WHERE users.id = ?"},
              {"postgresql", "SELECT users.id FROM users WHERE users.id = $1 FOR UPDATE"}});
  const std::string p = "SELECT users.id FROM users WHERE users.id = $1";
  expect_sql(base.with_for_update({.nowait = true, .of = {u}}),
             {{"postgresql", p + " FOR UPDATE OF users NOWAIT"}});
  expect_sql(base.with_for_update({.read = true}), {{"postgresql", p + " FOR SHARE"}});
  expect_sql(base.with_for_update({.key_share = true}), {{"postgresql", p + " FOR NO KEY UPDATE"}});
  expect_sql(base.with_for_update({.read = true, .key_share = true}),
             {{"postgresql", p + " FOR KEY SHARE"}});
  expect_sql(base.limit(1).with_for_update({.skip_locked = true}),
             {{"postgresql", p + " LIMIT $2 FOR UPDATE SKIP LOCKED"}});
  EXPECT_THROW((void)base.with_for_update({.nowait = true, .skip_locked = true}), ArgumentError);
}

// --- Select-list builders ---------------------------------------------------------------------

TEST(SqlSubquery, AddColumnsWithOnlyColumnsAndWhereWithSeveralConditions) {
  Schema s;
  auto& u = s.users;
  auto stmt = select(u.c["id"]).add_columns(u.c["name"]).where(u.c["id"] > 1, u.c["name"] != "x");
  expect_sql(stmt, {{"default",
                     "SELECT users.id, users.name FROM users WHERE users.id > :id_1 AND "
                     "users.name != :name_1"}});
  expect_sql(stmt.with_only_columns(u.c["name"]),
             {{"sqlite", "SELECT users.name FROM users WHERE users.id > ? AND users.name != ?"}});
  EXPECT_EQ(stmt.selected_columns().all().size(), 2u);
  EXPECT_EQ(stmt.selected_columns()["name"].node(), stmt.selected_columns().all()[1].node());
  EXPECT_THROW((void)stmt.selected_columns()["nope"], ArgumentError);
}

// --- Textual SELECT ---------------------------------------------------------------------------

TEST(SqlSubquery, TextualSelectWithColumnsAsSubqueryAndInSetOperation) {
  Schema s;
  auto t = text("SELECT id, name FROM users WHERE score > :min")
               .columns({{"id", Integer()}, {"name", String()}});
  auto sq = t.subquery("t");
  auto stmt = select(sq.c["name"]).where(sq.c["id"] > 1);
  expect_sql(stmt, {{"default",
                     "SELECT t.name FROM (SELECT id, name FROM users WHERE score > :min) AS t "
                     "WHERE t.id > :id_1"},
                    {"sqlite",
                     "SELECT t.name FROM (SELECT id, name FROM users WHERE score > ?) AS t "
                     "WHERE t.id > ?"},
                    {"postgresql",
                     "SELECT t.name FROM (SELECT id, name FROM users WHERE score > $1) AS t "
                     "WHERE t.id > $2"}});
  EXPECT_EQ(sq.c["id"].type().kind(), TypeKind::integer);
  const Compiled c = stmt.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 2u);
  EXPECT_EQ(c.parameters[0].name, "min");
  EXPECT_FALSE(c.parameters[0].value.has_value());
  expect_sql(union_(select(s.users.c["id"], s.users.c["name"]), t),
             {{"sqlite",
               "SELECT users.id, users.name FROM users UNION SELECT id, name FROM users WHERE "
               "score > ?"}});
  EXPECT_THROW((void)text("SELECT 1").columns({}), ArgumentError);
}

}  // namespace
