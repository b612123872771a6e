// cli/schema_objects.cpp — views and standalone sequences for `retort schema` / `retort copy`.
#include "schema_objects.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace retort::cli {

namespace {

std::string family(std::string_view dialect) {
  return dialect == "mariadb" ? "mysql" : std::string(dialect);
}

std::string trim_definition(std::string def) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  while (!def.empty() && (space(def.back()) || def.back() == ';')) def.pop_back();
  std::size_t b = 0;
  while (b < def.size() && space(def[b])) ++b;
  return def.substr(b);
}

// Removes the `db`. qualifiers MySQL writes in VIEW_DEFINITION, which would tie the view to
// the source database.
std::string without_qualifier(std::string def, const std::string& database) {
  if (database.empty()) return def;
  const std::string q = "`" + database + "`.";
  for (std::size_t at = def.find(q); at != std::string::npos; at = def.find(q, at)) {
    def.erase(at, q.size());
  }
  return def;
}

// Whether a definition written for one dialect reads the same on another: nothing but
// standard SQL tokens we can check for cheaply.
std::string not_portable_because(const std::string& def) {
  if (def.find("::") != std::string::npos) return "it has PostgreSQL '::' casts";
  if (def.find('`') != std::string::npos) return "it has MySQL backquoted names";
  if (def.find('[') != std::string::npos) return "it has bracketed names or array subscripts";
  return {};
}

std::string current_database(const Engine& engine) {
  auto conn = engine.connect();
  return conn.exec_driver_sql("SELECT DATABASE()").scalar_one<std::string>();
}

std::string quoted_name(const std::string& schema, const std::string& name, char q) {
  std::string out;
  auto add = [&](const std::string& part) {
    out += q;
    for (char c : part) {
      if (c == q) out += q;
      out += c;
    }
    out += q;
  };
  if (!schema.empty()) {
    add(schema);
    out += '.';
  }
  add(name);
  return out;
}

}  // namespace

SchemaObjects schema_objects(const Engine& source, const std::string& schema,
                             const std::string& target) {
  SchemaObjects out;
  Inspector insp(source);
  const std::string from = source.dialect_name();
  const bool same = family(from) == family(target);

  for (const auto& s : insp.get_sequences(schema)) {
    if (s.owned) continue;
    SequenceOptions o;
    o.start = s.start;
    o.increment = s.increment;
    o.minvalue = s.minvalue;
    o.maxvalue = s.maxvalue;
    if (s.cycle && *s.cycle) o.cycle = true;
    o.schema = schema;
    try {
      out.sequences.push_back({fmt::format("sequence '{}'", s.name),
                               compile(CreateSequence(Sequence(s.name, o)), target).sql});
    } catch (const CompileError& e) {
      out.warnings.push_back(fmt::format("sequence '{}' left out: {}", s.name, e.what()));
    }
  }

  const std::vector<std::string> views = insp.get_view_names(schema);
  const std::string database = family(from) == "mysql" && !views.empty()
                                   ? (schema.empty() ? current_database(source) : schema)
                                   : std::string();
  for (const auto& v : views) {
    std::string def = trim_definition(insp.get_view_definition(v, schema));
    if (family(from) == "mysql") def = without_qualifier(def, database);
    if (def.empty()) {
      out.warnings.push_back(
          fmt::format("view '{}' left out: the database does not show its definition", v));
      continue;
    }
    if (!same) {
      if (const std::string why = not_portable_because(def); !why.empty()) {
        out.warnings.push_back(fmt::format(
            "view '{}' left out: its {} definition cannot be carried verbatim to {} ({}); "
            "create it by hand",
            v, from, target, why));
        continue;
      }
    }
    const char q = family(target) == "mysql" ? '`' : '"';
    out.views.push_back({fmt::format("view '{}'", v),
                         fmt::format("CREATE VIEW {} AS {}", quoted_name(schema, v, q), def)});
  }
  return out;
}

std::vector<std::string> restore_sequence_values(const Engine& source, const std::string& schema,
                                                 const Engine& dest) {
  std::vector<std::string> warnings;
  Inspector src(source);
  Inspector dst(dest);
  std::vector<std::string> present = dst.get_sequence_names(schema);
  auto conn = dest.connect();
  for (const auto& s : src.get_sequences(schema)) {
    if (s.owned || !s.last_value) continue;
    if (std::find(present.begin(), present.end(), s.name) == present.end()) continue;
    try {
      if (dest.dialect_name() == "postgresql") {
        conn.execute(text("SELECT setval(CAST(:name AS regclass), :value, true)"),
                     Params{{"name", quoted_name(schema, s.name, '"')}, {"value", *s.last_value}});
      } else {
        // MariaDB takes no parameters in DDL; the value is an integer we read, not input.
        const std::int64_t next = *s.last_value + s.increment.value_or(1);
        conn.exec_driver_sql(fmt::format("ALTER SEQUENCE {} RESTART WITH {}",
                                         quoted_name(schema, s.name, '`'), next));
      }
    } catch (const Error& e) {
      warnings.push_back(
          fmt::format("sequence '{}': could not set its current value: {}", s.name, e.what()));
    }
  }
  conn.commit();
  return warnings;
}

std::vector<std::pair<std::string, std::string>> relax_always_identities(const Engine& dest,
                                                                         const MetaData& md) {
  std::vector<std::pair<std::string, std::string>> out;
  if (dest.dialect_name() != "postgresql") return out;
  Inspector insp(dest);
  auto conn = dest.connect();
  for (const Table& t : md.sorted_tables()) {
    for (const auto& c : insp.get_columns(t.name(), t.schema())) {
      if (c.identity != 1) continue;
      const std::string table = quoted_name(t.schema(), t.name(), '"');
      conn.exec_driver_sql(fmt::format("ALTER TABLE {} ALTER COLUMN {} SET GENERATED BY DEFAULT",
                                       table, quoted_name({}, c.name, '"')));
      out.emplace_back(table, c.name);
    }
  }
  conn.commit();
  return out;
}

void restore_always_identities(const Engine& dest,
                               const std::vector<std::pair<std::string, std::string>>& columns) {
  if (columns.empty()) return;
  auto conn = dest.connect();
  for (const auto& [table, column] : columns) {
    conn.exec_driver_sql(fmt::format("ALTER TABLE {} ALTER COLUMN {} SET GENERATED ALWAYS", table,
                                     quoted_name({}, column, '"')));
  }
  conn.commit();
}

std::vector<std::string> copy_schema_objects(const Engine& source, const Engine& dest) {
  SchemaObjects objects = schema_objects(source, {}, dest.dialect_name());
  std::vector<std::string> warnings = std::move(objects.warnings);
  auto run = [&](const std::vector<ObjectStatement>& statements) {
    for (const auto& s : statements) {
      // Each on its own: the tables and rows are committed already, and one object that
      // the destination refuses should not take the others with it.
      try {
        auto conn = dest.connect();
        conn.exec_driver_sql(s.sql);
        conn.commit();
      } catch (const Error& e) {
        warnings.push_back(fmt::format("{} not copied: {}", s.what, e.what()));
      }
    }
  };
  run(objects.sequences);
  for (auto& w : restore_sequence_values(source, {}, dest)) warnings.push_back(std::move(w));
  run(objects.views);
  return warnings;
}

}  // namespace retort::cli
