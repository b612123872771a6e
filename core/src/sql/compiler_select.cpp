// core/src/sql/compiler_select.cpp — SELECT: select list, FROM (explicit and implied, with
// correlation), WHERE, GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET, FOR UPDATE; set operations.
#include "compiler.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace retort::detail {

namespace {

// Identity of a FROM leaf: a table by its definition, a CTE by its first definition, any
// other by its node.
const void* from_key(const Node& from) {
  if (from.kind == NodeKind::table) return from.table.get();
  if (from.kind == NodeKind::cte) return cte_root(from);
  return &from;
}

void leaf_keys(const Node& from, std::vector<const void*>& out) {
  if (from.kind == NodeKind::join) {
    out.push_back(&from);
    leaf_keys(*from.left, out);
    leaf_keys(*from.right, out);
  } else {
    out.push_back(from_key(from));
  }
}

bool contains(const std::vector<const void*>& keys, const void* key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The FROM leaves the columns of an expression come from, in order of appearance.  A nested
// SELECT has FROMs of its own.
void collect_froms(const Node* n, std::vector<NodePtr>& out) {
  if (n == nullptr) return;
  if (is_select(*n)) return;
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
  if (n->kind == NodeKind::over || n->kind == NodeKind::within_group)
    for (const auto& o : n->order_by) collect_froms(o.get(), out);
  collect_froms(n->third.get(), out);
  for (const auto& i : n->items) collect_froms(i.get(), out);
}

// A key of the FROM item for correlate() lists.
const void* item_key(const Node& from) {
  return from.kind == NodeKind::join ? static_cast<const void*>(&from) : from_key(from);
}

bool needs_grouping(const Node& member) {
  if (member.kind == NodeKind::compound_select) return true;
  return !member.order_by.empty() || member.limit || member.offset || member.for_update;
}

const Node& first_select(const Node& selectable) {
  const Node* s = &selectable;
  while (s->kind == NodeKind::compound_select) s = s->items.front().get();
  return *s;
}

}  // namespace

void SQLCompiler::visit_select(const Node& n) {
  visit_selectable(n, SelectRole::top);
}

std::string SQLCompiler::result_name(const Node& selectable, std::size_t index) {
  const Node& s = first_select(selectable);
  const auto exported = exported_columns(s);
  if (!exported.at(index).name.empty()) return exported[index].name;
  auto it = result_names_.find({&s, index});
  if (it == result_names_.end()) {
    const Node& item = *s.items[index];
    it = result_names_
             .emplace(std::make_pair(&s, index),
                      anon_name(item.kind == NodeKind::function
                                    ? item.text.substr(item.text.rfind('.') + 1)
                                    : "anon"))
             .first;
  }
  return it->second;
}

void SQLCompiler::emit_from(const Node& f) {
  switch (f.kind) {
    case NodeKind::table:
      emit_table_name(*f.table);
      break;
    case NodeKind::alias:
      if (f.left->kind == NodeKind::cte) {
        emit_cte_reference(*f.left);
      } else {
        emit_table_name(*f.left->table);
      }
      emit(" AS ");
      emit_identifier(f.text);
      break;
    case NodeKind::cte:
      emit_cte_reference(f);
      break;
    case NodeKind::subquery: {
      auto derived = [&] {
        emit("(");
        visit_selectable(*f.left, f.flag ? SelectRole::lateral : SelectRole::from);
        emit(") AS ");
        emit_identifier(from_name(f));
      };
      if (!f.flag) {
        derived();
        break;
      }
      Construct c{RETORT_CONSTRUCT_LATERAL, "LATERAL", {}, {}, {derived}};
      if (!render_hook(c)) {
        emit("LATERAL ");
        derived();
      }
      break;
    }
    case NodeKind::join:
      emit_from(*f.left);
      if (f.text == "FULL") {
        Construct c{RETORT_CONSTRUCT_FULL_JOIN, "FULL OUTER JOIN", {}, {}, {}};
        if (!render_hook(c)) emit(" FULL OUTER JOIN ");
      } else {
        emit(f.flag ? " LEFT OUTER JOIN " : " JOIN ");
      }
      if (f.right->kind == NodeKind::join) emit("(");
      emit_from(*f.right);
      if (f.right->kind == NodeKind::join) emit(")");
      emit(" ON ");
      process(*f.third);
      break;
    default:
      throw CompileError("not a FROM clause");
  }
}

void SQLCompiler::visit_selectable(const Node& n, SelectRole role) {
  const bool member = std::exchange(compound_member_, false);
  if (n.kind == NodeKind::textual_select || member) {
    visit_selectable_body(n, role);
    return;
  }
  // A scope for nesting CTEs, whose WITH goes in front of this (sub)statement.
  const Mark at = mark();
  const bool outermost = role == SelectRole::top && cte_scopes_.empty();
  cte_scopes_.emplace_back();
  cte_scopes_.back().outermost = outermost;
  for (const auto& c : n.ctes) define_cte(*c);
  visit_selectable_body(n, role);
  CteScope scope = std::move(cte_scopes_.back());
  cte_scopes_.pop_back();
  if (!scope.entries.empty()) insert_at(at, with_clause(scope.entries));
}

void SQLCompiler::visit_selectable_body(const Node& n, SelectRole role) {
  if (n.kind == NodeKind::textual_select) {
    // The statement as written, its `:name` parameters bound by name at execution.
    const TextClause& t = *n.text_clause;
    for (const auto& piece : t.pieces()) {
      emit(piece.literal);
      if (piece.param >= 0) {
        emit_param(
            {t.bind_names()[static_cast<std::size_t>(piece.param)], std::nullopt, false, {}});
      }
    }
    return;
  }
  if (n.kind == NodeKind::compound_select) {
    // Members correlate as the compound would; grouped ones go through the dialect.
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      if (i) {
        const bool all = n.text.ends_with(" ALL");
        const std::string op = all ? n.text.substr(0, n.text.size() - 4) : n.text;
        Construct c{RETORT_CONSTRUCT_SET_OPERATOR, n.text.c_str(), {}, {}, {}};
        c.ints = {{"operator", op == "UNION"       ? RETORT_SET_OPERATION_UNION
                               : op == "INTERSECT" ? RETORT_SET_OPERATION_INTERSECT
                                                   : RETORT_SET_OPERATION_EXCEPT},
                  {"all", all ? 1 : 0}};
        if (!render_hook(c)) emit(" " + n.text + " ");
      }
      const Node& member = *n.items[i];
      // Members share the compound's CTE scope.
      if (!needs_grouping(member)) {
        compound_member_ = true;
        visit_selectable(member, role);
        continue;
      }
      Construct c{RETORT_CONSTRUCT_SET_MEMBER, "a grouped member of a set operation", {}, {}, {}};
      c.children.push_back([&] {
        compound_member_ = true;
        visit_selectable(member, role);
      });
      if (!render_hook(c)) {
        emit("(");
        compound_member_ = true;
        visit_selectable(member, role);
        emit(")");
      }
    }
    if (!n.order_by.empty()) {
      // ORDER BY of a compound names result columns: `ORDER BY name`, as SQLAlchemy renders
      // it; other expressions are rendered as they are.
      const Node& first = first_select(n);
      emit(" ORDER BY ");
      for (std::size_t i = 0; i < n.order_by.size(); ++i) {
        if (i) emit(", ");
        const Node* term = n.order_by[i].get();
        std::string suffix;
        if (term->kind == NodeKind::postfix && (term->text == " ASC" || term->text == " DESC")) {
          suffix = term->text;
          term = term->left.get();
        }
        std::optional<std::string> name;
        for (std::size_t k = 0; k < first.items.size() && !name; ++k) {
          const Node& item = *first.items[k];
          const bool same_column = item.kind == NodeKind::column &&
                                   term->kind == NodeKind::column && item.text == term->text &&
                                   from_key(*item.from) == from_key(*term->from);
          if (&item == term || same_column) name = result_name(first, k);
        }
        if (!name && term->kind == NodeKind::label) name = term->text;
        if (!name && term->kind == NodeKind::column && !term->text.empty()) name = term->text;
        if (name) {
          emit_identifier(*name);
          emit(suffix);
        } else {
          process(*n.order_by[i]);
        }
      }
    }
  } else {
    // FROM: the explicit items (joins included), then every other table the statement's
    // expressions use, in order of first use.
    std::vector<NodePtr> implied;
    for (const auto& item : n.items) collect_froms(item.get(), implied);
    collect_froms(n.where.get(), implied);
    for (const auto& g : n.group_by) collect_froms(g.get(), implied);
    collect_froms(n.having.get(), implied);
    for (const auto& o : n.order_by) collect_froms(o.get(), implied);
    for (const auto& d : n.distinct_on) collect_froms(d.get(), implied);
    std::vector<const void*> covered;
    for (const auto& f : n.froms) leaf_keys(*f, covered);
    std::vector<const Node*> froms;
    for (const auto& f : n.froms) froms.push_back(f.get());
    for (const auto& f : implied) {
      if (!contains(covered, from_key(*f))) froms.push_back(f.get());
    }

    // Correlation (SQLAlchemy's rules): only subqueries in expressions and LATERAL ones.
    if ((role == SelectRole::scalar || role == SelectRole::lateral) && !frames_.empty()) {
      const SelectFrame& enclosing = frames_.back();
      std::vector<const void*> listed;
      for (const auto& c : n.correlate) listed.push_back(item_key(*c));
      std::vector<const Node*> kept;
      switch (n.correlate_mode) {
        case Correlate::automatic:
          if (froms.size() > 1) {
            for (const Node* f : froms)
              if (!contains(enclosing.froms, item_key(*f))) kept.push_back(f);
            if (kept.empty()) {
              throw CompileError(
                  "A subquery returned no FROM clauses due to auto-correlation; specify "
                  "correlate(<tables>) to control correlation manually");
            }
            froms = kept;
          }
          break;
        case Correlate::only:
          for (const Node* f : froms)
            if (!(contains(listed, item_key(*f)) && contains(enclosing.all, item_key(*f))))
              kept.push_back(f);
          froms = kept;
          break;
        case Correlate::except:
          for (const Node* f : froms)
            if (contains(listed, item_key(*f)) || !contains(enclosing.all, item_key(*f)))
              kept.push_back(f);
          froms = kept;
          break;
      }
    }
    SelectFrame frame;
    for (const Node* f : froms) leaf_keys(*f, frame.froms);
    frame.all = frame.froms;
    if (!frames_.empty()) {
      frame.all.insert(frame.all.end(), frames_.back().all.begin(), frames_.back().all.end());
    }
    frames_.push_back(std::move(frame));

    // DISTINCT ON replaces a plain DISTINCT.
    emit(n.flag && n.distinct_on.empty() ? "SELECT DISTINCT " : "SELECT ");
    if (!n.distinct_on.empty()) {
      Construct c{RETORT_CONSTRUCT_DISTINCT_ON, "DISTINCT ON", {}, {}, {}};
      c.children.push_back([&] {
        for (std::size_t i = 0; i < n.distinct_on.size(); ++i) {
          if (i) emit(", ");
          process(*n.distinct_on[i]);
        }
      });
      if (!render_hook(c)) {
        throw CompileError(
            fmt::format("The '{}' dialect cannot render DISTINCT ON: it is PostgreSQL's extension",
                        dialect_.name));
      }
    }
    const auto exported = exported_columns(n);
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      if (i) emit(", ");
      const Node& item = *n.items[i];
      // Everything but a plain column gets a name, as SQLAlchemy labels it, so the result
      // column has a predictable key (count(users.id) AS count_1); in a derived table every
      // column is named, and a repeated column name is disambiguated (id, id_1).
      std::string label;
      switch (item.kind) {
        case NodeKind::literal_column:
          break;
        case NodeKind::column:
          if (role == SelectRole::from || role == SelectRole::lateral ||
              (!exported[i].name.empty() && exported[i].name != item.text)) {
            label = result_name(n, i);
          }
          break;
        default:
          label = result_name(n, i);
          break;
      }
      process(item);
      if (!label.empty()) {
        emit(" AS ");
        emit_identifier(label);
      }
    }
    if (!froms.empty()) emit(" FROM ");
    for (std::size_t i = 0; i < froms.size(); ++i) {
      if (i) emit(", ");
      emit_from(*froms[i]);
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

  if (n.for_update) {
    const ForUpdateData& u = *n.for_update;
    Construct c{RETORT_CONSTRUCT_FOR_UPDATE, "FOR UPDATE", {}, {}, {}};
    c.ints = {{"read", u.read},
              {"key_share", u.key_share},
              {"nowait", u.nowait},
              {"skip_locked", u.skip_locked},
              {"has_of", u.of.empty() ? 0 : 1}};
    std::function<void()> of;
    if (!u.of.empty()) {
      of = [&] {
        for (std::size_t i = 0; i < u.of.size(); ++i) {
          if (i) emit(", ");
          emit_identifier(from_name(*u.of[i]));
        }
      };
    }
    c.children.push_back(of);
    if (!render_hook(c)) {
      emit(u.read ? (u.key_share ? " FOR KEY SHARE" : " FOR SHARE")
                  : (u.key_share ? " FOR NO KEY UPDATE" : " FOR UPDATE"));
      if (of) {
        emit(" OF ");
        of();
      }
      if (u.nowait) emit(" NOWAIT");
      if (u.skip_locked) emit(" SKIP LOCKED");
    }
  }

  if (n.kind == NodeKind::select) frames_.pop_back();
}

}  // namespace retort::detail
