// plugins/sqlite/dialect.cpp — the `sqlite` dialect: SQLite's SQL flavour, as data.
// SPDX-License-Identifier: MIT
#include "dialect.hpp"
#include "reflection.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace retort::sqlite {
namespace {

void emit(const retort_render_api* api, retort_render_ctx* ctx, const char* text) {
  api->emit(ctx, text, std::strlen(text));
}

retort_status fail(retort_error* error, const char* message) {
  if (error != nullptr) {
    error->status = RETORT_INVALID_ARGUMENT;
    // A static string: nothing to release.
    error->message = const_cast<char*>(message);
    error->release = nullptr;
  }
  return RETORT_INVALID_ARGUMENT;
}

// SQLite's spellings, as SQLAlchemy's SQLite dialect renders them; everything else is the
// core's SQL-standard default.
retort_status render_type(const retort_render_api* api, retort_render_ctx* ctx) {
  const std::int64_t type = api->int_attr(ctx, "type", nullptr);
  if (api->int_attr(ctx, "cast", nullptr) != 0) {
    switch (type) {
      // Values stored as text: CAST to DATETIME, DATE, TIME or JSON would apply NUMERIC
      // affinity and turn '2024-05-01 10:00:00' into 2024.
      case RETORT_GENERIC_DATE:
      case RETORT_GENERIC_TIME:
      case RETORT_GENERIC_DATETIME:
      case RETORT_GENERIC_INTERVAL:
      case RETORT_GENERIC_JSON:
        emit(api, ctx, "TEXT");
        return RETORT_OK;
      default:
        break;
    }
  }
  switch (type) {
    case RETORT_GENERIC_DOUBLE:
      emit(api, ctx, "DOUBLE");
      return RETORT_OK;
    // SQLite has no date/time types; values are stored as ISO text.
    case RETORT_GENERIC_DATETIME:
    case RETORT_GENERIC_INTERVAL:
      emit(api, ctx, "DATETIME");
      return RETORT_OK;
    // A UUID as 32 hexadecimal digits.
    case RETORT_GENERIC_UUID:
      emit(api, ctx, "CHAR(32)");
      return RETORT_OK;
    default:
      return RETORT_NOT_IMPLEMENTED;
  }
}

// SQLite has no XOR operator: a ^ b is (a | b) - (a & b), exact for all 64-bit integers
// (the bits of a & b are a subset of those of a | b, so the subtraction never overflows).
retort_status render_bitwise(const retort_render_api* api, retort_render_ctx* ctx) {
  if (api->int_attr(ctx, "operator", nullptr) != RETORT_BITWISE_XOR) return RETORT_NOT_IMPLEMENTED;
  retort_status st = RETORT_OK;
  emit(api, ctx, "(");
  if (st == RETORT_OK) st = api->emit_child(ctx, 0);
  emit(api, ctx, " | ");
  if (st == RETORT_OK) st = api->emit_child(ctx, 1);
  emit(api, ctx, ") - (");
  if (st == RETORT_OK) st = api->emit_child(ctx, 0);
  emit(api, ctx, " & ");
  if (st == RETORT_OK) st = api->emit_child(ctx, 1);
  emit(api, ctx, ")");
  return st;
}

// Emits the children in `order` with `texts` between them: texts[0] child texts[1] child ….
retort_status emit_pattern(const retort_render_api* api, retort_render_ctx* ctx,
                           std::initializer_list<const char*> texts,
                           std::initializer_list<int32_t> order) {
  auto text = texts.begin();
  retort_status st = RETORT_OK;
  for (int32_t index : order) {
    emit(api, ctx, *text++);
    if (st == RETORT_OK) st = api->emit_child(ctx, index);
  }
  emit(api, ctx, *text);
  return st;
}

// SQLite has no EXTRACT; strftime() gives the fields it knows, as SQLAlchemy's SQLite
// dialect renders them.
retort_status render_extract(const retort_render_api* api, retort_render_ctx* ctx,
                             retort_error* error) {
  static constexpr struct {
    const char* field;
    const char* format;
  } kFields[] = {{"year", "%Y"},   {"month", "%m"}, {"day", "%d"}, {"hour", "%H"}, {"minute", "%M"},
                 {"second", "%S"}, {"doy", "%j"},   {"dow", "%w"}, {"week", "%W"}, {"epoch", "%s"}};
  size_t length = 0;
  const char* field = api->str_attr(ctx, "field", &length);
  if (field == nullptr) return RETORT_NOT_IMPLEMENTED;
  for (const auto& f : kFields) {
    if (std::strlen(f.field) != length || std::memcmp(f.field, field, length) != 0) continue;
    emit(api, ctx, "CAST(STRFTIME('");
    emit(api, ctx, f.format);
    emit(api, ctx, "', ");
    const retort_status st = api->emit_child(ctx, 0);
    emit(api, ctx, ") AS INTEGER)");
    return st;
  }
  return fail(error,
              "SQLite's strftime() has no such field (year, month, day, hour, minute, second, "
              "doy, dow, week and epoch are available)");
}

retort_status render(const retort_render_api* api, retort_render_ctx* ctx, uint32_t construct,
                     retort_error* error) {
  switch (construct) {
    case RETORT_CONSTRUCT_EXTRACT:
      return render_extract(api, ctx, error);
    case RETORT_CONSTRUCT_REGEXP:
      // REGEXP calls the regexp(pattern, string) function, which this plugin's connections
      // register (ECMAScript syntax).  SQLite has no replacement function.
      if (api->int_attr(ctx, "replace", nullptr) != 0) {
        return fail(error, "SQLite has no regexp_replace()");
      }
      return emit_pattern(
          api, ctx,
          {"", api->int_attr(ctx, "negate", nullptr) != 0 ? " NOT REGEXP " : " REGEXP ", ""},
          {0, 1});
    case RETORT_CONSTRUCT_TUPLE_IN_LIST:
      // SQLite reads ((1, 2), (3, 4)) as a misused row value; a VALUES list is a table.
      return emit_pattern(api, ctx, {"(VALUES ", ")"}, {0});
    case RETORT_CONSTRUCT_IS_DISTINCT_FROM:
      // IS DISTINCT FROM only arrived in 3.39; IS / IS NOT are the same null-safe comparison.
      return emit_pattern(
          api, ctx, {"", api->int_attr(ctx, "negate", nullptr) != 0 ? " IS " : " IS NOT ", ""},
          {0, 1});
    case RETORT_CONSTRUCT_BITWISE:
      return render_bitwise(api, ctx);
    case RETORT_CONSTRUCT_BETWEEN_SYMMETRIC:
      return emit_pattern(api, ctx, {"(", " BETWEEN ", " AND ", " OR ", " BETWEEN ", " AND ", ")"},
                          {0, 1, 2, 0, 2, 1});
    case RETORT_CONSTRUCT_FUNCTION: {
      // SQLite has no char_length(); length() counts characters of text.
      size_t length = 0;
      const char* name = api->str_attr(ctx, "name", &length);
      if (name == nullptr || length != 11 || sqlite3_strnicmp(name, "char_length", 11) != 0)
        return RETORT_NOT_IMPLEMENTED;
      emit(api, ctx, "length(");
      retort_status st = RETORT_OK;
      for (int32_t i = 0; i < api->child_count(ctx); ++i) {
        if (i) emit(api, ctx, ", ");
        if (st == RETORT_OK) st = api->emit_child(ctx, i);
      }
      emit(api, ctx, ")");
      return st;
    }
    case RETORT_CONSTRUCT_TYPE:
      return render_type(api, ctx);
    case RETORT_CONSTRUCT_LIMIT_OFFSET:
      // SQLite has no OFFSET without LIMIT; -1 means "no limit".
      if (api->int_attr(ctx, "has_limit", nullptr) != 0) return RETORT_NOT_IMPLEMENTED;
      emit(api, ctx, " LIMIT -1 OFFSET ");
      return api->emit_child(ctx, 1);
    case RETORT_CONSTRUCT_CREATE_INDEX: {
      // SQLite qualifies the index, not the table, with the (attached) database name:
      // CREATE INDEX s.ix ON t (x).
      emit(api, ctx,
           api->int_attr(ctx, "unique", nullptr) != 0 ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
      if (api->int_attr(ctx, "if_not_exists", nullptr) != 0) emit(api, ctx, "IF NOT EXISTS ");
      retort_status st = api->emit_child(ctx, 1);
      if (st != RETORT_OK) return st;
      emit(api, ctx, " ON ");
      if ((st = api->emit_child(ctx, 2)) != RETORT_OK) return st;
      emit(api, ctx, " ");
      return api->emit_child(ctx, 4);
    }
    case RETORT_CONSTRUCT_SET_OPERATOR:
      if (api->int_attr(ctx, "all", nullptr) != 0 &&
          api->int_attr(ctx, "operator", nullptr) != RETORT_SET_OPERATION_UNION) {
        return fail(error, "SQLite has INTERSECT and EXCEPT but no ALL form of them");
      }
      return RETORT_NOT_IMPLEMENTED;
    case RETORT_CONSTRUCT_SET_MEMBER: {
      // SQLite refuses parentheses around a member; a derived table does the same job.
      emit(api, ctx, "SELECT * FROM (");
      const retort_status st = api->emit_child(ctx, 0);
      if (st != RETORT_OK) return st;
      emit(api, ctx, ")");
      return RETORT_OK;
    }
    case RETORT_CONSTRUCT_LATERAL:
      return fail(error, "SQLite has no LATERAL derived tables");
    case RETORT_CONSTRUCT_ANY_ALL:
      return fail(error, "SQLite has no ANY / ALL comparisons with a subquery");
    case RETORT_CONSTRUCT_FOR_UPDATE:
      // SQLite locks the whole database; like SQLAlchemy, render nothing.
      return RETORT_OK;
    case RETORT_CONSTRUCT_ON_CONFLICT:
      // SQLite's upsert infers the unique index from columns; it cannot name a constraint.
      if (api->str_attr(ctx, "constraint", nullptr) != nullptr) {
        return fail(error, "SQLite cannot name a constraint in ON CONFLICT; give index_elements");
      }
      return RETORT_NOT_IMPLEMENTED;
    default:
      // RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN: an INTEGER column that is the table's primary
      // key is already an alias of the rowid; the default rendering is right.
      // RETORT_CONSTRUCT_FULL_JOIN: SQLite has FULL OUTER JOIN since 3.39.
      // RETORT_CONSTRUCT_DISTINCT_ON: declined, so the core raises CompileError.
      return RETORT_NOT_IMPLEMENTED;
  }
}

// Every keyword of "SQL As Understood By SQLite" (https://sqlite.org/lang_keywords.html),
// which is also what sqlite3_keyword_name() enumerates in 3.40.  SQLite accepts many of them
// as identifiers in some positions, but quoting all of them is always correct.
// clang-format off
constexpr const char* kReservedWords[] = {
    "abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "as", "asc",
    "attach", "autoincrement", "before", "begin", "between", "by", "cascade", "case", "cast",
    "check", "collate", "column", "commit", "conflict", "constraint", "create", "cross", "current",
    "current_date", "current_time", "current_timestamp", "database", "default", "deferrable",
    "deferred", "delete", "desc", "detach", "distinct", "do", "drop", "each", "else", "end",
    "escape", "except", "exclude", "exclusive", "exists", "explain", "fail", "filter", "first",
    "following", "for", "foreign", "from", "full", "generated", "glob", "group", "groups", "having",
    "if", "ignore", "immediate", "in", "index", "indexed", "initially", "inner", "insert",
    "instead", "intersect", "into", "is", "isnull", "join", "key", "last", "left", "like", "limit",
    "match", "materialized", "natural", "no", "not", "nothing", "notnull", "null", "nulls", "of",
    "offset", "on", "or", "order", "others", "outer", "over", "partition", "plan", "pragma",
    "preceding", "primary", "query", "raise", "range", "recursive", "references", "regexp",
    "reindex", "release", "rename", "replace", "restrict", "returning", "right", "rollback", "row",
    "rows", "savepoint", "select", "set", "table", "temp", "temporary", "then", "ties", "to",
    "transaction", "trigger", "unbounded", "union", "unique", "update", "using", "vacuum", "values",
    "view", "virtual", "when", "where", "window", "with", "without", nullptr,
};
// clang-format on

// SQLite transactions are serializable; READ UNCOMMITTED is PRAGMA read_uncommitted (it only
// matters for shared-cache connections), as in SQLAlchemy's SQLite dialect.
constexpr const char* kIsolationLevels[] = {"READ UNCOMMITTED", "SERIALIZABLE", "AUTOCOMMIT",
                                            nullptr};

constexpr retort_dialect kDialect = {
    .struct_size = sizeof(retort_dialect),
    .name = "sqlite",
    .default_driver = "sqlite3",
    .paramstyle = RETORT_PARAMSTYLE_QMARK,
    .max_identifier_length = 0,
    .quote_open = "\"",
    .quote_close = "\"",
    // RETURNING needs SQLite 3.35, UPDATE … FROM 3.33, ON CONFLICT DO UPDATE 3.24, window
    // frame EXCLUDE 3.28.  There is no DELETE … USING.
    .capabilities = RETORT_CAP_SAVEPOINTS | RETORT_CAP_TRANSACTIONAL_DDL | RETORT_CAP_RETURNING |
                    RETORT_CAP_MULTIROW_INSERT | RETORT_CAP_CTE | RETORT_CAP_WINDOW_FUNCTIONS |
                    RETORT_CAP_UPDATE_FROM | RETORT_CAP_INSERT_ON_CONFLICT |
                    RETORT_CAP_WINDOW_FRAME_EXCLUDE | RETORT_CAP_NAMED_COLUMN_CHECKS |
                    RETORT_CAP_PARTIAL_INDEXES,
    .reserved_words = kReservedWords,
    // SQLITE_MAX_VARIABLE_NUMBER's default since 3.32.
    .max_parameters = 32766,
    // As SQLAlchemy renders them for SQLite (no native BOOLEAN type).
    .boolean_literals = RETORT_BOOLEAN_LITERALS_INTEGERS,
    .render = render,
    .reflect = &sdk::reflect_hook<&reflect>,
    .isolation_levels = kIsolationLevels,
};

}  // namespace

const retort_dialect& sqlite_dialect() noexcept {
  return kDialect;
}

}  // namespace retort::sqlite
