// core/src/reflection.cpp — Table(name, metadata, autoload_with(…)) and MetaData::reflect:
// Inspector answers turned into the same schema objects a hand-written Table makes.
#include "sql/nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/inspection.hpp>
#include <retort/sql/elements.hpp>
#include <retort/sql/schema.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace retort {

namespace {

std::string qualified(std::string_view schema, std::string_view name) {
  return schema.empty() ? std::string(name) : fmt::format("{}.{}", schema, name);
}

// Builds one table from the inspector; returns it and the tables its foreign keys name.
Table build_table(std::string_view name, const MetaData& metadata, Inspector& insp,
                  TableOptions options, std::vector<std::pair<std::string, std::string>>* refs) {
  const std::string schema = options.schema;
  const auto columns = insp.get_columns(name, schema);
  const auto pk = insp.get_pk_constraint(name, schema);
  std::vector<TableItem> items;
  for (const auto& c : columns) {
    ColumnOptions o;
    o.nullable = c.nullable;
    o.autoincrement = c.autoincrement;
    if (c.default_) o.server_default = *c.default_;
    if (c.identity != 0) {
      // GENERATED … AS IDENTITY stays one (a dialect without identity columns makes it its
      // autoincrement column when it is the single integer primary key).
      o.identity = Identity{c.identity == 1, c.identity_start, c.identity_increment};
      o.server_default.reset();
    }
    o.comment = c.comment;
    items.emplace_back(Column(c.name, c.type, std::move(o)));
  }
  if (!pk.constrained_columns.empty()) {
    items.emplace_back(PrimaryKeyConstraint{pk.constrained_columns, pk.name});
  }
  for (const auto& uq : insp.get_unique_constraints(name, schema)) {
    items.emplace_back(UniqueConstraint{uq.column_names, uq.name});
  }
  for (const auto& fk : insp.get_foreign_keys(name, schema)) {
    std::vector<std::string> targets;
    for (const auto& col : fk.referred_columns) {
      targets.push_back(qualified(fk.referred_schema, fk.referred_table) + "." + col);
    }
    ForeignKeyOptions o;
    o.name = fk.name;
    o.ondelete = fk.ondelete;
    o.onupdate = fk.onupdate;
    o.deferrable = fk.deferrable;
    o.initially = fk.initially;
    items.emplace_back(ForeignKeyConstraint(fk.constrained_columns, targets, std::move(o)));
    if (refs != nullptr) refs->emplace_back(fk.referred_schema, fk.referred_table);
  }
  for (const auto& ck : insp.get_check_constraints(name, schema)) {
    items.emplace_back(CheckConstraint(ck.sqltext, ck.name));
  }
  const auto indexes = insp.get_indexes(name, schema);
  std::vector<const ReflectedIndex*> expression_indexes;
  for (const auto& ix : indexes) {
    const bool plain = std::all_of(ix.expressions.begin(), ix.expressions.end(),
                                   [](const std::string& e) { return e.empty(); });
    if (!plain) {
      expression_indexes.push_back(&ix);
      continue;
    }
    std::vector<IndexElement> elements(ix.column_names.begin(), ix.column_names.end());
    items.emplace_back(
        Index(ix.name, std::move(elements), {.unique = ix.unique, .where = ix.where}));
  }
  if (options.comment.empty()) options.comment = insp.get_table_comment(name, schema);
  Table table(std::string(name), metadata, std::move(items), std::move(options));
  // An index on expressions belongs to its table through the MetaData (as an Index built
  // from a table's columns does); its elements are SQL text as the database reported it.
  for (const ReflectedIndex* ix : expression_indexes) {
    auto data = std::make_shared<detail::IndexData>();
    data->name = ix->name;
    data->unique = ix->unique;
    data->where = ix->where;
    for (std::size_t i = 0; i < ix->column_names.size(); ++i) {
      if (!ix->expressions[i].empty()) {
        data->elements.push_back({{}, literal_column(ix->expressions[i]).node()});
      } else {
        data->elements.push_back({ix->column_names[i], nullptr});
      }
    }
    data->table = metadata.impl()->find(table.data().fullname());
    data->attached = true;
    metadata.impl()->indexes.push_back(std::move(data));
  }
  return table;
}

// Reflects `name` and, transitively, the tables its foreign keys refer to that the MetaData
// does not have yet.
Table reflect_closure(std::string_view name, const MetaData& metadata, Inspector& insp,
                      TableOptions options) {
  std::vector<std::pair<std::string, std::string>> refs;
  Table table = build_table(name, metadata, insp, std::move(options), &refs);
  while (!refs.empty()) {
    auto [schema, ref] = refs.back();
    refs.pop_back();
    if (metadata.impl()->find(qualified(schema, ref)) != nullptr) continue;
    TableOptions o;
    o.schema = schema;
    build_table(ref, metadata, insp, std::move(o), &refs);
  }
  return table;
}

Table autoload(std::string name, const MetaData& metadata, const AutoloadWith& a,
               TableOptions options) {
  if (a.inspector != nullptr) return reflect_table(name, metadata, *a.inspector, options);
  if (a.connection != nullptr) {
    Inspector insp(*a.connection);
    return reflect_table(name, metadata, insp, options);
  }
  if (a.engine == nullptr) throw ArgumentError("autoload_with: no engine or connection given");
  Inspector insp(*a.engine);
  return reflect_table(name, metadata, insp, options);
}

}  // namespace

Table reflect_table(std::string_view name, const MetaData& metadata, Inspector& inspector,
                    TableOptions options) {
  const std::string schema =
      options.schema.empty() ? metadata.impl()->options.schema : options.schema;
  if (metadata.impl()->find(qualified(schema, name)) != nullptr) {
    throw ArgumentError(
        fmt::format("Table '{}' is already defined for this MetaData", qualified(schema, name)));
  }
  options.schema = schema;
  return reflect_closure(name, metadata, inspector, std::move(options));
}

Table::Table(std::string name, const MetaData& metadata, AutoloadWith autoload_from,
             TableOptions options)
    : Table(autoload(std::move(name), metadata, autoload_from, std::move(options))) {}

void MetaData::reflect(const Engine& engine, ReflectOptions options) const {
  Inspector insp(engine);
  reflect(insp, std::move(options));
}

void MetaData::reflect(Connection& connection, ReflectOptions options) const {
  Inspector insp(connection);
  reflect(insp, std::move(options));
}

void MetaData::reflect(Inspector& insp, ReflectOptions options) const {
  const std::string schema = options.schema.empty() ? impl_->options.schema : options.schema;
  std::vector<std::string> available = insp.get_table_names(schema);
  if (options.views) {
    for (auto& v : insp.get_view_names(schema)) available.push_back(std::move(v));
  }
  std::vector<std::string> wanted;
  if (options.only.empty()) {
    wanted = available;
  } else {
    std::vector<std::string> missing;
    for (const auto& n : options.only) {
      if (std::find(available.begin(), available.end(), n) == available.end()) {
        missing.push_back(n);
      } else {
        wanted.push_back(n);
      }
    }
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "'" : ", '") + m + "'";
      throw NoSuchTableError(
          fmt::format("Could not reflect: requested table(s) not available in the database{}: "
                      "{}",
                      schema.empty() ? std::string() : " schema '" + schema + "'", list));
    }
  }
  for (const auto& n : wanted) {
    if (impl_->find(qualified(schema, n)) != nullptr) continue;
    TableOptions o;
    o.schema = schema;
    reflect_closure(n, *this, insp, std::move(o));
  }
}

}  // namespace retort
