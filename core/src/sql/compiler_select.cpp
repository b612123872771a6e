// core/src/sql/compiler_select.cpp — SELECT: select list, FROM (explicit and implied), WHERE,
// GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET.
#include "compiler.hpp"

#include <retort/exceptions.hpp>

#include <algorithm>

namespace retort::detail {

namespace {

// Identity of a FROM leaf: a table by its definition, an alias by its node.
const void* from_key(const Node& from) {
  return from.kind == NodeKind::table ? static_cast<const void*>(from.table.get())
                                      : static_cast<const void*>(&from);
}

void leaf_keys(const Node& from, std::vector<const void*>& out) {
  if (from.kind == NodeKind::join) {
    leaf_keys(*from.left, out);
    leaf_keys(*from.right, out);
  } else {
    out.push_back(from_key(from));
  }
}

// The FROM leaves the columns of an expression come from, in order of appearance.
void collect_froms(const Node* n, std::vector<NodePtr>& out) {
  if (n == nullptr) return;
  if (n->kind == NodeKind::column) {
    const void* key = from_key(*n->from);
    if (std::none_of(out.begin(), out.end(),
                     [&](const NodePtr& f) { return from_key(*f) == key; })) {
      out.push_back(n->from);
    }
    return;
  }
  collect_froms(n->left.get(), out);
  collect_froms(n->right.get(), out);
  // A FILTER condition and a window's ORDER BY are expressions of the enclosing SELECT.
  if (n->kind == NodeKind::aggregate_filter) collect_froms(n->where.get(), out);
  if (n->kind == NodeKind::over)
    for (const auto& o : n->order_by) collect_froms(o.get(), out);
  collect_froms(n->third.get(), out);
  for (const auto& i : n->items) collect_froms(i.get(), out);
}

}  // namespace

void SQLCompiler::visit_select(const Node& n) {
  emit(n.flag ? "SELECT DISTINCT " : "SELECT ");
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    if (i) emit(", ");
    const Node& item = *n.items[i];
    process(item);
    // Everything but a plain column gets a name, as SQLAlchemy labels it, so the result
    // column has a predictable key (count(users.id) AS count_1).
    switch (item.kind) {
      case NodeKind::column:
      case NodeKind::literal_column:
        break;
      case NodeKind::label:
        emit(" AS ");
        emit_identifier(item.text);
        break;
      case NodeKind::function:
        // Named after the function (its last part when qualified: lower_1).
        emit(" AS ");
        emit_identifier(anon_name(item.text.substr(item.text.rfind('.') + 1)));
        break;
      case NodeKind::cast:
      case NodeKind::type_coerce:
        // Named after the column it wraps, as SQLAlchemy labels CAST(t.x AS INTEGER) AS x.
        emit(" AS ");
        emit_identifier(item.left->kind == NodeKind::column ? item.left->text : anon_name("anon"));
        break;
      default:
        emit(" AS ");
        emit_identifier(anon_name("anon"));
        break;
    }
  }

  // FROM: the explicit items (joins included), then every other table the statement's
  // expressions use, in order of first use.
  std::vector<NodePtr> implied;
  for (const auto& item : n.items) collect_froms(item.get(), implied);
  collect_froms(n.where.get(), implied);
  for (const auto& g : n.group_by) collect_froms(g.get(), implied);
  collect_froms(n.having.get(), implied);
  for (const auto& o : n.order_by) collect_froms(o.get(), implied);
  std::vector<const void*> covered;
  for (const auto& f : n.froms) leaf_keys(*f, covered);
  std::vector<const Node*> froms;
  for (const auto& f : n.froms) froms.push_back(f.get());
  for (const auto& f : implied) {
    if (std::find(covered.begin(), covered.end(), from_key(*f)) == covered.end()) {
      froms.push_back(f.get());
    }
  }
  if (!froms.empty()) emit(" FROM ");
  std::function<void(const Node&)> from = [&](const Node& f) {
    switch (f.kind) {
      case NodeKind::table:
        emit_table_name(*f.table);
        break;
      case NodeKind::alias:
        emit_table_name(*f.left->table);
        emit(" AS ");
        emit_identifier(f.text);
        break;
      case NodeKind::join:
        from(*f.left);
        emit(f.flag ? " LEFT OUTER JOIN " : " JOIN ");
        if (f.right->kind == NodeKind::join) emit("(");
        from(*f.right);
        if (f.right->kind == NodeKind::join) emit(")");
        emit(" ON ");
        process(*f.third);
        break;
      default:
        throw CompileError("not a FROM clause");
    }
  };
  for (std::size_t i = 0; i < froms.size(); ++i) {
    if (i) emit(", ");
    from(*froms[i]);
  }

  if (n.where) {
    emit(" WHERE ");
    process(*n.where);
  }
  if (!n.group_by.empty()) {
    emit(" GROUP BY ");
    for (std::size_t i = 0; i < n.group_by.size(); ++i) {
      if (i) emit(", ");
      process(*n.group_by[i]);
    }
  }
  if (n.having) {
    emit(" HAVING ");
    process(*n.having);
  }
  if (!n.order_by.empty()) {
    emit(" ORDER BY ");
    for (std::size_t i = 0; i < n.order_by.size(); ++i) {
      if (i) emit(", ");
      const Node& o = *n.order_by[i];
      // A labelled column is ordered by its expression.
      process(o.kind == NodeKind::label ? *o.left : o);
    }
  }
  if (n.limit || n.offset) {
    Construct c{RETORT_CONSTRUCT_LIMIT_OFFSET, "LIMIT/OFFSET", {}, {}, {}};
    c.ints = {{"has_limit", n.limit ? 1 : 0}, {"has_offset", n.offset ? 1 : 0}};
    c.children.push_back(n.limit ? std::function<void()>([&] { process(*n.limit); }) : nullptr);
    c.children.push_back(n.offset ? std::function<void()>([&] { process(*n.offset); }) : nullptr);
    if (!render_hook(c)) {
      if (n.limit) {
        emit(" LIMIT ");
        process(*n.limit);
      }
      if (n.offset) {
        emit(" OFFSET ");
        process(*n.offset);
      }
    }
  }
}

}  // namespace retort::detail
