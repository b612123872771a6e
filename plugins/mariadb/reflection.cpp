// plugins/mariadb/reflection.cpp — reflection from information_schema (MySQL and MariaDB).
// SPDX-License-Identifier: MIT
#include "reflection.hpp"

#include "unsigned_type.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace retort::mariadb {
namespace {

using sdk::Error;
using sdk::QueryRows;
using sdk::ReflectParam;
using sdk::ReflectRows;

// Every per-table query's first two parameters: the database, then the table.
constexpr const char* kTable = "TABLE_SCHEMA = coalesce(?, DATABASE()) AND TABLE_NAME = ?";

ReflectParam param(const char* s) {
  if (s == nullptr) return nullptr;
  return std::string(s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The driver's version string says "MariaDB" over Connector/C, not over ODBC (SQL_DBMS_VER is
// the bare number): then VERSION() tells.
bool is_mariadb(sdk::Reflector& r) {
  const std::string version = lower(r.server_version());
  if (version.find("mariadb") != std::string::npos) return true;
  if (version.find('-') != std::string::npos) return false;  // MySQL's `8.0.36-log`
  QueryRows rows = r.query("SELECT VERSION()");
  return rows.size() > 0 && lower(rows.text(0, 0)).find("mariadb") != std::string::npos;
}

void text_or_null(ReflectRows& out, std::string_view v) {
  if (v.empty()) {
    out.null();
  } else {
    out.text(v);
  }
}

bool plain_identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// MariaDB's JSON is LONGTEXT with CHECK (json_valid(`column`)): the columns so checked.
std::set<std::string> json_columns(const std::vector<std::pair<std::string, std::string>>& checks) {
  std::set<std::string> out;
  for (const auto& [name, clause] : checks) {
    const std::string c = lower(portable_sql(clause));
    if (c.rfind("json_valid(", 0) == 0 && c.back() == ')') {
      out.insert(portable_sql(clause).substr(11, c.size() - 12));
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> check_constraints(sdk::Reflector& r,
                                                                   const char* schema,
                                                                   const char* name) {
  // MariaDB's CHECK_CONSTRAINTS has TABLE_NAME (its check names are per table); MySQL's
  // names are per database.
  const std::string same_table = is_mariadb(r) ? " AND c.TABLE_NAME = t.TABLE_NAME" : "";
  QueryRows rows = r.query(
      "SELECT t.CONSTRAINT_NAME, c.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS t "
      "JOIN information_schema.CHECK_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA "
      "AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME" +
          same_table +
          " WHERE t.TABLE_SCHEMA = coalesce(?, DATABASE()) AND t.TABLE_NAME = ? "
          "AND t.CONSTRAINT_TYPE = 'CHECK' ORDER BY t.CONSTRAINT_NAME",
      {param(schema), param(name)});
  std::vector<std::pair<std::string, std::string>> out;
  for (int64_t i = 0; i < rows.size(); ++i) out.emplace_back(rows.str(i, 0), rows.str(i, 1));
  return out;
}

void list_tables(sdk::Reflector& r, const char* schema, const char* name, const char* type,
                 bool with_definition) {
  std::string sql = "SELECT t.TABLE_NAME";
  sql += with_definition ? ", v.VIEW_DEFINITION" : "";
  sql += " FROM information_schema.TABLES t";
  if (with_definition) {
    sql +=
        " LEFT JOIN information_schema.VIEWS v ON v.TABLE_SCHEMA = t.TABLE_SCHEMA "
        "AND v.TABLE_NAME = t.TABLE_NAME";
  }
  sql +=
      " WHERE t.TABLE_SCHEMA = coalesce(?, DATABASE()) AND t.TABLE_TYPE = ? "
      "AND (? IS NULL OR t.TABLE_NAME = ?) ORDER BY t.TABLE_NAME";
  QueryRows rows = r.query(sql, {param(schema), std::string(type), param(name), param(name)});
  ReflectRows out(with_definition ? "TT" : "T");
  for (int64_t i = 0; i < rows.size(); ++i) {
    out.text(rows.str(i, 0));
    if (with_definition) out.text(rows.opt(i, 1));
    out.end_row();
  }
  r.emit(out);
}

// A COLUMN_DEFAULT as SQL: MariaDB ≥ 10.2.7 already writes literals quoted (and no default as
// the text NULL); MySQL writes the bare value, and marks expressions DEFAULT_GENERATED.
std::optional<std::string> column_default(bool mariadb, const std::optional<std::string>& def,
                                          const std::string& extra, const std::string& data_type) {
  if (!def) return std::nullopt;
  if (mariadb) {
    if (*def == "NULL") return std::nullopt;
    return def;
  }
  if (lower(extra).find("default_generated") != std::string::npos) return def;
  static const std::set<std::string> numeric = {"tinyint", "smallint", "mediumint", "int",
                                                "integer", "bigint",   "decimal",   "numeric",
                                                "float",   "double",   "real",      "bit"};
  if (numeric.count(data_type)) return def;
  std::string quoted = "'";
  for (char c : *def) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

void reflect_columns(sdk::Reflector& r, const char* schema, const char* name) {
  const bool mariadb = is_mariadb(r);
  QueryRows rows = r.query(
      std::string("SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
                  "EXTRA, COLUMN_COMMENT, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, "
                  "NUMERIC_SCALE FROM information_schema.COLUMNS WHERE ") +
          kTable + " ORDER BY ORDINAL_POSITION",
      {param(schema), param(name)});
  const auto json = mariadb && rows.size() > 0 ? json_columns(check_constraints(r, schema, name))
                                               : std::set<std::string>{};
  ReflectRows out("TTIIIIIITIITTLIIT");
  for (int64_t i = 0; i < rows.size(); ++i) {
    const std::string column = rows.str(i, 0);
    const std::string column_type = lower(rows.text(i, 1));
    const std::string data_type = lower(rows.text(i, 2));
    const std::string extra = rows.str(i, 5);
    int32_t generic = RETORT_GENERIC_NULL;
    std::optional<int64_t> length, precision, scale;
    std::vector<std::string> values;
    if (data_type == "tinyint") {
      generic = column_type.rfind("tinyint(1)", 0) == 0 ? RETORT_GENERIC_BOOLEAN
                                                        : RETORT_GENERIC_SMALLINT;
    } else if (data_type == "smallint") {
      generic = RETORT_GENERIC_SMALLINT;
    } else if (data_type == "mediumint" || data_type == "int" || data_type == "integer") {
      generic = RETORT_GENERIC_INTEGER;
    } else if (data_type == "bigint") {
      generic = RETORT_GENERIC_BIGINT;
    } else if (data_type == "decimal" || data_type == "numeric") {
      generic = RETORT_GENERIC_NUMERIC;
      if (!rows.is_null(i, 8)) precision = rows.integer(i, 8);
      if (!rows.is_null(i, 9)) scale = rows.integer(i, 9);
    } else if (data_type == "float") {
      generic = RETORT_GENERIC_FLOAT;
    } else if (data_type == "double" || data_type == "real") {
      generic = RETORT_GENERIC_DOUBLE;
    } else if (data_type == "varchar" || data_type == "char") {
      generic = RETORT_GENERIC_STRING;
      if (!rows.is_null(i, 7)) length = rows.integer(i, 7);
    } else if (data_type == "tinytext" || data_type == "text" || data_type == "mediumtext" ||
               data_type == "longtext") {
      generic = json.count(column) ? RETORT_GENERIC_JSON : RETORT_GENERIC_TEXT;
    } else if (data_type == "json") {
      generic = RETORT_GENERIC_JSON;
    } else if (data_type == "date") {
      generic = RETORT_GENERIC_DATE;
    } else if (data_type == "time") {
      generic = RETORT_GENERIC_TIME;
    } else if (data_type == "datetime" || data_type == "timestamp") {
      generic = RETORT_GENERIC_DATETIME;
    } else if (data_type == "blob" || data_type == "tinyblob" || data_type == "mediumblob" ||
               data_type == "longblob" || data_type == "binary" || data_type == "varbinary") {
      generic = RETORT_GENERIC_LARGE_BINARY;
    } else if (data_type == "uuid") {
      generic = RETORT_GENERIC_UUID;
    } else if (data_type == "enum") {
      generic = RETORT_GENERIC_ENUM;
      values = parse_enum_values(rows.text(i, 1));
    }
    const bool autoincrement = lower(extra).find("auto_increment") != std::string::npos;
    out.text(column).text(rows.str(i, 1)).integer(int64_t{generic});
    out.integer(length).integer(precision).integer(scale).integer(int64_t{0});
    out.integer(int64_t{rows.text(i, 3) == "YES" ? 1 : 0});
    out.text(column_default(mariadb, rows.opt(i, 4), extra, data_type));
    out.integer(int64_t{autoincrement ? 1 : 0}).integer(int64_t{0});
    text_or_null(out, rows.text(i, 6));
    out.null().list(values);
    out.null().null();  // no identity options: AUTO_INCREMENT has none per column
    // UNSIGNED integers are the plugin's own types (unsigned_type.hpp).
    const char* unsigned_type =
        generic == RETORT_GENERIC_BOOLEAN ? nullptr : unsigned_type_for(column_type);
    if (unsigned_type != nullptr) {
      out.text(unsigned_type);
    } else {
      out.null();
    }
    out.end_row();
  }
  r.emit(out);
}

std::string quote_name(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

// MariaDB's sequences (10.3+): the options are read from the sequence itself, a one-row
// table.  The last value handed out is not kept; next_not_cached_value (the first value no
// session has cached) minus one increment is the last any session may have used.
void reflect_sequences(sdk::Reflector& r, const char* schema, const char* name) {
  QueryRows names = r.query(
      "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
      "WHERE TABLE_SCHEMA = coalesce(?, DATABASE()) AND TABLE_TYPE = 'SEQUENCE' "
      "AND (? IS NULL OR TABLE_NAME = ?) ORDER BY TABLE_NAME",
      {param(schema), param(name), param(name)});
  ReflectRows out("TIIIIIII");
  for (int64_t i = 0; i < names.size(); ++i) {
    QueryRows seq = r.query(
        "SELECT start_value, increment, minimum_value, maximum_value, cycle_option, "
        "next_not_cached_value FROM " +
        quote_name(names.text(i, 0)) + "." + quote_name(names.text(i, 1)));
    if (seq.size() == 0) continue;
    const int64_t start = seq.integer(0, 0), increment = seq.integer(0, 1);
    const int64_t next = seq.integer(0, 5);
    const bool ascending = increment > 0;
    auto unless = [&](int64_t v, int64_t default_value) {
      if (v == default_value) {
        out.null();
      } else {
        out.integer(v);
      }
    };
    out.text(names.str(i, 1));
    unless(start, ascending ? 1 : -1);
    unless(increment, 1);
    unless(seq.integer(0, 2), ascending ? 1 : -9223372036854775807LL);
    unless(seq.integer(0, 3), ascending ? 9223372036854775806LL : -1);
    out.integer(int64_t{seq.integer(0, 4) != 0 ? 1 : 0});
    out.integer(int64_t{0});
    if (next == start) {
      out.null();
    } else {
      out.integer(next - increment);
    }
    out.end_row();
  }
  r.emit(out);
}

void reflect_primary_key(sdk::Reflector& r, const char* schema, const char* name) {
  QueryRows rows =
      r.query(std::string("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE ") +
                  kTable + " AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
              {param(schema), param(name)});
  if (rows.size() == 0) return;
  std::vector<std::string> cols;
  for (int64_t i = 0; i < rows.size(); ++i) cols.push_back(rows.str(i, 0));
  ReflectRows out("TL");
  out.null().list(cols).end_row();
  r.emit(out);
}

const char* rule(std::string_view r) {
  if (r == "CASCADE") return "CASCADE";
  if (r == "SET NULL") return "SET NULL";
  if (r == "SET DEFAULT") return "SET DEFAULT";
  return "";  // RESTRICT and NO ACTION: the same in InnoDB, and the default
}

void reflect_foreign_keys(sdk::Reflector& r, const char* schema, const char* name) {
  QueryRows rows = r.query(
      "SELECT k.CONSTRAINT_NAME, k.COLUMN_NAME, CASE WHEN k.REFERENCED_TABLE_SCHEMA = "
      "DATABASE() THEN NULL ELSE k.REFERENCED_TABLE_SCHEMA END, k.REFERENCED_TABLE_NAME, "
      "k.REFERENCED_COLUMN_NAME, c.DELETE_RULE, c.UPDATE_RULE "
      "FROM information_schema.KEY_COLUMN_USAGE k "
      "JOIN information_schema.REFERENTIAL_CONSTRAINTS c "
      "ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
      "AND c.TABLE_NAME = k.TABLE_NAME "
      "WHERE k.TABLE_SCHEMA = coalesce(?, DATABASE()) AND k.TABLE_NAME = ? "
      "AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
      {param(schema), param(name)});
  ReflectRows out("TLTTLTTIT");
  int64_t i = 0;
  while (i < rows.size()) {
    const std::string con = rows.str(i, 0);
    const int64_t first = i;
    std::vector<std::string> local, referred;
    for (; i < rows.size() && rows.text(i, 0) == con; ++i) {
      local.push_back(rows.str(i, 1));
      referred.push_back(rows.str(i, 4));
    }
    out.text(con).list(local).text(rows.opt(first, 2)).text(rows.str(first, 3)).list(referred);
    text_or_null(out, rule(rows.text(first, 5)));
    text_or_null(out, rule(rows.text(first, 6)));
    out.null().null().end_row();
  }
  r.emit(out);
}

struct IndexInfo {
  std::string name;
  bool unique = false;
  std::vector<std::string> columns, expressions;
  bool has_expression = false;
};

std::vector<IndexInfo> statistics(sdk::Reflector& r, const char* schema, const char* name) {
  // Functional key parts (MySQL ≥ 8.0.13) have EXPRESSION; MariaDB has no such column.
  const std::string expression = is_mariadb(r) ? "NULL" : "EXPRESSION";
  QueryRows rows = r.query("SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, " + expression +
                               " FROM information_schema.STATISTICS WHERE " + kTable +
                               " AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX",
                           {param(schema), param(name)});
  std::vector<IndexInfo> out;
  for (int64_t i = 0; i < rows.size(); ++i) {
    const std::string index = rows.str(i, 0);
    if (out.empty() || out.back().name != index) {
      out.push_back({index, rows.integer(i, 1) == 0, {}, {}, false});
    }
    IndexInfo& ix = out.back();
    if (rows.is_null(i, 2)) {
      ix.columns.emplace_back();
      ix.expressions.push_back(portable_sql(rows.text(i, 3)));
      ix.has_expression = true;
    } else {
      ix.columns.push_back(rows.str(i, 2));
      ix.expressions.emplace_back();
    }
  }
  return out;
}

void reflect_indexes(sdk::Reflector& r, const char* schema, const char* name, bool unique) {
  ReflectRows out(unique ? "TL" : "TILL");
  for (const auto& ix : statistics(r, schema, name)) {
    // A unique index on plain columns is how MySQL keeps a UNIQUE constraint.
    const bool constraint = ix.unique && !ix.has_expression;
    if (constraint != unique) continue;
    out.text(ix.name);
    if (!unique) out.integer(int64_t{ix.unique ? 1 : 0});
    out.list(ix.columns);
    if (!unique) out.list(ix.expressions);
    out.end_row();
  }
  r.emit(out);
}

void reflect_checks(sdk::Reflector& r, const char* schema, const char* name) {
  const auto checks = check_constraints(r, schema, name);
  const auto json = is_mariadb(r) ? json_columns(checks) : std::set<std::string>{};
  ReflectRows out("TT");
  for (const auto& [con, clause] : checks) {
    const std::string text = portable_sql(clause);
    if (!json.empty() && json_columns({{con, clause}}).size() == 1) continue;
    out.text(con).text(text).end_row();
  }
  r.emit(out);
}

void reflect_table_comment(sdk::Reflector& r, const char* schema, const char* name) {
  QueryRows rows =
      r.query(std::string("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE ") + kTable,
              {param(schema), param(name)});
  ReflectRows out("T");
  for (int64_t i = 0; i < rows.size(); ++i) {
    text_or_null(out, rows.text(i, 0));
    out.end_row();
  }
  r.emit(out);
}

}  // namespace

std::vector<std::string> parse_enum_values(std::string_view column_type) {
  std::vector<std::string> out;
  const size_t open = column_type.find('(');
  if (open == std::string_view::npos) return out;
  size_t i = open + 1;
  while (i < column_type.size()) {
    if (column_type[i] != '\'') {
      ++i;
      continue;
    }
    std::string value;
    ++i;
    while (i < column_type.size()) {
      const char c = column_type[i];
      if (c == '\'' && i + 1 < column_type.size() && column_type[i + 1] == '\'') {
        value += '\'';
        i += 2;
      } else if (c == '\\' && i + 1 < column_type.size()) {
        value += column_type[i + 1];
        i += 2;
      } else if (c == '\'') {
        ++i;
        break;
      } else {
        value += c;
        ++i;
      }
    }
    out.push_back(std::move(value));
  }
  return out;
}

std::string portable_sql(std::string_view sql) {
  std::string out;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') {  // copy a string literal unchanged
      size_t j = i + 1;
      while (j < sql.size() && !(sql[j] == '\'' && (j + 1 >= sql.size() || sql[j + 1] != '\''))) {
        j += sql[j] == '\'' ? 2 : 1;
      }
      out.append(sql.substr(i, j + 1 - i));
      i = j;
    } else if (c == '`') {
      const size_t j = sql.find('`', i + 1);
      if (j == std::string_view::npos) {
        out.append(sql.substr(i));
        break;
      }
      const std::string_view ident = sql.substr(i + 1, j - i - 1);
      if (plain_identifier(ident)) {
        out.append(ident);
      } else {
        out.append(sql.substr(i, j + 1 - i));
      }
      i = j;
    } else {
      out += c;
    }
  }
  // Outer parentheses around the whole condition.
  while (out.size() >= 2 && out.front() == '(' && out.back() == ')') {
    int depth = 0;
    bool encloses = true;
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i] == '(') ++depth;
      if (out[i] == ')' && --depth == 0 && i + 1 != out.size()) {
        encloses = false;
        break;
      }
    }
    if (!encloses) break;
    out = out.substr(1, out.size() - 2);
  }
  return out;
}

void reflect(sdk::Reflector& r, uint32_t what, const char* schema, const char* name) {
  switch (what) {
    case RETORT_REFLECT_SCHEMAS: {
      QueryRows rows = r.query(
          "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN "
          "('information_schema', 'mysql', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME");
      ReflectRows out("T");
      for (int64_t i = 0; i < rows.size(); ++i) out.text(rows.str(i, 0)).end_row();
      r.emit(out);
      return;
    }
    case RETORT_REFLECT_TABLES:
      list_tables(r, schema, name, "BASE TABLE", false);
      return;
    case RETORT_REFLECT_VIEWS:
      list_tables(r, schema, name, "VIEW", true);
      return;
    case RETORT_REFLECT_SEQUENCES:
      if (!is_mariadb(r)) throw sdk::NotImplemented{};
      reflect_sequences(r, schema, name);
      return;
    default:
      break;
  }
  if (name == nullptr) throw Error(RETORT_INVALID_ARGUMENT, "reflection needs a table name");
  switch (what) {
    case RETORT_REFLECT_COLUMNS:
      reflect_columns(r, schema, name);
      return;
    case RETORT_REFLECT_PRIMARY_KEY:
      reflect_primary_key(r, schema, name);
      return;
    case RETORT_REFLECT_FOREIGN_KEYS:
      reflect_foreign_keys(r, schema, name);
      return;
    case RETORT_REFLECT_INDEXES:
      reflect_indexes(r, schema, name, false);
      return;
    case RETORT_REFLECT_UNIQUE_CONSTRAINTS:
      reflect_indexes(r, schema, name, true);
      return;
    case RETORT_REFLECT_CHECK_CONSTRAINTS:
      reflect_checks(r, schema, name);
      return;
    case RETORT_REFLECT_TABLE_COMMENT:
      reflect_table_comment(r, schema, name);
      return;
    default:
      throw sdk::NotImplemented{};
  }
}

}  // namespace retort::mariadb
