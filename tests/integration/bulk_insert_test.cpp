// Connection::bulk_insert on SQLite and MariaDB (executemany INSERTs: their drivers have no
// bulk path) and on PostgreSQL when RETORT_TEST_POSTGRESQL_URL is set (one COPY per call):
// the same rows, defaults and conversions as insert(table), rows streamed from another
// database's Result, progress, and failures that leave nothing behind.
#include "support/backend_url.hpp"

#include <retort/engine.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace retort;
using namespace std::chrono_literals;

class BulkInsert : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = retort::testing::backend_url(GetParam(), "bulk-insert");
    if (url_.empty()) GTEST_SKIP() << retort::testing::backend_env(GetParam()) << " is not set";
    engine_.emplace(create_engine(url_));
    metadata_.drop_all(*engine_);
    metadata_.create_all(*engine_);
  }
  void TearDown() override {
    if (engine_) metadata_.drop_all(*engine_);
  }
  std::int64_t count(Connection& conn, const Table& t) {
    return conn.execute(select(func::count()).select_from(t)).scalar_one<std::int64_t>();
  }
  static DateTime at(int seconds) {
    return DateTime(std::chrono::sys_days(std::chrono::year(2024) / 3 / 1).time_since_epoch() +
                    std::chrono::seconds(seconds));
  }

  std::string url_;
  MetaData metadata_;
  Table items_{
      "bulkx_items",
      metadata_,
      {Column("id", Integer(), {.primary_key = true, .autoincrement = false}),
       Column("name", String(50), {.nullable = false}), Column("n", Integer(), {.default_ = 7}),
       Column("price", Numeric(10, 2)), Column("at", types::DateTime()), Column("ok", Boolean()),
       Column("ratio", Float()), UniqueConstraint{{"name"}, "uq_bulkx_items_name"}}};
  std::optional<Engine> engine_;
};

TEST_P(BulkInsert, ParamsLoadWithDefaultsAndConversionsLikeExecutemany) {
  auto conn = engine_->connect();
  std::vector<Params> rows;
  for (int i = 1; i <= 2500; ++i) {
    Params p{{"id", i},
             {"name", "item " + std::to_string(i) + (i == 3 ? " ✓ tab\there" : "")},
             {"price", Decimal{std::to_string(i) + ".25"}},
             {"at", at(i)},
             {"ok", i % 2 == 0},
             {"ratio", i * 0.5}};
    if (i == 4) {
      p.set("price", Value());
      p.set("at", Value());
    }
    rows.push_back(std::move(p));
  }
  std::vector<std::int64_t> progress;
  BulkInsertOptions options;
  options.batch_rows = 1000;
  options.on_progress = [&](std::int64_t sent) { progress.push_back(sent); };
  EXPECT_EQ(conn.bulk_insert(items_, rows, options), 2500);
  EXPECT_EQ(progress, (std::vector<std::int64_t>{1000, 2000, 2500}));
  conn.commit();

  EXPECT_EQ(count(conn, items_), 2500);
  const Row r3 = conn.execute(select(items_).where(items_.c["id"] == 3)).one();
  EXPECT_EQ(r3.get<std::string>("name"), "item 3 ✓ tab\there");
  EXPECT_EQ(r3.get<std::int64_t>("n"), 7);  // the client-side default, as insert() gives it
  EXPECT_EQ(r3.get<Decimal>("price"), Decimal{"3.25"});
  EXPECT_EQ(r3.get<DateTime>("at"), at(3));
  EXPECT_EQ(r3.get<bool>("ok"), false);
  EXPECT_DOUBLE_EQ(r3.get<double>("ratio"), 1.5);
  const Row r4 = conn.execute(select(items_).where(items_.c["id"] == 4)).one();
  EXPECT_TRUE(r4.is_null(r4.index_of("price")));
  EXPECT_TRUE(r4.is_null(r4.index_of("at")));
  EXPECT_EQ(r4.get<bool>("ok"), true);
}

TEST_P(BulkInsert, ResultOfAnotherDatabaseStreamsIntoTheTable) {
  // The source: a SQLite file of its own, with the same table.
  const std::string src_url = retort::testing::backend_url("sqlite", "bulk-insert-src");
  Engine src = create_engine(src_url, [] {
    EngineOptions o;
    o.fetch_batch_rows = 300;  // several batches
    return o;
  }());
  MetaData src_md;
  Table src_items{"bulkx_src",
                  src_md,
                  {Column("id", Integer(), {.primary_key = true, .autoincrement = false}),
                   Column("name", String(50), {.nullable = false}), Column("n", Integer()),
                   Column("price", Numeric(10, 2)), Column("at", types::DateTime()),
                   Column("ok", Boolean()), Column("ratio", Float())}};
  src_md.drop_all(src);
  src_md.create_all(src);
  {
    auto c = src.connect();
    std::vector<Params> rows;
    for (int i = 1; i <= 1000; ++i) {
      rows.push_back(Params{{"id", i},
                            {"name", "héllo " + std::to_string(i)},
                            {"n", i % 3 == 0 ? Value() : Value(i * 10)},
                            {"price", Decimal{"-" + std::to_string(i) + ".50"}},
                            {"at", at(-i)},
                            {"ok", i % 5 == 0},
                            {"ratio", i * 0.25}});  // exact in MySQL's single-precision FLOAT too
    }
    c.execute(insert(src_items), rows);
    c.commit();
  }
  auto in = src.connect();
  auto conn = engine_->connect();
  Result rows = in.execute(select(src_items).order_by(src_items.c["id"]));
  // A row already taken is not loaded again.
  ASSERT_EQ(rows.fetchone()->get<std::int64_t>("id"), 1);
  std::int64_t last_progress = 0;
  BulkInsertOptions options;
  options.batch_rows = 250;
  options.on_progress = [&](std::int64_t sent) { last_progress = sent; };
  // The source table's name differs: result columns are matched by name.
  EXPECT_EQ(conn.bulk_insert(items_, rows, options), 999);
  EXPECT_EQ(last_progress, 999);
  conn.commit();
  EXPECT_EQ(count(conn, items_), 999);
  const Row r = conn.execute(select(items_).where(items_.c["id"] == 3)).one();
  EXPECT_EQ(r.get<std::string>("name"), "héllo 3");
  EXPECT_TRUE(r.is_null(r.index_of("n")));
  EXPECT_EQ(r.get<Decimal>("price"), Decimal{"-3.50"});
  EXPECT_EQ(r.get<DateTime>("at"), at(-3));
  EXPECT_EQ(r.get<bool>("ok"), false);
  EXPECT_DOUBLE_EQ(r.get<double>("ratio"), 0.75);
  EXPECT_EQ(
      conn.execute(select(items_.c["n"]).where(items_.c["id"] == 10)).scalar_one<std::int64_t>(),
      100);
  // Rows that leave out a column with a client-side default get it, as from insert(): here
  // `n` (default 7) is not selected.
  Result partial = in.execute(select(src_items.c["id"], src_items.c["name"])
                                  .where(src_items.c["id"] <= 5)
                                  .order_by(src_items.c["id"]));
  conn.execute(delete_(items_));
  EXPECT_EQ(conn.bulk_insert(items_, partial), 5);
  conn.commit();
  EXPECT_EQ(conn.execute(select(func::sum(items_.c["n"]))).scalar_one<std::int64_t>(), 35);
  in.close();  // its read transaction would keep the file locked against the DROP
  src_md.drop_all(src);
}

TEST_P(BulkInsert, UniqueViolationIsIntegrityErrorAndRollbackLeavesTheTableAsItWas) {
  auto conn = engine_->connect();
  conn.execute(insert(items_), Params{{"id", 5}, {"name", "taken"}});
  conn.commit();
  std::vector<Params> rows;
  for (int i = 1; i <= 10; ++i) {
    rows.push_back(
        Params{{"id", 100 + i}, {"name", i == 7 ? "taken" : "new " + std::to_string(i)}});
  }
  try {
    conn.bulk_insert(items_, rows);
    FAIL() << "a duplicate name was loaded";
  } catch (const IntegrityError& e) {
    if (GetParam() == "postgresql") {
      EXPECT_EQ(e.sqlstate(), "23505");
      bool named = false;
      for (const auto& [k, v] : e.details())
        if (k == "constraint_name" && v == "uq_bulkx_items_name") named = true;
      EXPECT_TRUE(named) << e.what();
      EXPECT_NE(std::string(e.what()).find("bulk load into bulkx_items (id, name, n)"),
                std::string::npos)
          << e.what();
    }
  }
  conn.rollback();
  EXPECT_EQ(count(conn, items_), 1);
  // The connection goes on working.
  EXPECT_EQ(conn.bulk_insert(items_, std::vector<Params>{{{"id", 6}, {"name", "six"}}}), 1);
  conn.commit();
  EXPECT_EQ(count(conn, items_), 2);
}

TEST_P(BulkInsert, UnknownKeyIsArgumentErrorAndEmptyInputLoadsNothing) {
  auto conn = engine_->connect();
  EXPECT_THROW(conn.bulk_insert(items_, std::vector<Params>{{{"id", 1}, {"nope", 2}}}),
               ArgumentError);
  conn.rollback();
  EXPECT_EQ(conn.bulk_insert(items_, std::vector<Params>{}), 0);
  BulkInsertOptions bad;
  bad.batch_rows = 0;
  EXPECT_THROW(conn.bulk_insert(items_, std::vector<Params>{{{"id", 1}, {"name", "x"}}}, bad),
               ArgumentError);
  EXPECT_EQ(count(conn, items_), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkInsert, ::testing::Values("sqlite", "postgresql", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
