// What a connection and its driver keep from one execute to the next (the fast paths of
// docs/benchmarks.md): the parameter batch buffers, the last result's column names, the
// drivers' prepared statements with their fetch buffers.  Each test runs one statement many
// times on one connection, changing what could go stale: values and their lengths, NULLs,
// value types between rows, column names, and an error in the middle.  SQLite always;
// PostgreSQL and MariaDB when their URLs are set.
#include "support/backend_url.hpp"

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/text.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using namespace retort;

class ExecuteReuse : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string url = retort::testing::backend_url(GetParam(), "execute_reuse");
    if (url.empty()) GTEST_SKIP() << retort::testing::backend_env(GetParam()) << " is not set";
    engine_.emplace(create_engine(url));
    conn_.emplace(engine_->connect());
    conn_->execute(text("DROP TABLE IF EXISTS execute_reuse_items"));
    conn_->execute(
        text("CREATE TABLE execute_reuse_items (id INTEGER PRIMARY KEY, name VARCHAR(300), "
             "score DOUBLE PRECISION)"));
    conn_->commit();
  }
  void TearDown() override {
    if (!conn_) return;
    conn_->rollback();
    conn_->execute(text("DROP TABLE IF EXISTS execute_reuse_items"));
    conn_->commit();
  }
  void insert(std::vector<Params> rows) {
    conn_->execute(text("INSERT INTO execute_reuse_items (id, name, score) "
                        "VALUES (:id, :name, :score)"),
                   rows);
  }

  std::optional<Engine> engine_;
  std::optional<Connection> conn_;
};

TEST_P(ExecuteReuse, RepeatedPointSelectSeesEachRowsValuesIncludingNullsAndLongerText) {
  // Row i has a name of i * 20 characters (longer each time: fetch buffers must grow) and
  // every third row a NULL name and score.
  std::vector<Params> rows;
  for (int i = 1; i <= 12; ++i) {
    const bool null = i % 3 == 0;
    rows.push_back(
        {{"id", i},
         {"name", null ? Value() : Value(std::string(static_cast<size_t>(i) * 20, 'a' + i))},
         {"score", null ? Value() : Value(i * 1.5)}});
  }
  insert(rows);
  const TextClause stmt = text("SELECT id, name, score FROM execute_reuse_items WHERE id = :id");
  for (int pass = 0; pass < 2; ++pass) {
    // Long values first on the second pass: a buffer sized for a long value then holds short.
    for (int k = 1; k <= 12; ++k) {
      const int i = pass == 0 ? k : 13 - k;
      const Row row = conn_->execute(stmt, {{"id", i}}).one();
      EXPECT_EQ(row.get<int64_t>(0), i);
      if (i % 3 == 0) {
        EXPECT_TRUE(row.is_null(1)) << "row " << i;
        EXPECT_TRUE(row.is_null(2)) << "row " << i;
      } else {
        EXPECT_EQ(row.get<std::string>("name"),
                  std::string(static_cast<size_t>(i) * 20, static_cast<char>('a' + i)));
        EXPECT_DOUBLE_EQ(row.get<double>("score"), i * 1.5);
      }
    }
  }
  EXPECT_FALSE(conn_->execute(stmt, {{"id", 99}}).one_or_none().has_value());
}

TEST_P(ExecuteReuse, ResultsWithTheSameColumnCountKeepTheirOwnNames) {
  insert({{{"id", 1}, {"name", "x"}, {"score", 2.5}}});
  const char* sql[] = {
      "SELECT id AS a, name AS b FROM execute_reuse_items",
      "SELECT id AS a, name AS b FROM execute_reuse_items",  // shares the names above
      "SELECT id AS c, name AS d FROM execute_reuse_items",  // differs from the first name
      "SELECT id AS c, name AS e FROM execute_reuse_items",  // differs at the second
      "SELECT id AS a, name AS b FROM execute_reuse_items",
  };
  const std::vector<std::vector<std::string>> expected = {
      {"a", "b"}, {"a", "b"}, {"c", "d"}, {"c", "e"}, {"a", "b"}};
  std::vector<Row> kept;
  for (size_t i = 0; i < std::size(sql); ++i) {
    Result result = conn_->execute(text(sql[i]));
    EXPECT_EQ(result.keys(), expected[i]) << sql[i];
    kept.push_back(result.one());
  }
  // Rows of earlier results keep their own names after later results were made.
  for (size_t i = 0; i < kept.size(); ++i) {
    EXPECT_EQ(kept[i].keys(), expected[i]);
    EXPECT_EQ(kept[i].get<int64_t>(expected[i][0]), 1);
    EXPECT_EQ(kept[i].get<std::string>(expected[i][1]), "x");
  }
  EXPECT_THROW((void)kept[2].get<int64_t>("a"), InvalidRequestError);
}

TEST_P(ExecuteReuse, WideResultsFindColumnsByNameAndTheFirstOfDuplicateNamesWins) {
  insert({{{"id", 7}, {"name", "seven"}, {"score", 7.0}}});
  // 20 columns (names are looked up through an index from 16 on): c0..c18, then c3 again.
  std::string sql = "SELECT ";
  for (int i = 0; i < 19; ++i)
    sql += "id + " + std::to_string(i) + " AS c" + std::to_string(i) + ", ";
  sql += "name AS c3 FROM execute_reuse_items";
  const Row row = conn_->execute(text(sql)).one();
  ASSERT_EQ(row.size(), 20u);
  EXPECT_EQ(row.get<int64_t>("c0"), 7);
  EXPECT_EQ(row.get<int64_t>("c18"), 25);
  EXPECT_EQ(row.get<int64_t>("c3"), 10);  // the first c3, not the name
  EXPECT_EQ(row.get<std::string>(19), "seven");
  try {
    (void)row.get<int64_t>("c19");
    FAIL() << "no column c19";
  } catch (const InvalidRequestError& e) {
    EXPECT_NE(std::string(e.what()).find("Row has no column 'c19'"), std::string::npos) << e.what();
  }
  // Narrow results by name, and a duplicate name there too.
  const Row narrow =
      conn_->execute(text("SELECT id AS x, name AS x FROM execute_reuse_items")).one();
  EXPECT_EQ(narrow.get<int64_t>("x"), 7);
}

TEST_P(ExecuteReuse, ExecutemanyWithNullsAndTypeChangesThenSmallAndLargeRunsOnOneConnection) {
  // A NULL first (the column's type is settled later), then an int where a float came
  // before (a new batch), then a float again.
  insert({{{"id", 1}, {"name", Value()}, {"score", Value()}},
          {{"id", 2}, {"name", "two"}, {"score", 2.5}},
          {{"id", 3}, {"name", "three"}, {"score", 3}},
          {{"id", 4}, {"name", Value()}, {"score", 4.5}}});
  // One row, then a run larger than what the connection keeps between runs, then one row.
  insert({{{"id", 5}, {"name", "five"}, {"score", 5.5}}});
  std::vector<Params> many;
  for (int i = 100; i < 1300; ++i) {
    many.push_back({{"id", i}, {"name", "n" + std::to_string(i)}, {"score", i * 0.5}});
  }
  insert(many);
  insert({{{"id", 6}, {"name", "six"}, {"score", Value()}}});
  conn_->commit();

  const TextClause one = text("SELECT name, score FROM execute_reuse_items WHERE id = :id");
  EXPECT_TRUE(conn_->execute(one, {{"id", 1}}).one().is_null(0));
  EXPECT_EQ(conn_->execute(one, {{"id", 2}}).one().get<std::string>(0), "two");
  EXPECT_DOUBLE_EQ(conn_->execute(one, {{"id", 3}}).one().get<double>(1), 3.0);
  EXPECT_TRUE(conn_->execute(one, {{"id", 4}}).one().is_null(0));
  EXPECT_DOUBLE_EQ(conn_->execute(one, {{"id", 4}}).one().get<double>(1), 4.5);
  EXPECT_EQ(conn_->execute(one, {{"id", 1299}}).one().get<std::string>(0), "n1299");
  const Row six = conn_->execute(one, {{"id", 6}}).one();
  EXPECT_EQ(six.get<std::string>(0), "six");
  EXPECT_TRUE(six.is_null(1));
  EXPECT_EQ(conn_->execute(text("SELECT count(*) FROM execute_reuse_items")).scalar_one<int64_t>(),
            6 + 1200);
}

TEST_P(ExecuteReuse, AStatementThatFailedRunsAgainAfterRollback) {
  insert({{{"id", 1}, {"name", "one"}, {"score", 1.0}}});
  conn_->commit();
  const TextClause ins =
      text("INSERT INTO execute_reuse_items (id, name, score) VALUES (:id, :name, :score)");
  EXPECT_THROW(conn_->execute(ins, {{"id", 1}, {"name", "again"}, {"score", 2.0}}), IntegrityError);
  conn_->rollback();
  // The same SQL (and its cached statement) again, for one row and for several.
  conn_->execute(ins, {{"id", 2}, {"name", "two"}, {"score", 2.0}});
  conn_->commit();
  EXPECT_THROW(
      conn_->execute(ins, std::vector<Params>{{{"id", 3}, {"name", "three"}, {"score", 3.0}},
                                              {{"id", 1}, {"name", "dup"}, {"score", 0.0}}}),
      IntegrityError);
  conn_->rollback();
  conn_->execute(ins, std::vector<Params>{{{"id", 3}, {"name", "three"}, {"score", 3.0}},
                                          {{"id", 4}, {"name", "four"}, {"score", 4.0}}});
  conn_->commit();
  const TextClause one = text("SELECT name FROM execute_reuse_items WHERE id = :id");
  EXPECT_EQ(conn_->execute(one, {{"id", 2}}).one().get<std::string>(0), "two");
  EXPECT_EQ(conn_->execute(one, {{"id", 4}}).one().get<std::string>(0), "four");
  EXPECT_EQ(conn_->execute(text("SELECT count(*) FROM execute_reuse_items")).scalar_one<int64_t>(),
            4);
}

INSTANTIATE_TEST_SUITE_P(Backends, ExecuteReuse,
                         ::testing::Values("sqlite", "postgresql", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
