// Compile tests, on all five dialects (default, sqlite, postgresql, mysql, mariadb), for the
// less common expression forms: extract(), regexp_match / regexp_replace, custom op(),
// tuple_() comparisons and tuple IN, within_group(), window frame EXCLUDE; the per-dialect
// string literal (LIKE … ESCAPE with a backslash on MySQL); DROP FOREIGN KEY and CREATE INDEX
// IF NOT EXISTS on MySQL/MariaDB.
#include "support/sql_expect.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace retort;
using retort::testing::expect_compile_error;
using retort::testing::expect_sql;

struct Schema {
  MetaData md;
  Table ev{"xf_events",
           md,
           {Column("id", Integer(), {.primary_key = true}), Column("name", String(50)),
            Column("at", types::DateTime()), Column("score", Integer())}};
};

template <typename E, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return {};
}

TEST(SqlExpressionForms, ExtractRendersPerDialect) {
  Schema s;
  auto stmt =
      select(extract("YEAR", s.ev.c["at"]).label("y")).where(extract("month", s.ev.c["at"]) == 3);
  expect_sql(stmt,
             {{"default",
               "SELECT EXTRACT(year FROM xf_events.at) AS y FROM xf_events WHERE "
               "EXTRACT(month FROM xf_events.at) = :param_1"},
              {"sqlite",
               "SELECT CAST(STRFTIME('%Y', xf_events.at) AS INTEGER) AS y FROM xf_events WHERE "
               "CAST(STRFTIME('%m', xf_events.at) AS INTEGER) = ?"},
              {"postgresql",
               "SELECT EXTRACT(year FROM xf_events.at) AS y FROM xf_events WHERE "
               "EXTRACT(month FROM xf_events.at) = $1"},
              {"mysql",
               "SELECT EXTRACT(year FROM xf_events.at) AS y FROM xf_events WHERE "
               "EXTRACT(month FROM xf_events.at) = ?"},
              {"mariadb",
               "SELECT EXTRACT(year FROM xf_events.at) AS y FROM xf_events WHERE "
               "EXTRACT(month FROM xf_events.at) = ?"}});
  EXPECT_EQ(extract("year", s.ev.c["at"]).type().kind(), TypeKind::integer);
  expect_compile_error(select(extract("quarter", s.ev.c["at"])), "sqlite",
                       "SQLite's strftime() has no such field");
  EXPECT_EQ(message_of<ArgumentError>([&] { (void)extract("year; DROP", s.ev.c["at"]); }),
            "extract(): 'year; drop' is not a field name (letters and '_' only: year, month, "
            "day, …)");
}

TEST(SqlExpressionForms, RegexpMatchAndReplace) {
  Schema s;
  auto name = s.ev.c["name"];
  auto match = select(s.ev.c["id"]).where(name.regexp_match("^a.*"));
  expect_sql(match,
             {{"sqlite", "SELECT xf_events.id FROM xf_events WHERE xf_events.name REGEXP ?"},
              {"postgresql", "SELECT xf_events.id FROM xf_events WHERE xf_events.name ~ $1"},
              {"mysql", "SELECT xf_events.id FROM xf_events WHERE xf_events.name REGEXP ?"},
              {"mariadb", "SELECT xf_events.id FROM xf_events WHERE xf_events.name REGEXP ?"}});
  expect_compile_error(match, "default",
                       "The 'default' dialect cannot render regexp_match(): it has no regular "
                       "expression operator");
  // not_regexp_match, and not_() of a match, negate it.
  auto negated = select(s.ev.c["id"]).where(!name.regexp_match("x"));
  expect_sql(negated,
             {{"sqlite", "SELECT xf_events.id FROM xf_events WHERE xf_events.name NOT REGEXP ?"},
              {"postgresql", "SELECT xf_events.id FROM xf_events WHERE xf_events.name !~ $1"},
              {"mysql", "SELECT xf_events.id FROM xf_events WHERE xf_events.name NOT REGEXP ?"},
              {"mariadb", "SELECT xf_events.id FROM xf_events WHERE xf_events.name NOT REGEXP ?"}});
  EXPECT_EQ(select(s.ev.c["id"]).where(name.not_regexp_match("x")).compile("postgresql").sql,
            "SELECT xf_events.id FROM xf_events WHERE xf_events.name !~ $1");
  auto replaced = select(name.regexp_replace("a+", "b").label("r"));
  expect_sql(replaced,
             {{"postgresql", "SELECT REGEXP_REPLACE(xf_events.name, $1, $2) AS r FROM xf_events"},
              {"mysql", "SELECT REGEXP_REPLACE(xf_events.name, ?, ?) AS r FROM xf_events"},
              {"mariadb", "SELECT REGEXP_REPLACE(xf_events.name, ?, ?) AS r FROM xf_events"}});
  expect_compile_error(replaced, "sqlite", "SQLite has no regexp_replace()");
  expect_compile_error(replaced, "default", "cannot render regexp_replace()");
  // The pattern is a bound parameter typed like the column.
  const Compiled c = match.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 1u);
  EXPECT_EQ(c.parameters[0].value, Value("^a.*"));
}

TEST(SqlExpressionForms, CustomOperator) {
  Schema s;
  auto score = s.ev.c["score"];
  auto stmt = select(s.ev.c["id"])
                  .where(score.op("&&")(5) == true_(),
                         s.ev.c["name"].op("@@", {.is_comparison = true})("x"));
  expect_sql(stmt,
             {{"default",
               "SELECT xf_events.id FROM xf_events WHERE (xf_events.score && :score_1) = true AND "
               "(xf_events.name @@ :name_1)"},
              {"sqlite",
               "SELECT xf_events.id FROM xf_events WHERE (xf_events.score && ?) = 1 AND "
               "(xf_events.name @@ ?)"},
              {"postgresql",
               "SELECT xf_events.id FROM xf_events WHERE (xf_events.score && $1) = true AND "
               "(xf_events.name @@ $2)"},
              {"mysql",
               "SELECT xf_events.id FROM xf_events WHERE (xf_events.score && ?) = true AND "
               "(xf_events.name @@ ?)"},
              {"mariadb",
               "SELECT xf_events.id FROM xf_events WHERE (xf_events.score && ?) = true AND "
               "(xf_events.name @@ ?)"}});
  // A precedence above the operands' keeps them bare; the types follow the options.
  auto mul = score.op("*", {.precedence = 8})(score + 1);
  EXPECT_EQ(select(mul.label("m")).compile().sql,
            "SELECT xf_events.score * (xf_events.score + :score_1) AS m FROM xf_events");
  EXPECT_EQ(mul.type().kind(), TypeKind::integer);
  EXPECT_EQ(score.op("@@", {.is_comparison = true})(1).type().kind(), TypeKind::boolean);
  EXPECT_EQ(score.op("->", {.return_type = Type(String())})(1).type().kind(), TypeKind::string);
  EXPECT_EQ(message_of<ArgumentError>([&] { (void)score.op("; DROP TABLE x --"); }),
            "op(): '; DROP TABLE x --' is not a usable operator (empty, or containing ';', a "
            "quote, '--' or '/*')");
  EXPECT_THROW((void)score.op(""), ArgumentError);
  EXPECT_THROW((void)score.op("+", {.precedence = 100}), ArgumentError);
}

TEST(SqlExpressionForms, TupleComparisonAndIn) {
  Schema s;
  auto t = tuple_({s.ev.c["id"], s.ev.c["name"]});
  auto in = select(s.ev.c["id"]).where(t.in_({{1, "a"}, {2, "b"}}));
  expect_sql(in, {{"default",
                   "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) IN "
                   "((:id_1, :name_1), (:id_2, :name_2))"},
                  {"sqlite",
                   "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) IN "
                   "(VALUES (?, ?), (?, ?))"},
                  {"postgresql",
                   "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) IN "
                   "(($1, $2), ($3, $4))"},
                  {"mysql",
                   "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) IN "
                   "((?, ?), (?, ?))"},
                  {"mariadb",
                   "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) IN "
                   "((?, ?), (?, ?))"}});
  const Compiled c = in.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 4u);
  EXPECT_EQ(c.parameters[3].value, Value("b"));
  EXPECT_EQ(c.parameters[0].type.kind(), TypeKind::integer);
  EXPECT_EQ(c.parameters[1].type.kind(), TypeKind::string);
  // Empty: never true; NOT IN: always true.
  EXPECT_EQ(select(s.ev.c["id"]).where(t.in_(std::vector<std::vector<Value>>{})).compile().sql,
            "SELECT xf_events.id FROM xf_events WHERE 1 != 1");
  EXPECT_EQ(select(s.ev.c["id"]).where(t.not_in(std::vector<std::vector<Value>>{})).compile().sql,
            "SELECT xf_events.id FROM xf_events WHERE 1 = 1");
  EXPECT_EQ(select(s.ev.c["id"]).where(t.not_in({{1, "a"}})).compile("postgresql").sql,
            "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) NOT IN "
            "(($1, $2))");
  // Against a select of as many columns.
  EXPECT_EQ(
      select(s.ev.c["id"]).where(t.in_(select(s.ev.c["id"], s.ev.c["name"]))).compile("mysql").sql,
      "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) IN (SELECT "
      "xf_events.id, xf_events.name FROM xf_events)");
  EXPECT_THROW((void)t.in_(select(s.ev.c["id"])), ArgumentError);
  EXPECT_EQ(message_of<ArgumentError>([&] { (void)t.in_({{1}}); }),
            "tuple_().in_(): row 0 has 1 values but the tuple has 2 elements");
  // Row-value comparison.
  expect_sql(
      select(s.ev.c["id"]).where(t > tuple_({1, "b"})),
      {{"default",
        "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) > "
        "(:param_1, :param_2)"},
       {"sqlite",
        "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) > (?, ?)"},
       {"postgresql",
        "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) > ($1, $2)"},
       {"mysql",
        "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) > (?, ?)"},
       {"mariadb",
        "SELECT xf_events.id FROM xf_events WHERE (xf_events.id, xf_events.name) > (?, ?)"}});
  EXPECT_THROW((void)tuple_({}), ArgumentError);
}

TEST(SqlExpressionForms, WithinGroup) {
  Schema s;
  auto p = func::call("percentile_cont", {literal(0.5)}).within_group({s.ev.c["score"]});
  EXPECT_EQ(p.type().kind(), TypeKind::integer);  // the ordered value's type
  const std::string sql_named =
      "SELECT percentile_cont(:param_1) WITHIN GROUP (ORDER BY xf_events.score) AS median FROM "
      "xf_events";
  expect_sql(select(p.label("median")),
             {{"default", sql_named},
              {"sqlite",
               "SELECT percentile_cont(?) WITHIN GROUP (ORDER BY xf_events.score) AS median FROM "
               "xf_events"},
              {"postgresql",
               "SELECT percentile_cont($1) WITHIN GROUP (ORDER BY xf_events.score) AS median "
               "FROM xf_events"},
              {"mysql",
               "SELECT percentile_cont(?) WITHIN GROUP (ORDER BY xf_events.score) AS median FROM "
               "xf_events"},
              {"mariadb",
               "SELECT percentile_cont(?) WITHIN GROUP (ORDER BY xf_events.score) AS median FROM "
               "xf_events"}});
  EXPECT_EQ(select(func::call("rank", {literal(3)})
                       .within_group({s.ev.c["score"].desc(), s.ev.c["id"]})
                       .label("r"))
                .compile("postgresql")
                .sql,
            "SELECT rank($1) WITHIN GROUP (ORDER BY xf_events.score DESC, xf_events.id) AS r "
            "FROM xf_events");
  EXPECT_THROW((void)s.ev.c["score"].within_group({s.ev.c["id"]}), ArgumentError);
  EXPECT_THROW((void)func::count().within_group({}), ArgumentError);
}

TEST(SqlExpressionForms, WindowFrameExclude) {
  Schema s;
  auto w = func::sum(s.ev.c["score"])
               .over({.order_by = {s.ev.c["id"]},
                      .rows = Frame{-1, 1},
                      .exclude = FrameExclude::current_row});
  const std::string tail =
      "sum(xf_events.score) OVER (ORDER BY xf_events.id ROWS BETWEEN 1 PRECEDING AND 1 "
      "FOLLOWING EXCLUDE CURRENT ROW) AS s FROM xf_events";
  expect_sql(select(w.label("s")), {{"default", "SELECT " + tail},
                                    {"sqlite", "SELECT " + tail},
                                    {"postgresql", "SELECT " + tail}});
  expect_compile_error(select(w.label("s")), "mysql",
                       "The 'mysql' dialect cannot render the window frame option EXCLUDE "
                       "CURRENT ROW: it has no EXCLUDE clause");
  expect_compile_error(select(w.label("s")), "mariadb", "EXCLUDE");
  for (auto [e, sql] : {std::pair{FrameExclude::group, "EXCLUDE GROUP)"},
                        std::pair{FrameExclude::ties, "EXCLUDE TIES)"},
                        std::pair{FrameExclude::no_others, "EXCLUDE NO OTHERS)"}}) {
    const std::string got =
        select(
            func::sum(s.ev.c["score"])
                .over({.order_by = {s.ev.c["id"]}, .range = Frame{std::nullopt, 0}, .exclude = e}))
            .compile("postgresql")
            .sql;
    EXPECT_NE(got.find(std::string("CURRENT ROW ") + sql), std::string::npos) << got;
  }
  EXPECT_THROW((void)func::sum(s.ev.c["score"]).over({.exclude = FrameExclude::ties}),
               ArgumentError);
}

TEST(SqlExpressionForms, LikeEscapeBackslashIsDoubledOnMysql) {
  Schema s;
  auto name = s.ev.c["name"];
  auto stmt = select(s.ev.c["id"]).where(name.like("a\\%", '\\'));
  expect_sql(
      stmt,
      {{"sqlite", "SELECT xf_events.id FROM xf_events WHERE xf_events.name LIKE ? ESCAPE '\\'"},
       {"postgresql",
        "SELECT xf_events.id FROM xf_events WHERE xf_events.name LIKE $1 ESCAPE '\\'"},
       {"mysql", "SELECT xf_events.id FROM xf_events WHERE xf_events.name LIKE ? ESCAPE '\\\\'"},
       {"mariadb",
        "SELECT xf_events.id FROM xf_events WHERE xf_events.name LIKE ? ESCAPE '\\\\'"}});
  // A quote is doubled everywhere.
  EXPECT_EQ(select(s.ev.c["id"]).where(name.like("x", '\'')).compile("mysql").sql,
            "SELECT xf_events.id FROM xf_events WHERE xf_events.name LIKE ? ESCAPE ''''");
}

struct Cycle {
  MetaData md;
  Table a{
      "xf_cy_a",
      md,
      {Column("id", Integer(), {.primary_key = true}),
       Column("b_id", Integer(), {.foreign_key = ForeignKey("xf_cy_b.id", {.name = "fk_a_b"})})}};
  Table b{
      "xf_cy_b",
      md,
      {Column("id", Integer(), {.primary_key = true}),
       Column("a_id", Integer(), {.foreign_key = ForeignKey("xf_cy_a.id", {.name = "fk_b_a"})})}};
};

TEST(SqlExpressionForms, MysqlBreaksForeignKeyCyclesWithAlterTable) {
  Cycle s;
  const auto create = s.md.create_all_sql("mysql");
  ASSERT_EQ(create.size(), 4u);
  EXPECT_EQ(create[2],
            "ALTER TABLE xf_cy_a ADD CONSTRAINT fk_a_b FOREIGN KEY(b_id) REFERENCES xf_cy_b (id)");
  EXPECT_EQ(s.md.drop_all_sql("mysql"),
            (std::vector<std::string>{"ALTER TABLE xf_cy_a DROP FOREIGN KEY fk_a_b",
                                      "ALTER TABLE xf_cy_b DROP FOREIGN KEY fk_b_a",
                                      "DROP TABLE xf_cy_b", "DROP TABLE xf_cy_a"}));
  EXPECT_EQ(s.md.drop_all_sql("mariadb", true)[0],
            "ALTER TABLE IF EXISTS xf_cy_a DROP FOREIGN KEY IF EXISTS fk_a_b");
  try {
    (void)s.md.drop_all_sql("mysql", true);
    ADD_FAILURE() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("MySQL has no ALTER TABLE IF EXISTS"), std::string::npos)
        << e.what();
  }
  // Other dialects keep DROP CONSTRAINT.
  EXPECT_EQ(s.md.drop_all_sql("postgresql")[0], "ALTER TABLE xf_cy_a DROP CONSTRAINT fk_a_b");
}

TEST(SqlExpressionForms, CreateIndexIfNotExistsWhereTheDialectHasIt) {
  Schema s;
  Index ix("ix_xf_name", {s.ev.c["name"]});
  const std::string sql = "CREATE INDEX IF NOT EXISTS ix_xf_name ON xf_events (name)";
  // The mysql dialect refuses it only once it knows it talks to a MySQL server (a MariaDB
  // server has it); the plugin's render tests cover that case with a server version.
  expect_sql(CreateIndex(ix, true), {{"default", sql},
                                     {"sqlite", sql},
                                     {"postgresql", sql},
                                     {"mariadb", sql},
                                     {"mysql", sql}});
  EXPECT_EQ(CreateIndex(ix).compile("mysql").sql, "CREATE INDEX ix_xf_name ON xf_events (name)");
}

TEST(SqlExpressionForms, NestingCteRendersInFrontOfTheStatementReferringToIt) {
  // SQLAlchemy's documented example for cte(nesting=True).
  auto value_a = select(literal("a").label("n")).cte("value_a", false, true);
  auto value_a_nested = select(literal("nesting").label("n")).cte("value_a", false, true);
  auto value_b = select(value_a_nested.c["n"]).cte("value_b");
  auto value_ab = union_(select(value_a.c["n"]), select(value_b.c["n"]));
  expect_sql(value_ab,
             {{"default",
               "WITH value_a AS (SELECT :param_1 AS n), value_b AS (WITH value_a AS (SELECT "
               ":param_2 AS n) SELECT value_a.n AS n FROM value_a) SELECT value_a.n FROM value_a "
               "UNION SELECT value_b.n FROM value_b"},
              {"postgresql",
               "WITH value_a AS (SELECT $1 AS n), value_b AS (WITH value_a AS (SELECT $2 AS n) "
               "SELECT value_a.n AS n FROM value_a) SELECT value_a.n FROM value_a UNION SELECT "
               "value_b.n FROM value_b"}});
  const Compiled c = value_ab.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 2u);
  EXPECT_EQ(c.parameters[0].value, Value("a"));
  EXPECT_EQ(c.parameters[1].value, Value("nesting"));
  // In a scalar subquery: the WITH goes inside its parentheses.
  Schema s;
  auto top = select(s.ev.c["score"]).where(s.ev.c["score"] > 1).cte("top_scores", false, true);
  auto stmt = select(s.ev.c["id"]).where(s.ev.c["score"].in_(select(top.c["score"])));
  EXPECT_EQ(stmt.compile("sqlite").sql,
            "SELECT xf_events.id FROM xf_events WHERE xf_events.score IN (WITH top_scores AS "
            "(SELECT xf_events.score AS score FROM xf_events WHERE xf_events.score > ?) SELECT "
            "top_scores.score FROM top_scores)");
}

TEST(SqlExpressionForms, AddCteRendersAnUnreferencedCte) {
  Schema s;
  auto archived = select(s.ev.c["id"]).where(s.ev.c["score"] < 0).cte("low");
  EXPECT_EQ(select(s.ev.c["id"]).add_cte(archived).compile().sql,
            "WITH low AS (SELECT xf_events.id AS id FROM xf_events WHERE xf_events.score < "
            ":score_1) SELECT xf_events.id FROM xf_events");
  // On DML too, and once when also referenced.
  EXPECT_EQ(delete_(s.ev)
                .where(s.ev.c["id"].in_(select(archived.c["id"])))
                .add_cte(archived)
                .compile("sqlite")
                .sql,
            "WITH low AS (SELECT xf_events.id AS id FROM xf_events WHERE xf_events.score < ?) "
            "DELETE FROM xf_events WHERE xf_events.id IN (SELECT low.id FROM low)");
  // A nesting CTE added to a subquery renders inside it.
  auto nested = select(s.ev.c["id"]).cte("inner_ids", false, true);
  auto sub = select(s.ev.c["id"]).add_cte(nested).subquery("sq");
  EXPECT_EQ(select(sub.c["id"]).compile().sql,
            "SELECT sq.id FROM (WITH inner_ids AS (SELECT xf_events.id AS id FROM xf_events) "
            "SELECT xf_events.id AS id FROM xf_events) AS sq");
}

}  // namespace
