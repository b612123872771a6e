// core/src/sql/compiler_dml.cpp — INSERT (single-row, multi-row, from SELECT, upserts),
// UPDATE and DELETE (multi-table through the dialect), RETURNING.
#include "compiler.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace retort::detail {

namespace {

bool contains(const std::vector<std::string>* keys, const std::string& key) {
  return keys != nullptr && std::find(keys->begin(), keys->end(), key) != keys->end();
}

const DmlValue* assigned(const Node& n, const std::string& key) {
  for (const auto& a : n.assignments)
    if (a.key == key) return &a;
  return nullptr;
}

// The default a column gets when a statement does not set it: default_ on INSERT, onupdate
// on UPDATE.
const std::optional<ColumnDefault>& fallback_of(const ColumnData& c, bool insert) {
  return insert ? c.options.default_ : c.options.onupdate;
}

// Whether the tree under `n` has bindparam(name) (values(), RETURNING, an upsert).
bool has_bindparam(const Node* n, const std::string& name) {
  if (n == nullptr) return false;
  if (n->kind == NodeKind::bindparam) return n->text == name;
  if (has_bindparam(n->left.get(), name) || has_bindparam(n->right.get(), name) ||
      has_bindparam(n->third.get(), name) || has_bindparam(n->where.get(), name) ||
      has_bindparam(n->upsert.get(), name)) {
    return true;
  }
  for (const auto& a : n->assignments)
    if (has_bindparam(a.expr.get(), name)) return true;
  for (const auto& i : n->items)
    if (has_bindparam(i.get(), name)) return true;
  for (const auto& r : n->returning)
    if (has_bindparam(r.get(), name)) return true;
  for (const auto& o : n->order_by)
    if (has_bindparam(o.get(), name)) return true;
  return false;
}
bool has_bindparam(const Node& n, const std::string& name) {
  return has_bindparam(&n, name);
}

// The columns an INSERT/UPDATE sets, in table order: those given values(), those named by
// the execution's parameter keys, and those with a client-side default (INSERT) or onupdate
// (UPDATE).  On its own (no keys, no values) a statement sets every column, as SQLAlchemy
// compiles it.
std::vector<const ColumnData*> target_columns(const Node& n, const std::vector<std::string>* keys) {
  const bool insert = n.kind == NodeKind::insert;
  std::vector<const ColumnData*> out;
  if (keys != nullptr && insert) {
    for (const auto& k : *keys) {
      if (n.table->find_key(k) == nullptr && !has_bindparam(n, k)) {
        throw ArgumentError(
            fmt::format("Unconsumed column name: table '{}' has no column '{}'", n.table->name, k));
      }
    }
  }
  const bool standalone = keys == nullptr && n.assignments.empty();
  for (const auto& c : n.table->columns) {
    if (standalone || assigned(n, c.key) || contains(keys, c.key) || fallback_of(c, insert)) {
      out.push_back(&c);
    }
  }
  return out;
}

BoundParameter default_param(std::string name, const std::optional<ColumnDefault>& fallback,
                             const Type& type) {
  BoundParameter p{std::move(name), std::nullopt, false, {}, {}, type};
  if (fallback) {
    if (fallback->is_callable()) {
      p.callable = fallback->callable();
    } else {
      p.value = fallback->value();
    }
  }
  return p;
}

// Identity of a FROM leaf: a table by its definition, an alias by its node.
const void* from_key(const Node& from) {
  return from.kind == NodeKind::table ? static_cast<const void*>(from.table.get())
                                      : static_cast<const void*>(&from);
}

// The FROM leaves an expression's columns come from, in order of first use.  Statements
// nested in it (subqueries) keep their own FROMs; the proposed row of an upsert is no FROM.
void collect_froms(const Node* n, std::vector<NodePtr>& out) {
  if (n == nullptr) return;
  switch (n->kind) {
    case NodeKind::select:
    case NodeKind::insert:
    case NodeKind::update:
    case NodeKind::delete_:
      return;
    case NodeKind::column: {
      if (n->from->kind == NodeKind::excluded) return;
      const void* key = from_key(*n->from);
      if (std::none_of(out.begin(), out.end(),
                       [&](const NodePtr& f) { return from_key(*f) == key; })) {
        out.push_back(n->from);
      }
      return;
    }
    default:
      break;
  }
  collect_froms(n->left.get(), out);
  collect_froms(n->right.get(), out);
  collect_froms(n->third.get(), out);
  for (const auto& i : n->items) collect_froms(i.get(), out);
  // A FILTER condition and a window's or WITHIN GROUP's ORDER BY.
  if (n->kind == NodeKind::aggregate_filter) collect_froms(n->where.get(), out);
  if (n->kind == NodeKind::over || n->kind == NodeKind::within_group)
    for (const auto& o : n->order_by) collect_froms(o.get(), out);
}

// The tables other than the target that an UPDATE's WHERE and SET values, or a DELETE's
// WHERE, use.
std::vector<NodePtr> extra_froms(const Node& n) {
  std::vector<NodePtr> used;
  collect_froms(n.where.get(), used);
  for (const auto& a : n.assignments) collect_froms(a.expr.get(), used);
  const void* target = from_key(*n.from);
  std::vector<NodePtr> out;
  for (const auto& f : used) {
    if (from_key(*f) != target) out.push_back(f);
  }
  return out;
}

}  // namespace

// --- INSERT ----------------------------------------------------------------------------------

void SQLCompiler::visit_insert(const Node& n) {
  emit("INSERT INTO ");
  emit_table_name(*n.table);
  auto column_list = [&](const std::vector<const ColumnData*>& columns) {
    emit(" (");
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) emit(", ");
      emit_identifier(columns[i]->name);
    }
    emit(")");
  };

  if (n.from_select) {
    std::vector<const ColumnData*> columns;
    for (const auto& k : n.names) columns.push_back(n.table->find_key(k));
    column_list(columns);
    emit(" ");
    if (n.from_select->kind != NodeKind::select) {
      throw CompileError("INSERT … FROM SELECT needs a SELECT statement");
    }
    visit_select(*n.from_select);
  } else if (!n.multi_values.empty()) {
    // Columns: the first row's keys, and every column with a default, in table order; each
    // row's values are named <key>_m<row>, as SQLAlchemy names them.
    // Expressions of row r (multi_value_exprs, when there are any), by key.
    auto expression = [&](std::size_t r, const std::string& key) -> const Node* {
      if (n.multi_value_exprs.empty()) return nullptr;
      for (const auto& e : n.multi_value_exprs[r])
        if (e.key == key) return e.expr.get();
      return nullptr;
    };
    std::vector<const ColumnData*> columns;
    for (const auto& c : n.table->columns) {
      if (n.multi_values.front().find(c.key) != nullptr || expression(0, c.key) != nullptr ||
          c.options.default_) {
        columns.push_back(&c);
      }
    }
    column_list(columns);
    emit(" VALUES ");
    for (std::size_t r = 0; r < n.multi_values.size(); ++r) {
      emit(r ? ", (" : "(");
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) emit(", ");
        std::string name = fmt::format("{}_m{}", columns[i]->key, r);
        if (const Value* v = n.multi_values[r].find(columns[i]->key)) {
          emit_param({std::move(name), *v, false, {}, {}, columns[i]->type}, {}, v);
        } else if (const Node* e = expression(r, columns[i]->key)) {
          process(*e, kPrecAtom);
        } else {
          emit_param(
              default_param(std::move(name), columns[i]->options.default_, columns[i]->type));
        }
      }
      emit(")");
    }
  } else {
    const auto columns = target_columns(n, column_keys_);
    if (columns.empty()) {
      emit(" DEFAULT VALUES");
    } else {
      column_list(columns);
      emit(" VALUES (");
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) emit(", ");
        const ColumnData& c = *columns[i];
        const DmlValue* v = assigned(n, c.key);
        if (v != nullptr && v->expr) {
          process(*v->expr, kPrecAtom);
        } else if (v != nullptr) {
          emit_param({c.key, v->value, false, {}, {}, c.type}, {}, v->value ? &*v->value : nullptr);
        } else {
          emit_param(default_param(
              c.key,
              contains(column_keys_, c.key) ? std::optional<ColumnDefault>() : c.options.default_,
              c.type));
        }
      }
      emit(")");
    }
  }
  visit_upsert(n);
  visit_returning(n, 1);
}

void SQLCompiler::visit_upsert(const Node& insert) {
  if (!insert.upsert) return;
  const Node& u = *insert.upsert;
  // Sets upsert_context_ while the SET list or WHERE renders, so excluded columns are allowed.
  auto in_context = [this](int context, const std::function<void()>& render) {
    const int saved = upsert_context_;
    upsert_context_ = context;
    try {
      render();
    } catch (...) {
      upsert_context_ = saved;
      throw;
    }
    upsert_context_ = saved;
  };
  const int context = u.kind == NodeKind::on_duplicate_key ? 2 : 1;
  auto set_list = [&, context] {
    in_context(context, [&] {
      for (std::size_t i = 0; i < u.assignments.size(); ++i) {
        if (i) emit(", ");
        emit_identifier(insert.table->find_key(u.assignments[i].key)->name);
        emit(" = ");
        process(*u.assignments[i].expr, kPrecAtom);
      }
    });
  };

  if (u.kind == NodeKind::on_duplicate_key) {
    Construct c{RETORT_CONSTRUCT_ON_DUPLICATE_KEY_UPDATE, "ON DUPLICATE KEY UPDATE", {}, {}, {}};
    c.children.push_back(set_list);
    if (!render_hook(c)) {
      throw CompileError(fmt::format(
          "The '{}' dialect cannot render ON DUPLICATE KEY UPDATE: it is MySQL/MariaDB syntax; "
          "use on_conflict_do_update()",
          dialect_.name));
    }
    return;
  }

  Construct c{RETORT_CONSTRUCT_ON_CONFLICT, "ON CONFLICT", {}, {}, {}};
  const bool has_target = !u.items.empty() || !u.text.empty();
  c.ints = {{"do_update", u.flag ? 1 : 0}, {"has_target", has_target ? 1 : 0}};
  if (!u.text.empty()) c.strs = {{"constraint", u.text}};
  // The index inference target, as SQLAlchemy renders it: without table names, and without
  // bound values, which the database could not match against an index definition.
  auto unqualified = [&](const std::function<void()>& render) {
    const std::size_t params = params_count();
    const bool saved = std::exchange(unqualified_columns_, true);
    render();
    unqualified_columns_ = saved;
    if (params_count() != params) {
      throw CompileError(
          "ON CONFLICT index elements and index_where cannot hold bound values (the database "
          "matches them against the index definition); use literal_column(), true_() or "
          "false_() for constants");
    }
  };
  auto elements = [&] {
    unqualified([&] {
      for (std::size_t i = 0; i < u.items.size(); ++i) {
        if (i) emit(", ");
        process(*u.items[i]);
      }
    });
  };
  auto index_where = [&] { unqualified([&] { process(*u.third); }); };
  c.children.push_back(u.items.empty() ? std::function<void()>() : elements);
  c.children.push_back(u.third ? std::function<void()>(index_where) : nullptr);
  c.children.push_back(u.flag ? std::function<void()>(set_list) : nullptr);
  c.children.push_back(
      u.where ? std::function<void()>([&] { in_context(1, [&] { process(*u.where); }); })
              : nullptr);
  if (render_hook(c)) return;
  if ((dialect_.capabilities & RETORT_CAP_INSERT_ON_CONFLICT) == 0) {
    throw CompileError(fmt::format(
        "The '{}' dialect cannot render ON CONFLICT: the dialect has no INSERT … ON CONFLICT",
        dialect_.name));
  }
  emit(" ON CONFLICT");
  if (!u.text.empty()) {
    emit(" ON CONSTRAINT ");
    emit_identifier(u.text);
  } else if (!u.items.empty()) {
    emit(" (");
    elements();
    emit(")");
    if (u.third) {
      emit(" WHERE ");
      index_where();
    }
  }
  if (!u.flag) {
    emit(" DO NOTHING");
    return;
  }
  emit(" DO UPDATE SET ");
  set_list();
  if (u.where) {
    emit(" WHERE ");
    in_context(1, [&] { process(*u.where); });
  }
}

void SQLCompiler::visit_excluded_column(const Node& column) {
  if (upsert_context_ == 0) {
    throw CompileError(fmt::format(
        "excluded({}).c[\"{}\"] can only be used in ON CONFLICT DO UPDATE or ON DUPLICATE KEY "
        "UPDATE",
        table_of(*column.from)->name, column.text));
  }
  Construct c{RETORT_CONSTRUCT_EXCLUDED_COLUMN, "an excluded column", {}, {}, {}};
  c.ints = {{"context", upsert_context_}};
  c.strs = {{"name", column.text}};
  if (render_hook(c)) return;
  emit("excluded.");
  emit_identifier(column.text);
}

// --- UPDATE, DELETE ---------------------------------------------------------------------------

namespace {

// A FROM item of a multi-table UPDATE/DELETE.
void emit_from_item(SQLCompiler& sc, const Node& f) {
  switch (f.kind) {
    case NodeKind::table:
      sc.emit_table_name(*f.table);
      break;
    case NodeKind::alias:
      sc.emit_table_name(*f.left->table);
      sc.emit(" AS ");
      sc.emit_identifier(f.text);
      break;
    default:
      throw CompileError("a multi-table UPDATE/DELETE can only use tables and aliases");
  }
}

// The other tables of a multi-table UPDATE/DELETE, comma-separated.
void emit_from_list(SQLCompiler& sc, const std::vector<NodePtr>& froms) {
  for (std::size_t i = 0; i < froms.size(); ++i) {
    if (i) sc.emit(", ");
    emit_from_item(sc, *froms[i]);
  }
}

}  // namespace

void SQLCompiler::visit_update(const Node& n) {
  const auto columns = target_columns(n, column_keys_);
  if (columns.empty()) {
    throw ArgumentError(fmt::format(
        "UPDATE of '{}' sets no column: give values() or parameters named after columns",
        n.table->name));
  }
  auto set_list = [&](bool qualified) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) emit(", ");
      const ColumnData& c = *columns[i];
      if (qualified) {
        emit_table_name(*n.table);
        emit(".");
      }
      emit_identifier(c.name);
      emit("=");
      const DmlValue* v = assigned(n, c.key);
      if (v != nullptr && v->expr) {
        process(*v->expr, kPrecAtom);
      } else if (v != nullptr) {
        emit_param({c.key, v->value, false, {}, {}, c.type}, {}, v->value ? &*v->value : nullptr);
      } else {
        emit_param(default_param(
            c.key,
            contains(column_keys_, c.key) ? std::optional<ColumnDefault>() : c.options.onupdate,
            c.type));
      }
    }
  };
  // The other tables the WHERE uses make it a multi-table UPDATE, which the dialect may spell
  // its own way (MySQL: UPDATE t, o SET …); the default is UPDATE … FROM.
  const auto extras = extra_froms(n);
  auto from_list = [&] { emit_from_list(*this, extras); };
  auto where = [&] {
    if (n.where) {
      emit(" WHERE ");
      process(*n.where);
    }
  };
  if (!extras.empty()) {
    Construct c{
        RETORT_CONSTRUCT_MULTI_TABLE_UPDATE, "a multi-table UPDATE (UPDATE … FROM)", {}, {}, {}};
    c.ints = {{"has_where", n.where ? 1 : 0}};
    c.children = {[&] { emit_table_name(*n.table); }, from_list, [&] { set_list(false); },
                  n.where ? std::function<void()>([&] { process(*n.where); }) : nullptr,
                  [&] { set_list(true); }};
    if (render_hook(c)) {
      visit_returning(n, 2);
      return;
    }
    if ((dialect_.capabilities & RETORT_CAP_UPDATE_FROM) == 0) {
      throw CompileError(fmt::format(
          "The '{}' dialect cannot render a multi-table UPDATE (UPDATE … FROM): the WHERE "
          "uses other tables than '{}'",
          dialect_.name, n.table->name));
    }
  }
  emit("UPDATE ");
  emit_table_name(*n.table);
  emit(" SET ");
  set_list(false);
  if (!extras.empty()) {
    emit(" FROM ");
    from_list();
  }
  where();
  visit_returning(n, 2);
}

void SQLCompiler::visit_delete(const Node& n) {
  // As UPDATE: other tables in the WHERE make it DELETE … USING (MySQL: its own spelling).
  const auto extras = extra_froms(n);
  auto from_list = [&] { emit_from_list(*this, extras); };
  if (!extras.empty()) {
    Construct c{
        RETORT_CONSTRUCT_MULTI_TABLE_DELETE, "a multi-table DELETE (DELETE … USING)", {}, {}, {}};
    c.ints = {{"has_where", n.where ? 1 : 0}};
    c.children = {[&] { emit_table_name(*n.table); }, from_list,
                  n.where ? std::function<void()>([&] { process(*n.where); }) : nullptr};
    if (render_hook(c)) {
      visit_returning(n, 3);
      return;
    }
    if ((dialect_.capabilities & RETORT_CAP_DELETE_USING) == 0) {
      throw CompileError(fmt::format(
          "The '{}' dialect cannot render a multi-table DELETE (DELETE … USING): the WHERE "
          "uses other tables than '{}'; use a subquery instead",
          dialect_.name, n.table->name));
    }
  }
  emit("DELETE FROM ");
  emit_table_name(*n.table);
  if (!extras.empty()) {
    emit(" USING ");
    from_list();
  }
  if (n.where) {
    emit(" WHERE ");
    process(*n.where);
  }
  visit_returning(n, 3);
}

// --- RETURNING --------------------------------------------------------------------------------

void SQLCompiler::visit_returning(const Node& n, int statement) {
  if (n.returning.empty()) return;
  auto items = [&] {
    for (std::size_t i = 0; i < n.returning.size(); ++i) {
      if (i) emit(", ");
      const Node& item = *n.returning[i];
      process(item);
      // Named like a select list's items, so result columns have predictable keys.
      switch (item.kind) {
        case NodeKind::column:
        case NodeKind::literal_column:
          break;
        case NodeKind::label:
          emit(" AS ");
          emit_identifier(item.text);
          break;
        case NodeKind::function:
          emit(" AS ");
          emit_identifier(anon_name(item.text));
          break;
        default:
          emit(" AS ");
          emit_identifier(anon_name("anon"));
          break;
      }
    }
  };
  Construct c{RETORT_CONSTRUCT_RETURNING, "RETURNING", {{"statement", statement}}, {}, {items}};
  if (render_hook(c)) return;
  if ((dialect_.capabilities & RETORT_CAP_RETURNING) == 0) {
    throw CompileError(
        fmt::format("The '{}' dialect cannot render RETURNING: the dialect has "
                    "no RETURNING clause",
                    dialect_.name));
  }
  emit(" RETURNING ");
  items();
}

}  // namespace retort::detail
