// Result typing beyond select(): the columns of INSERT / UPDATE / DELETE … RETURNING (single
// statements and executemany's insertmanyvalues), of text().columns(…) and of set operations
// carry their types, so values come back converted (Numeric exact, DateTime, Boolean and Uuid
// on SQLite, Enum, TypeDecorator).  SQLite always, PostgreSQL when RETORT_TEST_POSTGRESQL_URL
// is set.
#include "support/backend_url.hpp"

#include <retort/engine.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>
#include <retort/text.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using namespace retort;
using namespace std::chrono;

// Reads strings back in brackets: proves process_result_value ran.
class Bracketed : public TypeDecorator {
 public:
  Bracketed() : TypeDecorator(String(40)) {}
  const char* type_name() const noexcept override { return "Bracketed"; }
  Value process_bind_param(const Value& v) const override { return v; }
  Value process_result_value(const Value& v) const override {
    if (v.is_null()) return v;
    return "[" + v.as<std::string>() + "]";
  }
};

class SqlResultTypes : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string url = retort::testing::backend_url(GetParam(), "sql-rtypes");
    if (url.empty()) GTEST_SKIP() << "RETORT_TEST_POSTGRESQL_URL is not set";
    engine_.emplace(create_engine(url));
    metadata_.drop_all(*engine_);
    metadata_.create_all(*engine_);
  }
  void TearDown() override {
    if (engine_) metadata_.drop_all(*engine_);
  }

  static DateTime at(int day) {
    return DateTime(local_days(year(2024) / 3 / day) + 12h + 30min + 15s + 250000us);
  }
  static void expect_typed_row(const Row& row, int n) {
    ASSERT_TRUE(row["price"].holds<Decimal>()) << row["price"].repr();
    EXPECT_EQ(row.get<Decimal>("price"), Decimal{std::to_string(n) + ".50"});
    ASSERT_TRUE(row["at"].holds<DateTime>()) << row["at"].repr();
    EXPECT_EQ(row.get<DateTime>("at"), at(n));
    ASSERT_TRUE(row["flag"].holds<bool>()) << row["flag"].repr();
    EXPECT_EQ(row.get<bool>("flag"), n % 2 == 0);
    ASSERT_TRUE(row["uid"].holds<Uuid>()) << row["uid"].repr();
    EXPECT_EQ(row.get<std::string>("mood"), n % 2 == 0 ? "happy" : "sad");
    EXPECT_EQ(row.get<std::string>("label"), "[item " + std::to_string(n) + "]");
  }
  static Params row_for(int n) {
    return {{"id", n},
            {"price", Decimal{std::to_string(n) + ".50"}},
            {"at", at(n)},
            {"flag", n % 2 == 0},
            {"uid", Uuid::parse("123e4567-e89b-12d3-a456-42661417400" + std::to_string(n))},
            {"mood", n % 2 == 0 ? "happy" : "sad"},
            {"label", "item " + std::to_string(n)}};
  }
  Select typed_select() const {
    return select(t_.c["id"], t_.c["price"], t_.c["at"], t_.c["flag"], t_.c["uid"], t_.c["mood"],
                  t_.c["label"]);
  }
  std::vector<ColumnElement> typed_columns() const {
    return {t_.c["id"],  t_.c["price"], t_.c["at"],   t_.c["flag"],
            t_.c["uid"], t_.c["mood"],  t_.c["label"]};
  }

  MetaData metadata_;
  Table t_{"sqlrty_items",
           metadata_,
           {Column("id", Integer(), {.primary_key = true, .autoincrement = false}),
            Column("price", Numeric(10, 2)), Column("at", types::DateTime()),
            Column("flag", Boolean()), Column("uid", types::Uuid()),
            Column("mood", Enum({"happy", "sad"}, "sqlrty_mood")), Column("label", Bracketed())}};
  std::optional<Engine> engine_;
};

TEST_P(SqlResultTypes, InsertReturningConvertsByColumnType) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  auto conn = engine_->connect();
  auto rows = conn.execute(insert(t_).values(row_for(2)).returning(typed_columns())).all();
  ASSERT_EQ(rows.size(), 1u);
  expect_typed_row(rows[0], 2);
}

TEST_P(SqlResultTypes, ExecutemanyInsertReturningConvertsAndKeepsOrder) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  auto conn = engine_->connect();
  std::vector<Params> sets{row_for(3), row_for(1), row_for(2)};
  auto rows = conn.execute(insert(t_).returning(typed_columns()), sets).all();
  ASSERT_EQ(rows.size(), 3u);
  expect_typed_row(rows[0], 3);
  expect_typed_row(rows[1], 1);
  expect_typed_row(rows[2], 2);
}

TEST_P(SqlResultTypes, UpdateAndDeleteReturningConvert) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  auto conn = engine_->connect();
  conn.execute(insert(t_), std::vector<Params>{row_for(1), row_for(2)});
  auto updated = conn.execute(update(t_)
                                  .where(t_.c["id"] == 2)
                                  .values({{"price", Decimal{"2.50"}}})
                                  .returning(typed_columns()))
                     .all();
  ASSERT_EQ(updated.size(), 1u);
  expect_typed_row(updated[0], 2);
  // A whole table in RETURNING: every column, typed.
  auto deleted = conn.execute(delete_(t_).where(t_.c["id"] == 1).returning(t_)).all();
  ASSERT_EQ(deleted.size(), 1u);
  expect_typed_row(deleted[0], 1);
}

TEST_P(SqlResultTypes, TextColumnsConvertByDeclaredType) {
  auto conn = engine_->connect();
  conn.execute(insert(t_), std::vector<Params>{row_for(1), row_for(2)});
  auto stmt = text(
                  "SELECT id, price, at, flag, uid, mood, label FROM sqlrty_items WHERE id >= :low "
                  "ORDER BY id")
                  .columns({{"id", Integer()},
                            {"price", Numeric(10, 2)},
                            {"at", types::DateTime()},
                            {"flag", Boolean()},
                            {"uid", types::Uuid()},
                            {"mood", Enum({"happy", "sad"}, "sqlrty_mood")},
                            {"label", Bracketed()}});
  auto rows = conn.execute(stmt, {{"low", 1}}).all();
  ASSERT_EQ(rows.size(), 2u);
  expect_typed_row(rows[0], 1);
  expect_typed_row(rows[1], 2);
}

TEST_P(SqlResultTypes, SetOperationConvertsByFirstMembersTypes) {
  auto conn = engine_->connect();
  conn.execute(insert(t_), std::vector<Params>{row_for(1), row_for(2)});
  auto u = union_all(typed_select().where(t_.c["id"] == 1), typed_select().where(t_.c["id"] == 2))
               .order_by(t_.c["id"]);
  auto rows = conn.execute(u).all();
  ASSERT_EQ(rows.size(), 2u);
  expect_typed_row(rows[0], 1);
  expect_typed_row(rows[1], 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlResultTypes, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
// The same backends through the odbc driver (support/backend_url.hpp).
INSTANTIATE_TEST_SUITE_P(Odbc, SqlResultTypes, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
