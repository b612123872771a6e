// plugins/mariadb/dialect.cpp — the `mysql` and `mariadb` dialects: MySQL's and MariaDB's SQL
// flavours, as data and a render hook.
// SPDX-License-Identifier: MIT
#include "dialect.hpp"

#include "reflection.hpp"
#include "reserved_words.hpp"

#include <retort/sdk/plugin.hpp>

#include <cstdio>
#include <cstring>
#include <string>

namespace retort::mariadb {
namespace {

// The two flavours share one hook; they differ in a few spellings.
enum class Flavour { mysql, mariadb };

void emit(const retort_render_api* api, retort_render_ctx* ctx, const char* text) {
  api->emit(ctx, text, std::strlen(text));
}

void emit(const retort_render_api* api, retort_render_ctx* ctx, const std::string& text) {
  api->emit(ctx, text.data(), text.size());
}

const char* dialect_name(Flavour f) {
  return f == Flavour::mysql ? "mysql" : "mariadb";
}

// The construct cannot be expressed: the host raises CompileError with `message`.
retort_status fail(retort_error* error, const std::string& message) {
  return sdk::set_error(error, RETORT_INVALID_ARGUMENT, message);
}

int64_t int_attr(const retort_render_api* api, retort_render_ctx* ctx, const char* key,
                 bool* present = nullptr) {
  int32_t here = 0;
  const int64_t value = api->int_attr(ctx, key, &here);
  if (present != nullptr) *present = here != 0;
  return value;
}

// The server a statement is rendered for, from its version text ("10.11.6-MariaDB-…",
// "8.0.36"); `known` is false before the engine has connected.
struct Server {
  bool known = false;
  bool mariadb = false;
  int major = 0, minor = 0, patch = 0;
  bool at_least(int a, int b, int c) const {
    return major != a ? major > a : minor != b ? minor > b : patch >= c;
  }
};

Server parse_server(const char* text) {
  Server s;
  if (text == nullptr || *text == '\0') return s;
  std::string v(text);
  // Old MariaDB servers prefix "5.5.5-" for MySQL clients.
  if (v.rfind("5.5.5-", 0) == 0 && v.find("MariaDB") != std::string::npos) v.erase(0, 6);
  if (std::sscanf(v.c_str(), "%d.%d.%d", &s.major, &s.minor, &s.patch) < 2) return s;
  s.known = true;
  s.mariadb = v.find("MariaDB") != std::string::npos;
  return s;
}

Server server(const retort_render_api* api, retort_render_ctx* ctx) {
  if (!RETORT_HAS_FIELD(api, retort_render_api, server_version)) return {};
  size_t length = 0;
  return parse_server(api->server_version(ctx, &length));
}

// A MySQL string literal: quotes doubled, and backslashes doubled because they escape in the
// default sql_mode (without NO_BACKSLASH_ESCAPES), as SQLAlchemy assumes before it connects.
std::string string_literal(const char* text, size_t length) {
  std::string out = "'";
  for (size_t i = 0; i < length; ++i) {
    if (text[i] == '\'' || text[i] == '\\') out += text[i];
    out += text[i];
  }
  out += '\'';
  return out;
}

// ENUM('a','b'): MySQL's inline enumerated type, spelled as SQLAlchemy's MySQL ENUM does.
retort_status render_enum(const retort_render_api* api, retort_render_ctx* ctx, Flavour f,
                          retort_error* error) {
  const int64_t count = int_attr(api, ctx, "value_count");
  if (count <= 0) {
    return fail(error,
                std::string("ENUM requires at least one value on dialect ") + dialect_name(f));
  }
  std::string sql = "ENUM(";
  for (int64_t i = 0; i < count; ++i) {
    const std::string key = "value." + std::to_string(i);
    size_t length = 0;
    const char* value = api->str_attr(ctx, key.c_str(), &length);
    if (value == nullptr) return fail(error, "the host passed no " + key + " for the ENUM");
    if (i != 0) sql += ',';
    sql += string_literal(value, length);
  }
  sql += ')';
  emit(api, ctx, sql);
  return RETORT_OK;
}

// The `mariadb` dialect on MariaDB ≥ 10.7, or before the server is known.
bool native_uuid(const retort_render_api* api, retort_render_ctx* ctx, Flavour f) {
  if (f != Flavour::mariadb) return false;
  const Server s = server(api, ctx);
  return !s.known || (s.mariadb && s.at_least(10, 7, 0));
}

// DDL types, as SQLAlchemy's MySQL and MariaDB type compilers render the generic types.
retort_status render_type(const retort_render_api* api, retort_render_ctx* ctx, Flavour f,
                          retort_error* error) {
  bool has_length = false;
  const int64_t length = int_attr(api, ctx, "length", &has_length);
  switch (int_attr(api, ctx, "type")) {
    case RETORT_GENERIC_BOOLEAN:
      emit(api, ctx, "BOOL");
      return RETORT_OK;
    case RETORT_GENERIC_DOUBLE:
      emit(api, ctx, "DOUBLE");
      return RETORT_OK;
    case RETORT_GENERIC_STRING:
    case RETORT_GENERIC_UNICODE:
      // MySQL has no unbounded VARCHAR; SQLAlchemy's message.
      if (!has_length) {
        return fail(error, std::string("VARCHAR requires a length on dialect ") + dialect_name(f));
      }
      return RETORT_NOT_IMPLEMENTED;  // VARCHAR(n)
    // DATETIME has no time zone; SQLAlchemy renders DateTime(timezone=True) as DATETIME too.
    // Six fractional digits keep microseconds (plain DATETIME drops them).
    case RETORT_GENERIC_DATETIME:
      emit(api, ctx, "DATETIME(6)");
      return RETORT_OK;
    case RETORT_GENERIC_TIME:
      emit(api, ctx, "TIME(6)");
      return RETORT_OK;
    // No INTERVAL type: the core stores an Interval as the DATETIME that far after
    // 1970-01-01 (SQLAlchemy's non-native Interval).
    case RETORT_GENERIC_INTERVAL:
      emit(api, ctx, "DATETIME(6)");
      return RETORT_OK;
    case RETORT_GENERIC_LARGE_BINARY:
      emit(api, ctx, has_length ? "BLOB(" + std::to_string(length) + ")" : std::string("BLOB"));
      return RETORT_OK;
    case RETORT_GENERIC_UUID:
      // MariaDB ≥ 10.7 has a native UUID type, which SQLAlchemy 2.0 uses unless it knows the
      // server is older; MySQL has none: 32 hexadecimal digits, as SQLAlchemy's Uuid.
      emit(api, ctx, native_uuid(api, ctx, f) ? "UUID" : "CHAR(32)");
      return RETORT_OK;
    case RETORT_GENERIC_ENUM:
      return render_enum(api, ctx, f, error);
    default:
      // INTEGER, SMALLINT, BIGINT, FLOAT[(p)], NUMERIC(p, s), TEXT, DATE, TIME, JSON.
      return RETORT_NOT_IMPLEMENTED;
  }
}

// CAST accepts only a few type names on MySQL and MariaDB (BINARY, CHAR, DATE, DATETIME,
// DECIMAL, DOUBLE, FLOAT, JSON, SIGNED, TIME, UNSIGNED, …); SQLAlchemy's MySQL compiler maps
// the generic types onto them the same way.
retort_status render_cast_type(const retort_render_api* api, retort_render_ctx* ctx, Flavour f,
                               retort_error* error) {
  bool has_length = false, has_precision = false, has_scale = false;
  const int64_t length = int_attr(api, ctx, "length", &has_length);
  const int64_t precision = int_attr(api, ctx, "precision", &has_precision);
  const int64_t scale = int_attr(api, ctx, "scale", &has_scale);
  const int64_t type = int_attr(api, ctx, "type");
  switch (type) {
    case RETORT_GENERIC_INTEGER:
    case RETORT_GENERIC_SMALLINT:
    case RETORT_GENERIC_BIGINT:
      emit(api, ctx, "SIGNED INTEGER");
      return RETORT_OK;
    case RETORT_GENERIC_NUMERIC: {
      std::string sql = "DECIMAL";
      if (has_precision && has_scale) {
        sql += "(" + std::to_string(precision) + ", " + std::to_string(scale) + ")";
      } else if (has_precision) {
        sql += "(" + std::to_string(precision) + ")";
      }
      emit(api, ctx, sql);
      return RETORT_OK;
    }
    case RETORT_GENERIC_FLOAT:
      emit(api, ctx,
           has_precision ? "FLOAT(" + std::to_string(precision) + ")" : std::string("FLOAT"));
      return RETORT_OK;
    case RETORT_GENERIC_DOUBLE:
      emit(api, ctx, "DOUBLE");
      return RETORT_OK;
    case RETORT_GENERIC_STRING:
    case RETORT_GENERIC_UNICODE:
    case RETORT_GENERIC_TEXT:
    case RETORT_GENERIC_ENUM:
      emit(api, ctx, has_length ? "CHAR(" + std::to_string(length) + ")" : std::string("CHAR"));
      return RETORT_OK;
    case RETORT_GENERIC_DATE:
      emit(api, ctx, "DATE");
      return RETORT_OK;
    case RETORT_GENERIC_TIME:
      emit(api, ctx, "TIME");
      return RETORT_OK;
    case RETORT_GENERIC_DATETIME:
      emit(api, ctx, "DATETIME");
      return RETORT_OK;
    case RETORT_GENERIC_LARGE_BINARY:
      emit(api, ctx, "BINARY");
      return RETORT_OK;
    case RETORT_GENERIC_JSON:
      emit(api, ctx, "JSON");
      return RETORT_OK;
    case RETORT_GENERIC_UUID:
      // MariaDB's UUID type accepts CAST; MySQL's stand-in is its CHAR(32) text.
      emit(api, ctx, native_uuid(api, ctx, f) ? "UUID" : "CHAR(32)");
      return RETORT_OK;
    default:
      // BOOLEAN (BOOL is TINYINT(1), which CAST does not name) and INTERVAL: SQLAlchemy skips
      // such a CAST with a warning; Retort says so instead of changing the SQL silently.
      return fail(error, std::string(f == Flavour::mysql ? "MySQL" : "MariaDB") +
                             " has no CAST target for it");
  }
}

// SQLAlchemy's order: `id INTEGER NOT NULL AUTO_INCREMENT`.
retort_status render_autoincrement(const retort_render_api* api, retort_render_ctx* ctx) {
  // A server default and AUTO_INCREMENT exclude each other; SQLAlchemy keeps the default.
  if (int_attr(api, ctx, "server_default") != 0) return RETORT_NOT_IMPLEMENTED;
  retort_status st = api->emit_child(ctx, 0);
  if (st == RETORT_OK) st = api->emit_child(ctx, 1);
  if (st != RETORT_OK) return st;
  emit(api, ctx, " AUTO_INCREMENT");
  return RETORT_OK;
}

// MySQL's `LIMIT [offset,] count`; an OFFSET alone needs the largest row count, as in
// SQLAlchemy (and the MySQL manual).
retort_status render_limit_offset(const retort_render_api* api, retort_render_ctx* ctx) {
  const bool has_limit = int_attr(api, ctx, "has_limit") != 0;
  const bool has_offset = int_attr(api, ctx, "has_offset") != 0;
  if (!has_offset) return RETORT_NOT_IMPLEMENTED;  // ` LIMIT ?`, the core's default
  emit(api, ctx, " LIMIT ");
  retort_status st = api->emit_child(ctx, 1);
  if (st != RETORT_OK) return st;
  if (!has_limit) {
    emit(api, ctx, ", 18446744073709551615");
    return RETORT_OK;
  }
  emit(api, ctx, ", ");
  return api->emit_child(ctx, 0);
}

const char* product(Flavour f) {
  return f == Flavour::mysql ? "MySQL" : "MariaDB";
}

// Emits `text` (an SQL keyword run), then child `index`.
retort_status emit_then_child(const retort_render_api* api, retort_render_ctx* ctx,
                              const char* text, int32_t index) {
  emit(api, ctx, text);
  return api->emit_child(ctx, index);
}

// Children 0 … n-1 separated by ", ".
retort_status emit_children(const retort_render_api* api, retort_render_ctx* ctx) {
  const int32_t count = api->child_count(ctx);
  for (int32_t i = 0; i < count; ++i) {
    if (i != 0) emit(api, ctx, ", ");
    const retort_status st = api->emit_child(ctx, i);
    if (st != RETORT_OK) return st;
  }
  return RETORT_OK;
}

// `a || b` is logical OR in MySQL's default sql_mode: concat(a, b, …), as SQLAlchemy.
retort_status render_concat(const retort_render_api* api, retort_render_ctx* ctx) {
  emit(api, ctx, "concat(");
  const retort_status st = emit_children(api, ctx);
  if (st != RETORT_OK) return st;
  emit(api, ctx, ")");
  return RETORT_OK;
}

// `<=>` is MySQL's null-safe equality.
retort_status render_is_distinct_from(const retort_render_api* api, retort_render_ctx* ctx) {
  const bool negate = int_attr(api, ctx, "negate") != 0;
  if (!negate) emit(api, ctx, "NOT (");
  retort_status st = emit_then_child(api, ctx, "", 0);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, " <=> ", 1);
  if (st != RETORT_OK) return st;
  if (!negate) emit(api, ctx, ")");
  return RETORT_OK;
}

// No NULLS FIRST/LAST: NULLs sort first ascending, so order by `x IS NULL` first (SQLAlchemy
// leaves this to the user; the ABI documents the emulation).
retort_status render_nulls_order(const retort_render_api* api, retort_render_ctx* ctx) {
  const bool first = int_attr(api, ctx, "nulls_first") != 0;
  retort_status st = api->emit_child(ctx, 1);
  if (st != RETORT_OK) return st;
  emit(api, ctx, first ? " IS NULL DESC, " : " IS NULL, ");
  return api->emit_child(ctx, 0);
}

retort_status render_function(const retort_render_api* api, retort_render_ctx* ctx) {
  size_t length = 0;
  const char* name = api->str_attr(ctx, "name", &length);
  if (name == nullptr || std::string(name, length) != "random") return RETORT_NOT_IMPLEMENTED;
  emit(api, ctx, "rand(");
  const retort_status st = emit_children(api, ctx);
  if (st != RETORT_OK) return st;
  emit(api, ctx, ")");
  return RETORT_OK;
}

retort_status render_between_symmetric(const retort_render_api* api, retort_render_ctx* ctx) {
  retort_status st = emit_then_child(api, ctx, "(", 0);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, " BETWEEN ", 1);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, " AND ", 2);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, " OR ", 0);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, " BETWEEN ", 2);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, " AND ", 1);
  if (st != RETORT_OK) return st;
  emit(api, ctx, ")");
  return RETORT_OK;
}

// MySQL 8: FOR UPDATE / FOR SHARE [OF t, …] [NOWAIT | SKIP LOCKED].  MariaDB: FOR UPDATE /
// LOCK IN SHARE MODE, no OF.  Neither has PostgreSQL's key-level locks.
retort_status render_for_update(const retort_render_api* api, retort_render_ctx* ctx, Flavour f,
                                retort_error* error) {
  const bool read = int_attr(api, ctx, "read") != 0;
  if (int_attr(api, ctx, "key_share") != 0) {
    return fail(error, std::string(product(f)) + " has no " +
                           (read ? "FOR KEY SHARE" : "FOR NO KEY UPDATE") + " lock");
  }
  const bool has_of = int_attr(api, ctx, "has_of") != 0;
  // The `mysql` dialect on a MariaDB server speaks MariaDB's locking syntax.
  const bool mariadb_syntax = f == Flavour::mariadb || server(api, ctx).mariadb;
  if (has_of && mariadb_syntax) {
    return fail(error, "MariaDB cannot name the locked tables (no FOR UPDATE OF)");
  }
  if (!mariadb_syntax) {
    emit(api, ctx, read ? " FOR SHARE" : " FOR UPDATE");
  } else {
    emit(api, ctx, read ? " LOCK IN SHARE MODE" : " FOR UPDATE");
  }
  if (has_of) {
    const retort_status st = emit_then_child(api, ctx, " OF ", 0);
    if (st != RETORT_OK) return st;
  }
  if (int_attr(api, ctx, "nowait") != 0) emit(api, ctx, " NOWAIT");
  if (int_attr(api, ctx, "skip_locked") != 0) emit(api, ctx, " SKIP LOCKED");
  return RETORT_OK;
}

// MariaDB ≥ 10.5: INSERT … RETURNING and DELETE … RETURNING; MySQL: none.
retort_status render_returning(const retort_render_api* api, retort_render_ctx* ctx, Flavour f,
                               retort_error* error) {
  if (f == Flavour::mysql) return fail(error, "MySQL has no RETURNING clause");
  const int64_t statement = int_attr(api, ctx, "statement");
  if (statement != 1 && statement != 3) {
    return fail(error, "MariaDB has RETURNING for INSERT and DELETE only, not for UPDATE");
  }
  return emit_then_child(api, ctx, " RETURNING ", 0);
}

// `UPDATE t, other SET t.x=? WHERE …`: the SET list is qualified, since several tables are
// in scope.
retort_status render_multi_table_update(const retort_render_api* api, retort_render_ctx* ctx) {
  retort_status st = emit_then_child(api, ctx, "UPDATE ", 0);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, ", ", 1);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, " SET ", 4);
  if (st == RETORT_OK && int_attr(api, ctx, "has_where") != 0) {
    st = emit_then_child(api, ctx, " WHERE ", 3);
  }
  return st;
}

// `DELETE FROM t USING t, other WHERE …`: MySQL's USING lists every table, the target too.
retort_status render_multi_table_delete(const retort_render_api* api, retort_render_ctx* ctx) {
  retort_status st = emit_then_child(api, ctx, "DELETE FROM ", 0);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, " USING ", 0);
  if (st == RETORT_OK) st = emit_then_child(api, ctx, ", ", 1);
  if (st == RETORT_OK && int_attr(api, ctx, "has_where") != 0) {
    st = emit_then_child(api, ctx, " WHERE ", 2);
  }
  return st;
}

// MySQL ≥ 8.0.19 names the proposed row with an alias (`AS new`), and deprecates VALUES(col)
// from 8.0.20; MariaDB (and an unknown server) has VALUES(col) only.
bool row_alias(const retort_render_api* api, retort_render_ctx* ctx) {
  const Server s = server(api, ctx);
  return s.known && !s.mariadb && s.at_least(8, 0, 19);
}

// `VALUES(col)`: SQLAlchemy's spelling, valid on MariaDB and on MySQL; `new.col` with the
// row alias.
retort_status render_excluded_column(const retort_render_api* api, retort_render_ctx* ctx) {
  if (int_attr(api, ctx, "context") != 2) return RETORT_NOT_IMPLEMENTED;
  size_t length = 0;
  const char* name = api->str_attr(ctx, "name", &length);
  if (name == nullptr) return RETORT_NOT_IMPLEMENTED;
  if (row_alias(api, ctx)) {
    emit(api, ctx, "new.");
    api->emit_identifier(ctx, name, length);
    return RETORT_OK;
  }
  emit(api, ctx, "VALUES(");
  api->emit_identifier(ctx, name, length);
  emit(api, ctx, ")");
  return RETORT_OK;
}

// MySQL and MariaDB compute bitwise operators in unsigned 64-bit arithmetic (`~0` is
// 18446744073709551615); CAST … AS SIGNED gives the two's-complement value every other
// backend returns.
retort_status render_bitwise(const retort_render_api* api, retort_render_ctx* ctx) {
  static constexpr const char* kOperators[] = {"", " & ", " | ", " ^ ", "", " << ", " >> "};
  const int64_t op = int_attr(api, ctx, "operator");
  if (op < RETORT_BITWISE_AND || op > RETORT_BITWISE_RSHIFT) return RETORT_NOT_IMPLEMENTED;
  retort_status st;
  if (op == RETORT_BITWISE_NOT) {
    st = emit_then_child(api, ctx, "CAST(~", 0);
  } else {
    st = emit_then_child(api, ctx, "CAST(", 0);
    if (st == RETORT_OK) st = emit_then_child(api, ctx, kOperators[op], 1);
  }
  if (st != RETORT_OK) return st;
  emit(api, ctx, " AS SIGNED)");
  return RETORT_OK;
}

// MariaDB has CREATE INDEX IF NOT EXISTS (the core's default); MySQL has not.
retort_status render_create_index(const retort_render_api* api, retort_render_ctx* ctx,
                                  retort_error* error) {
  if (int_attr(api, ctx, "if_not_exists") == 0) return RETORT_NOT_IMPLEMENTED;
  const Server s = server(api, ctx);
  if (s.known && !s.mariadb) {
    return fail(error,
                "MySQL has no CREATE INDEX IF NOT EXISTS; create the index without "
                "checkfirst, or check the information_schema first");
  }
  return RETORT_NOT_IMPLEMENTED;
}

// ` COMMENT 'c'` after a column, ` COMMENT='c'` after the table's parenthesis.  Rendered from
// the raw text rather than child 0, whose literal leaves backslashes undoubled.
retort_status render_inline_comment(const retort_render_api* api, retort_render_ctx* ctx) {
  size_t length = 0;
  const char* comment = api->str_attr(ctx, "comment", &length);
  if (comment == nullptr) return RETORT_NOT_IMPLEMENTED;
  const bool table = int_attr(api, ctx, "table") != 0;
  emit(api, ctx, (table ? " COMMENT=" : " COMMENT ") + string_literal(comment, length));
  return RETORT_OK;
}

// MariaDB's sequences: `nextval(name)`, as SQLAlchemy's MariaDB dialect renders it.
retort_status render_next_value(const retort_render_api* api, retort_render_ctx* ctx) {
  size_t name_length = 0, schema_length = 0;
  const char* name = api->str_attr(ctx, "name", &name_length);
  const char* schema = api->str_attr(ctx, "schema", &schema_length);
  if (name == nullptr) return RETORT_NOT_IMPLEMENTED;
  emit(api, ctx, "nextval(");
  if (schema != nullptr && schema_length != 0) {
    api->emit_identifier(ctx, schema, schema_length);
    emit(api, ctx, ".");
  }
  api->emit_identifier(ctx, name, name_length);
  emit(api, ctx, ")");
  return RETORT_OK;
}

// --- Regular expressions, DROP FOREIGN KEY ---

// `x REGEXP p` / `x NOT REGEXP p` and REGEXP_REPLACE (MySQL ≥ 8.0, MariaDB ≥ 10.0.5), as
// SQLAlchemy's MySQL dialect renders them.
retort_status render_regexp(const retort_render_api* api, retort_render_ctx* ctx) {
  if (int_attr(api, ctx, "replace") != 0) {
    retort_status st = emit_then_child(api, ctx, "REGEXP_REPLACE(", 0);
    if (st == RETORT_OK) st = emit_then_child(api, ctx, ", ", 1);
    if (st == RETORT_OK) st = emit_then_child(api, ctx, ", ", 2);
    emit(api, ctx, ")");
    return st;
  }
  retort_status st = api->emit_child(ctx, 0);
  if (st == RETORT_OK) {
    st = emit_then_child(api, ctx, int_attr(api, ctx, "negate") != 0 ? " NOT REGEXP " : " REGEXP ",
                         1);
  }
  return st;
}

// MySQL drops a foreign key with DROP FOREIGN KEY (the generic DROP CONSTRAINT only from
// 8.0.19).  MariaDB has IF EXISTS for both the table (10.5.2) and the key; MySQL has neither.
retort_status render_drop_constraint(const retort_render_api* api, retort_render_ctx* ctx,
                                     Flavour f, retort_error* error) {
  if (int_attr(api, ctx, "foreign_key") == 0) return RETORT_NOT_IMPLEMENTED;
  const bool if_exists = int_attr(api, ctx, "if_exists") != 0;
  // The `mysql` dialect on a MariaDB server may use MariaDB's IF EXISTS forms.
  if (if_exists && f == Flavour::mysql && !server(api, ctx).mariadb) {
    return fail(error,
                "MySQL has no ALTER TABLE IF EXISTS … DROP FOREIGN KEY IF EXISTS; drop the "
                "tables with checkfirst=false (drop_all(engine, false)) when they all exist");
  }
  retort_status st =
      emit_then_child(api, ctx, if_exists ? "ALTER TABLE IF EXISTS " : "ALTER TABLE ", 0);
  if (st == RETORT_OK) {
    st = emit_then_child(api, ctx,
                         if_exists ? " DROP FOREIGN KEY IF EXISTS " : " DROP FOREIGN KEY ", 1);
  }
  return st;
}

retort_status render(const retort_render_api* api, retort_render_ctx* ctx, uint32_t construct,
                     retort_error* error, Flavour f) {
  switch (construct) {
    case RETORT_CONSTRUCT_REGEXP:
      return render_regexp(api, ctx);
    case RETORT_CONSTRUCT_DROP_CONSTRAINT:
      return render_drop_constraint(api, ctx, f, error);
    case RETORT_CONSTRUCT_TYPE:
      return render_type(api, ctx, f, error);
    case RETORT_CONSTRUCT_CAST_TYPE:
      return render_cast_type(api, ctx, f, error);
    case RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN:
      return render_autoincrement(api, ctx);
    case RETORT_CONSTRUCT_LIMIT_OFFSET:
      return render_limit_offset(api, ctx);
    case RETORT_CONSTRUCT_EMPTY_SET:
      // SQLAlchemy's MySQL spelling: no CAST, whose targets are few, and a derived table to
      // hang the WHERE on.
      emit(api, ctx, "SELECT 1 FROM (SELECT 1) as _empty_set WHERE 1!=1");
      return RETORT_OK;
    case RETORT_CONSTRUCT_NEXT_VALUE:
      // Only asked with RETORT_CAP_SEQUENCES, which `mysql` does not declare.
      return render_next_value(api, ctx);
    case RETORT_CONSTRUCT_INLINE_COMMENT:
      return render_inline_comment(api, ctx);
    case RETORT_CONSTRUCT_CONCAT:
      return render_concat(api, ctx);
    // ILIKE: the core's `lower(x) LIKE lower(y)` is SQLAlchemy's; its ESCAPE literal doubles
    // backslashes (backslash_escapes below).
    case RETORT_CONSTRUCT_IS_DISTINCT_FROM:
      return render_is_distinct_from(api, ctx);
    case RETORT_CONSTRUCT_AGGREGATE_FILTER:
      return fail(error, std::string(product(f)) +
                             " has no FILTER clause; put a CASE expression inside the aggregate "
                             "instead (count(CASE WHEN … THEN 1 END))");
    case RETORT_CONSTRUCT_NULLS_ORDER:
      return render_nulls_order(api, ctx);
    case RETORT_CONSTRUCT_FUNCTION:
      return render_function(api, ctx);
    case RETORT_CONSTRUCT_BETWEEN_SYMMETRIC:
      return render_between_symmetric(api, ctx);
    case RETORT_CONSTRUCT_LATERAL:
      // MySQL ≥ 8.0.14 has LATERAL derived tables (the core's default); MariaDB has none.
      if (f == Flavour::mariadb) return fail(error, "MariaDB has no LATERAL derived tables");
      return RETORT_NOT_IMPLEMENTED;
    case RETORT_CONSTRUCT_FOR_UPDATE:
      return render_for_update(api, ctx, f, error);
    case RETORT_CONSTRUCT_FULL_JOIN:
      return fail(error, std::string(product(f)) + " has no FULL OUTER JOIN");
    case RETORT_CONSTRUCT_RETURNING:
      return render_returning(api, ctx, f, error);
    case RETORT_CONSTRUCT_MULTI_TABLE_UPDATE:
      return render_multi_table_update(api, ctx);
    case RETORT_CONSTRUCT_MULTI_TABLE_DELETE:
      return render_multi_table_delete(api, ctx);
    case RETORT_CONSTRUCT_ON_DUPLICATE_KEY_UPDATE:
      return emit_then_child(
          api, ctx,
          row_alias(api, ctx) ? " AS new ON DUPLICATE KEY UPDATE " : " ON DUPLICATE KEY UPDATE ",
          0);
    case RETORT_CONSTRUCT_BITWISE:
      return render_bitwise(api, ctx);
    case RETORT_CONSTRUCT_CREATE_INDEX:
      return render_create_index(api, ctx, error);
    case RETORT_CONSTRUCT_EXCLUDED_COLUMN:
      return render_excluded_column(api, ctx);
    // SET_OPERATOR and SET_MEMBER: INTERSECT and EXCEPT [ALL] exist in MySQL ≥ 8.0.31 and
    // MariaDB ≥ 10.3 (ALL ≥ 10.5), parenthesised members too: the core's defaults.
    // ANY_ALL: the default.  DISTINCT_ON: declined, the core raises.  EXTRACT: the default
    // EXTRACT(field FROM x).  TUPLE_IN_LIST: the default ((?, ?), (?, ?)).
    // ON_CONFLICT: declined; without RETORT_CAP_INSERT_ON_CONFLICT the core raises.
    default:
      return RETORT_NOT_IMPLEMENTED;
  }
}

retort_status render_mysql(const retort_render_api* api, retort_render_ctx* ctx, uint32_t construct,
                           retort_error* error) {
  return render(api, ctx, construct, error, Flavour::mysql);
}

retort_status render_mariadb(const retort_render_api* api, retort_render_ctx* ctx,
                             uint32_t construct, retort_error* error) {
  return render(api, ctx, construct, error, Flavour::mariadb);
}

// ALTER_CONSTRAINTS: foreign keys of a cycle are added with ALTER TABLE … ADD CONSTRAINT and
// dropped with DROP FOREIGN KEY (RETORT_CONSTRUCT_DROP_CONSTRAINT).
constexpr uint64_t kMysqlCapabilities =
    RETORT_CAP_SAVEPOINTS | RETORT_CAP_MULTIROW_INSERT | RETORT_CAP_CTE |
    RETORT_CAP_WINDOW_FUNCTIONS | RETORT_CAP_NATIVE_DECIMAL | RETORT_CAP_NATIVE_ENUM |
    RETORT_CAP_ALTER_CONSTRAINTS | RETORT_CAP_READ_ONLY_TRANSACTIONS;

// The `mysql` dialect renders for MySQL 8.0, whose column definitions take a named CHECK;
// MariaDB's do not.  Its hooks switch other spellings by the server version themselves.
uint64_t mysql_capabilities_for(const char* version, uint64_t capabilities) {
  const Server s = parse_server(version);
  if (s.known && s.mariadb) capabilities &= ~RETORT_CAP_NAMED_COLUMN_CHECKS;
  return capabilities;
}

// RETURNING arrived in MariaDB 10.5, sequences in 10.3, the UUID type in 10.7; a MySQL server
// has none of them.
uint64_t mariadb_capabilities_for(const char* version, uint64_t capabilities) {
  const Server s = parse_server(version);
  if (!s.known) return capabilities;
  if (!s.mariadb || !s.at_least(10, 5, 0)) capabilities &= ~RETORT_CAP_RETURNING;
  if (!s.mariadb || !s.at_least(10, 3, 0)) capabilities &= ~RETORT_CAP_SEQUENCES;
  if (!s.mariadb || !s.at_least(10, 7, 0)) capabilities &= ~RETORT_CAP_NATIVE_UUID;
  return capabilities;
}

// SET TRANSACTION ISOLATION LEVEL's four, and the driver's autocommit.
constexpr const char* kIsolationLevels[] = {"READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ",
                                            "SERIALIZABLE",     "AUTOCOMMIT",     nullptr};

constexpr retort_dialect kMysql = {
    .struct_size = sizeof(retort_dialect),
    .name = "mysql",
    .default_driver = "mariadbc",
    // Connector/C's prepared statements take `?`.
    .paramstyle = RETORT_PARAMSTYLE_QMARK,
    .max_identifier_length = 64,
    .quote_open = "`",
    .quote_close = "`",
    // DDL commits implicitly: no transactional DDL.
    .capabilities = kMysqlCapabilities | RETORT_CAP_NAMED_COLUMN_CHECKS,
    .reserved_words = kMysqlReservedWords,
    // The binary protocol counts a statement's parameters in 16 bits.
    .max_parameters = 65535,
    // BOOL is TINYINT(1), but MySQL has the TRUE and FALSE keywords; SQLAlchemy uses them.
    .boolean_literals = RETORT_BOOLEAN_LITERALS_KEYWORDS,
    .render = render_mysql,
    .reflect = &sdk::reflect_hook<&reflect>,
    // Backslashes escape in string literals unless sql_mode has NO_BACKSLASH_ESCAPES.
    .backslash_escapes = 1,
    .capabilities_for = mysql_capabilities_for,
    .server_version = nullptr,
    .isolation_levels = kIsolationLevels,
};

constexpr retort_dialect kMariadb = {
    .struct_size = sizeof(retort_dialect),
    .name = "mariadb",
    .default_driver = "mariadbc",
    .paramstyle = RETORT_PARAMSTYLE_QMARK,
    .max_identifier_length = 64,
    .quote_open = "`",
    .quote_close = "`",
    // RETURNING: INSERT and DELETE (10.5), not UPDATE.  Sequences: 10.3.  UUID: 10.7.
    .capabilities =
        kMysqlCapabilities | RETORT_CAP_RETURNING | RETORT_CAP_SEQUENCES | RETORT_CAP_NATIVE_UUID,
    .reserved_words = kMariadbReservedWords,
    .max_parameters = 65535,
    .boolean_literals = RETORT_BOOLEAN_LITERALS_KEYWORDS,
    .render = render_mariadb,
    .reflect = &sdk::reflect_hook<&reflect>,
    .backslash_escapes = 1,
    .capabilities_for = mariadb_capabilities_for,
    .server_version = nullptr,
    .isolation_levels = kIsolationLevels,
};

}  // namespace

const retort_dialect& mysql_dialect() noexcept {
  return kMysql;
}

const retort_dialect& mariadb_dialect() noexcept {
  return kMariadb;
}

}  // namespace retort::mariadb
