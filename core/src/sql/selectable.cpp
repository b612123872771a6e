// core/src/sql/selectable.cpp — FROM clauses, joins and Select's generative methods.
#include "nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <fmt/format.h>

namespace retort {

using detail::make_node;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;

namespace detail {

NodePtr column_node(const NodePtr& from, const ColumnData& c) {
  Node n{NodeKind::column};
  n.text = c.name;
  n.type = c.type;
  n.from = from;
  return make_node(std::move(n));
}

std::pair<std::shared_ptr<const TableData>, const ColumnData*> resolve_foreign_key(
    const TableData& table, const ColumnData& column) {
  const std::string& target = column.options.foreign_key->column;
  const auto dot = target.rfind('.');
  if (dot == std::string::npos) {
    throw ArgumentError(fmt::format("ForeignKey('{}') on {}.{}: expected 'table.column'", target,
                                    table.name, column.name));
  }
  auto md = table.metadata.lock();
  auto t = md ? md->find(target.substr(0, dot)) : nullptr;
  if (t == nullptr) {
    throw ArgumentError(fmt::format("ForeignKey('{}') on {}.{}: no table '{}' in the MetaData",
                                    target, table.name, column.name, target.substr(0, dot)));
  }
  const ColumnData* c = t->find_name(target.substr(dot + 1));
  if (c == nullptr) {
    throw ArgumentError(fmt::format("ForeignKey('{}') on {}.{}: table '{}' has no column '{}'",
                                    target, table.name, column.name, t->name,
                                    target.substr(dot + 1)));
  }
  return {t, c};
}

}  // namespace detail

namespace {

// Every table/alias node inside a FROM node (a join has several).
void leaf_froms(const NodePtr& from, std::vector<NodePtr>& out) {
  if (from->kind == NodeKind::join) {
    leaf_froms(from->left, out);
    leaf_froms(from->right, out);
  } else {
    out.push_back(from);
  }
}

std::string from_name(const Node& from) {
  return from.kind == NodeKind::alias ? from.text : detail::table_of(from)->name;
}

// The ON clause from the one foreign key between `left` (any of its leaves) and `right`.
NodePtr infer_onclause(const NodePtr& left, const NodePtr& right) {
  std::vector<NodePtr> lefts, rights;
  leaf_froms(left, lefts);
  leaf_froms(right, rights);
  std::vector<NodePtr> found;
  auto scan = [&](const NodePtr& a, const NodePtr& b) {
    // Foreign keys of a's table pointing at b's table.
    const detail::TableData* ta = detail::table_of(*a);
    const detail::TableData* tb = detail::table_of(*b);
    if (ta == nullptr || tb == nullptr) return;
    for (const auto& c : ta->columns) {
      if (!c.options.foreign_key) continue;
      auto [target, target_col] = detail::resolve_foreign_key(*ta, c);
      if (target.get() != tb) continue;
      // Referenced column first, as SQLAlchemy writes it: users.id = addresses.user_id.
      found.push_back((ColumnElement(detail::column_node(b, *target_col)) ==
                       ColumnElement(detail::column_node(a, c)))
                          .node());
    }
  };
  for (const auto& r : rights) {
    for (const auto& l : lefts) {
      scan(l, r);
      scan(r, l);
    }
  }
  if (found.size() == 1) return found.front();
  std::string names;
  for (const auto& l : lefts) names += (names.empty() ? "" : ", ") + from_name(*l);
  throw ArgumentError(fmt::format(
      "Can't infer the ON clause of a join between '{}' and '{}': {}; give the onclause "
      "explicitly",
      names, from_name(*right),
      found.empty() ? "there are no foreign keys between them"
                    : "there are several foreign keys between them"));
}

NodePtr make_join(const NodePtr& left, const NodePtr& right, std::optional<ColumnElement> on,
                  bool outer) {
  Node n{NodeKind::join};
  n.left = left;
  n.right = right;
  n.third = on ? on->node() : infer_onclause(left, right);
  n.flag = outer;
  return make_node(std::move(n));
}

}  // namespace

ColumnElement ColumnCollection::operator[](std::string_view key) const {
  std::vector<NodePtr> leaves;
  leaf_froms(from_, leaves);
  for (const auto& leaf : leaves) {
    const detail::TableData* t = detail::table_of(*leaf);
    if (const auto* c = t->find_key(key)) return ColumnElement(detail::column_node(leaf, *c));
  }
  throw ArgumentError(fmt::format("'{}' has no column '{}'", from_name(*leaves.front()), key));
}

std::vector<ColumnElement> ColumnCollection::all() const {
  std::vector<NodePtr> leaves;
  leaf_froms(from_, leaves);
  std::vector<ColumnElement> out;
  for (const auto& leaf : leaves) {
    for (const auto& c : detail::table_of(*leaf)->columns) {
      out.emplace_back(detail::column_node(leaf, c));
    }
  }
  return out;
}

FromClause FromClause::alias(std::string name) const {
  if (node_->kind != NodeKind::table) throw ArgumentError("only a Table can be aliased");
  if (name.empty()) throw ArgumentError("alias() needs a name");
  Node n{NodeKind::alias};
  n.text = std::move(name);
  n.left = node_;
  return FromClause(make_node(std::move(n)));
}

FromClause FromClause::join(const FromClause& other, std::optional<ColumnElement> onclause) const {
  return FromClause(make_join(node_, other.node(), std::move(onclause), false));
}
FromClause FromClause::outerjoin(const FromClause& other,
                                 std::optional<ColumnElement> onclause) const {
  return FromClause(make_join(node_, other.node(), std::move(onclause), true));
}

Select::Select(std::vector<NodePtr> items) : Executable(nullptr) {
  if (items.empty()) throw ArgumentError("select() needs at least one column");
  Node n{NodeKind::select};
  for (auto& item : items) {
    const NodeKind k = item->kind;
    if (k == NodeKind::table || k == NodeKind::alias || k == NodeKind::join) {
      for (auto& c : ColumnCollection(item).all()) n.items.push_back(c.node());
    } else {
      n.items.push_back(std::move(item));
    }
  }
  node_ = make_node(std::move(n));
}

namespace {
NodePtr and_nodes(const NodePtr& a, const ColumnElement& b) {
  return a ? and_(ColumnElement(a), b).node() : b.node();
}
}  // namespace

Select Select::where(const ColumnElement& condition) const {
  Node n = *node_;
  n.where = and_nodes(n.where, condition);
  return Select(make_node(std::move(n)));
}
Select Select::having(const ColumnElement& condition) const {
  Node n = *node_;
  n.having = and_nodes(n.having, condition);
  return Select(make_node(std::move(n)));
}

Select Select::join_impl(const FromClause& target, std::optional<ColumnElement> on,
                         bool outer) const {
  Node n = *node_;
  NodePtr left;
  if (!n.froms.empty()) {
    left = n.froms.front();
  } else {
    for (const auto& item : n.items) {
      // The first column's FROM.
      const Node* e = item.get();
      while (e->kind == NodeKind::label || e->kind == NodeKind::postfix) e = e->left.get();
      if (e->kind == NodeKind::column) {
        left = e->from;
        break;
      }
    }
    if (left == nullptr) throw ArgumentError("join(): the select has no table to join from");
    n.froms.push_back(nullptr);
  }
  n.froms.front() = make_join(left, target.node(), std::move(on), outer);
  return Select(make_node(std::move(n)));
}
Select Select::join(const FromClause& target, std::optional<ColumnElement> onclause) const {
  return join_impl(target, std::move(onclause), false);
}
Select Select::outerjoin(const FromClause& target, std::optional<ColumnElement> onclause) const {
  return join_impl(target, std::move(onclause), true);
}
Select Select::select_from(const FromClause& from) const {
  Node n = *node_;
  n.froms.push_back(from.node());
  return Select(make_node(std::move(n)));
}
Select Select::group_by(std::vector<ColumnElement> columns) const {
  Node n = *node_;
  for (auto& c : columns) n.group_by.push_back(c.node());
  return Select(make_node(std::move(n)));
}
Select Select::order_by(std::vector<ColumnElement> columns) const {
  Node n = *node_;
  for (auto& c : columns) n.order_by.push_back(c.node());
  return Select(make_node(std::move(n)));
}
Select Select::limit(std::int64_t count) const {
  Node n = *node_;
  n.limit = literal(count, Integer()).node();
  return Select(make_node(std::move(n)));
}
Select Select::offset(std::int64_t count) const {
  Node n = *node_;
  n.offset = literal(count, Integer()).node();
  return Select(make_node(std::move(n)));
}
Select Select::distinct() const {
  Node n = *node_;
  n.flag = true;
  return Select(make_node(std::move(n)));
}

}  // namespace retort
