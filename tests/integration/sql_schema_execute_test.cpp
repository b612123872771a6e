// Executes the schema side of the expression language on SQLite, and on PostgreSQL when
// RETORT_TEST_POSTGRESQL_URL is set: create_all / drop_all with a composite foreign key whose
// ON DELETE CASCADE cascades, CHECK constraints and a unique index rejecting rows, an
// expression index as the database records it, tables in a foreign-key cycle created and
// dropped, a column sequence, Enum values checked by the database, comments, and the names
// naming conventions give.
#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>
#include <retort/text.hpp>

#include <gtest/gtest.h>

#include "support/backend_url.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace {

using namespace retort;

std::string url_for(const std::string& backend) {
  return retort::testing::backend_url(backend, "sql-schema");
}

class SqlSchemaExecute : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string url = url_for(GetParam());
    if (url.empty()) GTEST_SKIP() << retort::testing::backend_env(GetParam()) << " is not set";
    engine_.emplace(create_engine(url));
  }
  // Creates `md`'s schema afresh; dropped again in TearDown.
  void create(const MetaData& md) {
    md.drop_all(*engine_);
    md.create_all(*engine_);
    created_.push_back(md);
  }
  void TearDown() override {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) it->drop_all(*engine_);
  }
  bool sqlite() const { return GetParam() == "sqlite"; }

  std::int64_t count(Connection& conn, const Table& t) {
    return conn.execute(select(func::count()).select_from(t)).scalar_one<std::int64_t>();
  }
  // Runs `f` on a fresh connection, expecting exception E; the transaction is rolled back.
  template <typename E, typename F>
  void expect_rejected(F&& f) {
    auto conn = engine_->connect();
    EXPECT_THROW(f(conn), E);
    conn.rollback();
  }

  std::optional<Engine> engine_;
  std::vector<MetaData> created_;
};

TEST_P(SqlSchemaExecute, CompositeForeignKeyOnDeleteCascades) {
  MetaData md;
  // Child first: create_all still creates the parent first.
  Table lines(
      "sse_lines", md,
      {Column("id", Integer(), {.primary_key = true}), Column("ord_region", Integer()),
       Column("ord_num", Integer()),
       ForeignKeyConstraint({"ord_region", "ord_num"}, {"sse_orders.region", "sse_orders.num"},
                            {.name = "fk_sse_lines_order", .ondelete = "CASCADE"})});
  Table orders("sse_orders", md,
               {Column("region", Integer()), Column("num", Integer()), Column("note", String(20)),
                PrimaryKeyConstraint{{"region", "num"}}});
  create(md);
  auto conn = engine_->connect();
  conn.execute(insert(orders), std::vector<Params>{{{"region", 1}, {"num", 1}, {"note", "a"}},
                                                   {{"region", 1}, {"num", 2}, {"note", "b"}}});
  conn.execute(insert(lines), std::vector<Params>{{{"id", 1}, {"ord_region", 1}, {"ord_num", 1}},
                                                  {{"id", 2}, {"ord_region", 1}, {"ord_num", 1}},
                                                  {{"id", 3}, {"ord_region", 1}, {"ord_num", 2}}});
  conn.commit();
  EXPECT_EQ(count(conn, lines), 3);
  conn.execute(delete_(orders).where(and_(orders.c["region"] == 1, orders.c["num"] == 1)));
  conn.commit();
  EXPECT_EQ(count(conn, lines), 1);
  conn.commit();
  // A line for an order that does not exist breaks the foreign key.
  expect_rejected<IntegrityError>([&](Connection& c) {
    c.execute(insert(lines).values({{"id", 9}, {"ord_region", 7}, {"ord_num", 7}}));
  });
}

TEST_P(SqlSchemaExecute, CheckConstraintsRejectABadRow) {
  MetaData md;
  Table products("sse_products", md,
                 {Column("id", Integer(), {.primary_key = true}),
                  Column("price", Integer(), {.check = CheckConstraint("price > 0")}),
                  Column("qty", Integer()), CheckConstraint("qty < 100", "sse_qty_small")});
  create(md);
  auto conn = engine_->connect();
  conn.execute(insert(products).values({{"id", 1}, {"price", 5}, {"qty", 1}}));
  conn.commit();
  expect_rejected<IntegrityError>([&](Connection& c) {
    c.execute(insert(products).values({{"id", 2}, {"price", 0}, {"qty", 1}}));
  });
  expect_rejected<IntegrityError>([&](Connection& c) {
    c.execute(insert(products).values({{"id", 3}, {"price", 1}, {"qty", 100}}));
  });
  EXPECT_EQ(count(conn, products), 1);
}

TEST_P(SqlSchemaExecute, UniqueIndexRejectsADuplicateAndExpressionIndexExists) {
  if ((GetParam() == "mariadb" || GetParam() == "mysql")) GTEST_SKIP() << "MariaDB has no expression indexes";
  MetaData md;
  Table people("sse_people", md,
               {Column("id", Integer(), {.primary_key = true}), Column("email", String(50)),
                Column("name", String(50)), Index("sse_uq_email", {"email"}, {.unique = true})});
  Index lower_name("sse_ix_lower_name", {func::lower(people.c["name"])});
  create(md);
  auto conn = engine_->connect();
  conn.execute(insert(people).values({{"id", 1}, {"email", "ed@x"}, {"name", "Ed"}}));
  conn.commit();
  expect_rejected<IntegrityError>([&](Connection& c) {
    c.execute(insert(people).values({{"id", 2}, {"email", "ed@x"}, {"name", "Other"}}));
  });
  // The database's own record of the expression index.
  const std::string sql =
      sqlite() ? "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
               : "SELECT indexdef FROM pg_indexes WHERE indexname = :name";
  const auto def =
      conn.execute(text(sql), Params{{"name", "sse_ix_lower_name"}}).scalar_one<std::string>();
  if (sqlite()) {
    EXPECT_EQ(def, "CREATE INDEX sse_ix_lower_name ON sse_people (lower(name))");
  } else {
    EXPECT_NE(def.find("lower((name)::text)"), std::string::npos) << def;
  }
  conn.commit();
}

TEST_P(SqlSchemaExecute, ForeignKeyCycleIsCreatedAndDropped) {
  MetaData md;
  Table a("sse_cy_a", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("b_id", Integer(),
                  {.foreign_key = ForeignKey("sse_cy_b.id", {.name = "fk_sse_a_b"})})});
  Table b("sse_cy_b", md,
          {Column("id", Integer(), {.primary_key = true}),
           Column("a_id", Integer(),
                  {.foreign_key = ForeignKey("sse_cy_a.id", {.name = "fk_sse_b_a"})})});
  md.drop_all(*engine_);
  md.create_all(*engine_);
  md.create_all(*engine_);  // checkfirst: everything exists already
  auto conn = engine_->connect();
  conn.execute(insert(a).values({{"id", 1}}));
  conn.execute(insert(b).values({{"id", 1}, {"a_id", 1}}));
  conn.execute(update(a).values({{"b_id", 1}}).where(a.c["id"] == 1));
  conn.commit();
  // Both directions are enforced.
  expect_rejected<IntegrityError>([&](Connection& c) {
    c.execute(insert(a).values({{"id", 2}, {"b_id", 42}}));
  });
  expect_rejected<IntegrityError>([&](Connection& c) {
    c.execute(insert(b).values({{"id", 2}, {"a_id", 42}}));
  });
  // Empty the tables (SQLite's DROP TABLE deletes the rows first, checking foreign keys).
  conn.execute(update(a).values({{"b_id", nullptr}}));
  conn.execute(delete_(b));
  conn.execute(delete_(a));
  conn.commit();
  md.drop_all(*engine_);
  const bool mysql_family = GetParam() == "mariadb" || GetParam() == "mysql";
  const std::string sql =
      sqlite() ? "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sse_cy_%'"
      : mysql_family
          ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
            "table_name LIKE 'sse_cy_%'"
          : "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'sse_cy_%'";
  EXPECT_EQ(conn.execute(text(sql)).scalar_one<std::int64_t>(), 0);
  conn.commit();
}

TEST_P(SqlSchemaExecute, ColumnSequenceNumbersRows) {
  MetaData md;
  Table tickets("sse_tickets", md,
                {Column("id", Integer(),
                        {.primary_key = true,
                         .sequence = Sequence("sse_ticket_seq", {.start = 100, .increment = 5})}),
                 Column("title", String(20))});
  create(md);
  auto conn = engine_->connect();
  conn.execute(insert(tickets), std::vector<Params>{{{"title", "a"}}, {{"title", "b"}}});
  std::vector<std::int64_t> ids;
  for (const auto& row : conn.execute(select(tickets.c["id"]).order_by(tickets.c["id"])))
    ids.push_back(row.get<std::int64_t>(0));
  // PostgreSQL and MariaDB: the sequence; SQLite and MySQL ignore it and number the rows.
  const std::vector<std::int64_t> expected = sqlite() || GetParam() == "mysql"
                                                 ? std::vector<std::int64_t>{1, 2}
                                                 : std::vector<std::int64_t>{100, 105};
  EXPECT_EQ(ids, expected);
  conn.commit();
}

TEST_P(SqlSchemaExecute, EnumValuesAreCheckedByTheDatabase) {
  RETORT_SKIP_THROUGH_ODBC(GetParam() == "mariadb" || GetParam() == "mysql",
                           retort::testing::odbc_limits::kMariadbTruncationWarning);
  MetaData md;
  const Type mood = Enum({"happy", "sad"}, "sse_mood");
  Table a("sse_enum_a", md, {Column("id", Integer(), {.primary_key = true}), Column("m", mood)});
  Table b("sse_enum_b", md, {Column("id", Integer(), {.primary_key = true}), Column("m", mood)});
  create(md);
  auto conn = engine_->connect();
  conn.execute(insert(a).values({{"id", 1}, {"m", "happy"}}));
  conn.execute(insert(b).values({{"id", 1}, {"m", "sad"}}));
  conn.commit();
  // Retort refuses the value before sending it…
  EXPECT_THROW(conn.execute(insert(a).values({{"id", 2}, {"m", "angry"}})), ArgumentError);
  conn.rollback();
  // …and the database refuses it too: SQLite's CHECK constraint, PostgreSQL's ENUM type.
  expect_rejected<DBAPIError>([&](Connection& c) {
    c.execute(text("INSERT INTO sse_enum_a (id, m) VALUES (:id, :m)"), {{"id", 2}, {"m", "angry"}});
  });
  EXPECT_EQ(conn.execute(select(a.c["m"])).scalar_one<std::string>(), "happy");
  conn.commit();
}

TEST_P(SqlSchemaExecute, CommentsAreStoredWhereSupported) {
  MetaData md;
  Table notes("sse_notes", md,
              {Column("id", Integer(), {.primary_key = true}),
               Column("body", Text(), {.comment = "the note's text"})},
              {.comment = "user notes"});
  create(md);  // SQLite ignores the comments
  auto conn = engine_->connect();
  if ((GetParam() == "mariadb" || GetParam() == "mysql")) {
    EXPECT_EQ(conn.execute(text("SELECT table_comment FROM information_schema.tables WHERE "
                                "table_schema = DATABASE() AND table_name = 'sse_notes'"))
                  .scalar_one<std::string>(),
              "user notes");
    EXPECT_EQ(conn.execute(text("SELECT column_comment FROM information_schema.columns WHERE "
                                "table_schema = DATABASE() AND table_name = 'sse_notes' AND "
                                "column_name = 'body'"))
                  .scalar_one<std::string>(),
              "the note's text");
  } else if (!sqlite()) {
    EXPECT_EQ(conn.execute(text("SELECT obj_description('sse_notes'::regclass, 'pg_class')"))
                  .scalar_one<std::string>(),
              "user notes");
    EXPECT_EQ(conn.execute(text("SELECT col_description('sse_notes'::regclass, 2)"))
                  .scalar_one<std::string>(),
              "the note's text");
  }
  conn.execute(insert(notes).values({{"id", 1}, {"body", "x"}}));
  EXPECT_EQ(count(conn, notes), 1);
  conn.commit();
}

TEST_P(SqlSchemaExecute, NamingConventionNamesWhatTheDatabaseRecords) {
  MetaData md({.naming_convention = {{"uq", "uq_%(table_name)s_%(column_0_name)s"},
                                     {"ck", "ck_%(table_name)s_%(constraint_name)s"}}});
  Table codes("sse_codes", md,
              {Column("id", Integer(), {.primary_key = true}),
               Column("code", String(10),
                      {.unique = true, .check = CheckConstraint("length(code) > 1", "len")}),
               Column("kind", String(5), {.index = true})});
  create(md);
  auto conn = engine_->connect();
  if (sqlite()) {
    const auto ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'sse_codes'"))
                         .scalar_one<std::string>();
    EXPECT_NE(ddl.find("CONSTRAINT ck_sse_codes_len CHECK"), std::string::npos) << ddl;
    EXPECT_NE(ddl.find("CONSTRAINT uq_sse_codes_code UNIQUE"), std::string::npos) << ddl;
  } else if (GetParam() == "mariadb" || GetParam() == "mysql") {
    // MariaDB refuses a named CHECK inline: the core writes it among the table's constraints.
    EXPECT_EQ(conn.execute(text("SELECT count(*) FROM information_schema.TABLE_CONSTRAINTS "
                                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sse_codes' "
                                "AND CONSTRAINT_NAME IN ('ck_sse_codes_len', 'uq_sse_codes_code')"))
                  .scalar_one<std::int64_t>(),
              2);
  } else {
    EXPECT_EQ(conn.execute(text("SELECT count(*) FROM pg_constraint WHERE conname IN "
                                "('ck_sse_codes_len', 'uq_sse_codes_code')"))
                  .scalar_one<std::int64_t>(),
              2);
  }
  const std::string index =
      sqlite() ? "SELECT count(*) FROM sqlite_master WHERE name = :name"
      : (GetParam() == "mariadb" || GetParam() == "mysql")
          ? "SELECT count(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE "
            "TABLE_SCHEMA = DATABASE() AND INDEX_NAME = :name"
          : "SELECT count(*) FROM pg_indexes WHERE indexname = :name";
  EXPECT_EQ(
      conn.execute(text(index), Params{{"name", "ix_sse_codes_kind"}}).scalar_one<std::int64_t>(),
      1);
  conn.commit();
  expect_rejected<IntegrityError>([&](Connection& c) {
    c.execute(insert(codes).values({{"id", 1}, {"code", "x"}}));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlSchemaExecute, ::testing::Values("sqlite", "postgresql", "mariadb", "mysql"),
                         [](const auto& info) { return info.param; });
// The same backends through the odbc driver (support/backend_url.hpp).
INSTANTIATE_TEST_SUITE_P(Odbc, SqlSchemaExecute, ::testing::Values("sqlite", "postgresql", "mariadb", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
