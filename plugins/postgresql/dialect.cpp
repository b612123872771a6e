// plugins/postgresql/dialect.cpp — the `postgresql` dialect: PostgreSQL's SQL flavour, as data.
// SPDX-License-Identifier: MIT
#include "dialect.hpp"
#include "reflection.hpp"

#include <cstring>
#include <utility>

namespace retort::postgresql {
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

// PostgreSQL's spellings, as SQLAlchemy's PostgreSQL dialect renders them.
retort_status render_type(const retort_render_api* api, retort_render_ctx* ctx,
                          retort_error* error) {
  switch (api->int_attr(ctx, "type", nullptr)) {
    case RETORT_GENERIC_DATETIME:
      emit(api, ctx,
           api->int_attr(ctx, "timezone", nullptr) != 0 ? "TIMESTAMP WITH TIME ZONE"
                                                        : "TIMESTAMP WITHOUT TIME ZONE");
      return RETORT_OK;
    case RETORT_GENERIC_LARGE_BINARY:
      emit(api, ctx, "BYTEA");
      return RETORT_OK;
    case RETORT_GENERIC_ENUM: {
      // A native ENUM is a named type, created by CREATE TYPE … AS ENUM.
      size_t length = 0;
      const char* name = api->str_attr(ctx, "name", &length);
      if (name == nullptr || length == 0) {
        return fail(error, "a native ENUM needs a name: Enum(values, \"name\")");
      }
      api->emit_identifier(ctx, name, length);
      return RETORT_OK;
    }
    default:
      return RETORT_NOT_IMPLEMENTED;
  }
}

// SERIAL and friends, SQLAlchemy's default for an autoincrementing integer primary key.
retort_status render_autoincrement(const retort_render_api* api, retort_render_ctx* ctx) {
  switch (api->int_attr(ctx, "type", nullptr)) {
    case RETORT_GENERIC_SMALLINT:
      emit(api, ctx, "SMALLSERIAL");
      return RETORT_OK;
    case RETORT_GENERIC_BIGINT:
      emit(api, ctx, "BIGSERIAL");
      return RETORT_OK;
    case RETORT_GENERIC_INTEGER:
      emit(api, ctx, "SERIAL");
      return RETORT_OK;
    default:
      return RETORT_NOT_IMPLEMENTED;
  }
}

// nextval('[schema.]name'), the name quoted as an identifier inside the string literal, as
// SQLAlchemy renders it.
retort_status render_next_value(const retort_render_api* api, retort_render_ctx* ctx,
                                retort_error* error) {
  size_t schema_length = 0, name_length = 0;
  const char* schema = api->str_attr(ctx, "schema", &schema_length);
  const char* name = api->str_attr(ctx, "name", &name_length);
  for (const auto& [text, length] : {std::pair{schema, schema_length}, {name, name_length}}) {
    if (text != nullptr && std::memchr(text, '\'', length) != nullptr) {
      return fail(error, "a sequence name with a quote cannot be written inside nextval('…')");
    }
  }
  emit(api, ctx, "nextval('");
  if (schema_length != 0) {
    api->emit_identifier(ctx, schema, schema_length);
    emit(api, ctx, ".");
  }
  api->emit_identifier(ctx, name, name_length);
  emit(api, ctx, "')");
  return RETORT_OK;
}

// PostgreSQL has no CREATE TYPE IF NOT EXISTS: a DO block ignores an existing type.
retort_status render_create_enum_type(const retort_render_api* api, retort_render_ctx* ctx) {
  if (api->int_attr(ctx, "if_not_exists", nullptr) == 0) return RETORT_NOT_IMPLEMENTED;
  emit(api, ctx, "DO $$ BEGIN ");
  const retort_status st = api->emit_child(ctx, 0);
  if (st != RETORT_OK) return st;
  emit(api, ctx, "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
  return RETORT_OK;
}

// Native ILIKE, and `#` for XOR (`^` is exponentiation in PostgreSQL).
retort_status render_ilike(const retort_render_api* api, retort_render_ctx* ctx) {
  retort_status st = api->emit_child(ctx, 0);
  emit(api, ctx, api->int_attr(ctx, "negate", nullptr) != 0 ? " NOT ILIKE " : " ILIKE ");
  if (st == RETORT_OK) st = api->emit_child(ctx, 1);
  if (api->int_attr(ctx, "has_escape", nullptr) != 0) {
    emit(api, ctx, " ESCAPE ");
    if (st == RETORT_OK) st = api->emit_child(ctx, 2);
  }
  return st;
}

retort_status render_bitwise(const retort_render_api* api, retort_render_ctx* ctx) {
  const int64_t op = api->int_attr(ctx, "operator", nullptr);
  if (op == RETORT_BITWISE_XOR) {
    retort_status st = api->emit_child(ctx, 0);
    emit(api, ctx, " # ");
    if (st == RETORT_OK) st = api->emit_child(ctx, 1);
    return st;
  }
  if (op == RETORT_BITWISE_LSHIFT || op == RETORT_BITWISE_RSHIFT) {
    // PostgreSQL's shift operators take an integer (int4) count, and integer parameters are
    // sent as bigint: `integer << bigint` does not exist.
    retort_status st = api->emit_child(ctx, 0);
    emit(api, ctx, op == RETORT_BITWISE_LSHIFT ? " << CAST(" : " >> CAST(");
    if (st == RETORT_OK) st = api->emit_child(ctx, 1);
    emit(api, ctx, " AS INTEGER)");
    return st;
  }
  return RETORT_NOT_IMPLEMENTED;
}

// `~` / `!~` and REGEXP_REPLACE, as SQLAlchemy's PostgreSQL dialect (POSIX regular
// expressions).
retort_status render_regexp(const retort_render_api* api, retort_render_ctx* ctx) {
  retort_status st = RETORT_OK;
  if (api->int_attr(ctx, "replace", nullptr) != 0) {
    emit(api, ctx, "REGEXP_REPLACE(");
    for (int32_t i = 0; i < 3; ++i) {
      if (i) emit(api, ctx, ", ");
      if (st == RETORT_OK) st = api->emit_child(ctx, i);
    }
    emit(api, ctx, ")");
    return st;
  }
  st = api->emit_child(ctx, 0);
  emit(api, ctx, api->int_attr(ctx, "negate", nullptr) != 0 ? " !~ " : " ~ ");
  if (st == RETORT_OK) st = api->emit_child(ctx, 1);
  return st;
}

retort_status render(const retort_render_api* api, retort_render_ctx* ctx, uint32_t construct,
                     retort_error* error) {
  switch (construct) {
    case RETORT_CONSTRUCT_REGEXP:
      return render_regexp(api, ctx);
    case RETORT_CONSTRUCT_NEXT_VALUE:
      return render_next_value(api, ctx, error);
    case RETORT_CONSTRUCT_CREATE_ENUM_TYPE:
      return render_create_enum_type(api, ctx);
    case RETORT_CONSTRUCT_ILIKE:
      return render_ilike(api, ctx);
    case RETORT_CONSTRUCT_BITWISE:
      return render_bitwise(api, ctx);
    case RETORT_CONSTRUCT_TYPE:
      return render_type(api, ctx, error);
    case RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN:
      return render_autoincrement(api, ctx);
    case RETORT_CONSTRUCT_DISTINCT_ON: {
      emit(api, ctx, "DISTINCT ON (");
      const retort_status st = api->emit_child(ctx, 0);
      if (st != RETORT_OK) return st;
      emit(api, ctx, ") ");
      return RETORT_OK;
    }
    default:
      // LIMIT/OFFSET, set operations, LATERAL, ANY/ALL, FOR UPDATE (the default is
      // PostgreSQL's spelling), FULL OUTER JOIN, CREATE INDEX: the core's defaults; comments:
      // COMMENT ON statements.
      return RETORT_NOT_IMPLEMENTED;
  }
}

// Every key word PostgreSQL 15 classifies as "reserved" or "reserved (can be function or
// type)" — `SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')`.  Neither kind
// can be used as a column name without quotes; the non-reserved ones can.
// clang-format off
constexpr const char* kReservedWords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "binary", "both", "case", "cast", "check", "collate", "collation", "column",
    "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
    "current_role", "current_schema", "current_time", "current_timestamp", "current_user",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
    "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in",
    "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading",
    "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null",
    "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary",
    "references", "returning", "right", "select", "session_user", "similar", "some", "symmetric",
    "table", "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using",
    "variadic", "verbose", "when", "where", "window", "with", nullptr,
};
// clang-format on

// As SQLAlchemy's PostgreSQL dialect lists them (READ UNCOMMITTED behaves as READ COMMITTED).
constexpr const char* kIsolationLevels[] = {"READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ",
                                            "SERIALIZABLE", "AUTOCOMMIT", nullptr};

constexpr retort_dialect kDialect = {
    .struct_size = sizeof(retort_dialect),
    .name = "postgresql",
    .default_driver = "libpq",
    .paramstyle = RETORT_PARAMSTYLE_DOLLAR,
    // NAMEDATALEN - 1: longer identifiers are truncated by the server.
    .max_identifier_length = 63,
    .quote_open = "\"",
    .quote_close = "\"",
    .capabilities = RETORT_CAP_SAVEPOINTS | RETORT_CAP_TRANSACTIONAL_DDL |
                    RETORT_CAP_NAMED_COLUMN_CHECKS | RETORT_CAP_NATIVE_BOOLEAN | RETORT_CAP_RETURNING | RETORT_CAP_MULTIROW_INSERT |
                    RETORT_CAP_SEQUENCES | RETORT_CAP_CTE | RETORT_CAP_WINDOW_FUNCTIONS |
                    RETORT_CAP_NATIVE_DECIMAL | RETORT_CAP_NATIVE_UUID | RETORT_CAP_NATIVE_ENUM |
                    RETORT_CAP_ALTER_CONSTRAINTS | RETORT_CAP_COMMENTS | RETORT_CAP_ENUM_TYPES |
                    RETORT_CAP_UPDATE_FROM | RETORT_CAP_DELETE_USING |
                    RETORT_CAP_INSERT_ON_CONFLICT | RETORT_CAP_NATIVE_INTERVAL |
                    RETORT_CAP_WINDOW_FRAME_EXCLUDE | RETORT_CAP_READ_ONLY_TRANSACTIONS |
                    RETORT_CAP_DEFERRABLE_TRANSACTIONS | RETORT_CAP_IDENTITY_COLUMNS |
                    RETORT_CAP_PARTIAL_INDEXES,
    .reserved_words = kReservedWords,
    // The protocol's limit (an Int16 count in Bind).  libpq before 17 cannot receive the
    // description of more than 7498 parameters; the driver does not ask for it then.
    .max_parameters = 65535,
    .boolean_literals = RETORT_BOOLEAN_LITERALS_KEYWORDS,
    .render = render,
    .reflect = &sdk::reflect_hook<&reflect>,
    .isolation_levels = kIsolationLevels,
};

}  // namespace

const retort_dialect& postgresql_dialect() noexcept {
  return kDialect;
}

}  // namespace retort::postgresql
