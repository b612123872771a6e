// Executes INSERT / UPDATE / DELETE beyond the basics on SQLite, and on PostgreSQL when
// RETORT_TEST_POSTGRESQL_URL is set, checking the rows: RETURNING, multi-row VALUES, INSERT …
// SELECT, expression values, UPDATE … FROM, DELETE … USING, upserts (DO NOTHING, DO UPDATE
// with excluded and WHERE), callable defaults and onupdate with executemany, and
// executemany INSERT … RETURNING giving keys in the order of the parameter sets.
#include <retort/engine.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include "support/backend_url.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace retort;

std::string url_for(const std::string& backend) {
  return retort::testing::backend_url(backend, "sql-dml");
}

class SqlDmlExecute : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = url_for(GetParam());
    if (url_.empty()) GTEST_SKIP() << retort::testing::backend_env(GetParam()) << " is not set";
    engine_.emplace(create_engine(url_));
    metadata_.drop_all(*engine_);
    metadata_.create_all(*engine_);
  }
  void TearDown() override {
    if (engine_) metadata_.drop_all(*engine_);
  }
  bool is_sqlite() const { return GetParam() == "sqlite"; }
  bool mysql_family() const { return GetParam() == "mariadb" || GetParam() == "mysql"; }

  std::vector<std::string> strings(Connection& conn, const Select& stmt) {
    std::vector<std::string> out;
    for (const auto& row : conn.execute(stmt)) out.push_back(row.get<std::string>(0));
    return out;
  }

  std::string url_;
  MetaData metadata_;
  Table items_{
      "dmlx_items",
      metadata_,
      {Column("id", Integer(), {.primary_key = true}),
       Column("name", String(50), {.nullable = false}), Column("n", Integer(), {.default_ = 0}),
       UniqueConstraint{{"name"}, "uq_dmlx_items_name"}}};
  Table tags_{"dmlx_tags",
              metadata_,
              {Column("id", Integer(), {.primary_key = true}),
               Column("item_id", Integer(), {.foreign_key = ForeignKey("dmlx_items.id")}),
               Column("label", String(20))}};
  Table archive_{"dmlx_archive",
                 metadata_,
                 {Column("id", Integer(), {.primary_key = true}), Column("name", String(50))}};
  // Keys given by the rows (no autoincrement).
  Table keyed_{"dmlx_keyed",
               metadata_,
               {Column("code", String(20), {.primary_key = true}), Column("val", Integer())}};
  // No primary key at all.
  Table log_{"dmlx_log", metadata_, {Column("msg", String(50)), Column("n", Integer())}};
  std::optional<Engine> engine_;
};

TEST_P(SqlDmlExecute, ReturningFromInsertUpdateDelete) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  if (mysql_family()) GTEST_SKIP() << "MySQL has no RETURNING, MariaDB none for UPDATE";
  auto conn = engine_->connect();
  auto& t = items_;
  Row r = conn.execute(insert(t).values({{"name", "ed"}}).returning(t.c["id"], t.c["n"])).one();
  const auto id = r.get<std::int64_t>("id");
  EXPECT_GT(id, 0);
  EXPECT_EQ(r.get<std::int64_t>("n"), 0);  // the client-side default

  auto updated = conn.execute(update(t)
                                  .values({{"n", t.c["n"] + 5}})
                                  .where(t.c["id"] == id)
                                  .returning(t.c["n"], func::upper(t.c["name"])))
                     .one();
  EXPECT_EQ(updated.get<std::int64_t>("n"), 5);
  EXPECT_EQ(updated.get<std::string>("upper_1"), "ED");

  auto deleted = conn.execute(delete_(t).where(t.c["id"] == id).returning(t)).all();
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].get<std::string>("name"), "ed");
  EXPECT_EQ(conn.execute(select(func::count()).select_from(t)).scalar_one<std::int64_t>(), 0);
}

TEST_P(SqlDmlExecute, MultiRowValuesAndInsertFromSelect) {
  auto conn = engine_->connect();
  auto& t = items_;
  auto r =
      conn.execute(insert(t).values(std::vector<Params>{{{"id", 1}, {"name", "a"}, {"n", 10}},
                                                        {{"id", 2}, {"name", "b"}},
                                                        {{"id", 3}, {"name", "c"}, {"n", 30}}}));
  EXPECT_EQ(r.rowcount(), 3);
  std::vector<std::int64_t> ns;
  for (const auto& row : conn.execute(select(t.c["n"]).order_by(t.c["id"])))
    ns.push_back(row.get<std::int64_t>(0));
  EXPECT_EQ(ns, (std::vector<std::int64_t>{10, 0, 30}));  // row 1 got the default

  conn.execute(insert(archive_).from_select({"id", "name"},
                                            select(t.c["id"], t.c["name"]).where(t.c["n"] >= 10)));
  EXPECT_EQ(strings(conn, select(archive_.c["name"]).order_by(archive_.c["id"])),
            (std::vector<std::string>{"a", "c"}));
}

TEST_P(SqlDmlExecute, UpdateWithExpressionValues) {
  auto conn = engine_->connect();
  auto& t = items_;
  conn.execute(insert(t),
               {{{"id", 1}, {"name", "a"}, {"n", 1}}, {{"id", 2}, {"name", "b"}, {"n", 2}}});
  auto r = conn.execute(update(t).values({{"n", t.c["n"] * 10 + t.c["id"]}}));
  EXPECT_EQ(r.rowcount(), 2);
  conn.execute(
      update(t).values({{"name", "z"}}).values({{"n", t.c["n"] + 1}}).where(t.c["id"] == 2));
  std::vector<std::string> got;
  for (const auto& row : conn.execute(select(t.c["name"], t.c["n"]).order_by(t.c["id"])))
    got.push_back(row.get<std::string>(0) + std::to_string(row.get<std::int64_t>(1)));
  EXPECT_EQ(got, (std::vector<std::string>{"a11", "z23"}));
}

TEST_P(SqlDmlExecute, InsertWithExpressionValuesAndBindparams) {
  auto conn = engine_->connect();
  auto& t = items_;
  auto stmt = insert(t).values(
      {{"n", bindparam("x", Integer()) * 2}, {"name", func::upper(bindparam("nm", String(10)))}});
  conn.execute(stmt, {{{"id", 1}, {"x", 21}, {"nm", "ed"}}, {{"id", 2}, {"x", 5}, {"nm", "al"}}});
  std::vector<std::string> got;
  for (const auto& row : conn.execute(select(t.c["name"], t.c["n"]).order_by(t.c["id"])))
    got.push_back(row.get<std::string>(0) + std::to_string(row.get<std::int64_t>(1)));
  EXPECT_EQ(got, (std::vector<std::string>{"ED42", "AL10"}));
}

TEST_P(SqlDmlExecute, UpdateFromAnotherTable) {
  auto conn = engine_->connect();
  auto& t = items_;
  conn.execute(
      insert(t),
      {{{"id", 1}, {"name", "a"}}, {{"id", 2}, {"name", "b"}}, {{"id", 3}, {"name", "c"}}});
  conn.execute(insert(tags_), {{{"id", 1}, {"item_id", 1}, {"label", "hot"}},
                               {{"id", 2}, {"item_id", 3}, {"label", "hot"}},
                               {{"id", 3}, {"item_id", 2}, {"label", "cold"}}});
  auto r = conn.execute(update(t)
                            .values({{"n", tags_.c["id"] * 100}})
                            .where(t.c["id"] == tags_.c["item_id"])
                            .where(tags_.c["label"] == "hot"));
  EXPECT_EQ(r.rowcount(), 2);
  std::vector<std::int64_t> ns;
  for (const auto& row : conn.execute(select(t.c["n"]).order_by(t.c["id"])))
    ns.push_back(row.get<std::int64_t>(0));
  EXPECT_EQ(ns, (std::vector<std::int64_t>{100, 0, 200}));
}

TEST_P(SqlDmlExecute, DeleteUsingAnotherTable) {
  auto conn = engine_->connect();
  auto& t = items_;
  conn.execute(insert(t), {{{"id", 1}, {"name", "a"}}, {{"id", 2}, {"name", "b"}}});
  conn.execute(insert(tags_), {{{"id", 1}, {"item_id", 2}, {"label", "old"}}});
  // Delete the tag of items named "b".
  auto stmt = delete_(tags_).where(tags_.c["item_id"] == t.c["id"]).where(t.c["name"] == "b");
  if (is_sqlite()) {
    EXPECT_THROW(conn.execute(stmt), CompileError);
    return;
  }
  EXPECT_EQ(conn.execute(stmt).rowcount(), 1);
  EXPECT_EQ(conn.execute(select(func::count()).select_from(tags_)).scalar_one<std::int64_t>(), 0);
}

TEST_P(SqlDmlExecute, UpsertDoNothingAndDoUpdateWithExcludedAndWhere) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  if (mysql_family()) GTEST_SKIP() << "MySQL and MariaDB have ON DUPLICATE KEY UPDATE, not ON CONFLICT";
  auto conn = engine_->connect();
  auto& t = items_;
  auto ex = excluded(t);
  conn.execute(insert(t),
               {{{"id", 1}, {"name", "a"}, {"n", 1}}, {{"id", 2}, {"name", "b"}, {"n", 2}}});

  // DO NOTHING: the conflicting row is skipped, the other inserted.
  conn.execute(insert(t).on_conflict_do_nothing({.index_elements = {"id"}}),
               {{{"id", 1}, {"name", "x"}, {"n", 9}}, {{"id", 3}, {"name", "c"}, {"n", 3}}});
  EXPECT_EQ(strings(conn, select(t.c["name"]).order_by(t.c["id"])),
            (std::vector<std::string>{"a", "b", "c"}));
  // DO NOTHING … RETURNING gives no row for a skipped one.
  EXPECT_FALSE(conn.execute(insert(t)
                                .values({{"id", 1}, {"name", "q"}})
                                .on_conflict_do_nothing()
                                .returning(t.c["id"]))
                   .first()
                   .has_value());

  // DO UPDATE with excluded, guarded by WHERE: id 1 is updated (1 < 10), id 2 is not
  // (2 < 0 is false), id 4 is inserted.
  auto upsert =
      insert(t).on_conflict_do_update({.index_elements = {"id"},
                                       .set = {{"name", ex.c["name"]}, {"n", t.c["n"] + ex.c["n"]}},
                                       .where = t.c["n"] < ex.c["n"]});
  conn.execute(upsert, {{{"id", 1}, {"name", "a2"}, {"n", 10}},
                        {{"id", 2}, {"name", "b2"}, {"n", 0}},
                        {{"id", 4}, {"name", "d"}, {"n", 4}}});
  std::vector<std::string> got;
  for (const auto& row : conn.execute(select(t.c["name"], t.c["n"]).order_by(t.c["id"])))
    got.push_back(row.get<std::string>(0) + ":" + std::to_string(row.get<std::int64_t>(1)));
  EXPECT_EQ(got, (std::vector<std::string>{"a2:11", "b:2", "c:3", "d:4"}));

  // On the unique name, returning the row as updated.
  Row row = conn.execute(insert(t)
                             .values({{"id", 99}, {"name", "c"}, {"n", 5}})
                             .on_conflict_do_update(
                                 {.index_elements = {"name"}, .set = {{"n", ex.c["n"] * 100}}})
                             .returning(t.c["id"], t.c["n"]))
                .one();
  EXPECT_EQ(row.get<std::int64_t>("id"), 3);
  EXPECT_EQ(row.get<std::int64_t>("n"), 500);
}

TEST_P(SqlDmlExecute, UpsertOnConstraintOnPostgresql) {
  if (mysql_family()) GTEST_SKIP() << "MySQL and MariaDB have ON DUPLICATE KEY UPDATE, not ON CONFLICT";
  if (is_sqlite()) GTEST_SKIP() << "SQLite cannot name a constraint in ON CONFLICT";
  auto conn = engine_->connect();
  auto& t = items_;
  conn.execute(insert(t).values({{"id", 1}, {"name", "a"}}));
  conn.execute(insert(t)
                   .values({{"id", 2}, {"name", "a"}})
                   .on_conflict_do_update(
                       {.constraint = "uq_dmlx_items_name", .set = {{"n", literal(42)}}}));
  EXPECT_EQ(conn.execute(select(t.c["n"]).where(t.c["id"] == 1)).scalar_one<std::int64_t>(), 42);
}

TEST_P(SqlDmlExecute, CallableDefaultPerRowAndOnupdateWithExecutemany) {
  MetaData md;
  std::atomic<int> codes{0};
  std::atomic<int> versions{100};
  Table stamped("dmlx_stamped", md,
                {Column("id", Integer(), {.primary_key = true}),
                 Column("code", String(20),
                        {.default_ = [&codes] { return "code-" + std::to_string(++codes); }}),
                 Column("note", String(20)),
                 Column("version", Integer(),
                        {.default_ = 1, .onupdate = [&versions] { return ++versions; }}),
                 Column("touched", String(5), {.onupdate = "yes"})});
  md.drop_all(*engine_);
  md.create_all(*engine_);
  {
    auto conn = engine_->connect();
    // executemany: one default per parameter set.
    conn.execute(insert(stamped), {{{"id", 1}, {"note", "a"}},
                                   {{"id", 2}, {"note", "b"}},
                                   {{"id", 3}, {"note", "c"}, {"code", "given"}}});
    // A multi-row VALUES: one per row; a single insert: one.
    conn.execute(insert(stamped).values(std::vector<Params>{{{"id", 4}}, {{"id", 5}}}));
    conn.execute(insert(stamped).values({{"id", 6}}));
    EXPECT_EQ(
        strings(conn, select(stamped.c["code"]).order_by(stamped.c["id"])),
        (std::vector<std::string>{"code-1", "code-2", "given", "code-3", "code-4", "code-5"}));
    EXPECT_EQ(codes.load(), 5);

    // onupdate: evaluated per parameter set when the statement does not set the column.
    conn.execute(update(stamped).where(stamped.c["id"] == bindparam("sid")),
                 {{{"sid", 1}, {"note", "x"}}, {{"sid", 2}, {"note", "y"}}});
    conn.execute(update(stamped).values({{"version", 7}}).where(stamped.c["id"] == 3));
    std::vector<std::string> got;
    for (const auto& row : conn.execute(
             select(stamped.c["version"], stamped.c["touched"]).order_by(stamped.c["id"]))) {
      got.push_back(std::to_string(row.get<std::int64_t>(0)) + ":" +
                    (row.is_null(1) ? "-" : row.get<std::string>(1)));
    }
    EXPECT_EQ(got, (std::vector<std::string>{"101:yes", "102:yes", "7:yes", "1:-", "1:-", "1:-"}));
    conn.commit();
  }
  md.drop_all(*engine_);
}

TEST_P(SqlDmlExecute, ExecutemanyReturningGivesGeneratedKeysInInputOrder) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  if (GetParam() == "mysql") GTEST_SKIP() << "MySQL has no RETURNING";
  EngineOptions options;
  options.insertmanyvalues_page_size = 333;  // 10k rows: 31 batches, the last one short
  Engine engine = create_engine(url_, options);
  auto conn = engine.connect();
  auto& t = items_;
  // Two rows first, so generated ids do not start at 1.
  conn.execute(insert(t), {{{"name", "pre-1"}}, {{"name", "pre-2"}}});
  constexpr int kRows = 10000;
  std::vector<Params> rows;
  rows.reserve(kRows);
  for (int i = 0; i < kRows; ++i) rows.push_back({{"name", "row-" + std::to_string(i)}, {"n", i}});
  auto result = conn.execute(insert(t).returning(t.c["name"], t.c["id"]), rows);
  EXPECT_EQ(result.rowcount(), kRows);
  EXPECT_EQ(result.keys(), (std::vector<std::string>{"name", "id"}));
  auto returned = result.all();
  ASSERT_EQ(returned.size(), static_cast<std::size_t>(kRows));
  std::vector<std::int64_t> ids;
  for (int i = 0; i < kRows; ++i) {
    ASSERT_EQ(returned[i].get<std::string>("name"), "row-" + std::to_string(i)) << "row " << i;
    ids.push_back(returned[i].get<std::int64_t>("id"));
  }
  // Every returned key is the key the database stored for that input row.
  std::vector<std::int64_t> stored;
  for (const auto& row :
       conn.execute(select(t.c["id"]).where(t.c["name"].like("row-%")).order_by(t.c["n"])))
    stored.push_back(row.get<std::int64_t>(0));
  EXPECT_EQ(ids, stored);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  conn.commit();
}

TEST_P(SqlDmlExecute, ExecutemanyReturningSplitsBatchesAtTheDialectsParameterLimit) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  RETORT_SKIP_THROUGH_ODBC(GetParam() != "sqlite", retort::testing::odbc_limits::kParameterLimit);
  if (GetParam() == "mysql") GTEST_SKIP() << "MySQL has no RETURNING";
  EngineOptions options;
  options.insertmanyvalues_page_size = 1000000;
  Engine engine = create_engine(url_, options);
  auto conn = engine.connect();
  auto& t = items_;
  // 2 parameters per row: 40000 in all, more than SQLite's 32766 in one statement.
  constexpr int kRows = 20000;
  std::vector<Params> rows;
  rows.reserve(kRows);
  for (int i = 0; i < kRows; ++i) rows.push_back({{"name", "r" + std::to_string(i)}, {"n", i}});
  auto returned = conn.execute(insert(t).returning(t.c["n"], t.c["id"]), rows).all();
  ASSERT_EQ(returned.size(), static_cast<std::size_t>(kRows));
  for (int i = 0; i < kRows; ++i) ASSERT_EQ(returned[i].get<std::int64_t>("n"), i);
  conn.commit();
}

TEST_P(SqlDmlExecute, ExecutemanyReturningSendsOneStatementPerBatch) {
  if (!is_sqlite()) GTEST_SKIP() << "PostgreSQL aborts the transaction on the error";
  EngineOptions options;
  options.insertmanyvalues_page_size = 100;
  Engine engine = create_engine(url_, options);
  auto conn = engine.connect();
  auto& t = items_;
  std::vector<Params> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({{"name", "dup" + std::to_string(i % 5)}});
  // Row 5 repeats row 0's unique name: the one multi-row INSERT fails as a whole, so no row
  // of the batch is left behind (one statement per row would have inserted rows 0-4).
  EXPECT_THROW(conn.execute(insert(t).returning(t.c["id"]), rows), IntegrityError);
  EXPECT_EQ(conn.execute(select(func::count()).select_from(t)).scalar_one<std::int64_t>(), 0);
  conn.rollback();
}

TEST_P(SqlDmlExecute, ExecutemanyReturningMatchesRowsByTheKeysTheyGive) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  if (GetParam() == "mysql") GTEST_SKIP() << "MySQL has no RETURNING";
  auto conn = engine_->connect();
  // Keys in no particular order; the hidden key column is not among the returned items.
  std::vector<std::string> codes;
  for (int i = 0; i < 50; ++i) codes.push_back("k" + std::to_string((i * 37) % 50));
  std::vector<Params> rows;
  for (int i = 0; i < 50; ++i) rows.push_back({{"code", codes[i]}, {"val", i}});
  auto returned = conn.execute(insert(keyed_).returning(keyed_.c["val"]), rows).all();
  ASSERT_EQ(returned.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(returned[i].get<std::int64_t>(0), i);
  EXPECT_EQ(returned[0].keys(), (std::vector<std::string>{"val"}));
}

TEST_P(SqlDmlExecute, ExecutemanyReturningWithoutAKeyRunsOncePerRow) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  if (GetParam() == "mysql") GTEST_SKIP() << "MySQL has no RETURNING";
  auto conn = engine_->connect();
  std::vector<Params> rows;
  for (int i = 0; i < 20; ++i) rows.push_back({{"msg", "m" + std::to_string(i)}, {"n", i * i}});
  auto result = conn.execute(insert(log_).returning(log_.c["msg"], log_.c["n"]), rows);
  EXPECT_EQ(result.rowcount(), 20);
  auto returned = result.all();
  ASSERT_EQ(returned.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(returned[i].get<std::string>("msg"), "m" + std::to_string(i));
    EXPECT_EQ(returned[i].get<std::int64_t>("n"), i * i);
  }
}

TEST_P(SqlDmlExecute, ExecutemanyReturningWithCallableDefaultsEvaluatesOncePerRow) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "sqlite", retort::testing::odbc_limits::kSqliteReturning);
  if (GetParam() == "mysql") GTEST_SKIP() << "MySQL has no RETURNING";
  MetaData md;
  int calls = 0;
  Table t("dmlx_coded", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("code", String(20),
                  {.default_ = [&calls] { return "c" + std::to_string(++calls); }})});
  md.drop_all(*engine_);
  md.create_all(*engine_);
  {
    EngineOptions options;
    options.insertmanyvalues_page_size = 4;
    Engine engine = create_engine(url_, options);
    auto conn = engine.connect();
    std::vector<Params> rows(10, Params{});
    for (int i = 0; i < 10; ++i) rows[i] = Params{{"id", 100 - i}};  // keys given, descending
    auto returned = conn.execute(insert(t).returning(t.c["id"], t.c["code"]), rows).all();
    ASSERT_EQ(returned.size(), 10u);
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(returned[i].get<std::int64_t>("id"), 100 - i);
      EXPECT_EQ(returned[i].get<std::string>("code"), "c" + std::to_string(i + 1));
    }
    EXPECT_EQ(calls, 10);
    conn.commit();
  }
  md.drop_all(*engine_);
}

TEST(SqlDmlEngineOptions, InsertmanyvaluesPageSizeMustBePositive) {
  EngineOptions options;
  options.insertmanyvalues_page_size = 0;
  try {
    (void)create_engine(url_for("sqlite"), options);
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_STREQ(e.what(), "insertmanyvalues_page_size must be at least 1, got 0");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlDmlExecute, ::testing::Values("sqlite", "postgresql", "mariadb", "mysql"),
                         [](const auto& info) { return info.param; });
// The same backends through the odbc driver (support/backend_url.hpp).
INSTANTIATE_TEST_SUITE_P(Odbc, SqlDmlExecute, ::testing::Values("sqlite", "postgresql", "mariadb", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
