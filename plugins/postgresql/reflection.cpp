// plugins/postgresql/reflection.cpp — reflection from pg_catalog.
// SPDX-License-Identifier: MIT
#include "reflection.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <vector>

namespace retort::postgresql {
namespace {

using sdk::Error;
using sdk::QueryRows;
using sdk::ReflectParam;
using sdk::ReflectRows;

// Every query takes the schema as $1 (NULL: current_schema()) and a name as $2.
constexpr const char* kSchema = "n.nspname = coalesce($1::text, current_schema())";

ReflectParam param(const char* s) {
  if (s == nullptr) return nullptr;
  return std::string(s);
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

void text_or_null(ReflectRows& out, std::string_view v) {
  if (v.empty()) {
    out.null();
  } else {
    out.text(v);
  }
}

// Strips one pair of parentheses that encloses the whole of `s`.
std::string unwrap(std::string s) {
  s = trim(s);
  while (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    int depth = 0;
    bool encloses = true;
    bool in_string = false;
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '\'') in_string = !in_string;
      if (in_string) continue;
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0 && i + 1 != s.size()) {
        encloses = false;
        break;
      }
    }
    if (!encloses) break;
    s = trim(s.substr(1, s.size() - 2));
  }
  return s;
}

void list_relations(sdk::Reflector& r, const char* schema, const char* name, const char* kinds,
                    bool with_definition) {
  std::string sql = "SELECT c.relname";
  if (with_definition) sql += ", pg_get_viewdef(c.oid, true)";
  sql += std::string(" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ") +
         kSchema + " AND c.relkind IN (" + kinds +
         ") AND ($2::text IS NULL OR c.relname = $2::text) ORDER BY c.relname";
  QueryRows rows = r.query(sql, {param(schema), param(name)});
  ReflectRows out(with_definition ? "TT" : "T");
  for (int64_t i = 0; i < rows.size(); ++i) {
    out.text(rows.str(i, 0));
    if (with_definition) out.text(rows.opt(i, 1));
    out.end_row();
  }
  r.emit(out);
}

std::vector<std::string> enum_values(sdk::Reflector& r, const std::string& type_oid) {
  QueryRows rows = r.query(
      "SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = $1::text::oid "
      "ORDER BY e.enumsortorder",
      {type_oid});
  std::vector<std::string> out;
  for (int64_t i = 0; i < rows.size(); ++i) out.push_back(rows.str(i, 0));
  return out;
}

// The array plugin type (array_type.hpp) of an array whose element type is spelled `element`
// (format_type of the element with the column's modifier); nullptr when none fits exactly
// (a varchar(20)[] or numeric(10,2)[] keeps its verbatim spelling instead).
const char* array_plugin_type(std::string_view element) {
  static const std::map<std::string, const char*, std::less<>> types = {
      {"smallint", "int2_array"},
      {"integer", "int4_array"},
      {"bigint", "int8_array"},
      {"double precision", "float8_array"},
      {"numeric", "numeric_array"},
      {"boolean", "bool_array"},
      {"text", "text_array"},
      {"character varying", "varchar_array"},
      {"uuid", "uuid_array"},
      {"date", "date_array"},
      {"timestamp without time zone", "timestamp_array"},
      {"timestamp with time zone", "timestamptz_array"},
      {"inet", "inet_array"},
  };
  auto it = types.find(element);
  return it == types.end() ? nullptr : it->second;
}

void reflect_columns(sdk::Reflector& r, const char* schema, const char* name) {
  // A domain is reported as its base type (format_type of typbasetype with the domain's
  // modifier); an array's element type comes spelled on its own for the plugin type.
  QueryRows rows = r.query(
      std::string(
          "SELECT a.attname, "
          "CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) "
          "ELSE format_type(a.atttypid, a.atttypmod) END, "
          "coalesce(bt.typtype, t.typtype), a.attnotnull, "
          "pg_get_expr(d.adbin, d.adrelid), a.attidentity, col_description(c.oid, a.attnum), "
          "coalesce(bt.oid, t.oid), coalesce(bt.typname, t.typname), s.seqstart, "
          "s.seqincrement, "
          "CASE WHEN coalesce(bt.typelem, t.typelem) <> 0 AND "
          "coalesce(bt.typcategory, t.typcategory) = 'A' "
          "THEN format_type(coalesce(bt.typelem, t.typelem), "
          "CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END) END "
          "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace "
          "JOIN pg_type t ON t.oid = a.atttypid "
          "LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype "
          "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
          "LEFT JOIN pg_depend dep ON a.attidentity <> '' "
          "AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid = c.oid "
          "AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass "
          "AND dep.deptype = 'i' "
          "LEFT JOIN pg_sequence s ON s.seqrelid = dep.objid WHERE ") +
          kSchema +
          " AND c.relname = $2::text AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
          "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {param(schema), param(name)});
  ReflectRows out("TTIIIIIITIITTLIIT");
  for (int64_t i = 0; i < rows.size(); ++i) {
    const std::string type = rows.str(i, 1);
    PgType t = map_type(type);
    const bool is_enum = rows.text(i, 2) == "e";
    std::vector<std::string> values;
    if (is_enum) {
      t.generic = RETORT_GENERIC_ENUM;
      values = enum_values(r, rows.str(i, 7));
    }
    std::optional<std::string> def = rows.opt(i, 4);
    const std::string identity = rows.str(i, 5);
    bool autoincrement = identity == "a" || identity == "d";
    const bool integer = t.generic == RETORT_GENERIC_INTEGER ||
                         t.generic == RETORT_GENERIC_SMALLINT || t.generic == RETORT_GENERIC_BIGINT;
    if (def && integer && def->rfind("nextval(", 0) == 0) {
      // A serial: the sequence is how the database generates the values.
      autoincrement = true;
      def.reset();
    }
    if (def) def = normalize_default(*def);
    out.text(rows.str(i, 0)).text(type).integer(int64_t{t.generic});
    out.integer(t.length >= 0 ? std::optional<int64_t>(t.length) : std::nullopt);
    out.integer(t.precision >= 0 ? std::optional<int64_t>(t.precision) : std::nullopt);
    out.integer(t.scale >= 0 ? std::optional<int64_t>(t.scale) : std::nullopt);
    out.integer(int64_t{t.timezone ? 1 : 0});
    out.integer(int64_t{rows.boolean(i, 3) ? 0 : 1});
    out.text(def);
    out.integer(int64_t{autoincrement ? 1 : 0});
    out.integer(int64_t{identity == "a" ? 1 : identity == "d" ? 2 : 0});
    out.text(rows.opt(i, 6));
    if (is_enum) {
      out.text(rows.str(i, 8));
    } else {
      out.null();
    }
    out.list(values);
    // An identity's options, unless they are the defaults (START WITH 1 INCREMENT BY 1).
    const std::optional<std::string> start = rows.opt(i, 9), increment = rows.opt(i, 10);
    if (start && increment && !(*start == "1" && *increment == "1")) {
      out.integer(int64_t{std::stoll(*start)}).integer(int64_t{std::stoll(*increment)});
    } else {
      out.null().null();
    }
    const std::optional<std::string> element = rows.opt(i, 11);
    const char* array = element ? array_plugin_type(*element) : nullptr;
    if (array != nullptr) {
      out.text(array);
    } else {
      out.null();
    }
    out.end_row();
  }
  r.emit(out);
}

void reflect_sequences(sdk::Reflector& r, const char* schema, const char* name) {
  QueryRows rows =
      r.query(std::string("SELECT c.relname, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, "
                          "s.seqcycle, EXISTS (SELECT 1 FROM pg_depend dep "
                          "WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid "
                          "AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')), "
                          "pg_sequence_last_value(c.oid) "
                          "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "JOIN pg_sequence s ON s.seqrelid = c.oid WHERE ") +
                  kSchema +
                  " AND c.relkind = 'S' AND ($2::text IS NULL OR c.relname = $2::text) "
                  "ORDER BY c.relname",
              {param(schema), param(name)});
  ReflectRows out("TIIIIIII");
  constexpr const char* kMax = "9223372036854775807";
  constexpr const char* kMin = "-9223372036854775808";
  for (int64_t i = 0; i < rows.size(); ++i) {
    const bool ascending = rows.text(i, 2).rfind('-', 0) != 0;
    auto number = [&](int col, const char* default_value) {
      const std::string v = rows.str(i, col);
      if (v.empty() || v == default_value) {
        out.null();
      } else {
        out.integer(int64_t{std::stoll(v)});
      }
    };
    out.text(rows.str(i, 0));
    number(1, ascending ? "1" : "-1");
    number(2, "1");
    number(3, ascending ? "1" : kMin);
    number(4, ascending ? kMax : "-1");
    out.integer(int64_t{rows.boolean(i, 5) ? 1 : 0});
    out.integer(int64_t{rows.boolean(i, 6) ? 1 : 0});
    number(7, "");
    out.end_row();
  }
  r.emit(out);
}

// Constraints of one type with their columns in key order: (name, columns) per constraint.
std::vector<std::pair<std::string, std::vector<std::string>>> keyed_constraints(
    sdk::Reflector& r, const char* schema, const char* name, const char* contype) {
  QueryRows rows = r.query(
      std::string("SELECT con.conname, a.attname FROM pg_constraint con "
                  "JOIN pg_class c ON c.oid = con.conrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
                  "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum WHERE ") +
          kSchema +
          " AND c.relname = $2::text AND con.contype = $3::text "
          "ORDER BY con.conname, k.ord",
      {param(schema), param(name), std::string(contype)});
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (int64_t i = 0; i < rows.size(); ++i) {
    const std::string con = rows.str(i, 0);
    if (out.empty() || out.back().first != con) out.emplace_back(con, std::vector<std::string>{});
    out.back().second.push_back(rows.str(i, 1));
  }
  return out;
}

void reflect_keyed(sdk::Reflector& r, const char* schema, const char* name, const char* contype) {
  ReflectRows out("TL");
  for (const auto& [con, cols] : keyed_constraints(r, schema, name, contype)) {
    out.text(con).list(cols).end_row();
  }
  r.emit(out);
}

const char* fk_action(std::string_view code) {
  if (code == "r") return "RESTRICT";
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  return nullptr;  // a: NO ACTION, the default
}

void reflect_foreign_keys(sdk::Reflector& r, const char* schema, const char* name) {
  QueryRows rows = r.query(
      std::string(
          "SELECT con.conname, la.attname, "
          "CASE WHEN rn.nspname = current_schema() THEN NULL ELSE rn.nspname::text END, "
          "rc.relname, ra.attname, con.confdeltype, con.confupdtype, con.condeferrable, "
          "con.condeferred FROM pg_constraint con "
          "JOIN pg_class c ON c.oid = con.conrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace "
          "JOIN pg_class rc ON rc.oid = con.confrelid "
          "JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
          "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(l, f, ord) "
          "JOIN pg_attribute la ON la.attrelid = con.conrelid AND la.attnum = k.l "
          "JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.f WHERE ") +
          kSchema +
          " AND c.relname = $2::text AND con.contype = 'f' "
          "ORDER BY con.conname, k.ord",
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
    const char* del = fk_action(rows.text(first, 5));
    const char* upd = fk_action(rows.text(first, 6));
    text_or_null(out, del ? del : "");
    text_or_null(out, upd ? upd : "");
    if (rows.boolean(first, 7)) {
      out.integer(int64_t{1});
      out.text(rows.boolean(first, 8) ? "DEFERRED" : "IMMEDIATE");
    } else {
      out.null().null();
    }
    out.end_row();
  }
  r.emit(out);
}

void reflect_indexes(sdk::Reflector& r, const char* schema, const char* name) {
  // Indexes behind a PRIMARY KEY, UNIQUE or EXCLUDE constraint are the constraints' own.
  QueryRows rows = r.query(
      std::string("SELECT i.relname, ix.indisunique, k.attnum, a.attname, "
                  "pg_get_indexdef(ix.indexrelid, k.ord::int, true), "
                  "pg_get_expr(ix.indpred, ix.indrelid, true) "
                  "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
                  "JOIN pg_class c ON c.oid = ix.indrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
                  "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
                  "AND k.attnum <> 0 WHERE ") +
          kSchema +
          " AND c.relname = $2::text AND NOT ix.indisprimary AND k.ord <= ix.indnkeyatts "
          "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid "
          "AND con.contype IN ('p', 'u', 'x')) ORDER BY i.relname, k.ord",
      {param(schema), param(name)});
  ReflectRows out("TILLT");
  int64_t i = 0;
  while (i < rows.size()) {
    const std::string index = rows.str(i, 0);
    const int64_t first = i;
    std::vector<std::string> columns, expressions;
    for (; i < rows.size() && rows.text(i, 0) == index; ++i) {
      if (rows.integer(i, 2) == 0) {
        columns.emplace_back();
        expressions.push_back(rows.str(i, 4));
      } else {
        columns.push_back(rows.str(i, 3));
        expressions.emplace_back();
      }
    }
    out.text(index).integer(int64_t{rows.boolean(first, 1) ? 1 : 0}).list(columns);
    out.list(expressions).text(rows.opt(first, 5)).end_row();
  }
  r.emit(out);
}

void reflect_checks(sdk::Reflector& r, const char* schema, const char* name) {
  QueryRows rows = r.query(
      std::string("SELECT con.conname, pg_get_constraintdef(con.oid, true) FROM pg_constraint con "
                  "JOIN pg_class c ON c.oid = con.conrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ") +
          kSchema + " AND c.relname = $2::text AND con.contype = 'c' ORDER BY con.conname",
      {param(schema), param(name)});
  ReflectRows out("TT");
  for (int64_t i = 0; i < rows.size(); ++i) {
    std::string def = trim(rows.text(i, 1));
    if (def.size() > 10 && def.compare(def.size() - 10, 10, " NOT VALID") == 0) {
      def.resize(def.size() - 10);
    }
    if (def.rfind("CHECK ", 0) == 0) def = def.substr(6);
    out.text(rows.str(i, 0)).text(unwrap(def)).end_row();
  }
  r.emit(out);
}

void reflect_table_comment(sdk::Reflector& r, const char* schema, const char* name) {
  QueryRows rows = r.query(std::string("SELECT obj_description(c.oid, 'pg_class') FROM pg_class c "
                                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ") +
                               kSchema + " AND c.relname = $2::text",
                           {param(schema), param(name)});
  ReflectRows out("T");
  for (int64_t i = 0; i < rows.size(); ++i) out.text(rows.opt(i, 0)).end_row();
  r.emit(out);
}

}  // namespace

PgType map_type(std::string_view spelled) {
  PgType t;
  std::string s = trim(spelled);
  if (s.size() >= 2 && s.compare(s.size() - 2, 2, "[]") == 0) return t;  // an array
  // "timestamp(3) with time zone": the modifier sits inside the name.
  std::vector<int64_t> args;
  const size_t open = s.find('(');
  if (open != std::string::npos) {
    const size_t close = s.find(')', open);
    std::string inner = s.substr(open + 1, close - open - 1);
    size_t pos = 0;
    while (pos <= inner.size()) {
      const size_t comma = inner.find(',', pos);
      args.push_back(std::atoll(inner.substr(pos, comma - pos).c_str()));
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    s = trim(s.substr(0, open) + (close == std::string::npos ? "" : s.substr(close + 1)));
  }
  auto arg = [&](size_t i) { return i < args.size() ? args[i] : -1; };
  static const std::map<std::string, int32_t> known = {
      {"smallint", RETORT_GENERIC_SMALLINT},
      {"integer", RETORT_GENERIC_INTEGER},
      {"bigint", RETORT_GENERIC_BIGINT},
      {"boolean", RETORT_GENERIC_BOOLEAN},
      {"real", RETORT_GENERIC_FLOAT},
      {"double precision", RETORT_GENERIC_DOUBLE},
      {"numeric", RETORT_GENERIC_NUMERIC},
      {"character varying", RETORT_GENERIC_STRING},
      {"character", RETORT_GENERIC_STRING},
      {"text", RETORT_GENERIC_TEXT},
      {"date", RETORT_GENERIC_DATE},
      {"time without time zone", RETORT_GENERIC_TIME},
      {"time with time zone", RETORT_GENERIC_TIME},
      {"timestamp without time zone", RETORT_GENERIC_DATETIME},
      {"timestamp with time zone", RETORT_GENERIC_DATETIME},
      {"bytea", RETORT_GENERIC_LARGE_BINARY},
      {"json", RETORT_GENERIC_JSON},
      {"jsonb", RETORT_GENERIC_JSON},
      {"uuid", RETORT_GENERIC_UUID},
  };
  auto it = known.find(s);
  if (it == known.end()) {
    if (s.rfind("interval", 0) == 0) t.generic = RETORT_GENERIC_INTERVAL;
    return t;
  }
  t.generic = it->second;
  switch (t.generic) {
    case RETORT_GENERIC_STRING:
      t.length = arg(0);
      break;
    case RETORT_GENERIC_NUMERIC:
      t.precision = arg(0);
      t.scale = arg(1);
      break;
    case RETORT_GENERIC_FLOAT:
      t.precision = 24;  // real is FLOAT(24): single precision
      break;
    case RETORT_GENERIC_DATETIME:
      t.timezone = s == "timestamp with time zone";
      break;
    default:
      break;
  }
  return t;
}

std::string normalize_default(std::string_view expr) {
  std::string s = trim(expr);
  size_t end = 0;
  if (!s.empty() && s[0] == '\'') {
    size_t i = 1;
    for (; i < s.size(); ++i) {
      if (s[i] == '\'') {
        if (i + 1 < s.size() && s[i + 1] == '\'') {
          ++i;
          continue;
        }
        break;
      }
    }
    if (i >= s.size()) return s;
    end = i + 1;
  } else if (s.rfind("NULL::", 0) == 0) {
    end = 4;
  } else {
    return s;
  }
  // Only casts may follow: `::character varying`, `::timestamp(3) without time zone`.
  const std::string rest = s.substr(end);
  if (rest.empty() || rest.rfind("::", 0) != 0) return s;
  for (char c : rest) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == ' ' || c == '_' ||
          c == '(' || c == ')' || c == ',' || c == '"' || c == '.')) {
      return s;
    }
  }
  return s.substr(0, end);
}

void reflect(sdk::Reflector& r, uint32_t what, const char* schema, const char* name) {
  switch (what) {
    case RETORT_REFLECT_SCHEMAS: {
      QueryRows rows = r.query(
          "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
          "AND nspname <> 'information_schema' ORDER BY nspname");
      ReflectRows out("T");
      for (int64_t i = 0; i < rows.size(); ++i) out.text(rows.str(i, 0)).end_row();
      r.emit(out);
      return;
    }
    case RETORT_REFLECT_TABLES:
      list_relations(r, schema, name, "'r', 'p'", false);
      return;
    case RETORT_REFLECT_VIEWS:
      list_relations(r, schema, name, "'v', 'm'", true);
      return;
    case RETORT_REFLECT_SEQUENCES:
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
      reflect_keyed(r, schema, name, "p");
      return;
    case RETORT_REFLECT_UNIQUE_CONSTRAINTS:
      reflect_keyed(r, schema, name, "u");
      return;
    case RETORT_REFLECT_FOREIGN_KEYS:
      reflect_foreign_keys(r, schema, name);
      return;
    case RETORT_REFLECT_INDEXES:
      reflect_indexes(r, schema, name);
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

}  // namespace retort::postgresql
