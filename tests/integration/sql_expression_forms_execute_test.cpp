// Executes the less common expression forms on SQLite (and PostgreSQL when
// RETORT_TEST_POSTGRESQL_URL is set), checking the rows: regexp_match (SQLite through the
// sqlite plugin's regexp() function), extract(), tuple IN and tuple comparison, a custom
// operator, window frame EXCLUDE, join inference across a composite foreign key, nesting CTEs.
#include "support/backend_url.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using namespace retort;
using namespace std::chrono;

class SqlExpressionForms : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string url = retort::testing::backend_url(GetParam(), "sql-forms");
    if (url.empty()) GTEST_SKIP() << "RETORT_TEST_POSTGRESQL_URL is not set";
    engine_.emplace(create_engine(url));
    metadata_.drop_all(*engine_);
    metadata_.create_all(*engine_);
    auto conn = engine_->connect();
    conn.execute(insert(ev_),
                 std::vector<Params>{
                     {{"id", 1}, {"name", "apple"}, {"at", at(2023, 1)}, {"score", 5}},
                     {{"id", 2}, {"name", "banana"}, {"at", at(2024, 3)}, {"score", 7}},
                     {{"id", 3}, {"name", "avocado"}, {"at", at(2024, 7)}, {"score", 9}},
                 });
    conn.execute(insert(orders_), std::vector<Params>{{{"region", 1}, {"num", 1}, {"note", "a"}},
                                                      {{"region", 1}, {"num", 2}, {"note", "b"}},
                                                      {{"region", 2}, {"num", 1}, {"note", "c"}}});
    conn.execute(insert(lines_),
                 std::vector<Params>{{{"id", 10}, {"ord_region", 1}, {"ord_num", 2}},
                                     {{"id", 11}, {"ord_region", 2}, {"ord_num", 1}}});
    conn.commit();
  }
  void TearDown() override {
    if (engine_) metadata_.drop_all(*engine_);
  }
  bool sqlite() const { return GetParam() == "sqlite"; }
  static DateTime at(int y, unsigned m) {
    return DateTime(local_days(year(y) / month(m) / day(15)) + 10h);
  }
  std::vector<std::int64_t> ids(Connection& conn, const Select& stmt) {
    std::vector<std::int64_t> out;
    for (const auto& row : conn.execute(stmt)) out.push_back(row.get<std::int64_t>(0));
    return out;
  }

  MetaData metadata_;
  Table ev_{
      "sqlxf_events",
      metadata_,
      {Column("id", Integer(), {.primary_key = true, .autoincrement = false}),
       Column("name", String(50)), Column("at", types::DateTime()), Column("score", Integer())}};
  Table orders_{"sqlxf_orders",
                metadata_,
                {Column("region", Integer(), {.primary_key = true, .autoincrement = false}),
                 Column("num", Integer(), {.primary_key = true, .autoincrement = false}),
                 Column("note", String(20))}};
  Table lines_{"sqlxf_lines",
               metadata_,
               {Column("id", Integer(), {.primary_key = true, .autoincrement = false}),
                Column("ord_region", Integer()), Column("ord_num", Integer()),
                ForeignKeyConstraint({"ord_region", "ord_num"},
                                     {"sqlxf_orders.region", "sqlxf_orders.num"})}};
  std::optional<Engine> engine_;
};

TEST_P(SqlExpressionForms, RegexpMatchFiltersRows) {
  RETORT_SKIP_THROUGH_ODBC(sqlite(), retort::testing::odbc_limits::kSqliteRegexp);
  auto conn = engine_->connect();
  auto name = ev_.c["name"];
  EXPECT_EQ(ids(conn, select(ev_.c["id"]).where(name.regexp_match("^a.*e$")).order_by(ev_.c["id"])),
            (std::vector<std::int64_t>{1}));
  EXPECT_EQ(ids(conn, select(ev_.c["id"]).where(name.not_regexp_match("^a")).order_by(ev_.c["id"])),
            (std::vector<std::int64_t>{2}));
  if (!sqlite()) {
    // PostgreSQL replaces the first match only (no 'g' flag), as SQLAlchemy leaves it.
    EXPECT_EQ(conn.execute(select(name.regexp_replace("a", "o")).where(ev_.c["id"] == 2))
                  .scalar_one<std::string>(),
              "bonana");
  }
}

TEST_P(SqlExpressionForms, SqliteRegexpReportsAnInvalidPattern) {
  RETORT_SKIP_THROUGH_ODBC(sqlite(), retort::testing::odbc_limits::kSqliteRegexp);
  if (!sqlite()) GTEST_SKIP() << "SQLite's regexp() function";
  auto conn = engine_->connect();
  try {
    conn.execute(select(ev_.c["id"]).where(ev_.c["name"].regexp_match("(unclosed")));
    FAIL() << "expected a DBAPIError";
  } catch (const DBAPIError& e) {
    EXPECT_NE(std::string(e.what()).find("invalid regular expression"), std::string::npos)
        << e.what();
  }
}

TEST_P(SqlExpressionForms, ExtractYearAndMonth) {
  auto conn = engine_->connect();
  const auto y = extract("year", ev_.c["at"]);
  EXPECT_EQ(ids(conn, select(ev_.c["id"])
                          .where(y == 2024, extract("month", ev_.c["at"]) > 5)
                          .order_by(ev_.c["id"])),
            (std::vector<std::int64_t>{3}));
}

TEST_P(SqlExpressionForms, TupleInAndRowComparison) {
  auto conn = engine_->connect();
  auto t = tuple_({ev_.c["id"], ev_.c["name"]});
  EXPECT_EQ(ids(conn, select(ev_.c["id"])
                          .where(t.in_({{1, "apple"}, {2, "nope"}, {3, "avocado"}}))
                          .order_by(ev_.c["id"])),
            (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(ids(conn, select(ev_.c["id"]).where(t.not_in({{1, "apple"}})).order_by(ev_.c["id"])),
            (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(ids(conn, select(ev_.c["id"])
                          .where(tuple_({ev_.c["score"], ev_.c["id"]}) > tuple_({7, 1}))
                          .order_by(ev_.c["id"])),
            (std::vector<std::int64_t>{2, 3}));
  EXPECT_TRUE(
      ids(conn, select(ev_.c["id"]).where(t.in_(std::vector<std::vector<Value>>{}))).empty());
}

TEST_P(SqlExpressionForms, CustomOperatorAndFrameExclude) {
  auto conn = engine_->connect();
  // `%` through op(): a verbatim binary operator.
  EXPECT_EQ(ids(conn, select(ev_.c["id"])
                          .where(ev_.c["score"].op("%", {.precedence = 8})(2) == 1)
                          .order_by(ev_.c["id"])),
            (std::vector<std::int64_t>{1, 2, 3}));
  // Sum of the neighbours only.
  auto w = func::sum(ev_.c["score"])
               .over({.order_by = {ev_.c["id"]},
                      .rows = Frame{-1, 1},
                      .exclude = FrameExclude::current_row});
  std::vector<std::int64_t> sums;
  for (const auto& row : conn.execute(select(w.label("s")).order_by(ev_.c["id"])))
    sums.push_back(row.get<std::int64_t>(0));
  EXPECT_EQ(sums, (std::vector<std::int64_t>{7, 14, 7}));
}

TEST_P(SqlExpressionForms, JoinAcrossCompositeForeignKey) {
  auto conn = engine_->connect();
  std::vector<std::string> notes;
  for (const auto& row :
       conn.execute(select(orders_.c["note"]).join(lines_).order_by(lines_.c["id"])))
    notes.push_back(row.get<std::string>(0));
  EXPECT_EQ(notes, (std::vector<std::string>{"b", "c"}));
}

TEST_P(SqlExpressionForms, NestingCteAndAddCte) {
  auto conn = engine_->connect();
  auto high = select(ev_.c["id"]).where(ev_.c["score"] > 6).cte("high", false, true);
  auto stmt =
      select(ev_.c["name"]).where(ev_.c["id"].in_(select(high.c["id"]))).order_by(ev_.c["id"]);
  std::vector<std::string> names;
  for (const auto& row : conn.execute(stmt)) names.push_back(row.get<std::string>(0));
  EXPECT_EQ(names, (std::vector<std::string>{"banana", "avocado"}));
  auto low = select(ev_.c["id"]).where(ev_.c["score"] < 6).cte("low");
  conn.execute(delete_(ev_).where(ev_.c["id"].in_(select(low.c["id"]))).add_cte(low));
  EXPECT_EQ(ids(conn, select(ev_.c["id"]).order_by(ev_.c["id"])),
            (std::vector<std::int64_t>{2, 3}));
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlExpressionForms, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
// The same backends through the odbc driver (support/backend_url.hpp).
INSTANTIATE_TEST_SUITE_P(Odbc, SqlExpressionForms, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
