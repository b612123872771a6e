// core/src/sql/compiler_ddl.cpp — CREATE TABLE, DROP TABLE, CREATE INDEX.
#include "compiler.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

namespace retort::detail {

namespace {

// The column SQLAlchemy's autoincrement="auto" picks: the table's only primary key column,
// of an integer type, without a default or a foreign key, autoincrement not turned off.
const ColumnData* autoincrement_column(const TableData& t) {
  if (t.primary_key.size() != 1) return nullptr;
  const ColumnData* c = t.find_name(t.primary_key.front());
  if (c == nullptr || !c->type->is_integer()) return nullptr;
  const auto& o = c->options;
  if (o.autoincrement == false) return nullptr;
  if (!o.autoincrement && (o.default_ || o.server_default || o.foreign_key)) return nullptr;
  return c;
}

}  // namespace

void SQLCompiler::visit_create_table(const Node& n) {
  const TableData& t = *n.table;
  emit(n.flag ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
  emit_identifier(t.name);
  emit(" (");
  const ColumnData* autoinc = autoincrement_column(t);
  bool first = true;
  auto next = [&] {
    emit(first ? "\n\t" : ", \n\t");
    first = false;
  };
  auto column_list = [&](const std::vector<std::string>& names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) emit(", ");
      emit_identifier(names[i]);
    }
  };
  for (const auto& c : t.columns) {
    next();
    emit_identifier(c.name);
    emit(" ");
    auto rest = [&] {
      if (c.options.server_default) {
        emit(" DEFAULT ");
        emit(*c.options.server_default);
      }
      if (!c.nullable()) emit(" NOT NULL");
    };
    if (&c == autoinc) {
      emit_autoincrement_column(c.type, c.options.server_default.has_value(), rest);
    } else {
      emit_type(c.type);
      rest();
    }
  }
  if (!t.primary_key.empty()) {
    next();
    emit("PRIMARY KEY (");
    column_list(t.primary_key);
    emit(")");
  }
  for (const auto& c : t.columns) {
    if (!c.options.foreign_key) continue;
    auto [target, target_col] = resolve_foreign_key(t, c);
    next();
    emit("FOREIGN KEY(");
    emit_identifier(c.name);
    emit(") REFERENCES ");
    emit_identifier(target->name);
    emit(" (");
    emit_identifier(target_col->name);
    emit(")");
  }
  for (const auto& c : t.columns) {
    if (!c.options.unique) continue;
    next();
    emit("UNIQUE (");
    emit_identifier(c.name);
    emit(")");
  }
  for (const auto& u : t.uniques) {
    next();
    if (!u.name.empty()) {
      emit("CONSTRAINT ");
      emit_identifier(u.name);
      emit(" ");
    }
    emit("UNIQUE (");
    column_list(u.columns);
    emit(")");
  }
  // A non-native Enum is a string checked against its values; a dialect with a native ENUM
  // type enforces them in the type itself.
  const bool native_enum = (dialect().capabilities & RETORT_CAP_NATIVE_ENUM) != 0;
  for (const auto& c : t.columns) {
    if (native_enum) break;
    if (c.type.kind() != TypeKind::enum_ || c.type->enum_values().empty()) continue;
    next();
    emit("CHECK (");
    emit_identifier(c.name);
    emit(" IN (");
    const auto& values = c.type->enum_values();
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) emit(", ");
      emit_string_literal(values[i]);
    }
    emit("))");
  }
  emit("\n)");
}

void SQLCompiler::visit_drop_table(const Node& n) {
  emit(n.flag ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
  emit_identifier(n.table->name);
}

void SQLCompiler::visit_create_index(const Node& n) {
  emit(n.flag ? "CREATE INDEX IF NOT EXISTS " : "CREATE INDEX ");
  // SQLAlchemy's default index name for `index=True`.
  emit_identifier(fmt::format("ix_{}_{}", n.table->name, n.text));
  emit(" ON ");
  emit_identifier(n.table->name);
  emit(" (");
  emit_identifier(n.text);
  emit(")");
}

}  // namespace retort::detail
