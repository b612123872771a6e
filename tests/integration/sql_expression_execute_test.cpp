// Executes the expression language's operators and functions on SQLite, and on PostgreSQL when
// RETORT_TEST_POSTGRESQL_URL is set, checking the values the database computes: concatenation,
// LIKE with ESCAPE, contains/startswith with autoescape on values holding % and _, ILIKE, CASE,
// CAST, window functions with frames, FILTER, NULLS FIRST/LAST, bitwise operators, COLLATE,
// IS DISTINCT FROM with NULLs, BETWEEN SYMMETRIC.
#include "support/backend_url.hpp"

#include <retort/engine.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

namespace {

using namespace retort;

std::string url_for(const std::string& backend) {
  return retort::testing::backend_url(backend, "sql-expr");
}

using Ints = std::vector<std::int64_t>;
using OptInts = std::vector<std::optional<std::int64_t>>;

class SqlExpressionExecute : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string url = url_for(GetParam());
    if (url.empty()) GTEST_SKIP() << retort::testing::backend_env(GetParam()) << " is not set";
    engine_.emplace(create_engine(url));
    metadata_.drop_all(*engine_);
    metadata_.create_all(*engine_);
    auto conn = engine_->connect();
    conn.execute(
        insert(t_),
        std::vector<Params>{
            {{"id", 1}, {"name", "10% off"}, {"grp", "a"}, {"qty", 5}, {"flags", 5}},
            {{"id", 2}, {"name", "10_off"}, {"grp", "a"}, {"qty", 3}, {"flags", 3}},
            {{"id", 3}, {"name", "100 off"}, {"grp", "b"}, {"qty", nullptr}, {"flags", 12}},
            {{"id", 4}, {"name", "Apple"}, {"grp", "b"}, {"qty", 7}, {"flags", 0}},
            {{"id", 5}, {"name", nullptr}, {"grp", "b"}, {"qty", 1}, {"flags", 1}},
            {{"id", 6}, {"name", "a/b"}, {"grp", "c"}, {"qty", 2}, {"flags", 6}},
        });
    conn.commit();
  }
  void TearDown() override {
    if (engine_) metadata_.drop_all(*engine_);
  }

  // The ids matching `where`, in id order.
  Ints ids(const ColumnElement& where) {
    auto conn = engine_->connect();
    return conn.execute(select(id_).where(where).order_by(id_)).scalars<std::int64_t>();
  }
  // Column 1 of `stmt`'s rows (column 0 is the id), in id order.
  OptInts column(const Select& stmt) {
    auto conn = engine_->connect();
    OptInts out;
    for (const auto& row : conn.execute(stmt.order_by(id_)))
      out.push_back(row.get<std::optional<std::int64_t>>(1));
    return out;
  }
  template <typename T>
  T scalar(const ColumnElement& e, std::int64_t row_id) {
    auto conn = engine_->connect();
    return conn.execute(select(e).select_from(t_).where(id_ == row_id)).scalar_one<T>();
  }

  MetaData metadata_;
  Table t_{"sqlexpr_items",
           metadata_,
           {Column("id", Integer(), {.primary_key = true}), Column("name", String(50)),
            Column("grp", String(10), {.nullable = false}), Column("qty", Integer()),
            Column("flags", Integer(), {.nullable = false})}};
  ColumnElement id_ = t_.c["id"];
  ColumnElement name_ = t_.c["name"];
  ColumnElement grp_ = t_.c["grp"];
  ColumnElement qty_ = t_.c["qty"];
  ColumnElement flags_ = t_.c["flags"];
  std::optional<Engine> engine_;
};

TEST_P(SqlExpressionExecute, ConcatenatesStrings) {
  EXPECT_EQ(scalar<std::string>(name_ + "!", 4), "Apple!");
  EXPECT_EQ(scalar<std::string>(name_.concat(grp_).concat("-").concat(name_), 4), "Appleb-Apple");
  EXPECT_EQ(ids(("x" + grp_) == "xa"), (Ints{1, 2}));
}

TEST_P(SqlExpressionExecute, LikeWithEscapeMatchesWildcardsLiterally) {
  EXPECT_EQ(ids(name_.like("10%")), (Ints{1, 2, 3}));
  EXPECT_EQ(ids(name_.like("10/%%", '/')), (Ints{1}));
  EXPECT_EQ(ids(name_.like("10/_%", '/')), (Ints{2}));
  EXPECT_EQ(ids(name_.not_like("10%")), (Ints{4, 6}));
  EXPECT_EQ(ids(!name_.like("%off")), (Ints{4, 6}));
}

TEST_P(SqlExpressionExecute, ContainsStartswithEndswithWithAutoescape) {
  // Without escaping, _ and % in the value are wildcards.
  EXPECT_EQ(ids(name_.contains("0_")), (Ints{1, 2, 3}));
  EXPECT_EQ(ids(name_.contains("0_", {.autoescape = true})), (Ints{2}));
  EXPECT_EQ(ids(name_.contains("0%", {.autoescape = true})), (Ints{1}));
  EXPECT_EQ(ids(name_.startswith("a/", {.autoescape = true})), (Ints{6}));
  EXPECT_EQ(ids(name_.endswith("/b", {.autoescape = true})), (Ints{6}));
  EXPECT_EQ(ids(name_.startswith("10%", {.escape = '^', .autoescape = true})), (Ints{1}));
  EXPECT_EQ(ids(name_.endswith("off")), (Ints{1, 2, 3}));
}

TEST_P(SqlExpressionExecute, IlikeIsCaseInsensitive) {
  EXPECT_EQ(ids(name_.ilike("APPLE")), (Ints{4}));
  EXPECT_EQ(ids(name_.icontains("PPL")), (Ints{4}));
  EXPECT_EQ(ids(name_.istartswith("AP")), (Ints{4}));
  EXPECT_EQ(ids(name_.not_ilike("%OFF")), (Ints{4, 6}));
}

TEST_P(SqlExpressionExecute, CaseSearchedAndSimple) {
  auto conn = engine_->connect();
  std::vector<std::string> words;
  auto c = case_({{qty_ > 4, "many"}, {qty_ > 0, "few"}}, "none");
  for (const auto& row : conn.execute(select(id_, c).order_by(id_)))
    words.push_back(row.get<std::string>(1));
  EXPECT_EQ(words, (std::vector<std::string>{"many", "few", "none", "many", "few", "few"}));
  EXPECT_EQ(column(select(id_, case_(grp_, {{"a", 1}, {"b", 2}}))),
            (OptInts{1, 1, 2, 2, 2, std::nullopt}));
}

TEST_P(SqlExpressionExecute, CastConvertsInTheDatabase) {
  EXPECT_EQ(scalar<std::string>(cast(qty_, String()), 1), "5");
  EXPECT_EQ(scalar<std::int64_t>(cast("42", Integer()), 1), 42);
  EXPECT_EQ(scalar<std::int64_t>(cast(qty_, Integer()) + 1, 1), 6);
  if (GetParam() == "sqlite") {
    // Cast to TEXT on SQLite: the timestamp survives (DATETIME would give 2024), and the
    // result column, typed DateTime, reads back as one.
    using namespace std::chrono;
    EXPECT_EQ(scalar<DateTime>(cast("2024-05-01 10:00:00", types::DateTime()), 1),
              DateTime(local_days(year(2024) / 5 / 1) + hours(10)));
  }
}

TEST_P(SqlExpressionExecute, WindowFunctionsWithFrames) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteExpressionTypes);
  EXPECT_EQ(
      column(select(id_, func::row_number().over({.partition_by = {grp_}, .order_by = {id_}}))),
      (OptInts{1, 2, 1, 2, 3, 1}));
  // Running total: ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
  EXPECT_EQ(column(select(
                id_, func::sum(flags_).over({.order_by = {id_}, .rows = Frame{std::nullopt, 0}}))),
            (OptInts{5, 8, 20, 20, 21, 27}));
  // Sliding window of three rows.
  EXPECT_EQ(column(select(id_, func::sum(flags_).over({.order_by = {id_}, .rows = Frame{-1, 1}}))),
            (OptInts{8, 20, 15, 13, 7, 7}));
  // The whole partition.
  EXPECT_EQ(
      column(select(id_, func::max(flags_).over({.partition_by = {grp_},
                                                 .order_by = {id_},
                                                 .rows = Frame{std::nullopt, std::nullopt}}))),
      (OptInts{5, 5, 12, 12, 12, 6}));
  EXPECT_EQ(column(select(id_, func::lag(qty_).over({.order_by = {id_}}))),
            (OptInts{std::nullopt, 5, 3, std::nullopt, 7, 1}));
  EXPECT_EQ(column(select(id_, func::dense_rank().over({.order_by = {grp_}}))),
            (OptInts{1, 1, 2, 2, 2, 3}));
  // RANGE with offsets over the ordering value.
  EXPECT_EQ(column(select(id_, func::count().over({.order_by = {id_}, .range = Frame{-2, 0}}))),
            (OptInts{1, 2, 3, 3, 3, 3}));
}

TEST_P(SqlExpressionExecute, AggregateFilter) {
  if ((GetParam() == "mariadb" || GetParam() == "mysql"))
    GTEST_SKIP() << "MySQL and MariaDB have no FILTER clause";
  auto conn = engine_->connect();
  auto row = conn.execute(select(func::count().filter(qty_ > 2),
                                 func::sum(flags_).filter(grp_ == "b"), func::count()))
                 .one();
  EXPECT_EQ(row.get<std::int64_t>(0), 3);
  EXPECT_EQ(row.get<std::int64_t>(1), 13);
  EXPECT_EQ(row.get<std::int64_t>(2), 6);
}

TEST_P(SqlExpressionExecute, NullsFirstAndLast) {
  auto conn = engine_->connect();
  EXPECT_EQ(conn.execute(select(id_).order_by(qty_.nulls_first(), id_)).scalars<std::int64_t>(),
            (Ints{3, 5, 6, 2, 1, 4}));
  EXPECT_EQ(
      conn.execute(select(id_).order_by(qty_.desc().nulls_last(), id_)).scalars<std::int64_t>(),
      (Ints{4, 1, 2, 6, 5, 3}));
}

TEST_P(SqlExpressionExecute, BitwiseOperators) {
  auto conn = engine_->connect();
  auto row =
      conn.execute(select(flags_.bitwise_and(3), flags_.bitwise_or(3), flags_.bitwise_xor(3),
                          flags_.bitwise_not(), flags_.bitwise_lshift(2), flags_.bitwise_rshift(1))
                       .where(id_ == 1))
          .one();
  EXPECT_EQ(row.get<std::int64_t>(0), 1);
  EXPECT_EQ(row.get<std::int64_t>(1), 7);
  EXPECT_EQ(row.get<std::int64_t>(2), 6);
  EXPECT_EQ(row.get<std::int64_t>(3), -6);
  EXPECT_EQ(row.get<std::int64_t>(4), 20);
  EXPECT_EQ(row.get<std::int64_t>(5), 2);
  // XOR against every row, and negative operands (SQLite's (a | b) - (a & b)).
  EXPECT_EQ(column(select(id_, flags_.bitwise_xor(6))), (OptInts{3, 5, 10, 6, 7, 0}));
  EXPECT_EQ(scalar<std::int64_t>(flags_.bitwise_not().bitwise_xor(-3), 1), 7);  // ~5 ^ ~2
  EXPECT_EQ(ids(flags_.bitwise_and(4) == 4), (Ints{1, 3, 6}));
  EXPECT_EQ(scalar<std::int64_t>(-qty_ * 2, 1), -10);
}

TEST_P(SqlExpressionExecute, CollateNocaseOnSqlite) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "NOCASE is SQLite's collation";
  EXPECT_EQ(ids(name_.collate("NOCASE") == "apple"), (Ints{4}));
  EXPECT_EQ(ids(name_ == "apple"), (Ints{}));
  auto conn = engine_->connect();
  EXPECT_EQ(conn.execute(select(id_).where(id_.in_({4, 6})).order_by(name_.collate("NOCASE")))
                .scalars<std::int64_t>(),
            (Ints{6, 4}));  // "a/b" < "Apple" only case-insensitively
}

TEST_P(SqlExpressionExecute, IsDistinctFromTreatsNullsAsValues) {
  EXPECT_EQ(ids(qty_.is_distinct_from(nullptr)), (Ints{1, 2, 4, 5, 6}));
  EXPECT_EQ(ids(qty_.is_not_distinct_from(nullptr)), (Ints{3}));
  EXPECT_EQ(ids(qty_.is_distinct_from(5)), (Ints{2, 3, 4, 5, 6}));
  EXPECT_EQ(ids(qty_ != 5), (Ints{2, 4, 5, 6}));  // unlike !=, NULL is distinct from 5
  EXPECT_EQ(ids(!qty_.is_distinct_from(5)), (Ints{1}));
}

TEST_P(SqlExpressionExecute, BetweenSymmetricAcceptsReversedBounds) {
  EXPECT_EQ(ids(id_.between(4, 2, true)), (Ints{2, 3, 4}));
  EXPECT_EQ(ids(id_.between(4, 2)), (Ints{}));
}

TEST_P(SqlExpressionExecute, FunctionsWithKnownNames) {
  EXPECT_EQ(scalar<std::int64_t>(func::char_length(name_), 4), 5);
  EXPECT_EQ(scalar<std::int64_t>(func::coalesce(qty_, 0), 3), 0);
  EXPECT_EQ(scalar<std::string>(func::upper(name_), 4), "APPLE");
  EXPECT_EQ(scalar<std::int64_t>(func::abs(-qty_), 1), 5);
  auto conn = engine_->connect();
  EXPECT_FALSE(conn.execute(select(func::now(), func::current_date())).one().is_null(0));
}

TEST_P(SqlExpressionExecute, IntegerLiteralsReachFunctionsTakingInt) {
  // PostgreSQL has substr(text, int, int) but no bigint overload: Integer binds must travel
  // as int4 there, as SQLAlchemy's asyncpg dialect casts them.
  EXPECT_EQ(scalar<std::string>(func::substr(name_, 2, 3), 4), "ppl");
  EXPECT_EQ(scalar<std::string>(func::substr(name_, literal(2)), 4), "pple");
  // Compared with an Integer column, a value past int4's range is still carried exactly.
  EXPECT_EQ(ids(qty_ < std::int64_t{5'000'000'000}), (Ints{1, 2, 4, 5, 6}));
  EXPECT_EQ(scalar<std::int64_t>(qty_ + std::int64_t{5'000'000'000}, 4), 5'000'000'007);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlExpressionExecute,
                         ::testing::Values("sqlite", "postgresql", "mariadb", "mysql"),
                         [](const auto& info) { return info.param; });
// The same backends through the odbc driver (support/backend_url.hpp).
INSTANTIATE_TEST_SUITE_P(Odbc, SqlExpressionExecute, ::testing::Values("sqlite", "postgresql", "mariadb", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
