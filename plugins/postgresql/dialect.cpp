// plugins/postgresql/dialect.cpp — the `postgresql` dialect: PostgreSQL's SQL flavour, as data.
// SPDX-License-Identifier: MIT
#include "dialect.hpp"

#include <cstring>

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
    case RETORT_GENERIC_ENUM:
      return fail(error, "native ENUM types need CREATE TYPE, which is not supported yet");
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

retort_status render(const retort_render_api* api, retort_render_ctx* ctx, uint32_t construct,
                     retort_error* error) {
  switch (construct) {
    case RETORT_CONSTRUCT_TYPE:
      return render_type(api, ctx, error);
    case RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN:
      return render_autoincrement(api, ctx);
    default:
      return RETORT_NOT_IMPLEMENTED;  // LIMIT/OFFSET: the standard form.
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
                    RETORT_CAP_NATIVE_BOOLEAN | RETORT_CAP_RETURNING | RETORT_CAP_MULTIROW_INSERT |
                    RETORT_CAP_SEQUENCES | RETORT_CAP_CTE | RETORT_CAP_WINDOW_FUNCTIONS |
                    RETORT_CAP_NATIVE_DECIMAL | RETORT_CAP_NATIVE_UUID | RETORT_CAP_NATIVE_ENUM |
                    RETORT_CAP_NATIVE_INTERVAL,
    .reserved_words = kReservedWords,
    // The Bind message counts parameters in an Int16.
    .max_parameters = 65535,
    .boolean_literals = RETORT_BOOLEAN_LITERALS_KEYWORDS,
    .render = render,
};

}  // namespace

const retort_dialect& postgresql_dialect() noexcept {
  return kDialect;
}

}  // namespace retort::postgresql
