// Compile tests for the expression language's operators and functions (SQLAlchemy's
// ColumnOperators, func, case, cast, window functions) on the default, sqlite and postgresql
// dialects: the exact SQL, the bound values, precedence, and the error cases.
#include "support/sql_expect.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace retort;
using retort::testing::expect_compile_error;
using retort::testing::expect_sql;

struct Items {
  MetaData metadata;
  Table t{"items",
          metadata,
          {Column("id", Integer(), {.primary_key = true}), Column("name", String(50)),
           Column("flags", Integer()), Column("price", Numeric(10, 2)), Column("note", Text())}};
  ColumnElement id = t.c["id"];
  ColumnElement name = t.c["name"];
  ColumnElement flags = t.c["flags"];
  ColumnElement price = t.c["price"];
  ColumnElement note = t.c["note"];
};

template <typename F>
void expect_argument_error(F&& build, const std::string& fragment) {
  try {
    build();
    ADD_FAILURE() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

// --- Concatenation ---------------------------------------------------------------------------

TEST(SqlExpression, ConcatMethodAndPlusOnStringsRenderPipes) {
  Items s;
  auto stmt = select(s.name.concat("x"), s.name + s.note, s.name + "!" + "?", s.id + 1);
  expect_sql(stmt, {{"default",
                     "SELECT items.name || :name_1 AS anon_1, items.name || items.note AS anon_2, "
                     "items.name || :name_2 || :param_1 AS anon_3, items.id + :id_1 AS anon_4 "
                     "FROM items"},
                    {"sqlite",
                     "SELECT items.name || ? AS anon_1, items.name || items.note AS anon_2, "
                     "items.name || ? || ? AS anon_3, items.id + ? AS anon_4 FROM items"},
                    {"postgresql",
                     "SELECT items.name || $1 AS anon_1, items.name || items.note AS anon_2, "
                     "items.name || $2 || $3 AS anon_3, items.id + $4 AS anon_4 FROM items"}});
  EXPECT_EQ((s.name + "!").type().kind(), TypeKind::string);
  // A value on the left takes the column's type, so it concatenates too.
  expect_sql(select(s.id).where(("a" + s.name) == "ab"),
             {{"sqlite", "SELECT items.id FROM items WHERE ? || items.name = ?"}});
}

TEST(SqlExpression, ConcatParenthesisesOperatorOperands) {
  Items s;
  // SQLite ranks || above +, PostgreSQL below: only parentheses mean the same on both.
  auto stmt = select(s.id)
                  .where((s.id + 1).concat(s.name) == "2x")
                  .where((s.id * type_coerce(s.name + "a", Integer())) > 0);
  expect_sql(stmt, {{"default",
                     "SELECT items.id FROM items WHERE (items.id + :id_1) || items.name = "
                     ":param_1 AND items.id * (items.name || :name_1) > :param_2"},
                    {"postgresql",
                     "SELECT items.id FROM items WHERE (items.id + $1) || items.name = $2 AND "
                     "items.id * (items.name || $3) > $4"}});
}

// --- LIKE family -----------------------------------------------------------------------------

TEST(SqlExpression, LikeNotLikeWithEscape) {
  Items s;
  auto stmt = select(s.id).where(and_(s.name.like("a/%%", '/'), s.name.not_like("b%"),
                                      !s.name.like("c%"), s.name.like(s.note, '\'')));
  expect_sql(stmt, {{"default",
                     "SELECT items.id FROM items WHERE items.name LIKE :name_1 ESCAPE '/' AND "
                     "items.name NOT LIKE :name_2 AND items.name NOT LIKE :name_3 AND items.name "
                     "LIKE items.note ESCAPE ''''"},
                    {"sqlite",
                     "SELECT items.id FROM items WHERE items.name LIKE ? ESCAPE '/' AND "
                     "items.name NOT LIKE ? AND items.name NOT LIKE ? AND items.name LIKE "
                     "items.note ESCAPE ''''"},
                    {"postgresql",
                     "SELECT items.id FROM items WHERE items.name LIKE $1 ESCAPE '/' AND "
                     "items.name NOT LIKE $2 AND items.name NOT LIKE $3 AND items.name LIKE "
                     "items.note ESCAPE ''''"}});
}

TEST(SqlExpression, LikeEscapeMustBeAscii) {
  Items s;
  expect_argument_error([&] { (void)s.name.like("a", '\0'); },
                        "the LIKE escape character must be an ASCII character other than NUL");
  expect_argument_error([&] { (void)s.name.ilike("a", static_cast<char>(0xe9)); },
                        "the LIKE escape character must be an ASCII character");
}

TEST(SqlExpression, ContainsStartswithEndswithKeepTheValueBound) {
  Items s;
  auto stmt = select(s.id).where(
      and_(s.name.contains("a"), s.name.startswith("b"), s.name.endswith(s.note)));
  expect_sql(stmt, {{"default",
                     "SELECT items.id FROM items WHERE items.name LIKE '%' || :name_1 || '%' AND "
                     "items.name LIKE :name_2 || '%' AND items.name LIKE '%' || items.note"},
                    {"sqlite",
                     "SELECT items.id FROM items WHERE items.name LIKE '%' || ? || '%' AND "
                     "items.name LIKE ? || '%' AND items.name LIKE '%' || items.note"},
                    {"postgresql",
                     "SELECT items.id FROM items WHERE items.name LIKE '%' || $1 || '%' AND "
                     "items.name LIKE $2 || '%' AND items.name LIKE '%' || items.note"}});
}

TEST(SqlExpression, AutoescapeEscapesWildcardsAndTheEscapeCharacter) {
  Items s;
  auto stmt = select(s.id).where(s.name.contains("10%_off/", {.autoescape = true}));
  expect_sql(stmt, {{"sqlite",
                     "SELECT items.id FROM items WHERE items.name LIKE '%' || ? || '%' ESCAPE "
                     "'/'"}});
  auto c = stmt.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 1u);
  EXPECT_EQ(c.parameters[0].value, Value("10/%/_off//"));

  auto custom = select(s.id).where(s.name.startswith("5^%", {.escape = '^', .autoescape = true}));
  expect_sql(custom, {{"postgresql",
                       "SELECT items.id FROM items WHERE items.name LIKE $1 || '%' ESCAPE '^'"}});
  EXPECT_EQ(custom.compile("postgresql").parameters[0].value, Value("5^^^%"));

  expect_argument_error([&] { (void)s.name.contains(s.note, {.autoescape = true}); },
                        "contains(autoescape=true) needs a string value");
  expect_argument_error([&] { (void)s.name.endswith(5, {.autoescape = true}); },
                        "endswith(autoescape=true) needs a string value");
}

TEST(SqlExpression, IlikeIsLowerLikeExceptOnPostgresql) {
  Items s;
  auto stmt = select(s.id).where(and_(s.name.ilike("a%"), s.name.not_ilike("b/%", '/'),
                                      s.name.icontains("c"), !s.name.ilike("d%")));
  expect_sql(stmt,
             {{"default",
               "SELECT items.id FROM items WHERE lower(items.name) LIKE lower(:name_1) AND "
               "lower(items.name) NOT LIKE lower(:name_2) ESCAPE '/' AND lower(items.name) LIKE "
               "lower('%' || :name_3 || '%') AND lower(items.name) NOT LIKE lower(:name_4)"},
              {"sqlite",
               "SELECT items.id FROM items WHERE lower(items.name) LIKE lower(?) AND "
               "lower(items.name) NOT LIKE lower(?) ESCAPE '/' AND lower(items.name) LIKE "
               "lower('%' || ? || '%') AND lower(items.name) NOT LIKE lower(?)"},
              {"postgresql",
               "SELECT items.id FROM items WHERE items.name ILIKE $1 AND items.name NOT ILIKE $2 "
               "ESCAPE '/' AND items.name ILIKE '%' || $3 || '%' AND items.name NOT ILIKE $4"}});
}

// --- Comparisons -----------------------------------------------------------------------------

TEST(SqlExpression, IsDistinctFromIsIsNotOnSqlite) {
  Items s;
  auto stmt =
      select(s.id).where(and_(s.name.is_distinct_from("a"), s.name.is_not_distinct_from(nullptr),
                              !s.flags.is_distinct_from(s.id)));
  expect_sql(stmt, {{"default",
                     "SELECT items.id FROM items WHERE items.name IS DISTINCT FROM :name_1 AND "
                     "items.name IS NOT DISTINCT FROM NULL AND items.flags IS NOT DISTINCT FROM "
                     "items.id"},
                    {"sqlite",
                     "SELECT items.id FROM items WHERE items.name IS NOT ? AND items.name IS NULL "
                     "AND items.flags IS items.id"},
                    {"postgresql",
                     "SELECT items.id FROM items WHERE items.name IS DISTINCT FROM $1 AND "
                     "items.name IS NOT DISTINCT FROM NULL AND items.flags IS NOT DISTINCT FROM "
                     "items.id"}});
}

TEST(SqlExpression, BetweenSymmetricNativeOrEmulated) {
  Items s;
  auto stmt = select(s.id).where(s.id.between(9, 1, true));
  expect_sql(
      stmt,
      {{"default", "SELECT items.id FROM items WHERE items.id BETWEEN SYMMETRIC :id_1 AND :id_2"},
       {"sqlite",
        "SELECT items.id FROM items WHERE (items.id BETWEEN ? AND ? OR items.id BETWEEN ? "
        "AND ?)"},
       {"postgresql", "SELECT items.id FROM items WHERE items.id BETWEEN SYMMETRIC $1 AND $2"}});
  auto c = stmt.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 4u);
  EXPECT_EQ(c.parameters[0].value, Value(9));
  EXPECT_EQ(c.parameters[1].value, Value(1));
  EXPECT_EQ(c.parameters[2].value, Value(1));
  EXPECT_EQ(c.parameters[3].value, Value(9));
  // Column bounds.
  expect_sql(select(s.id).where(s.id.between(s.flags, s.price + 1)),
             {{"default",
               "SELECT items.id FROM items WHERE items.id BETWEEN items.flags AND items.price + "
               ":price_1"}});
}

TEST(SqlExpression, CollateQuotesTheNameWhenNeeded) {
  Items s;
  auto stmt = select(s.id)
                  .where(s.name.collate("NOCASE") == "x")
                  .where((s.name + "a").collate("nocase") == "ya")
                  .order_by(s.name.collate("C").desc());
  expect_sql(stmt, {{"default",
                     "SELECT items.id FROM items WHERE items.name COLLATE \"NOCASE\" = :name_1 AND "
                     "(items.name || :name_2) COLLATE nocase = :param_1 ORDER BY items.name "
                     "COLLATE \"C\" DESC"},
                    {"sqlite",
                     "SELECT items.id FROM items WHERE items.name COLLATE \"NOCASE\" = ? AND "
                     "(items.name || ?) COLLATE nocase = ? ORDER BY items.name COLLATE \"C\" DESC"},
                    {"postgresql",
                     "SELECT items.id FROM items WHERE items.name COLLATE \"NOCASE\" = $1 AND "
                     "(items.name || $2) COLLATE nocase = $3 ORDER BY items.name COLLATE \"C\" "
                     "DESC"}});
  expect_argument_error([&] { (void)s.name.collate(""); }, "collate() needs a collation name");
}

// --- Bitwise and unary operators -------------------------------------------------------------

TEST(SqlExpression, BitwiseOperatorsPerDialect) {
  Items s;
  auto f = s.flags;
  auto stmt = select(f.bitwise_and(4), f.bitwise_or(1), f.bitwise_lshift(2), f.bitwise_rshift(1),
                     f.bitwise_not(), f.bitwise_xor(3));
  expect_sql(stmt,
             {{"default",
               "SELECT items.flags & :flags_1 AS anon_1, items.flags | :flags_2 AS anon_2, "
               "items.flags << :flags_3 AS anon_3, items.flags >> :flags_4 AS anon_4, "
               "~items.flags AS anon_5, items.flags ^ :flags_5 AS anon_6 FROM items"},
              {"sqlite",
               "SELECT items.flags & ? AS anon_1, items.flags | ? AS anon_2, items.flags << ? AS "
               "anon_3, items.flags >> ? AS anon_4, ~items.flags AS anon_5, (items.flags | ?) - "
               "(items.flags & ?) AS anon_6 FROM items"},
              {"postgresql",
               "SELECT items.flags & $1 AS anon_1, items.flags | $2 AS anon_2, items.flags << "
               "CAST($3 AS INTEGER) AS anon_3, items.flags >> CAST($4 AS INTEGER) AS anon_4, "
               "~items.flags AS anon_5, items.flags # $5 AS anon_6 FROM items"}});
  // SQLite's XOR binds the operand twice.
  auto c = stmt.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 6u);
  EXPECT_EQ(c.parameters[4].value, Value(3));
  EXPECT_EQ(c.parameters[5].value, Value(3));
  EXPECT_EQ(f.bitwise_and(1).type().kind(), TypeKind::integer);
}

TEST(SqlExpression, BitwisePrecedence) {
  Items s;
  auto f = s.flags;
  auto stmt = select(s.id)
                  .where(f.bitwise_and(3) == 1)
                  .where((f + 1).bitwise_and(f.bitwise_or(2)) > 0)
                  .where(f.bitwise_and(1) + 1 > 1)
                  .where(f.bitwise_not().bitwise_and(1) == 0)
                  .where(f.bitwise_xor(1) * 2 > 0);
  expect_sql(stmt,
             {{"default",
               "SELECT items.id FROM items WHERE items.flags & :flags_1 = :param_1 AND "
               "items.flags + :flags_2 & (items.flags | :flags_3) > :param_2 AND (items.flags & "
               ":flags_4) + :param_3 > :param_4 AND (~items.flags) & :param_5 = :param_6 AND "
               "(items.flags ^ :flags_5) * :param_7 > :param_8"},
              {"sqlite",
               "SELECT items.id FROM items WHERE items.flags & ? = ? AND items.flags + ? & "
               "(items.flags | ?) > ? AND (items.flags & ?) + ? > ? AND (~items.flags) & ? = ? "
               "AND ((items.flags | ?) - (items.flags & ?)) * ? > ?"},
              {"postgresql",
               "SELECT items.id FROM items WHERE items.flags & $1 = $2 AND items.flags + $3 & "
               "(items.flags | $4) > $5 AND (items.flags & $6) + $7 > $8 AND (~items.flags) & $9 "
               "= $10 AND (items.flags # $11) * $12 > $13"}});
}

TEST(SqlExpression, UnaryMinusNeverRendersAComment) {
  Items s;
  auto stmt = select(-s.id, -(s.id + 1), -(-s.id), 1 - (-s.id), -s.id * 2);
  expect_sql(stmt, {{"default",
                     "SELECT -items.id AS anon_1, -(items.id + :id_1) AS anon_2, -(-items.id) AS "
                     "anon_3, :param_1 - -items.id AS anon_4, -items.id * :param_2 AS anon_5 FROM "
                     "items"}});
}

// --- CASE, CAST, type_coerce, literals -------------------------------------------------------

TEST(SqlExpression, SearchedCase) {
  Items s;
  auto c = case_({{s.id > 5, "big"}, {s.id > 0, "small"}}, "none");
  EXPECT_EQ(c.type().kind(), TypeKind::string);
  expect_sql(select(c).where(c != "none"),
             {{"default",
               "SELECT CASE WHEN items.id > :id_1 THEN :param_1 WHEN items.id > :id_2 THEN "
               ":param_2 ELSE :param_3 END AS anon_1 FROM items WHERE CASE WHEN items.id > :id_3 "
               "THEN :param_4 WHEN items.id > :id_4 THEN :param_5 ELSE :param_6 END != :param_7"},
              {"sqlite",
               "SELECT CASE WHEN items.id > ? THEN ? WHEN items.id > ? THEN ? ELSE ? END AS "
               "anon_1 FROM items WHERE CASE WHEN items.id > ? THEN ? WHEN items.id > ? THEN ? "
               "ELSE ? END != ?"},
              {"postgresql",
               "SELECT CASE WHEN items.id > $1 THEN $2 WHEN items.id > $3 THEN $4 ELSE $5 END AS "
               "anon_1 FROM items WHERE CASE WHEN items.id > $6 THEN $7 WHEN items.id > $8 THEN "
               "$9 ELSE $10 END != $11"}});
  // NULL results; the type comes from the first result that has one.
  auto n = case_({{s.id > 1, nullptr}}, s.name);
  EXPECT_EQ(n.type().kind(), TypeKind::string);
  expect_sql(
      select(n),
      {{"sqlite",
        "SELECT CASE WHEN items.id > ? THEN NULL ELSE items.name END AS anon_1 FROM items"}});
  expect_argument_error([] { (void)case_(std::vector<std::pair<ColumnElement, Operand>>{}); },
                        "case_() needs at least one WHEN");
}

TEST(SqlExpression, SimpleCaseComparesWithTheValue) {
  Items s;
  auto c = case_(s.id, {{1, "one"}, {2, "two"}});
  expect_sql(select(c.label("word")),
             {{"default",
               "SELECT CASE items.id WHEN :id_1 THEN :param_1 WHEN :id_2 THEN :param_2 END AS "
               "word FROM items"},
              {"postgresql",
               "SELECT CASE items.id WHEN $1 THEN $2 WHEN $3 THEN $4 END AS word FROM items"}});
}

TEST(SqlExpression, CastRendersTheDialectsCastTarget) {
  Items s;
  auto stmt = select(cast(s.id, String()), cast(s.id + 1, Numeric(10, 2)),
                     cast("2024-05-01 10:00:00", types::DateTime()), cast(s.name, Integer()));
  expect_sql(stmt, {{"default",
                     "SELECT CAST(items.id AS VARCHAR) AS id, CAST(items.id + :id_1 AS NUMERIC(10, "
                     "2)) AS anon_1, CAST(:param_1 AS TIMESTAMP) AS anon_2, CAST(items.name AS "
                     "INTEGER) AS name FROM items"},
                    // SQLite casts date/time values to TEXT: DATETIME would mean NUMERIC.
                    {"sqlite",
                     "SELECT CAST(items.id AS VARCHAR) AS id, CAST(items.id + ? AS NUMERIC(10, 2)) "
                     "AS anon_1, CAST(? AS TEXT) AS anon_2, CAST(items.name AS INTEGER) AS name "
                     "FROM items"},
                    {"postgresql",
                     "SELECT CAST(items.id AS VARCHAR) AS id, CAST(items.id + $1 AS NUMERIC(10, "
                     "2)) AS anon_1, CAST($2 AS TIMESTAMP WITHOUT TIME ZONE) AS anon_2, "
                     "CAST(items.name AS INTEGER) AS name FROM items"}});
  EXPECT_EQ(cast(s.id, Numeric()).type().kind(), TypeKind::numeric);
  expect_argument_error([&] { (void)cast(s.id, Type()); }, "cast() needs a target type");
  expect_compile_error(select(cast(s.name, Enum({"a", "b"}))), "postgresql",
                       "The 'postgresql' dialect cannot render type Enum");
}

TEST(SqlExpression, TypeCoerceChangesOnlyTheType) {
  Items s;
  auto coerced = type_coerce(s.name, Integer());
  EXPECT_EQ(coerced.type().kind(), TypeKind::integer);
  expect_sql(select(coerced, type_coerce("5", Integer()) + 1).where(coerced > 2),
             {{"default",
               "SELECT items.name AS name, :param_1 + :param_2 AS anon_1 FROM items WHERE "
               "items.name > :name_1"}});
  EXPECT_EQ(type_coerce(5, String()).type().kind(), TypeKind::string);
}

TEST(SqlExpression, LiteralsNullAndBooleans) {
  Items s;
  expect_sql(
      select(literal(1), literal_column("'a'"), null(), true_(), false_()).where(s.name == null()),
      {{"default",
        "SELECT :param_1 AS anon_1, 'a', NULL AS anon_2, true AS anon_3, false AS anon_4 "
        "FROM items WHERE items.name IS NULL"},
       {"sqlite",
        "SELECT ? AS anon_1, 'a', NULL AS anon_2, 1 AS anon_3, 0 AS anon_4 FROM items "
        "WHERE items.name IS NULL"}});
}

// --- Functions -------------------------------------------------------------------------------

TEST(SqlExpression, KnownFunctionsHaveReturnTypes) {
  Items s;
  EXPECT_EQ(func::count().type().kind(), TypeKind::integer);
  EXPECT_EQ(func::sum(s.price).type().kind(), TypeKind::numeric);
  EXPECT_EQ(func::min(s.name).type().kind(), TypeKind::string);
  EXPECT_EQ(func::max(s.id).type().kind(), TypeKind::integer);
  EXPECT_EQ(func::coalesce(null(), s.price).type().kind(), TypeKind::numeric);
  EXPECT_EQ(func::avg(s.id).type().kind(), TypeKind::numeric);
  EXPECT_EQ(func::lower(s.note).type().kind(), TypeKind::string);
  EXPECT_EQ(func::substr(s.name, 1, 2).type().kind(), TypeKind::string);
  EXPECT_EQ(func::concat(s.id, s.name).type().kind(), TypeKind::string);
  EXPECT_EQ(func::length(s.name).type().kind(), TypeKind::integer);
  EXPECT_EQ(func::char_length(s.name).type().kind(), TypeKind::integer);
  EXPECT_EQ(func::abs(s.price).type().kind(), TypeKind::numeric);
  EXPECT_EQ(func::round(s.price).type().kind(), TypeKind::numeric);
  EXPECT_EQ(func::random().type().kind(), TypeKind::double_);
  EXPECT_EQ(func::now().type().kind(), TypeKind::date_time);
  EXPECT_EQ(func::current_date().type().kind(), TypeKind::date);
  EXPECT_EQ(func::current_time().type().kind(), TypeKind::time);
  EXPECT_EQ(func::row_number().type().kind(), TypeKind::integer);
  EXPECT_EQ(func::lag(s.price).type().kind(), TypeKind::numeric);
  EXPECT_EQ(func::percent_rank().type().kind(), TypeKind::double_);
  // By name, whichever way it is called; unknown functions are untyped unless told.
  EXPECT_EQ(func::call("SUM", {s.price}).type().kind(), TypeKind::numeric);
  EXPECT_EQ(func::call("my_fn", {s.id}).type().kind(), TypeKind::null);
  EXPECT_EQ(func::call("my_fn", {s.id}, Text()).type().kind(), TypeKind::text);
}

TEST(SqlExpression, FunctionNamesAndKeywordFunctions) {
  Items s;
  auto stmt = select(func::call("left", {s.name, literal(2)}), func::call("my func", {s.id}),
                     func::call("pg_catalog.lower", {s.name}), func::char_length(s.name),
                     func::now(), func::current_date(), func::count());
  expect_sql(stmt,
             {{"default",
               "SELECT left(items.name, :param_1) AS left_1, \"my func\"(items.id) AS \"my "
               "func_1\", pg_catalog.lower(items.name) AS lower_1, char_length(items.name) AS "
               "char_length_1, CURRENT_TIMESTAMP AS now_1, CURRENT_DATE AS current_date_1, "
               "count(*) AS count_1 FROM items"},
              // SQLite spells char_length length.
              {"sqlite",
               "SELECT left(items.name, ?) AS left_1, \"my func\"(items.id) AS \"my func_1\", "
               "pg_catalog.lower(items.name) AS lower_1, length(items.name) AS char_length_1, "
               "CURRENT_TIMESTAMP AS now_1, CURRENT_DATE AS current_date_1, count(*) AS count_1 "
               "FROM items"},
              {"postgresql",
               "SELECT left(items.name, $1) AS left_1, \"my func\"(items.id) AS \"my func_1\", "
               "pg_catalog.lower(items.name) AS lower_1, char_length(items.name) AS "
               "char_length_1, CURRENT_TIMESTAMP AS now_1, CURRENT_DATE AS current_date_1, "
               "count(*) AS count_1 FROM items"}});
  expect_argument_error([] { (void)func::call("", {}); }, "func::call() needs a function name");
}

// --- Window functions and FILTER -------------------------------------------------------------

TEST(SqlExpression, OverWithPartitionOrderAndFrames) {
  Items s;
  auto stmt = select(
      func::row_number().over({.partition_by = {s.name}, .order_by = {s.id.desc()}}),
      func::sum(s.price).over({.order_by = {s.id}, .rows = Frame{std::nullopt, 0}}),
      func::avg(s.price).over({.order_by = {s.price}, .range = Frame{-2, 3}}), func::rank().over(),
      func::count().over({.order_by = {s.id}, .groups = Frame{0, std::nullopt}}),
      func::lag(s.price, 1).over({.order_by = {s.id}, .rows = Frame{std::nullopt, std::nullopt}}));
  expect_sql(
      stmt,
      {{"default",
        "SELECT row_number() OVER (PARTITION BY items.name ORDER BY items.id DESC) AS anon_1, "
        "sum(items.price) OVER (ORDER BY items.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT "
        "ROW) AS anon_2, avg(items.price) OVER (ORDER BY items.price RANGE BETWEEN 2 PRECEDING "
        "AND 3 FOLLOWING) AS anon_3, rank() OVER () AS anon_4, count(*) OVER (ORDER BY items.id "
        "GROUPS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS anon_5, lag(items.price, "
        ":param_1) OVER (ORDER BY items.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED "
        "FOLLOWING) AS anon_6 FROM items"},
       {"postgresql",
        "SELECT row_number() OVER (PARTITION BY items.name ORDER BY items.id DESC) AS anon_1, "
        "sum(items.price) OVER (ORDER BY items.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT "
        "ROW) AS anon_2, avg(items.price) OVER (ORDER BY items.price RANGE BETWEEN 2 PRECEDING "
        "AND 3 FOLLOWING) AS anon_3, rank() OVER () AS anon_4, count(*) OVER (ORDER BY items.id "
        "GROUPS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS anon_5, lag(items.price, $1) "
        "OVER (ORDER BY items.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "
        "anon_6 FROM items"}});
  EXPECT_EQ(func::sum(s.price).over().type().kind(), TypeKind::numeric);
}

TEST(SqlExpression, OverArgumentErrors) {
  Items s;
  expect_argument_error([&] { (void)s.id.over(); }, "over() applies to a SQL function");
  expect_argument_error(
      [&] {
        (void)func::rank().over({.rows = Frame{-1, 0}, .range = Frame{-1, 0}});
      },
      "'rows', 'range' and 'groups' are exclusive");
  expect_argument_error(
      [&] {
        (void)func::rank().over({.rows = Frame{2, -1}});
      },
      "the rows frame starts after it ends (2 > -1)");
}

TEST(SqlExpression, AggregateFilter) {
  Items s;
  auto stmt =
      select(func::count().filter(s.id > 1),
             func::sum(s.price).filter(s.name != nullptr).over({.partition_by = {s.flags}}));
  expect_sql(stmt,
             {{"default",
               "SELECT count(*) FILTER (WHERE items.id > :id_1) AS anon_1, sum(items.price) "
               "FILTER (WHERE items.name IS NOT NULL) OVER (PARTITION BY items.flags) AS anon_2 "
               "FROM items"},
              {"sqlite",
               "SELECT count(*) FILTER (WHERE items.id > ?) AS anon_1, sum(items.price) FILTER "
               "(WHERE items.name IS NOT NULL) OVER (PARTITION BY items.flags) AS anon_2 FROM "
               "items"},
              {"postgresql",
               "SELECT count(*) FILTER (WHERE items.id > $1) AS anon_1, sum(items.price) FILTER "
               "(WHERE items.name IS NOT NULL) OVER (PARTITION BY items.flags) AS anon_2 FROM "
               "items"}});
  expect_argument_error([&] { (void)s.id.filter(s.id > 1); }, "filter() applies to a SQL function");
}

// --- ORDER BY --------------------------------------------------------------------------------

TEST(SqlExpression, NullsFirstAndLast) {
  Items s;
  auto stmt = select(s.id).order_by(s.name.desc().nulls_last(), s.price.nulls_first(),
                                    s.flags.asc().nulls_first());
  expect_sql(stmt, {{"default",
                     "SELECT items.id FROM items ORDER BY items.name DESC NULLS LAST, items.price "
                     "NULLS FIRST, items.flags ASC NULLS FIRST"},
                    {"sqlite",
                     "SELECT items.id FROM items ORDER BY items.name DESC NULLS LAST, items.price "
                     "NULLS FIRST, items.flags ASC NULLS FIRST"},
                    {"postgresql",
                     "SELECT items.id FROM items ORDER BY items.name DESC NULLS LAST, items.price "
                     "NULLS FIRST, items.flags ASC NULLS FIRST"}});
}

}  // namespace
