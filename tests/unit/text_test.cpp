// tests/unit/text_test.cpp — TextClause: finding `:name` parameters and rendering paramstyles.
#include <retort/exceptions.hpp>
#include <retort/plugin_abi.h>
#include <retort/text.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace retort {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using Names = std::vector<std::string>;
using Indexes = std::vector<std::uint32_t>;

std::string qmark(std::string_view sql) {
  return text(sql).render(RETORT_PARAMSTYLE_QMARK).sql;
}

std::string parse_error(std::string_view sql) {
  try {
    TextClause clause(sql);
  } catch (const ArgumentError& e) {
    return e.what();
  }
  ADD_FAILURE() << "TextClause(\"" << sql << "\") did not throw";
  return {};
}

// ---------------------------------------------------------------------------------------------
// Finding parameters
// ---------------------------------------------------------------------------------------------

TEST(TextParse, NamedParametersInOrderOfFirstAppearance) {
  const TextClause t("SELECT * FROM users WHERE id = :id AND name LIKE :pattern");
  EXPECT_EQ(t.bind_names(), (Names{"id", "pattern"}));
  EXPECT_EQ(t.text(), "SELECT * FROM users WHERE id = :id AND name LIKE :pattern");
}

TEST(TextParse, RepeatedNameIsOneBindName) {
  EXPECT_EQ(text("SELECT :b, :a, :b, :a").bind_names(), (Names{"b", "a"}));
}

TEST(TextParse, NameIsLetterOrUnderscoreThenWordCharacters) {
  EXPECT_EQ(text("VALUES (:user_id2,:_x,:A1)").bind_names(), (Names{"user_id2", "_x", "A1"}));
  EXPECT_EQ(qmark("VALUES (:user_id2,:_x,:A1)"), "VALUES (?,?,?)");
}

TEST(TextParse, ParameterDirectlyAfterOperatorOrParenthesis) {
  EXPECT_EQ(qmark("WHERE a=:a AND b IN(:b)"), "WHERE a=? AND b IN(?)");
}

TEST(TextParse, ParameterAtStartAndEnd) {
  EXPECT_EQ(text(":a").bind_names(), (Names{"a"}));
  EXPECT_EQ(qmark(":a"), "?");
  EXPECT_EQ(qmark("SELECT :zz"), "SELECT ?");
}

TEST(TextParse, DoubleColonCastIsNotAParameter) {
  const TextClause t("SELECT x::int, '1'::text");
  EXPECT_THAT(t.bind_names(), IsEmpty());
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_DOLLAR).sql, "SELECT x::int, '1'::text");
}

TEST(TextParse, ParameterFollowedByCast) {
  const TextClause t("SELECT :id::bigint, CAST(:v AS text)");
  EXPECT_EQ(t.bind_names(), (Names{"id", "v"}));
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_DOLLAR).sql, "SELECT $1::bigint, CAST($2 AS text)");
}

TEST(TextParse, ColonAfterWordCharacterIsNotAParameter) {
  const TextClause t("SELECT 12:30, a:b, x_:y");
  EXPECT_THAT(t.bind_names(), IsEmpty());
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_QMARK).sql, "SELECT 12:30, a:b, x_:y");
}

TEST(TextParse, ColonAfterNonAsciiLetterIsNotAParameter) {
  EXPECT_THAT(text("SELECT café:x").bind_names(), IsEmpty());
}

TEST(TextParse, SecondOfAdjacentParametersIsNotAParameter) {
  // `:a:b` — the second colon follows a word character, like `12:30`.
  const TextClause t("SELECT :a:b");
  EXPECT_EQ(t.bind_names(), (Names{"a"}));
  EXPECT_EQ(qmark("SELECT :a:b"), "SELECT ?:b");
}

TEST(TextParse, ColonNotFollowedByNameIsLiteral) {
  EXPECT_THAT(text("SELECT :1, : x, x :").bind_names(), IsEmpty());
  EXPECT_EQ(qmark("SELECT :1, : x, x :"), "SELECT :1, : x, x :");
}

TEST(TextParse, SingleQuotedLiteralsAreSkipped) {
  const TextClause t("SELECT ':not_a_param', :real");
  EXPECT_EQ(t.bind_names(), (Names{"real"}));
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_QMARK).sql, "SELECT ':not_a_param', ?");
}

TEST(TextParse, DoubledQuoteInsideLiteralDoesNotEndIt) {
  const TextClause t("SELECT 'it''s :x', :y, ''");
  EXPECT_EQ(t.bind_names(), (Names{"y"}));
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_QMARK).sql, "SELECT 'it''s :x', ?, ''");
}

TEST(TextParse, BackslashInPlainLiteralIsNotAnEscape) {
  // Standard SQL: 'C:\' is a complete literal.
  EXPECT_EQ(text(R"(SELECT 'C:\' || :y)").bind_names(), (Names{"y"}));
}

TEST(TextParse, PostgresEStringAllowsBackslashEscapedQuote) {
  EXPECT_EQ(text(R"(SELECT E'it\'s :x' || e'\\' || :y)").bind_names(), (Names{"y"}));
  // An identifier ending in e before a quote is not an E'' prefix.
  EXPECT_THROW(text(R"(SELECT some'\' :x ')"), ArgumentError);
}

TEST(TextParse, DoubleQuotedIdentifiersAreSkipped) {
  const TextClause t(R"(SELECT "col:x", "a""b:c" FROM t WHERE v = :v)");
  EXPECT_EQ(t.bind_names(), (Names{"v"}));
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_QMARK).sql,
            R"(SELECT "col:x", "a""b:c" FROM t WHERE v = ?)");
}

TEST(TextParse, BacktickIdentifiersAreSkipped) {
  EXPECT_EQ(text("SELECT `col:x`, `a``b:c` FROM t WHERE v = :v").bind_names(), (Names{"v"}));
}

TEST(TextParse, LineCommentsAreSkipped) {
  const TextClause t("SELECT 1 -- :skipped it's\n, :kept -- :again");
  EXPECT_EQ(t.bind_names(), (Names{"kept"}));
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_QMARK).sql, "SELECT 1 -- :skipped it's\n, ? -- :again");
}

TEST(TextParse, SingleDashIsNotAComment) {
  EXPECT_EQ(text("SELECT 3 - :a").bind_names(), (Names{"a"}));
}

TEST(TextParse, BlockCommentsAreSkipped) {
  const TextClause t("SELECT /* :x 'unbalanced \n */ :y /**/ :z");
  EXPECT_EQ(t.bind_names(), (Names{"y", "z"}));
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_QMARK).sql, "SELECT /* :x 'unbalanced \n */ ? /**/ ?");
}

TEST(TextParse, SlashAloneIsNotAComment) {
  EXPECT_EQ(text("SELECT 4 / :a").bind_names(), (Names{"a"}));
}

TEST(TextParse, CommentMarkersInsideLiteralsAreText) {
  EXPECT_EQ(text("SELECT '--', '/*', :a").bind_names(), (Names{"a"}));
}

TEST(TextParse, BackslashColonIsWrittenAsPlainColon) {
  const TextClause t(R"(SELECT a\:b, \:name, :real)");
  EXPECT_EQ(t.bind_names(), (Names{"real"}));
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_QMARK).sql, "SELECT a:b, :name, ?");
}

TEST(TextParse, BackslashColonInsideLiteralIsKeptAsIs) {
  EXPECT_EQ(qmark(R"(SELECT '\:x')"), R"(SELECT '\:x')");
}

TEST(TextParse, OtherBackslashesAreKept) {
  EXPECT_EQ(qmark(R"(SELECT a \ b \n)"), R"(SELECT a \ b \n)");
}

TEST(TextParse, DollarQuotedStringsAreSkipped) {
  const TextClause t("CREATE FUNCTION f() AS $$ SELECT :x $$; DO $body$ :y $b$ $body$; SELECT :z");
  EXPECT_EQ(t.bind_names(), (Names{"z"}));
}

TEST(TextParse, DollarNumberOrUnclosedDollarIsPlainSql) {
  EXPECT_EQ(text("SELECT $1, :x").bind_names(), (Names{"x"}));
  EXPECT_EQ(text("SELECT $tag :x").bind_names(), (Names{"x"}));
  EXPECT_EQ(text("SELECT a$b$ :x").bind_names(), (Names{"x"}));
}

TEST(TextParse, EmptyStatement) {
  const TextClause t("");
  EXPECT_THAT(t.bind_names(), IsEmpty());
  EXPECT_EQ(t.render(RETORT_PARAMSTYLE_QMARK).sql, "");
}

TEST(TextParse, TextHelperBuildsTheSameClause) {
  EXPECT_EQ(text("SELECT :a").bind_names(), TextClause("SELECT :a").bind_names());
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

TEST(TextError, UnterminatedStringLiteralNamesPosition) {
  EXPECT_EQ(parse_error("SELECT 'abc"),
            "Could not parse SQL text: unterminated string literal starting at position 8 "
            "(expected a closing \"'\"): 'abc");
}

TEST(TextError, UnterminatedAfterEscapedQuote) {
  EXPECT_THAT(parse_error("SELECT 'it''s"),
              HasSubstr("unterminated string literal starting at position 8"));
}

TEST(TextError, UnterminatedQuotedIdentifier) {
  EXPECT_EQ(parse_error("SELECT \"col FROM t"),
            "Could not parse SQL text: unterminated quoted identifier starting at position 8 "
            "(expected a closing '\"'): \"col FROM t");
  EXPECT_THAT(parse_error("SELECT `col"),
              HasSubstr("unterminated quoted identifier starting at position 8 (expected a "
                        "closing '`')"));
}

TEST(TextError, UnterminatedBlockComment) {
  EXPECT_EQ(parse_error("SELECT 1 /* never closed"),
            "Could not parse SQL text: unterminated block comment starting at position 10 "
            "(expected '*/'): /* never closed");
}

TEST(TextError, MultiLineStatementGivesLineAndColumn) {
  EXPECT_EQ(parse_error("SELECT *\nFROM t\nWHERE a = 'x\nAND b = 1"),
            "Could not parse SQL text: unterminated string literal starting at position 27, "
            "line 3 column 11 (expected a closing \"'\"): 'x…");
}

TEST(TextError, LongExcerptIsCut) {
  const std::string sql = "SELECT '" + std::string(100, 'x');
  EXPECT_THAT(parse_error(sql), HasSubstr(": '" + std::string(39, 'x') + "…"));
}

TEST(TextError, PositionCountsCharactersNotBytes) {
  EXPECT_THAT(parse_error("SELECT 'é', 'oops"), HasSubstr("starting at position 13"));
}

TEST(TextError, UnknownParamstyle) {
  EXPECT_EQ(
      [] {
        try {
          text("SELECT :a").render(99);
        } catch (const ArgumentError& e) {
          return std::string(e.what());
        }
        return std::string();
      }(),
      "Unknown paramstyle 99 (expected RETORT_PARAMSTYLE_QMARK, _NUMERIC, _DOLLAR or _FORMAT)");
  EXPECT_THROW(text("SELECT 1").render(0), ArgumentError);
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

TEST(TextRender, QmarkGivesEveryOccurrenceItsOwnPlaceholder) {
  const auto r = text("SELECT :a, :b, :a").render(RETORT_PARAMSTYLE_QMARK);
  EXPECT_EQ(r.sql, "SELECT ?, ?, ?");
  EXPECT_EQ(r.placeholder_params, (Indexes{0, 1, 0}));
}

TEST(TextRender, FormatGivesEveryOccurrenceItsOwnPlaceholder) {
  const auto r = text("SELECT :a, :b, :a").render(RETORT_PARAMSTYLE_FORMAT);
  EXPECT_EQ(r.sql, "SELECT %s, %s, %s");
  EXPECT_EQ(r.placeholder_params, (Indexes{0, 1, 0}));
}

TEST(TextRender, FormatDoublesLiteralPercentEverywhere) {
  const auto r =
      text("SELECT 10 % 3, 'a%' LIKE :p, \"x%\" -- 100%\n").render(RETORT_PARAMSTYLE_FORMAT);
  EXPECT_EQ(r.sql, "SELECT 10 %% 3, 'a%%' LIKE %s, \"x%%\" -- 100%%\n");
}

TEST(TextRender, OtherStylesKeepPercent) {
  EXPECT_EQ(text("SELECT 10 % :a").render(RETORT_PARAMSTYLE_DOLLAR).sql, "SELECT 10 % $1");
  EXPECT_EQ(qmark("SELECT 10 % :a"), "SELECT 10 % ?");
}

TEST(TextRender, NumericReusesNumberForRepeatedName) {
  const auto r = text("SELECT :a, :b, :a, :c").render(RETORT_PARAMSTYLE_NUMERIC);
  EXPECT_EQ(r.sql, "SELECT :1, :2, :1, :3");
  EXPECT_EQ(r.placeholder_params, (Indexes{0, 1, 2}));
}

TEST(TextRender, DollarReusesNumberForRepeatedName) {
  const auto r = text("UPDATE t SET a = :x, b = :y WHERE a <> :x").render(RETORT_PARAMSTYLE_DOLLAR);
  EXPECT_EQ(r.sql, "UPDATE t SET a = $1, b = $2 WHERE a <> $1");
  EXPECT_EQ(r.placeholder_params, (Indexes{0, 1}));
}

TEST(TextRender, DollarNumbersBeyondNine) {
  std::string sql = "SELECT ";
  for (int i = 0; i < 12; ++i) sql += (i ? ", :p" : ":p") + std::to_string(i);
  EXPECT_THAT(text(sql).render(RETORT_PARAMSTYLE_DOLLAR).sql, HasSubstr("$10, $11, $12"));
}

TEST(TextRender, StatementWithoutParameters) {
  const auto r = text("SELECT 1").render(RETORT_PARAMSTYLE_DOLLAR);
  EXPECT_EQ(r.sql, "SELECT 1");
  EXPECT_THAT(r.placeholder_params, IsEmpty());
}

TEST(TextRender, RenderingIsRepeatableAndIndependentOfStyleOrder) {
  const TextClause t("SELECT :a, :b, :a");
  const auto first = t.render(RETORT_PARAMSTYLE_DOLLAR);
  t.render(RETORT_PARAMSTYLE_QMARK);
  const auto second = t.render(RETORT_PARAMSTYLE_DOLLAR);
  EXPECT_EQ(first.sql, second.sql);
  EXPECT_EQ(first.placeholder_params, second.placeholder_params);
}

TEST(TextRender, ManyDistinctParametersStayLinear) {
  constexpr int kCount = 50000;
  std::string sql = "SELECT ";
  for (int i = 0; i < kCount; ++i) sql += ":p" + std::to_string(i) + ", ':q', :p0, ";
  sql += "1";
  const auto start = std::chrono::steady_clock::now();
  const TextClause t(sql);
  const auto r = t.render(RETORT_PARAMSTYLE_DOLLAR);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(t.bind_names().size(), static_cast<std::size_t>(kCount));
  EXPECT_EQ(r.placeholder_params.size(), static_cast<std::size_t>(kCount));
  EXPECT_EQ(t.bind_names()[kCount - 1], "p" + std::to_string(kCount - 1));
  // Generous: a quadratic scan would take minutes; linear takes milliseconds.
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

}  // namespace
}  // namespace retort
