// plugins/sqlite/reflection.cpp — reflection from sqlite_master and the table-valued pragmas.
// SPDX-License-Identifier: MIT
#include "reflection.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace retort::sqlite {
namespace {

using sdk::Error;
using sdk::QueryRows;
using sdk::ReflectRows;

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// A schema name can only be spliced into `"schema".sqlite_master`; quote it.
std::string quote(std::string_view ident) {
  std::string out = "\"";
  for (char c : ident) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string schema_of(const char* schema) {
  return schema != nullptr ? schema : "main";
}

// --- A tokenizer for the CREATE statements SQLite keeps ----------------------------------------

struct Token {
  enum Kind { word, quoted, string, punct } kind;
  std::string text;  // unquoted for `quoted`
  int depth;         // parenthesis depth; '(' and its ')' have the depth outside them
  size_t begin, end;
};

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> out;
  int depth = 0;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t e = sql.find("*/", i + 2);
      i = e == std::string_view::npos ? sql.size() : e + 2;
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      const char close = c == '[' ? ']' : c;
      std::string text;
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == close) {
          if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
            text += close;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j++];
      }
      out.push_back({c == '\'' ? Token::string : Token::quoted, text, depth, i, j + 1});
      i = j + 1;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
               static_cast<unsigned char>(c) >= 0x80) {
      size_t j = i;
      while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_' ||
                                sql[j] == '$' || static_cast<unsigned char>(sql[j]) >= 0x80)) {
        ++j;
      }
      out.push_back({Token::word, std::string(sql.substr(i, j - i)), depth, i, j});
      i = j;
    } else {
      if (c == ')') --depth;
      out.push_back({Token::punct, std::string(1, c), depth, i, i + 1});
      if (c == '(') ++depth;
      ++i;
    }
  }
  return out;
}

bool is_word(const std::vector<Token>& t, size_t i, const char* word) {
  return i < t.size() && t[i].kind == Token::word && upper(t[i].text) == word;
}
bool is_punct(const std::vector<Token>& t, size_t i, char p) {
  return i < t.size() && t[i].kind == Token::punct && t[i].text[0] == p;
}
// The index of the ')' closing the '(' at `open`.
size_t closing(const std::vector<Token>& t, size_t open) {
  for (size_t j = open + 1; j < t.size(); ++j) {
    if (is_punct(t, j, ')') && t[j].depth == t[open].depth) return j;
  }
  return t.size();
}
// Column names in `( a, "b" COLLATE x, c DESC )`: the first name of each element.
std::vector<std::string> column_list(const std::vector<Token>& t, size_t open) {
  std::vector<std::string> out;
  const size_t close = closing(t, open);
  bool expect = true;
  for (size_t j = open + 1; j < close; ++j) {
    if (t[j].depth != t[open].depth + 1) continue;
    if (is_punct(t, j, ',')) {
      expect = true;
    } else if (expect && (t[j].kind == Token::word || t[j].kind == Token::quoted)) {
      out.push_back(t[j].text);
      expect = false;
    }
  }
  return out;
}
// The constraint name just before token `i` (`CONSTRAINT name <i>`), or empty.
std::string name_before(const std::vector<Token>& t, size_t i) {
  if (i >= 2 && is_word(t, i - 2, "CONSTRAINT") &&
      (t[i - 1].kind == Token::word || t[i - 1].kind == Token::quoted)) {
    return t[i - 1].text;
  }
  return {};
}

// The SELECT of `CREATE VIEW name [(columns)] AS SELECT …`: what follows the first AS outside
// parentheses.
std::string view_select(std::string_view sql) {
  const auto t = tokenize(sql);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].depth == 0 && is_word(t, i, "AS")) return trim(sql.substr(t[i].end));
  }
  return std::string(sql);
}

// --- Queries ---------------------------------------------------------------------------------

std::optional<std::string> object_sql(sdk::Reflector& r, const std::string& schema,
                                      const char* type, const std::string& name) {
  QueryRows rows =
      r.query("SELECT sql FROM " + quote(schema) + ".sqlite_master WHERE type = ? AND name = ?",
              {std::string(type), name});
  if (rows.size() == 0) return std::nullopt;
  return rows.str(0, 0);
}

void list_kind(sdk::Reflector& r, const std::string& schema, const char* type, const char* name,
               bool with_sql) {
  std::string sql = std::string("SELECT name") + (with_sql ? ", sql" : "") + " FROM " +
                    quote(schema) +
                    ".sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite~_%' ESCAPE '~'";
  if (name != nullptr) sql += " AND name = ?";
  sql += " ORDER BY name";
  QueryRows rows = name != nullptr ? r.query(sql, {std::string(type), std::string(name)})
                                   : r.query(sql, {std::string(type)});
  ReflectRows out(with_sql ? "TT" : "T");
  for (int64_t i = 0; i < rows.size(); ++i) {
    out.text(rows.str(i, 0));
    if (with_sql) {
      // SQLite keeps the whole CREATE VIEW; the layout wants its SELECT.
      std::optional<std::string> sql = rows.opt(i, 1);
      if (sql) sql = view_select(*sql);
      out.text(sql);
    }
    out.end_row();
  }
  r.emit(out);
}

struct ColumnInfo {
  std::string name;
  std::string type;
  bool notnull;
  std::optional<std::string> dflt;
  int64_t pk;
};

std::vector<ColumnInfo> table_columns(sdk::Reflector& r, const std::string& schema,
                                      const std::string& table) {
  // hidden: 1 marks the hidden columns of a virtual table; 2 and 3 are generated columns.
  QueryRows rows = r.query(
      "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?, ?) "
      "WHERE hidden <> 1 ORDER BY cid",
      {table, schema});
  std::vector<ColumnInfo> out;
  for (int64_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows.str(i, 0), rows.str(i, 1), rows.integer(i, 2) != 0, rows.opt(i, 3),
                   rows.integer(i, 4)});
  }
  return out;
}

void reflect_columns(sdk::Reflector& r, const std::string& schema, const std::string& table) {
  const auto cols = table_columns(r, schema, table);
  int pk_count = 0;
  for (const auto& c : cols) pk_count += c.pk > 0 ? 1 : 0;
  ReflectRows out("TTIIIIIITIITTL");
  for (const auto& c : cols) {
    const SqliteType t = map_type(c.type);
    // Only INTEGER PRIMARY KEY (exactly that spelling) is an alias of the rowid.
    const bool rowid = pk_count == 1 && c.pk == 1 && upper(trim(c.type)) == "INTEGER";
    out.text(c.name).text(c.type).integer(int64_t{t.generic});
    out.integer(t.length >= 0 ? std::optional<int64_t>(t.length) : std::nullopt);
    out.integer(t.precision >= 0 ? std::optional<int64_t>(t.precision) : std::nullopt);
    out.integer(t.scale >= 0 ? std::optional<int64_t>(t.scale) : std::nullopt);
    out.integer(int64_t{0});
    out.integer(int64_t{c.notnull || c.pk > 0 ? 0 : 1});
    out.text(c.dflt);
    out.integer(int64_t{rowid ? 1 : 0}).integer(int64_t{0}).null().null().list({});
    out.end_row();
  }
  r.emit(out);
}

void reflect_primary_key(sdk::Reflector& r, const std::string& schema, const std::string& table,
                         const CreateTableInfo& info) {
  auto cols = table_columns(r, schema, table);
  std::vector<std::pair<int64_t, std::string>> pk;
  for (const auto& c : cols)
    if (c.pk > 0) pk.emplace_back(c.pk, c.name);
  if (pk.empty()) return;
  std::sort(pk.begin(), pk.end());
  std::vector<std::string> names;
  for (auto& [_, n] : pk) names.push_back(n);
  ReflectRows out("TL");
  if (info.primary_key_name.empty()) {
    out.null();
  } else {
    out.text(info.primary_key_name);
  }
  out.list(names).end_row();
  r.emit(out);
}

std::string action(std::string_view a) {
  const std::string u = upper(a);
  return u == "NO ACTION" ? std::string() : u;
}

void reflect_foreign_keys(sdk::Reflector& r, const std::string& schema, const std::string& table,
                          const CreateTableInfo& info) {
  QueryRows rows = r.query(
      "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
      "FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq",
      {table, schema});
  struct Fk {
    std::string referred;
    std::vector<std::string> from, to;
    std::string onupdate, ondelete;
  };
  std::map<int64_t, Fk> fks;
  std::vector<int64_t> order;
  for (int64_t i = 0; i < rows.size(); ++i) {
    const int64_t id = rows.integer(i, 0);
    if (!fks.count(id)) order.push_back(id);
    Fk& fk = fks[id];
    fk.referred = rows.str(i, 1);
    fk.from.push_back(rows.str(i, 2));
    fk.to.push_back(rows.str(i, 3));  // empty: the referred table's primary key
    fk.onupdate = action(rows.text(i, 4));
    fk.ondelete = action(rows.text(i, 5));
  }
  // pragma_foreign_key_list lists the keys in reverse order of declaration.
  std::reverse(order.begin(), order.end());
  ReflectRows out("TLTTLTTIT");
  for (int64_t id : order) {
    Fk& fk = fks[id];
    if (std::any_of(fk.to.begin(), fk.to.end(), [](const std::string& s) { return s.empty(); })) {
      std::vector<std::pair<int64_t, std::string>> pk;
      for (const auto& c : table_columns(r, schema, fk.referred))
        if (c.pk > 0) pk.emplace_back(c.pk, c.name);
      std::sort(pk.begin(), pk.end());
      for (size_t k = 0; k < fk.to.size() && k < pk.size(); ++k) fk.to[k] = pk[k].second;
    }
    std::string name;
    for (const auto& named : info.foreign_keys)
      if (named.columns == fk.from) name = named.name;
    if (name.empty()) {
      out.null();
    } else {
      out.text(name);
    }
    out.list(fk.from).null().text(fk.referred).list(fk.to);
    if (fk.ondelete.empty()) {
      out.null();
    } else {
      out.text(fk.ondelete);
    }
    if (fk.onupdate.empty()) {
      out.null();
    } else {
      out.text(fk.onupdate);
    }
    out.null().null().end_row();
  }
  r.emit(out);
}

struct IndexInfo {
  std::string name;
  bool unique;
  std::string origin;  // c: CREATE INDEX, u: UNIQUE constraint, pk: PRIMARY KEY
  bool partial;
};

std::vector<IndexInfo> index_list(sdk::Reflector& r, const std::string& schema,
                                  const std::string& table) {
  QueryRows rows = r.query(
      "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?, ?) "
      "ORDER BY name",
      {table, schema});
  std::vector<IndexInfo> out;
  for (int64_t i = 0; i < rows.size(); ++i) {
    out.push_back(
        {rows.str(i, 0), rows.integer(i, 1) != 0, rows.str(i, 2), rows.integer(i, 3) != 0});
  }
  return out;
}

// The index's key columns in order; an expression element has cid -2 and no name.
std::vector<std::pair<int64_t, std::string>> index_columns(sdk::Reflector& r,
                                                           const std::string& schema,
                                                           const std::string& index) {
  QueryRows rows =
      r.query("SELECT cid, name FROM pragma_index_xinfo(?, ?) WHERE \"key\" = 1 ORDER BY seqno",
              {index, schema});
  std::vector<std::pair<int64_t, std::string>> out;
  for (int64_t i = 0; i < rows.size(); ++i) out.emplace_back(rows.integer(i, 0), rows.str(i, 1));
  return out;
}

void reflect_indexes(sdk::Reflector& r, const std::string& schema, const std::string& table) {
  ReflectRows out("TILLT");
  for (const auto& ix : index_list(r, schema, table)) {
    if (ix.origin != "c") continue;
    const auto cols = index_columns(r, schema, ix.name);
    std::vector<std::string> names, expressions;
    std::vector<std::string> elements;
    std::string where;
    bool has_expression = false;
    for (const auto& [cid, _] : cols) has_expression |= cid == -2;
    if (has_expression || ix.partial) {
      // No pragma reports expressions or the predicate: the CREATE INDEX statement does.
      if (auto sql = object_sql(r, schema, "index", ix.name)) {
        elements = parse_index_elements(*sql);
        if (ix.partial) where = parse_index_where(*sql);
      }
    }
    for (size_t k = 0; k < cols.size(); ++k) {
      if (cols[k].first == -2) {
        names.emplace_back();
        expressions.push_back(k < elements.size() ? elements[k] : std::string());
      } else {
        names.push_back(cols[k].second);
        expressions.emplace_back();
      }
    }
    out.text(ix.name).integer(int64_t{ix.unique ? 1 : 0}).list(names).list(expressions);
    if (where.empty()) {
      out.null();
    } else {
      out.text(where);
    }
    out.end_row();
  }
  r.emit(out);
}

void reflect_uniques(sdk::Reflector& r, const std::string& schema, const std::string& table,
                     const CreateTableInfo& info) {
  ReflectRows out("TL");
  for (const auto& ix : index_list(r, schema, table)) {
    if (ix.origin != "u") continue;
    std::vector<std::string> names;
    for (const auto& [_, n] : index_columns(r, schema, ix.name)) names.push_back(n);
    std::string name;
    for (const auto& named : info.uniques)
      if (named.columns == names) name = named.name;
    if (name.empty()) {
      out.null();
    } else {
      out.text(name);
    }
    out.list(names).end_row();
  }
  r.emit(out);
}

void reflect_checks(sdk::Reflector& r, const CreateTableInfo& info) {
  ReflectRows out("TT");
  for (const auto& ck : info.checks) {
    if (ck.name.empty()) {
      out.null();
    } else {
      out.text(ck.name);
    }
    out.text(ck.sqltext).end_row();
  }
  r.emit(out);
}

}  // namespace

SqliteType map_type(std::string_view declared) {
  SqliteType t;
  const std::string decl = trim(declared);
  const size_t paren = decl.find('(');
  const std::string base = upper(trim(decl.substr(0, paren)));
  std::vector<int64_t> args;
  if (paren != std::string::npos) {
    std::string cur;
    for (size_t i = paren + 1; i < decl.size() && decl[i] != ')'; ++i) {
      if (decl[i] == ',') {
        args.push_back(cur.empty() ? -1 : std::atoll(cur.c_str()));
        cur.clear();
      } else if (!std::isspace(static_cast<unsigned char>(decl[i]))) {
        cur += decl[i];
      }
    }
    args.push_back(cur.empty() ? -1 : std::atoll(cur.c_str()));
  }
  auto arg = [&](size_t i) { return i < args.size() ? args[i] : -1; };
  static const std::map<std::string, int32_t> known = {
      {"INTEGER", RETORT_GENERIC_INTEGER},
      {"INT", RETORT_GENERIC_INTEGER},
      {"SMALLINT", RETORT_GENERIC_SMALLINT},
      {"BIGINT", RETORT_GENERIC_BIGINT},
      {"BOOLEAN", RETORT_GENERIC_BOOLEAN},
      {"BOOL", RETORT_GENERIC_BOOLEAN},
      {"FLOAT", RETORT_GENERIC_FLOAT},
      {"REAL", RETORT_GENERIC_FLOAT},
      {"DOUBLE", RETORT_GENERIC_DOUBLE},
      {"DOUBLE PRECISION", RETORT_GENERIC_DOUBLE},
      {"NUMERIC", RETORT_GENERIC_NUMERIC},
      {"DECIMAL", RETORT_GENERIC_NUMERIC},
      {"VARCHAR", RETORT_GENERIC_STRING},
      {"CHAR", RETORT_GENERIC_STRING},
      {"NVARCHAR", RETORT_GENERIC_STRING},
      {"NCHAR", RETORT_GENERIC_STRING},
      {"CHARACTER VARYING", RETORT_GENERIC_STRING},
      {"CHARACTER", RETORT_GENERIC_STRING},
      {"TEXT", RETORT_GENERIC_TEXT},
      {"CLOB", RETORT_GENERIC_TEXT},
      {"DATE", RETORT_GENERIC_DATE},
      {"TIME", RETORT_GENERIC_TIME},
      {"DATETIME", RETORT_GENERIC_DATETIME},
      {"TIMESTAMP", RETORT_GENERIC_DATETIME},
      {"BLOB", RETORT_GENERIC_LARGE_BINARY},
      {"JSON", RETORT_GENERIC_JSON},
      {"UUID", RETORT_GENERIC_UUID},
  };
  if (auto it = known.find(base); it != known.end()) {
    t.generic = it->second;
    switch (t.generic) {
      case RETORT_GENERIC_STRING:
      case RETORT_GENERIC_LARGE_BINARY:
        t.length = arg(0);
        break;
      case RETORT_GENERIC_NUMERIC:
        t.precision = arg(0);
        t.scale = arg(1);
        break;
      case RETORT_GENERIC_FLOAT:
        t.precision = arg(0);
        break;
      default:
        break;
    }
    return t;
  }
  // SQLite's affinity rules (https://sqlite.org/datatype3.html, 3.1), as SQLAlchemy applies
  // them to names it does not know.
  if (base.empty()) return t;  // no type: NullType
  if (base.find("INT") != std::string::npos) {
    t.generic = RETORT_GENERIC_INTEGER;
  } else if (base.find("CHAR") != std::string::npos || base.find("CLOB") != std::string::npos ||
             base.find("TEXT") != std::string::npos) {
    t.generic = RETORT_GENERIC_TEXT;
  } else if (base.find("BLOB") != std::string::npos) {
    t.generic = RETORT_GENERIC_NULL;
  } else if (base.find("REAL") != std::string::npos || base.find("FLOA") != std::string::npos ||
             base.find("DOUB") != std::string::npos) {
    t.generic = RETORT_GENERIC_FLOAT;
  } else {
    t.generic = RETORT_GENERIC_NUMERIC;
  }
  return t;
}

CreateTableInfo parse_create_table(std::string_view sql) {
  CreateTableInfo info;
  const auto t = tokenize(sql);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].depth != 1 || t[i].kind != Token::word) continue;
    const std::string kw = upper(t[i].text);
    if (kw == "PRIMARY" && is_word(t, i + 1, "KEY")) {
      const std::string name = name_before(t, i);
      if (!name.empty()) info.primary_key_name = name;
    } else if (kw == "UNIQUE" && is_punct(t, i + 1, '(')) {
      const std::string name = name_before(t, i);
      if (!name.empty()) info.uniques.push_back({name, column_list(t, i + 1)});
    } else if (kw == "FOREIGN" && is_word(t, i + 1, "KEY") && is_punct(t, i + 2, '(')) {
      const std::string name = name_before(t, i);
      if (!name.empty()) info.foreign_keys.push_back({name, column_list(t, i + 2)});
    } else if (kw == "CHECK" && is_punct(t, i + 1, '(')) {
      const size_t close = closing(t, i + 1);
      if (close >= t.size()) continue;
      info.checks.push_back(
          {name_before(t, i), trim(sql.substr(t[i + 1].end, t[close].begin - t[i + 1].end))});
    }
  }
  return info;
}

std::vector<std::string> parse_index_elements(std::string_view sql) {
  const auto t = tokenize(sql);
  std::vector<std::string> out;
  size_t on = 0;
  while (on < t.size() && !(t[on].depth == 0 && is_word(t, on, "ON"))) ++on;
  size_t open = on;
  while (open < t.size() && !is_punct(t, open, '(')) ++open;
  if (open >= t.size()) return out;
  const size_t close = closing(t, open);
  if (close >= t.size()) return out;
  size_t start = t[open].end;
  auto push = [&](size_t end) {
    std::string e = trim(sql.substr(start, end - start));
    const std::string u = upper(e);
    for (const char* suffix : {" ASC", " DESC"}) {
      const std::string s(suffix);
      if (u.size() > s.size() && u.compare(u.size() - s.size(), s.size(), s) == 0) {
        e = trim(e.substr(0, e.size() - s.size()));
        break;
      }
    }
    out.push_back(e);
  };
  for (size_t j = open + 1; j < close; ++j) {
    if (is_punct(t, j, ',') && t[j].depth == t[open].depth + 1) {
      push(t[j].begin);
      start = t[j].end;
    }
  }
  push(t[close].begin);
  return out;
}

std::string parse_index_where(std::string_view sql) {
  const auto t = tokenize(sql);
  size_t on = 0;
  while (on < t.size() && !(t[on].depth == 0 && is_word(t, on, "ON"))) ++on;
  size_t open = on;
  while (open < t.size() && !is_punct(t, open, '(')) ++open;
  if (open >= t.size()) return {};
  const size_t close = closing(t, open);
  for (size_t j = close + 1; j < t.size(); ++j) {
    if (t[j].depth == t[open].depth && is_word(t, j, "WHERE")) {
      std::string where = trim(sql.substr(t[j].end));
      while (!where.empty() && where.back() == ';') where = trim(where.substr(0, where.size() - 1));
      return where;
    }
  }
  return {};
}

void reflect(sdk::Reflector& r, uint32_t what, const char* schema_c, const char* name_c) {
  const std::string schema = schema_of(schema_c);
  switch (what) {
    case RETORT_REFLECT_SCHEMAS: {
      QueryRows rows = r.query("SELECT name FROM pragma_database_list ORDER BY seq");
      ReflectRows out("T");
      for (int64_t i = 0; i < rows.size(); ++i) {
        if (rows.text(i, 0) == "temp") continue;
        out.text(rows.str(i, 0)).end_row();
      }
      r.emit(out);
      return;
    }
    case RETORT_REFLECT_TABLES:
      list_kind(r, schema, "table", name_c, false);
      return;
    case RETORT_REFLECT_VIEWS:
      list_kind(r, schema, "view", name_c, true);
      return;
    case RETORT_REFLECT_TABLE_COMMENT:
    case RETORT_REFLECT_SEQUENCES:
      throw sdk::NotImplemented{};
    default:
      break;
  }
  if (name_c == nullptr) throw Error(RETORT_INVALID_ARGUMENT, "reflection needs a table name");
  const std::string table = name_c;
  if (what == RETORT_REFLECT_COLUMNS) {
    reflect_columns(r, schema, table);
    return;
  }
  if (what == RETORT_REFLECT_INDEXES) {
    reflect_indexes(r, schema, table);
    return;
  }
  const CreateTableInfo info =
      parse_create_table(object_sql(r, schema, "table", table).value_or(""));
  switch (what) {
    case RETORT_REFLECT_PRIMARY_KEY:
      reflect_primary_key(r, schema, table, info);
      return;
    case RETORT_REFLECT_FOREIGN_KEYS:
      reflect_foreign_keys(r, schema, table, info);
      return;
    case RETORT_REFLECT_UNIQUE_CONSTRAINTS:
      reflect_uniques(r, schema, table, info);
      return;
    case RETORT_REFLECT_CHECK_CONSTRAINTS:
      reflect_checks(r, info);
      return;
    default:
      throw sdk::NotImplemented{};
  }
}

}  // namespace retort::sqlite
