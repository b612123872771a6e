// core/src/sql/compiler_ddl.cpp — CREATE TABLE and DROP TABLE, with their constraints, and
// the ALTER TABLE statements adding and dropping foreign keys.
#include "compiler.hpp"
#include "ddl_support.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace retort::detail {

const ColumnData* autoincrement_column(const TableData& t, bool sequences) {
  if (t.primary_key.size() != 1) return nullptr;
  const ColumnData* c = t.find_name(t.primary_key.front());
  if (c == nullptr || !c->type->is_integer()) return nullptr;
  const auto& o = c->options;
  if (o.autoincrement == false) return nullptr;
  if (o.sequence && sequences) return nullptr;
  if (!o.autoincrement && (o.default_ || o.server_default || o.foreign_key)) return nullptr;
  return c;
}

// `CONSTRAINT name ` for a constraint that has (or is given by convention) a name.
static void emit_constraint_prefix(SQLCompiler& c, const NamingSubject& subject) {
  const ConstraintName name = conventional_name(subject);
  if (name.name.empty()) return;
  c.emit("CONSTRAINT ");
  c.emit_identifier(fit_name(c.dialect(), name));
  c.emit(" ");
}

static void emit_column_list(SQLCompiler& c, const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) c.emit(", ");
    c.emit_identifier(names[i]);
  }
}

// `[CONSTRAINT n ]FOREIGN KEY(a, b) REFERENCES t (x, y)[ ON DELETE …]…`.
static void emit_foreign_key(SQLCompiler& c, const TableData& t, const ForeignKeyData& fk) {
  const ResolvedForeignKey target = resolve(t, fk);
  emit_constraint_prefix(c, {"fk", &t, fk.columns, fk.options.name, &target});
  c.emit("FOREIGN KEY(");
  emit_column_list(c, fk.columns);
  c.emit(") REFERENCES ");
  c.emit_table_name(*target.table);
  c.emit(" (");
  for (std::size_t i = 0; i < target.columns.size(); ++i) {
    if (i) c.emit(", ");
    c.emit_identifier(target.columns[i]->name);
  }
  c.emit(")");
  // Validated against the SQL keywords when the ForeignKey was built.
  if (!fk.options.ondelete.empty()) c.emit(" ON DELETE " + fk.options.ondelete);
  if (!fk.options.onupdate.empty()) c.emit(" ON UPDATE " + fk.options.onupdate);
  if (fk.options.deferrable) c.emit(*fk.options.deferrable ? " DEFERRABLE" : " NOT DEFERRABLE");
  if (!fk.options.initially.empty()) c.emit(" INITIALLY " + fk.options.initially);
}

static void emit_check(SQLCompiler& c, const TableData& t, const CheckConstraint& check,
                       std::vector<std::string> columns) {
  emit_constraint_prefix(c, {"ck", &t, std::move(columns), check.name});
  c.emit("CHECK (");
  c.emit(check.sqltext);
  c.emit(")");
}

static void emit_inline_comment(SQLCompiler& c, const std::string& comment, bool table) {
  SQLCompiler::Construct k{RETORT_CONSTRUCT_INLINE_COMMENT, "an inline comment", {}, {}, {}};
  k.strs.emplace_back("comment", comment);
  k.ints.emplace_back("table", table ? 1 : 0);
  k.children.push_back([&] { c.emit_string_literal(comment); });
  c.render_hook(k);  // Default: nothing.
}

void SQLCompiler::visit_create_table(const Node& n) {
  const TableData& t = *n.table;
  emit(n.flag ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
  emit_table_name(t);
  emit(" (");
  const bool sequences = has_capability(RETORT_CAP_SEQUENCES);
  const ColumnData* autoinc = autoincrement_column(t, sequences);
  bool first = true;
  auto next = [&] {
    emit(first ? "\n\t" : ", \n\t");
    first = false;
  };
  for (const auto& c : t.columns) {
    next();
    emit_identifier(c.name);
    emit(" ");
    auto rest = [&] {
      if (c.options.server_default) {
        emit(" DEFAULT ");
        emit(*c.options.server_default);
      } else if (c.options.sequence && sequences) {
        emit(" DEFAULT ");
        emit_next_value(*c.options.sequence);
      }
      if (!c.nullable()) emit(" NOT NULL");
    };
    if (&c == autoinc) {
      emit_autoincrement_column(c.type, c.options.server_default.has_value(), rest);
    } else {
      emit_type(c.type);
      rest();
    }
    if (c.options.check) {
      emit(" ");
      emit_check(*this, t, *c.options.check, {c.name});
    }
    if (!c.options.comment.empty()) emit_inline_comment(*this, c.options.comment, false);
  }
  if (!t.primary_key.empty()) {
    next();
    emit_constraint_prefix(*this, {"pk", &t, t.primary_key, t.primary_key_name});
    emit("PRIMARY KEY (");
    emit_column_list(*this, t.primary_key);
    emit(")");
  }
  const bool alter = has_capability(RETORT_CAP_ALTER_CONSTRAINTS);
  for (const auto& fk : t.foreign_keys) {
    // Added later by ALTER TABLE (SQLAlchemy omits use_alter constraints likewise).
    if (alter && fk->options.use_alter) continue;
    if (std::find(n.omitted_foreign_keys.begin(), n.omitted_foreign_keys.end(), fk) !=
        n.omitted_foreign_keys.end()) {
      continue;
    }
    next();
    emit_foreign_key(*this, t, *fk);
  }
  for (const auto& c : t.columns) {
    // unique + index is a unique index instead.
    if (!c.options.unique || c.options.index) continue;
    next();
    emit_constraint_prefix(*this, {"uq", &t, {c.name}, ""});
    emit("UNIQUE (");
    emit_identifier(c.name);
    emit(")");
  }
  for (const auto& u : t.uniques) {
    next();
    emit_constraint_prefix(*this, {"uq", &t, u.columns, u.name});
    emit("UNIQUE (");
    emit_column_list(*this, u.columns);
    emit(")");
  }
  for (const auto& check : t.checks) {
    next();
    emit_check(*this, t, check, {});
  }
  // A non-native Enum is a string checked against its values.
  const bool native_enum = has_capability(RETORT_CAP_NATIVE_ENUM);
  for (const auto& c : t.columns) {
    if (native_enum || c.type.kind() != TypeKind::enum_ || c.type->enum_values().empty()) {
      continue;
    }
    next();
    // Named by a "ck" convention only, and only when it can be (with the Enum's name as
    // constraint_name).
    ConstraintName name;
    try {
      name = conventional_name({"ck", &t, {c.name}, c.type->enum_name()});
    } catch (const ArgumentError&) {
      if (!c.type->enum_name().empty()) throw;
    }
    if (name.generated) {
      emit("CONSTRAINT ");
      emit_identifier(fit_name(dialect(), name));
      emit(" ");
    }
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
  if (!t.comment.empty()) emit_inline_comment(*this, t.comment, true);
}

void SQLCompiler::visit_drop_table(const Node& n) {
  emit(n.flag ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
  emit_table_name(*n.table);
}

void visit_alter_foreign_key(SQLCompiler& c, const Node& n) {
  c.emit("ALTER TABLE ");
  c.emit_table_name(*n.table);
  c.emit(" ADD ");
  emit_foreign_key(c, *n.table, *n.foreign_key);
}

void visit_drop_constraint(SQLCompiler& c, const Node& n) {
  // drop_all drops only foreign keys this way.
  SQLCompiler::Construct con{RETORT_CONSTRUCT_DROP_CONSTRAINT,
                             "ALTER TABLE DROP CONSTRAINT",
                             {{"foreign_key", 1}, {"if_exists", n.flag ? 1 : 0}},
                             {},
                             {}};
  con.children = {[&] { c.emit_table_name(*n.table); }, [&] { c.emit_identifier(n.text); }};
  if (c.render_hook(con)) return;
  c.emit(n.flag ? "ALTER TABLE IF EXISTS " : "ALTER TABLE ");
  c.emit_table_name(*n.table);
  c.emit(n.flag ? " DROP CONSTRAINT IF EXISTS " : " DROP CONSTRAINT ");
  c.emit_identifier(n.text);
}

}  // namespace retort::detail
