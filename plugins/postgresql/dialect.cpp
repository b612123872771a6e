// plugins/postgresql/dialect.cpp — the `postgresql` dialect: PostgreSQL's SQL flavour, as data.
// SPDX-License-Identifier: MIT
#include "dialect.hpp"

namespace retort::postgresql {
namespace {

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
                    RETORT_CAP_NATIVE_DECIMAL | RETORT_CAP_NATIVE_UUID | RETORT_CAP_NATIVE_ENUM,
    .reserved_words = kReservedWords,
    // The Bind message counts parameters in an Int16.
    .max_parameters = 65535,
};

}  // namespace

const retort_dialect& postgresql_dialect() noexcept {
  return kDialect;
}

}  // namespace retort::postgresql
