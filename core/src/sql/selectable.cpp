// core/src/sql/selectable.cpp — FROM clauses, joins and Select's generative methods.
#include "nodes.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace retort {

using detail::derived_body;
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

namespace {

// A function's result is keyed by its name, the last part when qualified (lower_1).
std::string function_key(const Node& item) {
  return item.text.substr(item.text.rfind('.') + 1);
}

}  // namespace

std::vector<ExportedColumn> exported_columns(const Node& selectable) {
  const Node* s = &selectable;
  while (s->kind == NodeKind::compound_select) s = s->items.front().get();
  std::vector<ExportedColumn> out;
  std::vector<std::string> names;
  auto unique = [&](const std::string& name) {
    std::string candidate = name;
    // A repeated name is disambiguated as SQLAlchemy does: id, id_1, id_2…
    for (int i = 1; std::find(names.begin(), names.end(), candidate) != names.end(); ++i) {
      candidate = fmt::format("{}_{}", name, i);
    }
    names.push_back(candidate);
    return candidate;
  };
  for (const auto& item : s->items) {
    ExportedColumn e;
    e.type = item->type;
    switch (item->kind) {
      case NodeKind::label:
        e.key = e.name = item->text;
        names.push_back(e.name);
        break;
      case NodeKind::column: {
        e.key = item->text;
        if (const TableData* t = item->from ? table_of(*item->from) : nullptr) {
          if (const ColumnData* c = t->find_name(item->text)) e.key = c->key;
        }
        if (item->text.empty()) {
          // A subquery column that is itself an anonymous label: keep its key, name it anew.
          const auto inner = exported_columns(*derived_body(*item->from));
          e.key = inner[static_cast<std::size_t>(item->column_index)].key;
        } else {
          e.name = unique(item->text);
          if (e.name != item->text) e.key = e.name;
        }
        break;
      }
      case NodeKind::literal_column:
        e.key = e.name = item->text;
        names.push_back(e.name);
        break;
      case NodeKind::function:
        e.key = function_key(*item);
        break;
      case NodeKind::cast:
      case NodeKind::type_coerce:
        // Named after the column it wraps, as SQLAlchemy labels CAST(t.x AS INTEGER) AS x.
        if (item->left->kind == NodeKind::column && !item->left->text.empty()) {
          e.key = e.name = unique(item->left->text);
        }
        break;
      default:
        break;  // an anonymous label (anon_1), not addressable by key
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace detail

namespace {

bool is_selectable(const Node& n) {
  return detail::is_select(n);
}

// Every leaf FROM node inside a FROM node (a join has several).
void leaf_froms(const NodePtr& from, std::vector<NodePtr>& out) {
  if (from->kind == NodeKind::join) {
    leaf_froms(from->left, out);
    leaf_froms(from->right, out);
  } else {
    out.push_back(from);
  }
}

std::string from_name(const Node& from) {
  switch (from.kind) {
    case NodeKind::alias:
      return from.text;
    case NodeKind::table:
      return from.table->name;
    case NodeKind::cte:
      return from.text.empty() ? "anonymous CTE" : from.text;
    case NodeKind::subquery:
      return from.text.empty() ? "anonymous subquery" : from.text;
    case NodeKind::select:
    case NodeKind::compound_select:
      return "the select";
    default:
      return "the FROM clause";
  }
}

// Join ON-clause inference, SQLAlchemy's `join_condition`: the foreign key constraints between
// the two sides, each a list of (referenced column, referencing column) pairs.  Works through
// aliases and subqueries/CTEs of tables: their columns carry the foreign keys of the table
// columns they select.

// One column of a foreign key constraint as seen from a FROM node: `local` is the FROM's
// column, `target` the referenced table's column.
struct FkColumn {
  const detail::ForeignKeyData* constraint;
  NodePtr local;
  const detail::TableData* target_table;
  const detail::ColumnData* target;
};

bool same_column(const Node& a, const Node& b) {
  return a.from == b.from && a.text == b.text && a.column_index == b.column_index;
}

// The foreign key columns of `from` (a table, alias, subquery, CTE or join).
void foreign_key_columns(const NodePtr& from, std::vector<FkColumn>& out) {
  if (from->kind == NodeKind::join) {
    foreign_key_columns(from->left, out);
    foreign_key_columns(from->right, out);
    return;
  }
  if (const detail::TableData* t = detail::table_of(*from)) {
    for (const auto& fk : t->foreign_keys) {
      detail::ResolvedForeignKey r;
      try {
        r = detail::resolve(*t, *fk);
      } catch (const ArgumentError&) {
        // A foreign key to a table not in the MetaData cannot join anything here.
        continue;
      }
      for (std::size_t i = 0; i < fk->columns.size(); ++i) {
        const detail::ColumnData* c = t->find_name(fk->columns[i]);
        if (c == nullptr) continue;
        out.push_back({fk.get(), detail::column_node(from, *c), r.table.get(), r.columns[i]});
      }
    }
    return;
  }
  const Node* body = derived_body(*from);
  if (body == nullptr) return;
  while (body->kind == NodeKind::compound_select) body = body->items.front().get();
  const auto columns = ColumnCollection(from).all();
  for (std::size_t i = 0; i < body->items.size() && i < columns.size(); ++i) {
    const Node& item = *body->items[i];
    if (item.kind != NodeKind::column || item.from == nullptr) continue;
    std::vector<FkColumn> inner;
    foreign_key_columns(item.from, inner);
    for (auto& f : inner) {
      if (same_column(*f.local, item)) {
        f.local = columns[i].node();
        out.push_back(std::move(f));
      }
    }
  }
}

// The column of `from` that is (or selects) `table`.`column`; nullptr when it has none.
NodePtr referent(const NodePtr& from, const detail::TableData* table,
                 const detail::ColumnData* column) {
  if (from->kind == NodeKind::join) {
    if (auto c = referent(from->left, table, column)) return c;
    return referent(from->right, table, column);
  }
  if (const detail::TableData* t = detail::table_of(*from)) {
    return t == table ? detail::column_node(from, *column) : nullptr;
  }
  const Node* body = derived_body(*from);
  if (body == nullptr) return nullptr;
  while (body->kind == NodeKind::compound_select) body = body->items.front().get();
  const auto columns = ColumnCollection(from).all();
  for (std::size_t i = 0; i < body->items.size() && i < columns.size(); ++i) {
    const Node& item = *body->items[i];
    if (item.kind != NodeKind::column || item.from == nullptr) continue;
    auto inner = referent(item.from, table, column);
    if (inner && same_column(*inner, item)) return columns[i].node();
  }
  return nullptr;
}

std::string join_side_name(const NodePtr& from) {
  if (from->kind != NodeKind::join) return from_name(*from);
  return join_side_name(from->left) + " JOIN " + join_side_name(from->right);
}

// The ON clause between `left` and `right`.  As SQLAlchemy, the right side of a `left` join
// is tried first, then the whole of `left`; foreign keys of `right` pointing into the left
// side come before those of the left side pointing into `right`.
NodePtr infer_onclause(const NodePtr& left, const NodePtr& right) {
  using Pairs = std::vector<std::pair<NodePtr, NodePtr>>;  // (referenced, referencing)
  // Keyed by constraint and direction: a self-referential foreign key between a table and an
  // alias of it joins either way, which is ambiguous.
  std::vector<std::pair<std::pair<const detail::ForeignKeyData*, bool>, Pairs>> constraints;
  auto add = [&](const FkColumn& f, bool from_right, NodePtr referenced) {
    const auto key = std::make_pair(f.constraint, from_right);
    for (auto& [k, pairs] : constraints) {
      if (k == key) {
        pairs.emplace_back(std::move(referenced), f.local);
        return;
      }
    }
    constraints.push_back({key, {{std::move(referenced), f.local}}});
  };
  std::vector<FkColumn> right_fks;
  foreign_key_columns(right, right_fks);
  std::vector<NodePtr> candidates;
  if (left->kind == NodeKind::join) candidates.push_back(left->right);
  candidates.push_back(left);
  for (const auto& l : candidates) {
    for (const auto& f : right_fks) {
      if (auto c = referent(l, f.target_table, f.target)) add(f, true, std::move(c));
    }
    std::vector<FkColumn> left_fks;
    foreign_key_columns(l, left_fks);
    for (const auto& f : left_fks) {
      if (auto c = referent(right, f.target_table, f.target)) add(f, false, std::move(c));
    }
    if (!constraints.empty()) break;
  }
  // Several constraints giving the same condition are one.
  auto same_pairs = [](const Pairs& a, const Pairs& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_column(*a[i].first, *b[i].first) || !same_column(*a[i].second, *b[i].second))
        return false;
    }
    return true;
  };
  if (constraints.size() > 1 &&
      std::all_of(constraints.begin() + 1, constraints.end(), [&](const auto& c) {
        return same_pairs(c.second, constraints.front().second);
      })) {
    constraints.resize(1);
  }
  if (constraints.empty()) {
    throw NoForeignKeysError(fmt::format(
        "Can't find any foreign key relationships between '{}' and '{}'. Give the onclause of "
        "this join explicitly.",
        join_side_name(left), join_side_name(right)));
  }
  if (constraints.size() > 1) {
    throw AmbiguousForeignKeysError(fmt::format(
        "Can't determine join between '{}' and '{}'; tables have more than one foreign key "
        "constraint relationship between them. Please specify the 'onclause' of this join "
        "explicitly.",
        join_side_name(left), join_side_name(right)));
  }
  std::vector<ColumnElement> terms;
  for (const auto& [referenced, referencing] : constraints.front().second) {
    terms.push_back(ColumnElement(referenced) == ColumnElement(referencing));
  }
  if (terms.size() == 1) return terms.front().node();
  return and_(std::move(terms)).node();
}

NodePtr make_join(const NodePtr& left, const NodePtr& right, std::optional<ColumnElement> on,
                  JoinOptions options) {
  Node n{NodeKind::join};
  n.left = left;
  n.right = right;
  n.third = on ? on->node() : infer_onclause(left, right);
  n.flag = options.isouter || options.full;
  if (options.full) n.text = "FULL";
  return make_node(std::move(n));
}

// The columns of one leaf FROM.
void leaf_columns(const NodePtr& leaf, std::vector<ColumnElement>& out) {
  if (const Node* body = derived_body(*leaf)) {
    const auto exported = detail::exported_columns(*body);
    for (std::size_t i = 0; i < exported.size(); ++i) {
      Node n{NodeKind::column};
      n.text = exported[i].name;
      n.type = exported[i].type;
      n.from = leaf;
      n.column_index = static_cast<int>(i);
      out.emplace_back(make_node(std::move(n)));
    }
    return;
  }
  for (const auto& c : detail::table_of(*leaf)->columns) {
    out.emplace_back(detail::column_node(leaf, c));
  }
}

std::size_t column_count(const Node& selectable) {
  const Node* s = &selectable;
  while (s->kind == NodeKind::compound_select) s = s->items.front().get();
  return s->items.size();
}

// Select-list items: FROM clauses contribute all their columns.
void add_items(Node& n, std::vector<NodePtr> items) {
  for (auto& item : items) {
    switch (item->kind) {
      case NodeKind::table:
      case NodeKind::alias:
      case NodeKind::join:
      case NodeKind::subquery:
      case NodeKind::cte:
        for (auto& c : ColumnCollection(item).all()) n.items.push_back(c.node());
        break;
      case NodeKind::select:
      case NodeKind::compound_select:
      case NodeKind::textual_select:
        throw ArgumentError(
            "a SELECT cannot be a select-list item; use scalar_subquery() or subquery()");
      default:
        n.items.push_back(std::move(item));
    }
  }
}

NodePtr and_nodes(const NodePtr& a, const ColumnElement& b) {
  return a ? and_(ColumnElement(a), b).node() : b.node();
}

NodePtr wrap(NodeKind kind, const NodePtr& body, std::string name, bool flag) {
  Node n{kind};
  n.left = body;
  n.text = std::move(name);
  n.flag = flag;
  return make_node(std::move(n));
}

}  // namespace

ColumnElement ColumnCollection::operator[](std::string_view key) const {
  if (is_selectable(*from_)) {
    const Node* s = from_.get();
    while (s->kind == NodeKind::compound_select) s = s->items.front().get();
    const auto exported = detail::exported_columns(*s);
    for (std::size_t i = 0; i < exported.size(); ++i) {
      if (exported[i].key == key) return ColumnElement(s->items[i]);
    }
    throw ArgumentError(fmt::format("the select has no column '{}'", key));
  }
  std::vector<NodePtr> leaves;
  leaf_froms(from_, leaves);
  for (const auto& leaf : leaves) {
    if (const Node* body = derived_body(*leaf)) {
      const auto exported = detail::exported_columns(*body);
      for (std::size_t i = 0; i < exported.size(); ++i) {
        if (exported[i].key != key) continue;
        Node n{NodeKind::column};
        n.text = exported[i].name;
        n.type = exported[i].type;
        n.from = leaf;
        n.column_index = static_cast<int>(i);
        return ColumnElement(make_node(std::move(n)));
      }
      continue;
    }
    const detail::TableData* t = detail::table_of(*leaf);
    if (const auto* c = t->find_key(key)) return ColumnElement(detail::column_node(leaf, *c));
  }
  throw ArgumentError(fmt::format("'{}' has no column '{}'", from_name(*leaves.front()), key));
}

std::vector<ColumnElement> ColumnCollection::all() const {
  std::vector<ColumnElement> out;
  if (is_selectable(*from_)) {
    const Node* s = from_.get();
    while (s->kind == NodeKind::compound_select) s = s->items.front().get();
    for (const auto& item : s->items) out.emplace_back(item);
    return out;
  }
  std::vector<NodePtr> leaves;
  leaf_froms(from_, leaves);
  for (const auto& leaf : leaves) leaf_columns(leaf, out);
  return out;
}

FromClause FromClause::alias(std::string name) const {
  if (name.empty()) throw ArgumentError("alias() needs a name");
  if (node_->kind == NodeKind::subquery) {
    Node n = *node_;
    n.text = std::move(name);
    return FromClause(make_node(std::move(n)));
  }
  if (node_->kind != NodeKind::table && node_->kind != NodeKind::cte) {
    throw ArgumentError("only a Table, a subquery or a CTE can be aliased");
  }
  Node n{NodeKind::alias};
  n.text = std::move(name);
  n.left = node_;
  return FromClause(make_node(std::move(n)));
}

FromClause FromClause::join(const FromClause& other, std::optional<ColumnElement> onclause,
                            JoinOptions options) const {
  return FromClause(make_join(node_, other.node(), std::move(onclause), options));
}
FromClause FromClause::outerjoin(const FromClause& other, std::optional<ColumnElement> onclause,
                                 bool full) const {
  return FromClause(make_join(node_, other.node(), std::move(onclause), {true, full}));
}

namespace {
// A CTE's body extended by one more member.  A body that already is the same set operation
// gets the member appended, so several recursive terms stay one flat compound (a nested one
// would be grouped, which SQLite refuses inside a recursive CTE).
CTE extend_cte(const NodePtr& cte, const char* op, const SelectBase& other) {
  Node n = *cte;
  const Node& body = *cte->left;
  std::vector<NodePtr> members{cte->left};
  if (body.kind == NodeKind::compound_select && body.text == op && body.order_by.empty() &&
      !body.limit && !body.offset) {
    members = body.items;
  }
  members.push_back(other.node());
  n.left = CompoundSelect(op, std::move(members)).node();
  n.right = cte;
  return CTE(make_node(std::move(n)));
}
}  // namespace

CTE CTE::union_all(const SelectBase& other) const {
  return extend_cte(node_, "UNION ALL", other);
}
CTE CTE::union_(const SelectBase& other) const {
  return extend_cte(node_, "UNION", other);
}

// --- SelectBase -------------------------------------------------------------------------------

FromClause SelectBase::subquery(std::string name) const {
  return FromClause(wrap(NodeKind::subquery, node_, std::move(name), false));
}
FromClause SelectBase::lateral(std::string name) const {
  return FromClause(wrap(NodeKind::subquery, node_, std::move(name), true));
}
CTE SelectBase::cte(std::string name, bool recursive, bool nesting) const {
  Node n{NodeKind::cte};
  n.left = node_;
  n.text = std::move(name);
  n.flag = recursive;
  n.nesting = nesting;
  return CTE(make_node(std::move(n)));
}
Select Select::add_cte(const CTE& cte) const {
  Node n = *node_;
  n.ctes.push_back(cte.node());
  return Select(make_node(std::move(n)));
}
ColumnElement SelectBase::scalar_subquery() const {
  const std::size_t count = column_count(*node_);
  if (count != 1) {
    throw ArgumentError(fmt::format(
        "scalar_subquery() needs a select of exactly one column; this one has {}", count));
  }
  const Node* s = node_.get();
  while (s->kind == NodeKind::compound_select) s = s->items.front().get();
  Node n{NodeKind::scalar_subquery};
  n.left = node_;
  n.type = s->items.front()->type;
  return ColumnElement(make_node(std::move(n)));
}
ColumnElement SelectBase::exists() const {
  return retort::exists(*this);
}
ColumnCollection SelectBase::selected_columns() const {
  return ColumnCollection(node_);
}
CompoundSelect SelectBase::union_(const SelectBase& other) const {
  return CompoundSelect("UNION", {node_, other.node()});
}
CompoundSelect SelectBase::union_all(const SelectBase& other) const {
  return CompoundSelect("UNION ALL", {node_, other.node()});
}
CompoundSelect SelectBase::intersect(const SelectBase& other) const {
  return CompoundSelect("INTERSECT", {node_, other.node()});
}
CompoundSelect SelectBase::intersect_all(const SelectBase& other) const {
  return CompoundSelect("INTERSECT ALL", {node_, other.node()});
}
CompoundSelect SelectBase::except_(const SelectBase& other) const {
  return CompoundSelect("EXCEPT", {node_, other.node()});
}
CompoundSelect SelectBase::except_all(const SelectBase& other) const {
  return CompoundSelect("EXCEPT ALL", {node_, other.node()});
}

ColumnElement exists(const SelectBase& select) {
  Node n{NodeKind::exists};
  n.left = select.node();
  n.type = Boolean();
  n.precedence = detail::kPrecComparison;
  return ColumnElement(make_node(std::move(n)));
}

namespace {
ColumnElement any_all(const SelectBase& select, const char* op) {
  if (column_count(*select.node()) != 1) {
    throw ArgumentError(fmt::format("{}_() needs a select of exactly one column", op));
  }
  const Node* s = select.node().get();
  while (s->kind == NodeKind::compound_select) s = s->items.front().get();
  Node n{NodeKind::any_all};
  n.text = op;
  n.left = select.node();
  n.type = s->items.front()->type;
  return ColumnElement(make_node(std::move(n)));
}

ColumnElement in_select(const ColumnElement& self, const SelectBase& select, bool negate) {
  if (column_count(*select.node()) != 1) {
    throw ArgumentError("in_() with a select needs a select of exactly one column");
  }
  Node n{NodeKind::in};
  n.left = self.node();
  n.right = select.node();
  n.flag = negate;
  n.precedence = detail::kPrecComparison;
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}
}  // namespace

ColumnElement any_(const SelectBase& select) {
  return any_all(select, "ANY");
}
ColumnElement all_(const SelectBase& select) {
  return any_all(select, "ALL");
}
ColumnElement ColumnElement::in_(const SelectBase& subquery) const {
  return in_select(*this, subquery, false);
}
ColumnElement ColumnElement::not_in(const SelectBase& subquery) const {
  return in_select(*this, subquery, true);
}
namespace {
ColumnElement tuple_in_select(const Tuple& self, const SelectBase& select, bool negate) {
  const std::size_t arity = self.node()->items.size();
  if (column_count(*select.node()) != arity) {
    throw ArgumentError(fmt::format(
        "tuple_().in_() with a select needs a select of {} columns, one per tuple element", arity));
  }
  Node n{NodeKind::in};
  n.left = self.node();
  n.right = select.node();
  n.flag = negate;
  n.precedence = detail::kPrecComparison;
  n.type = Boolean();
  return ColumnElement(make_node(std::move(n)));
}
}  // namespace
ColumnElement Tuple::in_(const SelectBase& subquery) const {
  return tuple_in_select(*this, subquery, false);
}
ColumnElement Tuple::not_in(const SelectBase& subquery) const {
  return tuple_in_select(*this, subquery, true);
}

// --- Select -----------------------------------------------------------------------------------

Select::Select(std::vector<NodePtr> items) : SelectBase(nullptr) {
  if (items.empty()) throw ArgumentError("select() needs at least one column");
  Node n{NodeKind::select};
  add_items(n, std::move(items));
  node_ = make_node(std::move(n));
}

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
                         JoinOptions options) const {
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
  n.froms.front() = make_join(left, target.node(), std::move(on), options);
  return Select(make_node(std::move(n)));
}
namespace {
bool contains_leaf(const NodePtr& from, const Node* leaf) {
  if (from.get() == leaf) return true;
  return from->kind == NodeKind::join &&
         (contains_leaf(from->left, leaf) || contains_leaf(from->right, leaf));
}
}  // namespace

Select Select::join_from(const FromClause& from, const FromClause& target,
                         std::optional<ColumnElement> onclause, JoinOptions options) const {
  const NodePtr on = onclause ? onclause->node() : infer_onclause(from.node(), target.node());
  Node n = *node_;
  for (auto& entry : n.froms) {
    if (contains_leaf(entry, from.node().get())) {
      entry = make_join(entry, target.node(), ColumnElement(on), options);
      return Select(make_node(std::move(n)));
    }
  }
  n.froms.push_back(make_join(from.node(), target.node(), ColumnElement(on), options));
  return Select(make_node(std::move(n)));
}

Select Select::join(const FromClause& target, std::optional<ColumnElement> onclause,
                    JoinOptions options) const {
  return join_impl(target, std::move(onclause), options);
}
Select Select::outerjoin(const FromClause& target, std::optional<ColumnElement> onclause,
                         bool full) const {
  return join_impl(target, std::move(onclause), {true, full});
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
Select Select::distinct_on(std::vector<ColumnElement> expressions) const {
  if (expressions.empty()) throw ArgumentError("distinct_on() needs at least one expression");
  Node n = *node_;
  for (auto& e : expressions) n.distinct_on.push_back(e.node());
  return Select(make_node(std::move(n)));
}
Select Select::add_columns(std::vector<NodePtr> items) const {
  Node n = *node_;
  add_items(n, std::move(items));
  return Select(make_node(std::move(n)));
}
Select Select::with_only_columns(std::vector<NodePtr> items) const {
  if (items.empty()) throw ArgumentError("with_only_columns() needs at least one column");
  Node n = *node_;
  n.items.clear();
  add_items(n, std::move(items));
  return Select(make_node(std::move(n)));
}
Select Select::correlate(std::vector<FromClause> froms) const {
  Node n = *node_;
  n.correlate_mode = detail::Correlate::only;
  n.correlate.clear();
  for (const auto& f : froms) n.correlate.push_back(f.node());
  return Select(make_node(std::move(n)));
}
Select Select::correlate_except(std::vector<FromClause> froms) const {
  Node n = *node_;
  n.correlate_mode = detail::Correlate::except;
  n.correlate.clear();
  for (const auto& f : froms) n.correlate.push_back(f.node());
  return Select(make_node(std::move(n)));
}
Select Select::with_for_update(ForUpdate options) const {
  Node n = *node_;
  detail::ForUpdateData d;
  d.read = options.read;
  d.nowait = options.nowait;
  d.skip_locked = options.skip_locked;
  d.key_share = options.key_share;
  if (d.nowait && d.skip_locked) {
    throw ArgumentError("with_for_update(): nowait and skip_locked are mutually exclusive");
  }
  for (const auto& f : options.of) {
    const NodeKind k = f.node()->kind;
    if (k != NodeKind::table && k != NodeKind::alias) {
      throw ArgumentError("with_for_update(of=…) takes tables and aliases");
    }
    d.of.push_back(f.node());
  }
  n.for_update = std::move(d);
  return Select(make_node(std::move(n)));
}

// --- TextualSelect ----------------------------------------------------------------------------

TextualSelect TextClause::columns(std::vector<std::pair<std::string, Type>> columns) const {
  if (columns.empty()) throw ArgumentError("text().columns() needs at least one column");
  Node n{NodeKind::textual_select};
  n.text_clause = std::make_shared<const TextClause>(*this);
  for (auto& [name, type] : columns) {
    if (name.empty()) throw ArgumentError("text().columns(): a column needs a name");
    n.items.push_back(literal_column(std::move(name), std::move(type)).node());
  }
  return TextualSelect(make_node(std::move(n)));
}

// --- CompoundSelect ---------------------------------------------------------------------------

CompoundSelect::CompoundSelect(std::string op, std::vector<NodePtr> members) : SelectBase(nullptr) {
  static constexpr const char* kOps[] = {"UNION",         "UNION ALL", "INTERSECT",
                                         "INTERSECT ALL", "EXCEPT",    "EXCEPT ALL"};
  if (std::none_of(std::begin(kOps), std::end(kOps), [&](const char* o) { return op == o; })) {
    throw ArgumentError(fmt::format("unknown set operation '{}'", op));
  }
  if (members.size() < 2) throw ArgumentError(op + " needs at least two selects");
  const std::size_t first = column_count(*members.front());
  for (std::size_t i = 1; i < members.size(); ++i) {
    const std::size_t count = column_count(*members[i]);
    if (count != first) {
      throw ArgumentError(fmt::format(
          "All selectables passed to CompoundSelect must have identical numbers of columns; "
          "select #1 has {} columns, select #{} has {}",
          first, i + 1, count));
    }
  }
  Node n{NodeKind::compound_select};
  n.text = std::move(op);
  n.items = std::move(members);
  node_ = make_node(std::move(n));
}
CompoundSelect CompoundSelect::order_by(std::vector<ColumnElement> columns) const {
  Node n = *node_;
  for (auto& c : columns) n.order_by.push_back(c.node());
  return CompoundSelect(make_node(std::move(n)));
}
CompoundSelect CompoundSelect::limit(std::int64_t count) const {
  Node n = *node_;
  n.limit = literal(count, Integer()).node();
  return CompoundSelect(make_node(std::move(n)));
}
CompoundSelect CompoundSelect::offset(std::int64_t count) const {
  Node n = *node_;
  n.offset = literal(count, Integer()).node();
  return CompoundSelect(make_node(std::move(n)));
}

}  // namespace retort
