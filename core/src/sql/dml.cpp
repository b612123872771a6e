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

Node conflict_target(const Node& insert, const std::vector<IndexElement>& index_elements,
                     const std::string& constraint, const std::optional<ColumnElement>& where) {
  if (!constraint.empty() && !index_elements.empty()) {
    throw ArgumentError("ON CONFLICT takes either a constraint name or index elements, not both");
  }
  if (where && index_elements.empty()) {
    throw ArgumentError("ON CONFLICT index_where needs index_elements");
  }
  Node c{NodeKind::on_conflict};
  for (const auto& e : index_elements) {
    if (e.expression()) {
      c.items.push_back(e.expression()->node());
    } else {
      check_key(*insert.table, e.column());
      c.items.push_back(detail::column_node(insert.from, *insert.table->find_key(e.column())));
    }
  }
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

namespace {
// Checks the key sets of a multi-row VALUES: every row gives the first row's keys, except
// columns with a default, and no others.
void check_multi_rows(const Node& n, const std::vector<std::vector<std::string>>& keys) {
  if (keys.empty()) throw ArgumentError("values() was given an empty list of rows");
  if (!n.assignments.empty() || !n.multi_values.empty() || n.from_select) {
    throw ArgumentError(fmt::format(
        "INSERT into '{}' already has values; a multi-row VALUES cannot be combined with other "
        "values() or from_select()",
        n.table->name));
  }
  const auto& first = keys.front();
  auto has = [](const std::vector<std::string>& row, const std::string& key) {
    return std::find(row.begin(), row.end(), key) != row.end();
  };
  for (const auto& key : first) check_key(*n.table, key);
  for (std::size_t r = 1; r < keys.size(); ++r) {
    // The columns are the first row's keys and every column with a default.
    for (const auto& key : keys[r]) {
      check_key(*n.table, key);
      if (!has(first, key) && !n.table->find_key(key)->options.default_) {
        throw ArgumentError(fmt::format(
            "row {} of a multi-row VALUES gives column '{}', which the first row does not", r,
            key));
      }
    }
    for (const auto& key : first) {
      if (!has(keys[r], key) && !n.table->find_key(key)->options.default_) {
        throw ArgumentError(fmt::format(
            "row {} of a multi-row VALUES gives no value for column '{}', which has no default", r,
            key));
      }
    }
  }
}
}  // namespace

Insert Insert::values(const std::vector<Params>& rows) const {
  Node n = *node_;
  std::vector<std::vector<std::string>> keys;
  for (const auto& row : rows) {
    keys.emplace_back();
    for (const auto& [key, v] : row.items()) keys.back().push_back(key);
  }
  check_multi_rows(n, keys);
  n.multi_values = rows;
  return Insert(make_node(std::move(n)));
}

Insert Insert::values_rows(const std::vector<ValuesRow>& rows) const {
  Node n = *node_;
  std::vector<std::vector<std::string>> keys;
  for (const auto& row : rows) {
    keys.emplace_back();
    for (const auto& [key, v] : row) {
      if (std::find(keys.back().begin(), keys.back().end(), key) != keys.back().end()) {
        throw ArgumentError(fmt::format("row {} of a multi-row VALUES gives column '{}' twice",
                                        keys.size() - 1, key));
      }
      keys.back().push_back(key);
    }
  }
  check_multi_rows(n, keys);
  bool any_expression = false;
  for (const auto& row : rows) {
    Params values;
    std::vector<DmlValue> exprs;
    for (const auto& [key, v] : row) {
      if (v.element()) {
        exprs.push_back({key, std::nullopt, v.element()->node()});
        any_expression = true;
      } else {
        values.set(key, *v.value());
      }
    }
    n.multi_values.push_back(std::move(values));
    n.multi_value_exprs.push_back(std::move(exprs));
  }
  if (!any_expression) n.multi_value_exprs.clear();
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
  if (c.items.empty() && c.text.empty()) {
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

namespace retort {
namespace {
std::shared_ptr<const detail::Node> with_cte(const std::shared_ptr<const detail::Node>& node,
                                             const CTE& cte) {
  detail::Node n = *node;
  n.ctes.push_back(cte.node());
  return detail::make_node(std::move(n));
}
}  // namespace
Insert Insert::add_cte(const CTE& cte) const {
  return Insert(with_cte(node_, cte));
}
Update Update::add_cte(const CTE& cte) const {
  return Update(with_cte(node_, cte));
}
Delete Delete::add_cte(const CTE& cte) const {
  return Delete(with_cte(node_, cte));
}
}  // namespace retort
