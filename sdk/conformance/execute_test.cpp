// sdk/conformance/execute_test.cpp — executing statements, parameters and executemany.
#include <retort/conformance/backend.hpp>

namespace retort::conformance {

TEST_P(ExecuteTest, SelectsALiteralThroughABoundParameter) {
  auto r = conn->execute(text("SELECT :x AS answer"), {{"x", 42}});
  EXPECT_EQ(r.keys(), std::vector<std::string>{"answer"});
  EXPECT_EQ(r.scalar_one<int64_t>(), 42);
}

TEST_P(ExecuteTest, InsertThenSelectRoundTripsRows) {
  create_table("rt_people", "id " + backend().type_int + " PRIMARY KEY, name " +
                                backend().type_varchar20 + " NOT NULL");
  auto ins = conn->execute(text("INSERT INTO rt_people (id, name) VALUES (:id, :name)"),
                           {{"id", 1}, {"name", "ada"}});
  EXPECT_EQ(ins.rowcount(), 1);
  EXPECT_FALSE(ins.returns_rows());
  conn->commit();
  auto row = conn->execute(text("SELECT id, name FROM rt_people WHERE id = :id"), {{"id", 1}}).one();
  EXPECT_EQ(row.get<int>("id"), 1);
  EXPECT_EQ(row.get<std::string>("name"), "ada");
}

TEST_P(ExecuteTest, ExecutemanyInsertsEveryParameterSetAndSumsRowcount) {
  create_table("rt_many", "id " + backend().type_int + " PRIMARY KEY, label " +
                              backend().type_text);
  std::vector<Params> rows;
  for (int i = 0; i < 2500; ++i) rows.push_back({{"id", i}, {"label", "row " + std::to_string(i)}});
  auto r = conn->execute(text("INSERT INTO rt_many (id, label) VALUES (:id, :label)"), rows);
  EXPECT_EQ(r.rowcount(), 2500);
  conn->commit();
  EXPECT_EQ(conn->execute(text("SELECT count(*) FROM rt_many")).scalar_one<int64_t>(), 2500);
  EXPECT_EQ(conn->execute(text("SELECT label FROM rt_many WHERE id = 1234")).scalar_one<std::string>(),
            "row 1234");
}

TEST_P(ExecuteTest, ExecutemanyAcceptsValuesChangingTypeBetweenRows) {
  create_table("rt_mixed", "id " + backend().type_int + " PRIMARY KEY, v " + backend().type_text);
  // The same parameter is NULL, text, NULL, text: one batch column cannot hold every row's
  // value type at once unless NULLs fit any type.
  auto r = conn->execute(text("INSERT INTO rt_mixed (id, v) VALUES (:id, :v)"),
                         {{{"id", 1}, {"v", nullptr}},
                          {{"id", 2}, {"v", "two"}},
                          {{"id", 3}, {"v", std::nullopt}},
                          {{"id", 4}, {"v", "four"}}});
  EXPECT_EQ(r.rowcount(), 4);
  auto values = conn->execute(text("SELECT v FROM rt_mixed ORDER BY id"))
                    .scalars<std::optional<std::string>>();
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0], std::nullopt);
  EXPECT_EQ(values[1], "two");
  EXPECT_EQ(values[2], std::nullopt);
  EXPECT_EQ(values[3], "four");
}

TEST_P(ExecuteTest, ParameterOrderInParamsDoesNotMatter) {
  create_table("rt_order", "a " + backend().type_int + ", b " + backend().type_text);
  conn->execute(text("INSERT INTO rt_order (a, b) VALUES (:a, :b)"),
                {{{"a", 1}, {"b", "x"}}, {{"b", "y"}, {"a", 2}}});
  auto rows = conn->execute(text("SELECT a, b FROM rt_order ORDER BY a")).all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].get<std::string>("b"), "y");
  EXPECT_EQ(rows[1].get<int>("a"), 2);
}

TEST_P(ExecuteTest, RepeatedParameterNameBindsTheSameValue) {
  auto r = conn->execute(text("SELECT :v + :v AS twice"), {{"v", 21}});
  EXPECT_EQ(r.scalar_one<int64_t>(), 42);
}

TEST_P(ExecuteTest, ExecDriverSqlTakesPositionalParameters) {
  const auto& d = engine->dialect_name();
  const std::string sql = d == "postgresql" ? "SELECT $1 + $2" : "SELECT ? + ?";
  const std::vector<Value> values{Value(40), Value(2)};
  EXPECT_EQ(conn->exec_driver_sql(sql, values).scalar_one<int64_t>(), 42);
}

TEST_P(ExecuteTest, FetchSpansManyBatchesAndKeepsOrder) {
  create_table("rt_big", "id " + backend().type_int + " PRIMARY KEY");
  std::vector<Params> rows;
  for (int i = 0; i < 10000; ++i) rows.push_back({{"id", i}});
  conn->execute(text("INSERT INTO rt_big (id) VALUES (:id)"), rows);
  int64_t expected = 0;
  for (const Row& row : conn->execute(text("SELECT id FROM rt_big ORDER BY id"))) {
    ASSERT_EQ(row.get<int64_t>(0), expected);
    ++expected;
  }
  EXPECT_EQ(expected, 10000);
}

TEST_P(ExecuteTest, RowsStayValidAfterTheResultAndConnectionAreGone) {
  std::vector<Row> rows;
  {
    Connection c = engine->connect();
    rows = c.execute(text("SELECT 'kept' AS word")).all();
  }
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].get<std::string_view>("word"), "kept");
}

TEST_P(ExecuteTest, PingAndServerVersionAnswer) {
  EXPECT_NO_THROW(conn->ping());
  EXPECT_FALSE(conn->server_version().empty());
}

}  // namespace retort::conformance
