// The compiler's side of the render-hook constructs added for MySQL (RETORT_CONSTRUCT_CAST_TYPE,
// RETORT_CONSTRUCT_EMPTY_SET, the autoincrement column's child 1, the Enum value attributes and
// RETORT_CAP_NATIVE_ENUM), checked with a dialect table defined here, so each contract is
// tested apart from any plugin.
#include "sql/compiler.hpp"

#include <retort/exceptions.hpp>
#include <retort/plugin_abi.h>
#include <retort/sql/ddl.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

using namespace retort;

void emit(const retort_render_api* api, retort_render_ctx* ctx, const std::string& text) {
  api->emit(ctx, text.data(), text.size());
}

// A dialect that spells CAST targets as `<T type>`, refuses a CAST to Boolean, writes only
// the type of the autoincrement column (leaving child 1 to the core), and lists an Enum's
// values from the attributes.
retort_status probe_render(const retort_render_api* api, retort_render_ctx* ctx, uint32_t construct,
                           retort_error* error) {
  const int64_t type = api->int_attr(ctx, "type", nullptr);
  switch (construct) {
    case RETORT_CONSTRUCT_CAST_TYPE:
      if (type == RETORT_GENERIC_BOOLEAN) {
        error->message = const_cast<char*>("no boolean target");
        return RETORT_INVALID_ARGUMENT;
      }
      emit(api, ctx, "<T ");
      if (api->emit_child(ctx, 0) != RETORT_OK) return RETORT_INTERNAL;
      emit(api, ctx, ">");
      return RETORT_OK;
    case RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN:
      emit(api, ctx, api->int_attr(ctx, "server_default", nullptr) ? "AUTO_D" : "AUTO");
      return RETORT_OK;
    case RETORT_CONSTRUCT_TYPE: {
      if (type != RETORT_GENERIC_ENUM) return RETORT_NOT_IMPLEMENTED;
      std::string sql = "E";
      const int64_t count = api->int_attr(ctx, "value_count", nullptr);
      for (int64_t i = 0; i < count; ++i) {
        size_t length = 0;
        const char* v = api->str_attr(ctx, ("value." + std::to_string(i)).c_str(), &length);
        sql += "[" + std::string(v, length) + "]";
      }
      emit(api, ctx, sql);
      return RETORT_OK;
    }
    default:
      return RETORT_NOT_IMPLEMENTED;
  }
}

retort_dialect probe_dialect(uint64_t capabilities) {
  retort_dialect d{};
  d.struct_size = sizeof d;
  d.name = "probe";
  d.default_driver = "none";
  d.paramstyle = RETORT_PARAMSTYLE_QMARK;
  d.quote_open = "\"";
  d.quote_close = "\"";
  d.capabilities = capabilities;
  d.boolean_literals = RETORT_BOOLEAN_LITERALS_KEYWORDS;
  d.render = probe_render;
  return d;
}

std::string sql_of(const Executable& stmt, const retort_dialect& d) {
  return detail::compile_for(*stmt.node(), d, nullptr).expand().sql;
}

struct Schema {
  MetaData md;
  Table t{"rc_items",
          md,
          {Column("id", Integer(), {.primary_key = true}), Column("flag", Boolean()),
           Column("kind", Enum({"a", "b"}))}};
};

TEST(SqlRenderConstructs, EmptySetDefaultCastsThroughTheCastTypeConstruct) {
  Schema s;
  const retort_dialect d = probe_dialect(0);
  EXPECT_EQ(sql_of(select(s.t.c["id"]).where(s.t.c["id"].in_({})), d),
            "SELECT rc_items.id FROM rc_items WHERE rc_items.id IN (SELECT CAST(NULL AS <T "
            "INTEGER>) WHERE 1!=1)");
  // Untyped: a bare NULL, no CAST.
  EXPECT_EQ(sql_of(select(s.t.c["id"]).where(literal_column("7").in_({})), d),
            "SELECT rc_items.id FROM rc_items WHERE 7 IN (SELECT NULL WHERE 1!=1)");
}

TEST(SqlRenderConstructs, CastTypeRefusalIsCompileErrorNamingTheCast) {
  Schema s;
  const retort_dialect d = probe_dialect(0);
  try {
    (void)sql_of(select(s.t.c["id"]).where(s.t.c["flag"].in_({})), d);
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_STREQ(e.what(),
                 "The 'probe' dialect cannot render CAST to type Boolean: no boolean target");
  }
}

TEST(SqlRenderConstructs, AutoincrementHookThatSkipsChildOneGetsTheRestAppended) {
  MetaData md;
  Table a("rc_a", md, {Column("id", Integer(), {.primary_key = true})});
  Table b("rc_b", md,
          {Column("id", Integer(),
                  {.primary_key = true, .autoincrement = true, .server_default = "3"})});
  const retort_dialect d = probe_dialect(0);
  EXPECT_EQ(sql_of(CreateTable(a), d),
            "CREATE TABLE rc_a (\n\tid AUTO NOT NULL, \n\tPRIMARY KEY (id)\n)");
  EXPECT_EQ(sql_of(CreateTable(b), d),
            "CREATE TABLE rc_b (\n\tid AUTO_D DEFAULT 3 NOT NULL, \n\tPRIMARY KEY (id)\n)");
}

TEST(SqlRenderConstructs, EnumValuesReachTheHookAndNativeEnumDropsTheCheck) {
  Schema s;
  EXPECT_EQ(sql_of(CreateTable(s.t), probe_dialect(0)),
            "CREATE TABLE rc_items (\n\tid AUTO NOT NULL, \n\tflag BOOLEAN, \n\tkind E[a][b], "
            "\n\tPRIMARY KEY (id), \n\tCHECK (kind IN ('a', 'b'))\n)");
  EXPECT_EQ(sql_of(CreateTable(s.t), probe_dialect(RETORT_CAP_NATIVE_ENUM)),
            "CREATE TABLE rc_items (\n\tid AUTO NOT NULL, \n\tflag BOOLEAN, \n\tkind E[a][b], "
            "\n\tPRIMARY KEY (id)\n)");
}

}  // namespace
