// core/src/sql/dml.cpp — building INSERT, UPDATE and DELETE nodes.
#include "nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/dml.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace retort {

using detail::DmlValue;
using detail::make_node;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;

namespace {

NodePtr dml_node(NodeKind kind, const Table& table) {
  Node n{kind};
  n.table = table.node()->table;
  n.from = table.node();
  return make_node(std::move(n));
}

void check_key(const detail::TableData& table, const std::string& key) {
  if (table.find_key(key) == nullptr) {
    throw ArgumentError(
        fmt::format("Unconsumed column name: table '{}' has no column '{}'", table.name, key));
  }
}

// Sets `key` in `list` (a later value for a key replaces the earlier one, in place).
void assign(const detail::TableData& table, std::vector<DmlValue>& list, DmlValue v) {
  check_key(table, v.key);
  auto it =
      std::find_if(list.begin(), list.end(), [&](const DmlValue& a) { return a.key == v.key; });
  if (it != list.end()) {
    *it = std::move(v);
  } else {
    list.push_back(std::move(v));
  }
}

void check_single_values(const Node& n) {
  if (!n.multi_values.empty() || n.from_select) {
    throw ArgumentError(fmt::format(
        "INSERT into '{}' already has a multi-row VALUES or from_select(); values() cannot be "
        "combined with them",
        n.table->name));
  }
}

NodePtr with_values(const NodePtr& node, const Params& values) {
  Node n = *node;
  if (n.kind == NodeKind::insert) check_single_values(n);
  for (const auto& [key, value] : values.items()) assign(*n.table, n.assignments, {key, value, {}});
  return make_node(std::move(n));
}

NodePtr with_expressions(const NodePtr& node, const Assignments& values) {
  Node n = *node;
  if (n.kind == NodeKind::insert) check_single_values(n);
  for (const auto& [key, expr] : values) {
    assign(*n.table, n.assignments, {key, std::nullopt, expr.node()});
  }
  return make_node(std::move(n));
}

NodePtr with_where(const NodePtr& node, const ColumnElement& condition) {
  Node n = *node;
  n.where = n.where ? and_(ColumnElement(n.where), condition).node() : condition.node();
  return make_node(std::move(n));
}

NodePtr with_returning(const NodePtr& node, const std::vector<ColumnElement>& items) {
  if (items.empty()) throw ArgumentError("returning() needs at least one column or expression");
  Node n = *node;
  for (const auto& i : items) n.returning.push_back(i.node());
  return make_node(std::move(n));
}

// Column keys → column names, for an ON CONFLICT target.
std::vector<std::string> index_names(const detail::TableData& table,
                                     const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) {
    check_key(table, k);
    out.push_back(table.find_key(k)->name);
  }
  return out;
}

NodePtr with_upsert(const NodePtr& node, Node upsert) {
  Node n = *node;
  if (n.upsert) {
    throw ArgumentError(
        fmt::format("INSERT into '{}' already has an ON CONFLICT / ON DUPLICATE "
                    "KEY clause",
                    n.table->name));
  }
  n.upsert = make_node(std::move(upsert));
  return make_node(std::move(n));
}

Node conflict_target(const Node& insert, const std::vector<std::string>& index_elements,
                     const std::string& constraint, const std::optional<ColumnElement>& where) {
  if (!constraint.empty() && !index_elements.empty()) {
    throw ArgumentError("ON CONFLICT takes either a constraint name or index elements, not both");
  }
  if (where && index_elements.empty()) {
    throw ArgumentError("ON CONFLICT index_where needs index_elements");
  }
  Node c{NodeKind::on_conflict};
  c.names = index_names(*insert.table, index_elements);
  c.text = constraint;
  if (where) c.third = where->node();
  return c;
}

}  // namespace

FromClause excluded(const Table& table) {
  Node n{NodeKind::excluded};
  n.text = "excluded";
  n.left = table.node();
  return FromClause(make_node(std::move(n)));
}

Insert::Insert(const Table& table) : Executable(dml_node(NodeKind::insert, table)) {}
Insert Insert::values(const Params& values) const {
  return Insert(with_values(node_, values));
}
Insert Insert::values(const Assignments& values) const {
  return Insert(with_expressions(node_, values));
}

Insert Insert::values(const std::vector<Params>& rows) const {
  Node n = *node_;
  if (rows.empty()) throw ArgumentError("values() was given an empty list of rows");
  if (!n.assignments.empty() || !n.multi_values.empty() || n.from_select) {
    throw ArgumentError(fmt::format(
        "INSERT into '{}' already has values; a multi-row VALUES cannot be combined with other "
        "values() or from_select()",
        n.table->name));
  }
  const Params& first = rows.front();
  for (const auto& [key, v] : first.items()) check_key(*n.table, key);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    // The columns are the first row's keys and every column with a default.
    for (const auto& [key, v] : rows[r].items()) {
      check_key(*n.table, key);
      if (first.find(key) == nullptr && !n.table->find_key(key)->options.default_) {
        throw ArgumentError(fmt::format(
            "row {} of a multi-row VALUES gives column '{}', which the first row does not", r,
            key));
      }
    }
    for (const auto& [key, v] : first.items()) {
      if (rows[r].find(key) == nullptr && !n.table->find_key(key)->options.default_) {
        throw ArgumentError(fmt::format(
            "row {} of a multi-row VALUES gives no value for column '{}', which has no default", r,
            key));
      }
    }
  }
  n.multi_values = rows;
  return Insert(make_node(std::move(n)));
}

Insert Insert::from_select(const std::vector<std::string>& columns, const Select& select) const {
  Node n = *node_;
  if (!n.assignments.empty() || !n.multi_values.empty() || n.from_select) {
    throw ArgumentError(fmt::format(
        "INSERT into '{}' already has values; from_select() cannot be combined with them",
        n.table->name));
  }
  if (columns.empty()) throw ArgumentError("from_select() needs the column keys it fills");
  for (const auto& k : columns) check_key(*n.table, k);
  n.names = columns;
  n.from_select = select.node();
  return Insert(make_node(std::move(n)));
}

Insert Insert::returning(std::vector<ColumnElement> items) const {
  return Insert(with_returning(node_, items));
}

Insert Insert::on_conflict_do_nothing(const OnConflictDoNothing& spec) const {
  Node c = conflict_target(*node_, spec.index_elements, spec.constraint, spec.index_where);
  return Insert(with_upsert(node_, std::move(c)));
}

Insert Insert::on_conflict_do_update(const OnConflictDoUpdate& spec) const {
  Node c = conflict_target(*node_, spec.index_elements, spec.constraint, spec.index_where);
  if (c.names.empty() && c.text.empty()) {
    throw ArgumentError(
        "ON CONFLICT DO UPDATE needs a target: give index_elements or a constraint name");
  }
  if (spec.set.empty()) throw ArgumentError("ON CONFLICT DO UPDATE needs a non-empty set");
  c.flag = true;
  for (const auto& [key, expr] : spec.set) {
    assign(*node_->table, c.assignments, {key, std::nullopt, expr.node()});
  }
  if (spec.where) c.where = spec.where->node();
  return Insert(with_upsert(node_, std::move(c)));
}

Insert Insert::on_duplicate_key_update(const Assignments& set) const {
  if (set.empty()) throw ArgumentError("on_duplicate_key_update() needs at least one column");
  Node c{NodeKind::on_duplicate_key};
  for (const auto& [key, expr] : set) {
    assign(*node_->table, c.assignments, {key, std::nullopt, expr.node()});
  }
  return Insert(with_upsert(node_, std::move(c)));
}

Update::Update(const Table& table) : Executable(dml_node(NodeKind::update, table)) {}
Update Update::values(const Params& values) const {
  return Update(with_values(node_, values));
}
Update Update::values(const Assignments& values) const {
  return Update(with_expressions(node_, values));
}
Update Update::where(const ColumnElement& condition) const {
  return Update(with_where(node_, condition));
}
Update Update::returning(std::vector<ColumnElement> items) const {
  return Update(with_returning(node_, items));
}

Delete::Delete(const Table& table) : Executable(dml_node(NodeKind::delete_, table)) {}
Delete Delete::where(const ColumnElement& condition) const {
  return Delete(with_where(node_, condition));
}
Delete Delete::returning(std::vector<ColumnElement> items) const {
  return Delete(with_returning(node_, items));
}

}  // namespace retort
