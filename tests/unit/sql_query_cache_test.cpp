// The engine's compiled-statement cache: keyed on structure, never on values; a hit gives
// the statement's own values; bounded LRU; thread-safe; used by execute().
#include <retort/engine.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace retort;

struct Schema {
  MetaData metadata;
  Table users{"qc_users",
              metadata,
              {Column("id", Integer(), {.primary_key = true}), Column("name", String(50)),
               Column("status", String(10), {.default_ = Value("new")})}};
};

TEST(QueryCache, StatementsDifferingOnlyInValuesShareOneEntryAndKeepTheirValues) {
  Schema s;
  Engine engine = create_engine("sqlite://");
  const Compiled a = engine.compile(select(s.users.c["id"]).where(s.users.c["name"] == "a"));
  const Compiled b = engine.compile(select(s.users.c["id"]).where(s.users.c["name"] == "b"));
  EXPECT_EQ(a.sql, "SELECT qc_users.id FROM qc_users WHERE qc_users.name = ?");
  EXPECT_EQ(b.sql, a.sql);
  ASSERT_EQ(b.parameters.size(), 1u);
  EXPECT_EQ(a.parameters[0].value, Value("a"));
  EXPECT_EQ(b.parameters[0].value, Value("b"));
  const QueryCacheStats stats = engine.query_cache_stats();
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.size, 1u);
  EXPECT_EQ(stats.capacity, 500u);
}

TEST(QueryCache, ADifferentOperatorColumnOrClauseIsADifferentEntry) {
  Schema s;
  Engine engine = create_engine("sqlite://");
  const auto base = select(s.users.c["id"]);
  EXPECT_EQ(engine.compile(base.where(s.users.c["name"] == "a")).sql,
            "SELECT qc_users.id FROM qc_users WHERE qc_users.name = ?");
  EXPECT_EQ(engine.compile(base.where(s.users.c["name"] != "a")).sql,
            "SELECT qc_users.id FROM qc_users WHERE qc_users.name != ?");
  EXPECT_EQ(engine.compile(base.where(s.users.c["status"] == "a")).sql,
            "SELECT qc_users.id FROM qc_users WHERE qc_users.status = ?");
  EXPECT_EQ(engine.compile(base.where(s.users.c["status"] == "a").limit(3)).sql,
            "SELECT qc_users.id FROM qc_users WHERE qc_users.status = ? LIMIT ?");
  EXPECT_EQ(engine.query_cache_stats().misses, 4u);
  EXPECT_EQ(engine.query_cache_stats().hits, 0u);
}

TEST(QueryCache, ExpandingListsOfAnyLengthShareOneEntry) {
  Schema s;
  Engine engine = create_engine("sqlite://");
  const Compiled two = engine.compile(select(s.users.c["id"]).where(s.users.c["id"].in_({1, 2})));
  const Compiled three =
      engine.compile(select(s.users.c["id"]).where(s.users.c["id"].in_({7, 8, 9})));
  EXPECT_EQ(engine.query_cache_stats().hits, 1u);
  EXPECT_EQ(three.expand().sql, "SELECT qc_users.id FROM qc_users WHERE qc_users.id IN (?, ?, ?)");
  ASSERT_EQ(three.expand().parameters.size(), 3u);
  EXPECT_EQ(three.expand().parameters[2].value, Value(9));
  EXPECT_EQ(two.expand().parameters.size(), 2u);
}

TEST(QueryCache, TwoAliasesOfTheSameNameAreNotConfusedWithOneUsedTwice) {
  Schema s;
  Engine engine = create_engine("sqlite://");
  const FromClause u1 = s.users.alias("u");
  const FromClause u2 = s.users.alias("u");
  EXPECT_EQ(engine.compile(select(u1.c["id"], u2.c["id"])).sql,
            "SELECT u.id, u.id AS id_1 FROM qc_users AS u, qc_users AS u");
  EXPECT_EQ(engine.compile(select(u1.c["id"], u1.c["id"])).sql,
            "SELECT u.id, u.id AS id_1 FROM qc_users AS u");
  EXPECT_EQ(engine.query_cache_stats().hits, 0u);
}

TEST(QueryCache, SameNamedTablesOfDifferentMetaDataDoNotShareAnEntry) {
  MetaData m1, m2;
  Table t1("t", m1, {Column("a", Integer())});
  Table t2("t", m2, {Column("b", Integer())});
  Engine engine = create_engine("sqlite://");
  EXPECT_EQ(engine.compile(select(t1)).sql, "SELECT t.a FROM t");
  EXPECT_EQ(engine.compile(select(t2)).sql, "SELECT t.b FROM t");
}

TEST(QueryCache, LeastRecentlyUsedStatementIsEvictedAtCapacity) {
  Schema s;
  Engine engine = create_engine("sqlite://", {.query_cache_size = 2});
  const auto by_id = select(s.users.c["name"]).where(s.users.c["id"] == 1);
  const auto by_name = select(s.users.c["id"]).where(s.users.c["name"] == "x");
  const auto by_status = select(s.users.c["id"]).where(s.users.c["status"] == "x");
  engine.compile(by_id);
  engine.compile(by_name);
  engine.compile(by_id);      // hit: by_name is now the least recently used
  engine.compile(by_status);  // evicts by_name
  EXPECT_EQ(engine.query_cache_stats().size, 2u);
  engine.compile(by_id);  // still cached
  EXPECT_EQ(engine.query_cache_stats().hits, 2u);
  engine.compile(by_name);  // compiled again
  EXPECT_EQ(engine.query_cache_stats().misses, 4u);
}

TEST(QueryCache, SizeZeroTurnsTheCacheOff) {
  Schema s;
  Engine engine = create_engine("sqlite://", {.query_cache_size = 0});
  const auto stmt = select(s.users.c["id"]).where(s.users.c["id"] == 1);
  EXPECT_EQ(engine.compile(stmt).sql, engine.compile(stmt).sql);
  const QueryCacheStats stats = engine.query_cache_stats();
  EXPECT_EQ(stats.hits, 0u);
  EXPECT_EQ(stats.size, 0u);
}

TEST(QueryCache, ConcurrentCompilesEachGetTheirOwnValues) {
  Schema s;
  Engine engine = create_engine("sqlite://", {.query_cache_size = 4});
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string name = std::to_string(t) + ":" + std::to_string(i);
        const auto stmt = (i % 2 ? select(s.users.c["id"]) : select(s.users.c["status"]))
                              .where(s.users.c["name"] == name)
                              .limit(i);
        const Compiled c = engine.compile(stmt);
        if (c.parameters.size() != 2 || c.parameters[0].value != Value(name) ||
            c.parameters[1].value != Value(i)) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
  EXPECT_EQ(engine.query_cache_stats().size, 2u);
}

TEST(QueryCache, ExecutionThroughTheCacheBindsEachStatementsValues) {
  Schema s;
  // A file: create_all uses a connection of its own, and each in-memory connection is a
  // database of its own.
  const std::string path =
      ::testing::TempDir() + "retort_query_cache_" + std::to_string(getpid()) + ".db";
  std::remove(path.c_str());
  Engine engine = create_engine("sqlite:///" + path);
  s.metadata.create_all(engine);
  Connection conn = engine.connect();
  conn.execute(insert(s.users).values({{"id", 1}, {"name", "ann"}}));
  conn.execute(insert(s.users).values({{"id", 2}, {"name", "bob"}, {"status", "old"}}));
  // The second INSERT sets another column set: its own entry.
  conn.execute(insert(s.users).values({{"id", 3}, {"name", "cy"}}));
  std::vector<std::string> got;
  for (const char* name : {"bob", "cy", "ann"}) {
    for (const auto& row : conn.execute(
             select(s.users.c["id"], s.users.c["status"]).where(s.users.c["name"] == name))) {
      got.push_back(std::to_string(row.get<int>(0)) + row.get<std::string>(1));
    }
  }
  EXPECT_EQ(got, (std::vector<std::string>{"2old", "3new", "1new"}));
  // Two INSERT shapes, one SELECT shape, plus create_all's statements.
  EXPECT_GE(engine.query_cache_stats().hits, 3u);
  conn.close();
  std::remove(path.c_str());
}

}  // namespace

namespace {

using namespace retort;

// The cache must give each statement its own values wherever the compiler puts them: moved
// in front by a WITH clause, in multi-row VALUES, in an upsert's SET list.
TEST(QueryCache, CteValuesFollowTheirStatementThroughTheWithClause) {
  Schema s;
  Engine engine = create_engine("sqlite://");
  auto stmt = [&](const std::string& name, int limit) {
    auto named = select(s.users.c["id"]).where(s.users.c["name"] == name).cte("named");
    return select(s.users.c["status"])
        .where(s.users.c["id"].in_(select(named.c["id"])))
        .limit(limit);
  };
  const Compiled a = engine.compile(stmt("ann", 1));
  const Compiled b = engine.compile(stmt("bob", 2));
  EXPECT_EQ(engine.query_cache_stats().hits, 1u);
  EXPECT_EQ(a.sql, b.sql);
  EXPECT_EQ(
      b.sql.rfind("WITH named AS (SELECT qc_users.id AS id FROM qc_users WHERE qc_users.name = ?)",
                  0),
      0u)
      << b.sql;
  ASSERT_EQ(b.parameters.size(), 2u);
  EXPECT_EQ(b.parameters[0].value, Value("bob"));
  EXPECT_EQ(b.parameters[1].value, Value(2));
}

TEST(QueryCache, MultiRowValuesAndUpsertSetValuesFollowTheirStatement) {
  Schema s;
  Engine engine = create_engine("sqlite://");
  auto rows = [](const char* a, const char* b) {
    return std::vector<Params>{{{"id", 1}, {"name", a}}, {{"id", 2}, {"name", b}}};
  };
  engine.compile(insert(s.users).values(rows("a", "b")));
  const Compiled two = engine.compile(insert(s.users).values(rows("c", "d")));
  EXPECT_EQ(engine.query_cache_stats().hits, 1u);
  std::vector<Value> names;
  for (const auto& p : two.parameters)
    if (p.name.starts_with("name_")) names.push_back(*p.value);
  EXPECT_EQ(names, (std::vector<Value>{Value("c"), Value("d")}));
  // A different number of rows is another statement.
  engine.compile(insert(s.users).values(std::vector<Params>{{{"id", 1}, {"name", "x"}}}));
  EXPECT_EQ(engine.query_cache_stats().misses, 2u);

  auto upsert = [&](const char* status) {
    return insert(s.users)
        .values({{"id", 1}, {"name", "n"}})
        .on_conflict_do_update({.index_elements = {"id"}, .set = {{"status", literal(status)}}});
  };
  engine.compile(upsert("old"));
  const Compiled fresh = engine.compile(upsert("fresh"));
  EXPECT_EQ(engine.query_cache_stats().hits, 2u);
  EXPECT_EQ(fresh.parameters.back().value, Value("fresh"));
}

TEST(QueryCache, WindowFramesAreLiteralsAndSoPartOfTheKey) {
  Schema s;
  Engine engine = create_engine("sqlite://");
  auto running = [&](std::int64_t preceding) {
    return select(func::sum(s.users.c["id"])
                      .over({.order_by = {s.users.c["id"]}, .rows = Frame{-preceding, 0}}));
  };
  const Compiled one = engine.compile(running(1));
  const Compiled two = engine.compile(running(2));
  EXPECT_NE(one.sql, two.sql);
  EXPECT_EQ(engine.query_cache_stats().hits, 0u);
}

TEST(QueryCache, NewStatementPartsAreKeyed) {
  Schema s;
  Engine engine = create_engine("sqlite://");
  auto sql = [&](const Executable& e) { return engine.compile(e).sql; };
  // add_cte and the nesting flag.
  auto low = select(s.users.c["id"]).where(s.users.c["id"] < 5).cte("low");
  auto nested = select(s.users.c["id"]).where(s.users.c["id"] < 5).cte("low", false, true);
  const auto base = select(s.users.c["name"]);
  EXPECT_NE(sql(base), sql(base.add_cte(low)));
  const auto in_sub = [&](const CTE& c) {
    return base.where(s.users.c["id"].in_(select(c.c["id"])));
  };
  EXPECT_NE(sql(in_sub(low)), sql(in_sub(nested)));
  // Expressions of a multi-row VALUES, and the exclude option of a window frame.
  auto rows = [&](const ColumnElement& name) {
    return insert(s.users).values_rows({{{"id", 1}, {"name", name}}, {{"id", 2}, {"name", "b"}}});
  };
  EXPECT_NE(sql(rows(func::lower(literal("A")))), sql(rows(func::upper(literal("A")))));
  auto framed = [&](std::optional<FrameExclude> e) {
    return select(func::sum(s.users.c["id"])
                      .over({.order_by = {s.users.c["id"]}, .rows = Frame{-1, 0}, .exclude = e}));
  };
  EXPECT_NE(sql(framed(std::nullopt)), sql(framed(FrameExclude::ties)));
  EXPECT_NE(sql(framed(FrameExclude::group)), sql(framed(FrameExclude::ties)));
  // Tuple IN: the number of rows shapes the SQL; values do not.
  auto t = tuple_({s.users.c["id"], s.users.c["name"]});
  EXPECT_NE(sql(base.where(t.in_({{1, "a"}}))), sql(base.where(t.in_({{1, "a"}, {2, "b"}}))));
  const Compiled b = engine.compile(base.where(t.in_({{3, "c"}})));
  EXPECT_EQ(b.parameters[1].value, Value("c"));
  // Regexp negation and extract fields.
  EXPECT_NE(sql(base.where(s.users.c["name"].regexp_match("a"))),
            sql(base.where(s.users.c["name"].not_regexp_match("a"))));
  EXPECT_NE(sql(select(extract("year", s.users.c["id"]))),
            sql(select(extract("month", s.users.c["id"]))));
}

}  // namespace
