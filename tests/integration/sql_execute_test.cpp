// Executes the expression language (issue 3, first slice) on SQLite, and on PostgreSQL when
// RETORT_TEST_POSTGRESQL_URL is set: create_all / drop_all, insert (single and executemany),
// select with where/order/limit, update, delete, a join across a foreign key, and expanding
// IN with 0, 1 and 50 values.
#include <retort/engine.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include "support/backend_url.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace {

using namespace retort;

std::string url_for(const std::string& backend) {
  return retort::testing::backend_url(backend, "sql");
}

class SqlExecute : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string url = url_for(GetParam());
    if (url.empty()) GTEST_SKIP() << retort::testing::backend_env(GetParam()) << " is not set";
    engine_.emplace(create_engine(url));
    metadata_.drop_all(*engine_);
    metadata_.create_all(*engine_);
  }
  void TearDown() override {
    if (engine_) metadata_.drop_all(*engine_);
  }

  std::vector<std::string> names(Connection& conn, const Select& stmt) {
    std::vector<std::string> out;
    for (const auto& row : conn.execute(stmt)) out.push_back(row.get<std::string>(0));
    return out;
  }

  MetaData metadata_;
  // Declared child first: create_all must still create the parent first.
  Table addresses_{"sqlx_addresses",
                   metadata_,
                   {Column("id", Integer(), {.primary_key = true}),
                    Column("user_id", Integer(),
                           {.nullable = false, .foreign_key = ForeignKey("sqlx_users.id")}),
                    Column("email", String(100), {.nullable = false})}};
  Table users_{"sqlx_users",
               metadata_,
               {Column("id", Integer(), {.primary_key = true}),
                Column("name", String(50), {.nullable = false, .index = true}),
                Column("score", Integer(), {.default_ = Value(0)})}};
  std::optional<Engine> engine_;
};

TEST_P(SqlExecute, InsertSelectUpdateDelete) {
  auto conn = engine_->connect();
  auto u = users_;
  // Single insert with values(); the client-side default fills score.
  conn.execute(insert(u).values({{"id", 1}, {"name", "ed"}}));
  // executemany: the columns come from the parameter sets' keys.
  auto r =
      conn.execute(insert(u), std::vector<Params>{{{"id", 2}, {"name", "wendy"}, {"score", 5}},
                                                  {{"id", 3}, {"name", "mary"}, {"score", 9}},
                                                  {{"id", 4}, {"name", "fred"}, {"score", 7}}});
  EXPECT_EQ(r.rowcount(), 3);

  EXPECT_EQ(conn.execute(select(u.c["score"]).where(u.c["id"] == 1)).scalar_one<std::int64_t>(), 0);
  EXPECT_EQ(names(conn, select(u.c["name"]).where(u.c["score"] > 0).order_by(u.c["score"].desc())),
            (std::vector<std::string>{"mary", "fred", "wendy"}));
  EXPECT_EQ(names(conn, select(u.c["name"]).order_by(u.c["id"]).limit(2).offset(1)),
            (std::vector<std::string>{"wendy", "mary"}));
  EXPECT_EQ(names(conn, select(u.c["name"]).order_by(u.c["id"]).offset(3)),
            (std::vector<std::string>{"fred"}));
  EXPECT_EQ(conn.execute(select(func::count(u.c["id"]))).scalar_one<std::int64_t>(), 4);

  // update with values(), and with bindparam() + executemany.
  EXPECT_EQ(conn.execute(update(u).where(u.c["name"] == "ed").values({{"score", 100}})).rowcount(),
            1);
  conn.execute(update(u).where(u.c["id"] == bindparam("uid")),
               std::vector<Params>{{{"uid", 2}, {"score", 20}}, {{"uid", 3}, {"score", 30}}});
  EXPECT_EQ(names(conn, select(u.c["name"]).where(u.c["score"] >= 20).order_by(u.c["score"])),
            (std::vector<std::string>{"wendy", "mary", "ed"}));

  EXPECT_EQ(conn.execute(delete_(u).where(u.c["score"] < 20)).rowcount(), 1);
  EXPECT_EQ(conn.execute(select(func::count()).select_from(u)).scalar_one<std::int64_t>(), 3);
  conn.commit();
}

TEST_P(SqlExecute, JoinAcrossForeignKey) {
  auto conn = engine_->connect();
  auto u = users_;
  auto a = addresses_;
  conn.execute(insert(u),
               std::vector<Params>{{{"id", 1}, {"name", "ed"}}, {{"id", 2}, {"name", "jack"}}});
  conn.execute(insert(a), std::vector<Params>{{{"id", 1}, {"user_id", 1}, {"email", "ed@a"}},
                                              {{"id", 2}, {"user_id", 2}, {"email", "jack@b"}},
                                              {{"id", 3}, {"user_id", 2}, {"email", "jack@c"}}});
  auto stmt =
      select(u.c["name"], a.c["email"]).join(a).where(u.c["name"] == "jack").order_by(a.c["email"]);
  std::vector<std::string> emails;
  for (const auto& row : conn.execute(stmt)) {
    EXPECT_EQ(row.get<std::string>("name"), "jack");
    emails.push_back(row.get<std::string>("email"));
  }
  EXPECT_EQ(emails, (std::vector<std::string>{"jack@b", "jack@c"}));
  // Aggregates per user over an outer join.
  auto counts = select(u.c["name"], func::count(a.c["id"]))
                    .outerjoin(a)
                    .group_by(u.c["name"])
                    .order_by(u.c["name"]);
  std::vector<std::int64_t> n;
  for (const auto& row : conn.execute(counts)) n.push_back(row.get<std::int64_t>("count_1"));
  EXPECT_EQ(n, (std::vector<std::int64_t>{1, 2}));
}

TEST_P(SqlExecute, ExpandingInWithZeroOneAndFiftyValues) {
  auto conn = engine_->connect();
  auto u = users_;
  std::vector<Params> rows;
  for (int i = 1; i <= 60; ++i) rows.push_back({{"id", i}, {"name", "n" + std::to_string(i)}});
  conn.execute(insert(u), rows);

  auto count_where = [&](const ColumnElement& cond) {
    return conn.execute(select(func::count(u.c["id"])).where(cond)).scalar_one<std::int64_t>();
  };
  EXPECT_EQ(count_where(u.c["id"].in_({})), 0);
  EXPECT_EQ(count_where(u.c["id"].not_in({})), 60);
  EXPECT_EQ(count_where(u.c["name"].in_({})), 0);
  EXPECT_EQ(count_where(u.c["id"].in_({7})), 1);
  std::vector<Value> fifty;
  for (int i = 5; i < 55; ++i) fifty.emplace_back(i);
  EXPECT_EQ(count_where(u.c["id"].in_(fifty)), 50);
  EXPECT_EQ(count_where(u.c["id"].not_in(fifty)), 10);
  EXPECT_EQ(count_where(and_(u.c["id"].in_(fifty), u.c["name"].in_({"n5", "n6", "zz"}))), 2);
}

TEST_P(SqlExecute, MissingBindParameterIsAnArgumentError) {
  auto conn = engine_->connect();
  EXPECT_THROW(conn.execute(select(users_.c["id"]).where(users_.c["id"] == bindparam("x"))),
               ArgumentError);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlExecute, ::testing::Values("sqlite", "postgresql", "mariadb", "mysql"),
                         [](const auto& info) { return info.param; });
// The same backends through the odbc driver (support/backend_url.hpp).
INSTANTIATE_TEST_SUITE_P(Odbc, SqlExecute, ::testing::Values("sqlite", "postgresql", "mariadb", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
