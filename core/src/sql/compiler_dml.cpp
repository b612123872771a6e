// core/src/sql/compiler_dml.cpp — INSERT, UPDATE, DELETE.
#include "compiler.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace retort::detail {

namespace {

bool contains(const std::vector<std::string>* keys, const std::string& key) {
  return keys != nullptr && std::find(keys->begin(), keys->end(), key) != keys->end();
}

const Value* assigned(const Node& n, const std::string& key) {
  for (const auto& [k, v] : n.assignments)
    if (k == key) return &v;
  return nullptr;
}

// The columns an INSERT/UPDATE sets, in table order: those given values(), those named by
// the execution's parameter keys, and (INSERT only) those with a client-side default.  On its
// own (no keys, no values) a statement sets every column, as SQLAlchemy compiles it.
std::vector<const ColumnData*> target_columns(const Node& n, const std::vector<std::string>* keys,
                                              bool with_defaults) {
  std::vector<const ColumnData*> out;
  if (keys != nullptr) {
    for (const auto& k : *keys) {
      if (n.table->find_key(k) == nullptr && n.kind == NodeKind::insert) {
        throw ArgumentError(
            fmt::format("Unconsumed column name: table '{}' has no column '{}'", n.table->name, k));
      }
    }
  }
  const bool standalone = keys == nullptr && n.assignments.empty();
  for (const auto& c : n.table->columns) {
    if (standalone || assigned(n, c.key) || contains(keys, c.key) ||
        (with_defaults && c.options.default_)) {
      out.push_back(&c);
    }
  }
  return out;
}

BoundParameter column_param(const Node& n, const ColumnData& c,
                            const std::vector<std::string>* keys) {
  BoundParameter p{c.key, std::nullopt, false, {}, c.type};
  if (const Value* v = assigned(n, c.key)) {
    p.value = *v;
  } else if (!contains(keys, c.key) && c.options.default_) {
    p.value = *c.options.default_;
  }
  return p;
}

}  // namespace

void SQLCompiler::visit_insert(const Node& n) {
  emit("INSERT INTO ");
  emit_identifier(n.table->name);
  const auto columns = target_columns(n, column_keys_, true);
  if (columns.empty()) {
    emit(" DEFAULT VALUES");
    return;
  }
  emit(" (");
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) emit(", ");
    emit_identifier(columns[i]->name);
  }
  emit(") VALUES (");
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) emit(", ");
    emit_param(column_param(n, *columns[i], column_keys_));
  }
  emit(")");
}

void SQLCompiler::visit_update(const Node& n) {
  emit("UPDATE ");
  emit_identifier(n.table->name);
  const auto columns = target_columns(n, column_keys_, false);
  if (columns.empty()) {
    throw ArgumentError(fmt::format(
        "UPDATE of '{}' sets no column: give values() or parameters named after columns",
        n.table->name));
  }
  emit(" SET ");
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) emit(", ");
    emit_identifier(columns[i]->name);
    emit("=");
    emit_param(column_param(n, *columns[i], column_keys_));
  }
  if (n.where) {
    emit(" WHERE ");
    process(*n.where);
  }
}

void SQLCompiler::visit_delete(const Node& n) {
  emit("DELETE FROM ");
  emit_identifier(n.table->name);
  if (n.where) {
    emit(" WHERE ");
    process(*n.where);
  }
}

}  // namespace retort::detail
