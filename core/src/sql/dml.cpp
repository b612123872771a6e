// core/src/sql/dml.cpp — building INSERT, UPDATE and DELETE nodes.
#include "nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/dml.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace retort {

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

NodePtr with_values(const NodePtr& node, const Params& values) {
  Node n = *node;
  for (const auto& [key, value] : values.items()) {
    if (n.table->find_key(key) == nullptr) {
      throw ArgumentError(
          fmt::format("Unconsumed column name: table '{}' has no column '{}'", n.table->name, key));
    }
    auto it = std::find_if(n.assignments.begin(), n.assignments.end(),
                           [&](const auto& a) { return a.first == key; });
    if (it != n.assignments.end()) {
      it->second = value;
    } else {
      n.assignments.emplace_back(key, value);
    }
  }
  return make_node(std::move(n));
}

NodePtr with_where(const NodePtr& node, const ColumnElement& condition) {
  Node n = *node;
  n.where = n.where ? and_(ColumnElement(n.where), condition).node() : condition.node();
  return make_node(std::move(n));
}

}  // namespace

Insert::Insert(const Table& table) : Executable(dml_node(NodeKind::insert, table)) {}
Insert Insert::values(const Params& values) const {
  return Insert(with_values(node_, values));
}

Update::Update(const Table& table) : Executable(dml_node(NodeKind::update, table)) {}
Update Update::values(const Params& values) const {
  return Update(with_values(node_, values));
}
Update Update::where(const ColumnElement& condition) const {
  return Update(with_where(node_, condition));
}

Delete::Delete(const Table& table) : Executable(dml_node(NodeKind::delete_, table)) {}
Delete Delete::where(const ColumnElement& condition) const {
  return Delete(with_where(node_, condition));
}

}  // namespace retort
