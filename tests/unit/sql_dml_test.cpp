// INSERT / UPDATE / DELETE beyond the basics, compiled for default, sqlite and postgresql:
// expression values, multi-row VALUES, INSERT … SELECT, RETURNING, multi-table UPDATE/DELETE,
// upserts, callable defaults and onupdate; and the constructs a MySQL-like dialect renders
// through its hook.
#include "sql/compiler.hpp"
#include "support/sql_expect.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <cstring>

namespace {

using namespace retort;
using retort::testing::expect_compile_error;
using retort::testing::expect_sql;

struct Schema {
  MetaData md;
  Table items{"items",
              md,
              {Column("id", Integer(), {.primary_key = true}), Column("name", String(50)),
               Column("n", Integer()), UniqueConstraint{{"name"}, "uq_items_name"}}};
  Table tags{"tags",
             md,
             {Column("id", Integer(), {.primary_key = true}),
              Column("item_id", Integer(), {.foreign_key = ForeignKey("items.id")}),
              Column("label", String(20))}};
  Table archive{
      "archive", md, {Column("id", Integer(), {.primary_key = true}), Column("name", String(50))}};
};

TEST(SqlDmlValues, UpdateSetsAnExpressionInParentheses) {
  Schema s;
  auto stmt = update(s.items).values({{"n", s.items.c["n"] + 1}}).where(s.items.c["id"] == 5);
  expect_sql(stmt, {{"default", "UPDATE items SET n=(items.n + :n_1) WHERE items.id = :id_1"},
                    {"sqlite", "UPDATE items SET n=(items.n + ?) WHERE items.id = ?"},
                    {"postgresql", "UPDATE items SET n=(items.n + $1) WHERE items.id = $2"}});
  const Compiled c = stmt.compile("sqlite");
  ASSERT_EQ(c.parameters.size(), 2u);
  EXPECT_EQ(c.parameters[0].value->as<std::int64_t>(), 1);
  EXPECT_EQ(c.parameters[1].value->as<std::int64_t>(), 5);
}

TEST(SqlDmlValues, ValuesAndExpressionsMixAndALaterValueReplacesAnEarlierOne) {
  Schema s;
  auto stmt = insert(s.items)
                  .values({{"id", 1}, {"name", "x"}})
                  .values({{"name", func::lower(literal("ED"))}, {"n", literal(3)}});
  expect_sql(
      stmt, {{"default", "INSERT INTO items (id, name, n) VALUES (:id, lower(:param_1), :param_2)"},
             {"sqlite", "INSERT INTO items (id, name, n) VALUES (?, lower(?), ?)"},
             {"postgresql", "INSERT INTO items (id, name, n) VALUES ($1, lower($2), $3)"}});
  EXPECT_THROW((void)update(s.items).values({{"nope", literal(1)}}), ArgumentError);
}

TEST(SqlDmlValues, ExecutionKeysMayNameBindparamsOfAnInsert) {
  Schema s;
  auto stmt = insert(s.items).values({{"n", bindparam("x") * 2}});
  const Compiled c = compile(stmt, "sqlite", {"x", "name"});
  EXPECT_EQ(c.sql, "INSERT INTO items (name, n) VALUES (?, (? * ?))");
  EXPECT_THROW(compile(stmt, "sqlite", {"y"}), ArgumentError);
}

TEST(SqlDmlValues, MultiRowValuesNamesParametersPerRow) {
  Schema s;
  auto stmt = insert(s.items).values(std::vector<Params>{
      {{"id", 1}, {"name", "a"}}, {{"id", 2}, {"name", "b"}}, {{"id", 3}, {"name", "c"}}});
  expect_sql(stmt,
             {{"default",
               "INSERT INTO items (id, name) VALUES (:id_m0, :name_m0), (:id_m1, :name_m1), "
               "(:id_m2, :name_m2)"},
              {"sqlite", "INSERT INTO items (id, name) VALUES (?, ?), (?, ?), (?, ?)"},
              {"postgresql", "INSERT INTO items (id, name) VALUES ($1, $2), ($3, $4), ($5, $6)"}});
  const Compiled c = stmt.compile();
  ASSERT_EQ(c.parameters.size(), 6u);
  EXPECT_EQ(c.parameters[5].name, "name_m2");
  EXPECT_EQ(c.parameters[5].value->as<std::string>(), "c");
}

TEST(SqlDmlValues, MultiRowValuesRejectsMismatchedRows) {
  Schema s;
  EXPECT_THROW((void)insert(s.items).values(std::vector<Params>{}), ArgumentError);
  EXPECT_THROW(
      (void)insert(s.items).values(std::vector<Params>{{{"id", 1}, {"name", "a"}}, {{"id", 2}}}),
      ArgumentError);
  EXPECT_THROW(
      (void)insert(s.items).values(std::vector<Params>{{{"id", 1}}, {{"id", 2}, {"name", "b"}}}),
      ArgumentError);
  EXPECT_THROW((void)insert(s.items).values(std::vector<Params>{{{"nope", 1}}}), ArgumentError);
  EXPECT_THROW((void)insert(s.items).values({{"id", 1}}).values(std::vector<Params>{{{"id", 2}}}),
               ArgumentError);
}

TEST(SqlDmlValues, InsertFromSelect) {
  Schema s;
  auto stmt = insert(s.archive).from_select(
      {"id", "name"}, select(s.items.c["id"], s.items.c["name"]).where(s.items.c["n"] > 5));
  expect_sql(stmt, {{"default",
                     "INSERT INTO archive (id, name) SELECT items.id, items.name FROM items WHERE "
                     "items.n > :n_1"},
                    {"sqlite",
                     "INSERT INTO archive (id, name) SELECT items.id, items.name FROM items WHERE "
                     "items.n > ?"},
                    {"postgresql",
                     "INSERT INTO archive (id, name) SELECT items.id, items.name FROM items WHERE "
                     "items.n > $1"}});
  EXPECT_THROW((void)insert(s.archive).from_select({"nope"}, select(s.items.c["id"])),
               ArgumentError);
  EXPECT_THROW(
      (void)insert(s.archive).values({{"id", 1}}).from_select({"id"}, select(s.items.c["id"])),
      ArgumentError);
}

TEST(SqlDmlReturning, InsertUpdateDelete) {
  Schema s;
  auto& t = s.items;
  expect_sql(insert(t).values({{"name", "a"}}).returning(t.c["id"], t.c["n"]),
             {{"default", "INSERT INTO items (name) VALUES (:name) RETURNING items.id, items.n"},
              {"sqlite", "INSERT INTO items (name) VALUES (?) RETURNING items.id, items.n"},
              {"postgresql", "INSERT INTO items (name) VALUES ($1) RETURNING items.id, items.n"}});
  expect_sql(update(t).values({{"name", "b"}}).where(t.c["id"] == 1).returning(t.c["id"]),
             {{"default", "UPDATE items SET name=:name WHERE items.id = :id_1 RETURNING items.id"},
              {"sqlite", "UPDATE items SET name=? WHERE items.id = ? RETURNING items.id"},
              {"postgresql", "UPDATE items SET name=$1 WHERE items.id = $2 RETURNING items.id"}});
  expect_sql(delete_(t).where(t.c["id"] == 1).returning(t),
             {{"default",
               "DELETE FROM items WHERE items.id = :id_1 RETURNING items.id, "
               "items.name, items.n"},
              {"sqlite",
               "DELETE FROM items WHERE items.id = ? RETURNING items.id, items.name, "
               "items.n"},
              {"postgresql",
               "DELETE FROM items WHERE items.id = $1 RETURNING items.id, "
               "items.name, items.n"}});
}

TEST(SqlDmlReturning, ExpressionsAreLabelledLikeASelectList) {
  Schema s;
  auto& t = s.items;
  expect_sql(
      delete_(t).returning(func::lower(t.c["name"]), (t.c["n"] * 2).label("twice"), t.c["n"] + 1),
      {{"default",
        "DELETE FROM items RETURNING lower(items.name) AS lower_1, items.n * :n_1 AS "
        "twice, items.n + :n_2 AS anon_1"},
       {"postgresql",
        "DELETE FROM items RETURNING lower(items.name) AS lower_1, items.n * $1 AS twice, "
        "items.n + $2 AS anon_1"}});
  EXPECT_THROW((void)delete_(t).returning(std::vector<ColumnElement>{}), ArgumentError);
}

TEST(SqlDmlMultiTable, UpdateFromOtherTables) {
  Schema s;
  auto stmt = update(s.items)
                  .values({{"name", "tagged"}})
                  .where(s.items.c["id"] == s.tags.c["item_id"])
                  .where(s.tags.c["label"] == "x");
  expect_sql(stmt, {{"default",
                     "UPDATE items SET name=:name FROM tags WHERE items.id = tags.item_id AND "
                     "tags.label = :label_1"},
                    {"sqlite",
                     "UPDATE items SET name=? FROM tags WHERE items.id = tags.item_id AND "
                     "tags.label = ?"},
                    {"postgresql",
                     "UPDATE items SET name=$1 FROM tags WHERE items.id = tags.item_id AND "
                     "tags.label = $2"}});
}

TEST(SqlDmlMultiTable, UpdateFromAnAliasAndASetValueFromTheOtherTable) {
  Schema s;
  auto other = s.items.alias("other");
  auto stmt = update(s.items)
                  .values({{"n", other.c["n"]}})
                  .where(s.items.c["name"] == other.c["name"])
                  .where(s.items.c["id"] != other.c["id"])
                  .returning(s.items.c["id"]);
  expect_sql(stmt, {{"postgresql",
                     "UPDATE items SET n=other.n FROM items AS other WHERE items.name = "
                     "other.name AND items.id != other.id RETURNING items.id"},
                    {"sqlite",
                     "UPDATE items SET n=other.n FROM items AS other WHERE items.name = "
                     "other.name AND items.id != other.id RETURNING items.id"}});
}

TEST(SqlDmlMultiTable, DeleteUsingOnPostgresqlAndAnErrorOnSqlite) {
  Schema s;
  auto stmt = delete_(s.items)
                  .where(s.items.c["id"] == s.tags.c["item_id"])
                  .where(s.tags.c["label"] == "old");
  expect_sql(stmt, {{"default",
                     "DELETE FROM items USING tags WHERE items.id = tags.item_id AND tags.label "
                     "= :label_1"},
                    {"postgresql",
                     "DELETE FROM items USING tags WHERE items.id = tags.item_id AND tags.label "
                     "= $1"}});
  expect_compile_error(stmt, "sqlite",
                       "The 'sqlite' dialect cannot render a multi-table DELETE (DELETE … USING)");
}

TEST(SqlDmlUpsert, OnConflictDoNothing) {
  Schema s;
  auto base = insert(s.items).values({{"id", 1}, {"name", "a"}});
  expect_sql(
      base.on_conflict_do_nothing(),
      {{"default", "INSERT INTO items (id, name) VALUES (:id, :name) ON CONFLICT DO NOTHING"},
       {"sqlite", "INSERT INTO items (id, name) VALUES (?, ?) ON CONFLICT DO NOTHING"},
       {"postgresql", "INSERT INTO items (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING"}});
  expect_sql(
      base.on_conflict_do_nothing({.index_elements = {"id"}}),
      {{"sqlite", "INSERT INTO items (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING"},
       {"postgresql", "INSERT INTO items (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING"}});
  // The inference target renders without table names, as SQLAlchemy's; expressions allowed.
  expect_sql(
      base.on_conflict_do_nothing(
          {.index_elements = {"name"}, .index_where = s.items.c["n"] > literal_column("0")}),
      {{"sqlite",
        "INSERT INTO items (id, name) VALUES (?, ?) ON CONFLICT (name) WHERE n > 0 DO NOTHING"},
       {"postgresql",
        "INSERT INTO items (id, name) VALUES ($1, $2) ON CONFLICT (name) WHERE n > 0 DO "
        "NOTHING"}});
  expect_sql(base.on_conflict_do_nothing({.index_elements = {func::lower(s.items.c["name"]), "id"},
                                          .index_where = s.items.c["name"] != null()}),
             {{"sqlite",
               "INSERT INTO items (id, name) VALUES (?, ?) ON CONFLICT (lower(name), id) WHERE "
               "name IS NOT NULL DO NOTHING"},
              {"postgresql",
               "INSERT INTO items (id, name) VALUES ($1, $2) ON CONFLICT (lower(name), id) WHERE "
               "name IS NOT NULL DO NOTHING"}});
  // A bound value cannot be matched against an index definition.
  expect_compile_error(
      base.on_conflict_do_nothing({.index_elements = {"name"}, .index_where = s.items.c["n"] > 0}),
      "sqlite", "ON CONFLICT index elements and index_where cannot hold bound values");
}

TEST(SqlDmlInsert, MultiRowValuesWithExpressions) {
  Schema s;
  auto simple = insert(s.items).values_rows(
      {{{"id", 1}, {"name", func::lower(literal("A"))}}, {{"id", 2}, {"name", "b"}}});
  expect_sql(simple,
             {{"default",
               "INSERT INTO items (id, name) VALUES (:id_m0, lower(:param_1)), (:id_m1, "
               ":name_m1)"},
              {"sqlite", "INSERT INTO items (id, name) VALUES (?, lower(?)), (?, ?)"},
              {"postgresql", "INSERT INTO items (id, name) VALUES ($1, lower($2)), ($3, $4)"}});
  EXPECT_THROW(
      (void)insert(s.items).values_rows({{{"id", 1}, {"name", literal("a")}}, {{"id", 2}}}),
      ArgumentError);
  EXPECT_THROW((void)insert(s.items).values_rows({{{"id", 1}, {"id", literal(2)}}}), ArgumentError);
}

TEST(SqlDmlUpsert, OnConflictOnConstraintIsPostgresqlOnly) {
  Schema s;
  auto stmt =
      insert(s.items).values({{"id", 1}}).on_conflict_do_nothing({.constraint = "uq_items_name"});
  expect_sql(stmt,
             {{"postgresql",
               "INSERT INTO items (id) VALUES ($1) ON CONFLICT ON CONSTRAINT uq_items_name DO "
               "NOTHING"}});
  expect_compile_error(stmt, "sqlite",
                       "The 'sqlite' dialect cannot render ON CONFLICT: SQLite cannot name a "
                       "constraint in ON CONFLICT");
}

TEST(SqlDmlUpsert, OnConflictDoUpdateWithExcludedAndWhere) {
  Schema s;
  auto& t = s.items;
  auto ex = excluded(t);
  auto stmt =
      insert(t)
          .values({{"id", 1}, {"name", "a"}, {"n", 2}})
          .on_conflict_do_update({.index_elements = {"id"},
                                  .set = {{"name", ex.c["name"]}, {"n", t.c["n"] + ex.c["n"]}},
                                  .where = t.c["name"] != ex.c["name"]});
  expect_sql(stmt, {{"default",
                     "INSERT INTO items (id, name, n) VALUES (:id, :name, :n) ON CONFLICT (id) DO "
                     "UPDATE SET name = excluded.name, n = (items.n + excluded.n) WHERE items.name "
                     "!= excluded.name"},
                    {"sqlite",
                     "INSERT INTO items (id, name, n) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE "
                     "SET name = excluded.name, n = (items.n + excluded.n) WHERE items.name != "
                     "excluded.name"},
                    {"postgresql",
                     "INSERT INTO items (id, name, n) VALUES ($1, $2, $3) ON CONFLICT (id) DO "
                     "UPDATE SET name = excluded.name, n = (items.n + excluded.n) WHERE "
                     "items.name != excluded.name"}});
  expect_sql(insert(t)
                 .values({{"id", 1}, {"name", "a"}})
                 .on_conflict_do_update({.constraint = "items_pkey", .set = {{"n", literal(0)}}})
                 .returning(t.c["id"]),
             {{"postgresql",
               "INSERT INTO items (id, name) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT items_pkey "
               "DO UPDATE SET n = $3 RETURNING items.id"}});
}

TEST(SqlDmlUpsert, BuilderErrors) {
  Schema s;
  auto base = insert(s.items).values({{"id", 1}});
  EXPECT_THROW((void)base.on_conflict_do_update({.set = {{"n", literal(1)}}}), ArgumentError);
  EXPECT_THROW((void)base.on_conflict_do_update({.index_elements = {"id"}}), ArgumentError);
  EXPECT_THROW((void)base.on_conflict_do_nothing({.index_elements = {"id"}, .constraint = "c"}),
               ArgumentError);
  EXPECT_THROW((void)base.on_conflict_do_nothing({.index_elements = {"nope"}}), ArgumentError);
  EXPECT_THROW((void)base.on_conflict_do_nothing({.index_where = s.items.c["n"] > 1}),
               ArgumentError);
  EXPECT_THROW(
      (void)base.on_conflict_do_update({.index_elements = {"id"}, .set = {{"nope", literal(1)}}}),
      ArgumentError);
  EXPECT_THROW((void)base.on_conflict_do_nothing().on_conflict_do_nothing(), ArgumentError);
  EXPECT_THROW((void)base.on_duplicate_key_update({}), ArgumentError);
}

TEST(SqlDmlUpsert, OnDuplicateKeyUpdateNeedsADialectThatRendersIt) {
  Schema s;
  auto stmt = insert(s.items)
                  .values({{"id", 1}, {"name", "a"}})
                  .on_duplicate_key_update({{"name", excluded(s.items).c["name"]}});
  for (const char* d : {"default", "sqlite", "postgresql"}) {
    expect_compile_error(stmt, d, "dialect cannot render ON DUPLICATE KEY UPDATE");
  }
}

TEST(SqlDmlUpsert, ExcludedOutsideAnUpsertIsACompileError) {
  Schema s;
  auto stmt = update(s.items).values({{"name", excluded(s.items).c["name"]}});
  expect_compile_error(stmt, "sqlite",
                       "excluded(items).c[\"name\"] can only be used in ON CONFLICT DO UPDATE");
}

TEST(SqlDmlDefaults, CallableDefaultIsAParameterEvaluatedAtExecution) {
  MetaData md;
  int calls = 0;
  Table t(
      "stamped", md,
      {Column("id", Integer(), {.primary_key = true}),
       Column("code", String(10), {.default_ = [&calls] { return "c" + std::to_string(++calls); }}),
       Column("kind", String(10), {.default_ = "plain"}),
       Column("version", Integer(), {.onupdate = [] { return 7; }}),
       Column("touched", String(10), {.onupdate = "yes"})});
  const Compiled ins = insert(t).values({{"id", 1}}).compile("postgresql");
  EXPECT_EQ(ins.sql, "INSERT INTO stamped (id, code, kind) VALUES ($1, $2, $3)");
  ASSERT_EQ(ins.parameters.size(), 3u);
  EXPECT_FALSE(ins.parameters[1].value.has_value());
  ASSERT_TRUE(ins.parameters[1].callable);
  EXPECT_EQ(calls, 0);  // compiling calls nothing
  EXPECT_EQ(ins.parameters[1].callable().as<std::string>(), "c1");
  EXPECT_EQ(ins.parameters[2].value->as<std::string>(), "plain");

  expect_sql(update(t).values({{"kind", "x"}}).where(t.c["id"] == 1),
             {{"default",
               "UPDATE stamped SET kind=:kind, version=:version, touched=:touched WHERE "
               "stamped.id = :id_1"},
              {"sqlite", "UPDATE stamped SET kind=?, version=?, touched=? WHERE stamped.id = ?"}});
  // A column the statement sets gets no onupdate.
  const Compiled upd = update(t).values({{"version", 1}}).compile();
  EXPECT_EQ(upd.sql, "UPDATE stamped SET version=:version, touched=:touched");
  EXPECT_EQ(upd.parameters[0].value->as<std::int64_t>(), 1);

  const Compiled multi =
      insert(t).values(std::vector<Params>{{{"id", 1}}, {{"id", 2}, {"code", "given"}}}).compile();
  EXPECT_EQ(multi.sql,
            "INSERT INTO stamped (id, code, kind) VALUES (:id_m0, :code_m0, :kind_m0), (:id_m1, "
            ":code_m1, :kind_m1)");
  EXPECT_TRUE(multi.parameters[1].callable);
  EXPECT_EQ(multi.parameters[4].value->as<std::string>(), "given");
  EXPECT_EQ(multi.parameters[5].value->as<std::string>(), "plain");
}

// --- A MySQL-like dialect through the render hook --------------------------------------------

void emit(const retort_render_api* api, retort_render_ctx* ctx, const char* text) {
  api->emit(ctx, text, std::strlen(text));
}

retort_status fail(retort_error* error, const char* message) {
  error->status = RETORT_INVALID_ARGUMENT;
  error->message = const_cast<char*>(message);
  error->release = nullptr;
  return RETORT_INVALID_ARGUMENT;
}

retort_status mysql_like_render(const retort_render_api* api, retort_render_ctx* ctx,
                                uint32_t construct, retort_error* error) {
  switch (construct) {
    case RETORT_CONSTRUCT_RETURNING:
      // MariaDB: INSERT and DELETE only.
      if (api->int_attr(ctx, "statement", nullptr) == 2) {
        return fail(error, "MariaDB has no UPDATE … RETURNING");
      }
      emit(api, ctx, " RETURNING ");
      return api->emit_child(ctx, 0);
    case RETORT_CONSTRUCT_MULTI_TABLE_UPDATE:
      emit(api, ctx, "UPDATE ");
      api->emit_child(ctx, 0);
      emit(api, ctx, ", ");
      api->emit_child(ctx, 1);
      emit(api, ctx, " SET ");
      api->emit_child(ctx, 4);
      if (api->int_attr(ctx, "has_where", nullptr) != 0) {
        emit(api, ctx, " WHERE ");
        api->emit_child(ctx, 3);
      }
      return RETORT_OK;
    case RETORT_CONSTRUCT_MULTI_TABLE_DELETE:
      emit(api, ctx, "DELETE FROM ");
      api->emit_child(ctx, 0);
      emit(api, ctx, " USING ");
      api->emit_child(ctx, 0);
      emit(api, ctx, ", ");
      api->emit_child(ctx, 1);
      emit(api, ctx, " WHERE ");
      return api->emit_child(ctx, 2);
    case RETORT_CONSTRUCT_ON_DUPLICATE_KEY_UPDATE:
      emit(api, ctx, " ON DUPLICATE KEY UPDATE ");
      return api->emit_child(ctx, 0);
    case RETORT_CONSTRUCT_EXCLUDED_COLUMN: {
      size_t length = 0;
      const char* name = api->str_attr(ctx, "name", &length);
      emit(api, ctx, "VALUES(");
      api->emit_identifier(ctx, name, length);
      emit(api, ctx, ")");
      return RETORT_OK;
    }
    default:
      return RETORT_NOT_IMPLEMENTED;
  }
}

constexpr retort_dialect kMysqlLike = {
    .struct_size = sizeof(retort_dialect),
    .name = "mysql_like",
    .default_driver = nullptr,
    .paramstyle = RETORT_PARAMSTYLE_FORMAT,
    .max_identifier_length = 64,
    .quote_open = "`",
    .quote_close = "`",
    .capabilities = RETORT_CAP_MULTIROW_INSERT,
    .reserved_words = nullptr,
    .max_parameters = 0,
    .boolean_literals = RETORT_BOOLEAN_LITERALS_INTEGERS,
    .render = mysql_like_render,
};

std::string mysql_sql(const Executable& stmt) {
  return detail::compile_for(*stmt.node(), kMysqlLike, nullptr).sql;
}

TEST(SqlDmlDialectHook, MysqlLikeOnDuplicateKeyUpdate) {
  Schema s;
  auto stmt = insert(s.items)
                  .values({{"id", 1}, {"name", "a"}})
                  .on_duplicate_key_update(
                      {{"name", excluded(s.items).c["name"]}, {"n", s.items.c["n"] + 1}});
  EXPECT_EQ(mysql_sql(stmt),
            "INSERT INTO items (id, name) VALUES (%s, %s) ON DUPLICATE KEY UPDATE name = "
            "VALUES(name), n = (items.n + %s)");
}

TEST(SqlDmlDialectHook, MysqlLikeMultiTableUpdateAndDelete) {
  Schema s;
  EXPECT_EQ(
      mysql_sql(
          update(s.items).values({{"name", "x"}}).where(s.items.c["id"] == s.tags.c["item_id"])),
      "UPDATE items, tags SET items.name=%s WHERE items.id = tags.item_id");
  EXPECT_EQ(mysql_sql(delete_(s.items).where(s.items.c["id"] == s.tags.c["item_id"])),
            "DELETE FROM items USING items, tags WHERE items.id = tags.item_id");
}

TEST(SqlDmlDialectHook, ReturningForSomeStatementsOnlyAndNoOnConflictWithoutTheCapability) {
  Schema s;
  EXPECT_EQ(mysql_sql(insert(s.items).values({{"name", "a"}}).returning(s.items.c["id"])),
            "INSERT INTO items (name) VALUES (%s) RETURNING items.id");
  try {
    (void)mysql_sql(update(s.items).values({{"name", "a"}}).returning(s.items.c["id"]));
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_STREQ(e.what(),
                 "The 'mysql_like' dialect cannot render RETURNING: MariaDB has no UPDATE … "
                 "RETURNING");
  }
  EXPECT_THROW((void)mysql_sql(insert(s.items).values({{"id", 1}}).on_conflict_do_nothing()),
               CompileError);
}

TEST(SqlDmlDialectHook, NoReturningWithoutCapabilityOrHook) {
  Schema s;
  retort_dialect plain = kMysqlLike;
  plain.name = "plain";
  plain.render = nullptr;
  try {
    (void)detail::compile_for(*delete_(s.items).returning(s.items.c["id"]).node(), plain, nullptr);
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("The 'plain' dialect cannot render RETURNING"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(
      (void)detail::compile_for(
          *update(s.items).values({{"n", 1}}).where(s.items.c["id"] == s.tags.c["id"]).node(),
          plain, nullptr),
      CompileError);
}

}  // namespace
