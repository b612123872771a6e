// The expression constructs through a third dialect's render hook: a MySQL-like dialect built
// here (no plugin) renders concatenation as concat(), IS DISTINCT FROM as <=>, emulates NULLS
// FIRST, renames random(), spells CAST targets its own way, and refuses FILTER; without
// RETORT_CAP_WINDOW_FUNCTIONS, OVER is a CompileError.
#include "sql/compiler.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

using namespace retort;

void emit(const retort_render_api* api, retort_render_ctx* ctx, const char* text) {
  api->emit(ctx, text, std::strlen(text));
}

retort_status children(const retort_render_api* api, retort_render_ctx* ctx, const char* sep) {
  for (int32_t i = 0; i < api->child_count(ctx); ++i) {
    if (i) emit(api, ctx, sep);
    if (retort_status st = api->emit_child(ctx, i); st != RETORT_OK) return st;
  }
  return RETORT_OK;
}

retort_status mysqlish_render(const retort_render_api* api, retort_render_ctx* ctx,
                              uint32_t construct, retort_error* error) {
  switch (construct) {
    case RETORT_CONSTRUCT_CONCAT: {
      emit(api, ctx, "concat(");
      retort_status st = children(api, ctx, ", ");
      emit(api, ctx, ")");
      return st;
    }
    case RETORT_CONSTRUCT_IS_DISTINCT_FROM: {
      const bool negate = api->int_attr(ctx, "negate", nullptr) != 0;
      emit(api, ctx, negate ? "" : "NOT (");
      retort_status st = children(api, ctx, " <=> ");
      emit(api, ctx, negate ? "" : ")");
      return st;
    }
    case RETORT_CONSTRUCT_NULLS_ORDER: {
      retort_status st = api->emit_child(ctx, 1);
      emit(api, ctx,
           api->int_attr(ctx, "nulls_first", nullptr) != 0 ? " IS NULL DESC, " : " IS NULL, ");
      if (st == RETORT_OK) st = api->emit_child(ctx, 0);
      return st;
    }
    case RETORT_CONSTRUCT_FUNCTION: {
      size_t length = 0;
      const char* name = api->str_attr(ctx, "name", &length);
      if (std::string(name, length) != "random") return RETORT_NOT_IMPLEMENTED;
      emit(api, ctx, "rand()");
      return RETORT_OK;
    }
    case RETORT_CONSTRUCT_TYPE:
      if (api->int_attr(ctx, "cast", nullptr) == 1 &&
          api->int_attr(ctx, "type", nullptr) == RETORT_GENERIC_INTEGER) {
        emit(api, ctx, "SIGNED INTEGER");
        return RETORT_OK;
      }
      return RETORT_NOT_IMPLEMENTED;
    case RETORT_CONSTRUCT_AGGREGATE_FILTER:
      error->status = RETORT_INVALID_ARGUMENT;
      error->message = const_cast<char*>("MySQL has no FILTER clause");
      return RETORT_INVALID_ARGUMENT;
    default:
      return RETORT_NOT_IMPLEMENTED;
  }
}

retort_dialect mysqlish() {
  retort_dialect d{};
  d.struct_size = sizeof d;
  d.name = "mysqlish";
  d.paramstyle = RETORT_PARAMSTYLE_FORMAT;
  d.quote_open = "`";
  d.quote_close = "`";
  d.capabilities = 0;
  d.render = mysqlish_render;
  return d;
}

struct Items {
  MetaData metadata;
  Table t{"items",
          metadata,
          {Column("id", Integer(), {.primary_key = true}), Column("name", String(50))}};
  ColumnElement id = t.c["id"];
  ColumnElement name = t.c["name"];
};

std::string sql(const Executable& stmt) {
  static const retort_dialect d = mysqlish();
  return detail::compile_for(*stmt.node(), d, nullptr).sql;
}

TEST(SqlExpressionHook, ThirdDialectRendersTheConstructsItsWay) {
  Items s;
  EXPECT_EQ(sql(select(s.id).where(s.name.contains("a")).where(s.name.is_distinct_from("b"))),
            "SELECT items.id FROM items WHERE items.name LIKE concat('%%', %s, '%%') AND NOT "
            "(items.name <=> %s)");
  EXPECT_EQ(sql(select(s.id).where(!s.name.is_distinct_from(s.id))),
            "SELECT items.id FROM items WHERE items.name <=> items.id");
  EXPECT_EQ(sql(select(s.name + "x", cast(s.name, Integer()), func::random())),
            "SELECT concat(items.name, %s) AS anon_1, CAST(items.name AS SIGNED INTEGER) AS "
            "name, rand() AS random_1 FROM items");
  EXPECT_EQ(sql(select(s.id).order_by(s.name.desc().nulls_first())),
            "SELECT items.id FROM items ORDER BY items.name IS NULL DESC, items.name DESC");
}

TEST(SqlExpressionHook, RefusedConstructsAreCompileErrorsNamingTheDialect) {
  Items s;
  try {
    (void)sql(select(func::count().filter(s.id > 1)));
    ADD_FAILURE() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_STREQ(e.what(),
                 "The 'mysqlish' dialect cannot render FILTER (WHERE …): MySQL has no FILTER "
                 "clause");
  }
  try {
    (void)sql(select(func::row_number().over({.order_by = {s.id}})));
    ADD_FAILURE() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_STREQ(e.what(),
                 "The 'mysqlish' dialect cannot render window functions (OVER): it does not "
                 "support them");
  }
}

TEST(SqlExpressionHook, FromClauseFoundInsideFilterAndWindowOrder) {
  Items s;
  EXPECT_EQ(select(func::count().filter(s.id > 1)).compile("sqlite").sql,
            "SELECT count(*) FILTER (WHERE items.id > ?) AS anon_1 FROM items");
  EXPECT_EQ(select(func::rank().over({.order_by = {s.id}})).compile("sqlite").sql,
            "SELECT rank() OVER (ORDER BY items.id) AS anon_1 FROM items");
}

}  // namespace
