// sdk/conformance/result_test.cpp — Result's fetch methods and Row access.
#include <retort/conformance/backend.hpp>

#include <gmock/gmock.h>

namespace retort::conformance {


namespace {

void fill(CoreTest&, Connection& conn) {
  conn.execute(text("INSERT INTO rt_res (id, name) VALUES (:id, :name)"),
               {{{"id", 1}, {"name", "a"}}, {{"id", 2}, {"name", "b"}}, {{"id", 3}, {"name", "c"}}});
}

}  // namespace

#define RT_RES_TABLE()                                                                         \
  create_table("rt_res", "id " + backend().type_int + " PRIMARY KEY, name " + backend().type_text); \
  fill(*this, *conn)

TEST_P(ResultTest, AllReturnsEveryRowInOrder) {
  RT_RES_TABLE();
  auto rows = conn->execute(text("SELECT id, name FROM rt_res ORDER BY id")).all();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].get<std::string>(1), "c");
  EXPECT_EQ(rows[0].keys(), (std::vector<std::string>{"id", "name"}));
}

TEST_P(ResultTest, FetchoneAndFetchmanyConsumeIncrementally) {
  RT_RES_TABLE();
  auto r = conn->execute(text("SELECT id FROM rt_res ORDER BY id"));
  EXPECT_EQ(r.fetchone()->get<int>(0), 1);
  auto two = r.fetchmany(5);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].get<int>(0), 3);
  EXPECT_FALSE(r.fetchone().has_value());
}

TEST_P(ResultTest, OneRaisesNoResultFoundAndMultipleResultsFound) {
  RT_RES_TABLE();
  EXPECT_THROW(conn->execute(text("SELECT id FROM rt_res WHERE id = 99")).one(), NoResultFound);
  EXPECT_THROW(conn->execute(text("SELECT id FROM rt_res")).one(), MultipleResultsFound);
  EXPECT_THROW(conn->execute(text("SELECT id FROM rt_res")).one_or_none(), MultipleResultsFound);
  EXPECT_FALSE(conn->execute(text("SELECT id FROM rt_res WHERE id = 99")).one_or_none());
}

TEST_P(ResultTest, FirstAndScalarTakeTheFirstRow) {
  RT_RES_TABLE();
  EXPECT_EQ(conn->execute(text("SELECT name FROM rt_res ORDER BY id")).first()->get<std::string>(0), "a");
  EXPECT_EQ(conn->execute(text("SELECT name FROM rt_res ORDER BY id DESC")).scalar<std::string>(), "c");
  EXPECT_EQ(conn->execute(text("SELECT name FROM rt_res WHERE id = 99")).scalar<std::string>(),
            std::nullopt);
}

TEST_P(ResultTest, ScalarsAndMappingsCollectColumns) {
  RT_RES_TABLE();
  EXPECT_EQ(conn->execute(text("SELECT id, name FROM rt_res ORDER BY id")).scalars<std::string>(1),
            (std::vector<std::string>{"a", "b", "c"}));
  auto maps = conn->execute(text("SELECT id, name FROM rt_res ORDER BY id")).mappings();
  ASSERT_EQ(maps.size(), 3u);
  EXPECT_EQ(maps[1]["name"], Value("b"));
  EXPECT_TRUE(maps[1].contains("id"));
  EXPECT_FALSE(maps[1].contains("nope"));
}

TEST_P(ResultTest, RowcountCountsUpdatedRows) {
  RT_RES_TABLE();
  EXPECT_EQ(conn->execute(text("UPDATE rt_res SET name = 'z' WHERE id >= :min"), {{"min", 2}}).rowcount(), 2);
  EXPECT_EQ(conn->execute(text("DELETE FROM rt_res")).rowcount(), 3);
}

TEST_P(ResultTest, LastrowidReportsTheGeneratedKey) {
  if (!backend().lastrowid) GTEST_SKIP() << "requires: lastrowid";
  create_table("rt_auto", "id " + backend().type_autoincrement_pk + ", name " + backend().type_text);
  auto r1 = conn->execute(text("INSERT INTO rt_auto (name) VALUES ('x')"));
  auto r2 = conn->execute(text("INSERT INTO rt_auto (name) VALUES ('y')"));
  ASSERT_TRUE(r2.lastrowid().has_value());
  EXPECT_EQ(*r2.lastrowid(), *r1.lastrowid() + 1);
  EXPECT_EQ(r2.inserted_primary_key(), r2.lastrowid());
}

TEST_P(ResultTest, IteratingARowByNameAndIndexAgrees) {
  RT_RES_TABLE();
  for (const Row& row : conn->execute(text("SELECT id, name FROM rt_res"))) {
    EXPECT_EQ(row.get<int>("id"), row.get<int>(0));
    EXPECT_EQ(row["name"], row[1]);
  }
}

TEST_P(ResultTest, UnknownColumnNameListsTheColumns) {
  auto row = conn->execute(text("SELECT 1 AS a, 2 AS b")).one();
  try {
    row.get<int>("c");
    FAIL() << "expected InvalidRequestError";
  } catch (const InvalidRequestError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("no column 'c'"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("a, b"));
  }
}

}  // namespace retort::conformance
