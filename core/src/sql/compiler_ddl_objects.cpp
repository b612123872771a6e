// core/src/sql/compiler_ddl_objects.cpp — DDL of the schema objects around tables: indexes,
// sequences, comments, ENUM types.
#include "compiler.hpp"
#include "ddl_support.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

namespace retort::detail {

std::shared_ptr<const TableData> index_table(const IndexData& index) {
  auto t = index.table.lock();
  if (!t) {
    throw ArgumentError(fmt::format(
        "Index '{}' is not associated with a table: give it to a Table's definition, or build "
        "it from a table's columns",
        index.name));
  }
  return t;
}

std::string index_name(const retort_dialect& dialect, const IndexData& index,
                       const TableData& table) {
  NamingSubject subject{"ix", &table, {}, index.name};
  for (const auto& e : index.elements) {
    if (e.expression) {
      columns_in(*e.expression, subject.columns);
    } else {
      subject.columns.push_back(e.column);
    }
  }
  const ConstraintName name = conventional_name(subject);
  if (name.name.empty()) {
    throw CompileError(fmt::format(
        "An Index on '{}' has no name, and the MetaData has no \"ix\" naming convention",
        table.name));
  }
  return fit_name(dialect, name);
}

void SQLCompiler::visit_create_index(const Node& n) {
  const IndexData& ix = *n.index;
  // The table is looked up for every compile (the index holds it weakly).
  const auto table = index_table(ix);
  const std::string name = index_name(dialect(), ix, *table);
  Construct c{RETORT_CONSTRUCT_CREATE_INDEX, "CREATE INDEX", {}, {}, {}};
  c.ints.emplace_back("unique", ix.unique ? 1 : 0);
  c.ints.emplace_back("if_not_exists", n.flag ? 1 : 0);
  c.children.push_back([&] { emit_identifier(name); });
  c.children.push_back([&] {
    if (!table->schema.empty()) {
      emit_identifier(table->schema);
      emit(".");
    }
    emit_identifier(name);
  });
  c.children.push_back([&] { emit_identifier(table->name); });
  c.children.push_back([&] { emit_table_name(*table); });
  c.children.push_back([&] {
    emit("(");
    for (std::size_t i = 0; i < ix.elements.size(); ++i) {
      if (i) emit(", ");
      const auto& e = ix.elements[i];
      if (!e.expression) {
        emit_identifier(e.column);
        continue;
      }
      // A bound value would need literal rendering, which DDL does not do here.
      const std::size_t params = params_count();
      unqualified_columns_ = true;
      try {
        // Operators are parenthesised (PostgreSQL requires it), functions are not.
        process(*e.expression, kPrecAtom);
      } catch (...) {
        unqualified_columns_ = false;
        throw;
      }
      unqualified_columns_ = false;
      if (params_count() != params) {
        throw CompileError(fmt::format(
            "The '{}' dialect cannot render CREATE INDEX {}: an index expression holds a bound "
            "parameter; write constants with literal_column()",
            dialect().name, name));
      }
    }
    emit(")");
  });
  if (!ix.where.empty() && !has_capability(RETORT_CAP_PARTIAL_INDEXES)) {
    throw CompileError(fmt::format(
        "The '{}' dialect cannot render CREATE INDEX {}: it has no partial indexes (the index "
        "has WHERE {})",
        dialect().name, name, ix.where));
  }
  if (!render_hook(c)) {
    emit(ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (n.flag) emit("IF NOT EXISTS ");
    c.children[0]();
    emit(" ON ");
    c.children[3]();
    emit(" ");
    c.children[4]();
  }
  if (!ix.where.empty()) {
    emit(" WHERE ");
    emit(ix.where);
  }
}

void SQLCompiler::emit_next_value(const Sequence& sequence) {
  if (!has_capability(RETORT_CAP_SEQUENCES)) {
    throw CompileError(fmt::format(
        "The '{}' dialect cannot render the next value of sequence '{}': it has no sequences",
        dialect().name, sequence.name()));
  }
  Construct c{RETORT_CONSTRUCT_NEXT_VALUE, "a sequence's next value", {}, {}, {}};
  c.strs.emplace_back("name", sequence.name());
  c.strs.emplace_back("schema", sequence.options().schema);
  if (render_hook(c)) return;
  emit("NEXT VALUE FOR ");
  if (!sequence.options().schema.empty()) {
    emit_identifier(sequence.options().schema);
    emit(".");
  }
  emit_identifier(sequence.name());
}

namespace {

void require(const SQLCompiler& c, std::uint64_t cap, const char* what, const char* lacks) {
  if (!c.has_capability(cap)) {
    throw CompileError(
        fmt::format("The '{}' dialect cannot render {}: {}", c.dialect().name, what, lacks));
  }
}

void sequence_name(SQLCompiler& c, const Sequence& s) {
  if (!s.options().schema.empty()) {
    c.emit_identifier(s.options().schema);
    c.emit(".");
  }
  c.emit_identifier(s.name());
}

}  // namespace

void SQLCompiler::visit_schema_ddl(const Node& n) {
  switch (n.kind) {
    case NodeKind::drop_index: {
      const auto table = index_table(*n.index);
      emit(n.flag ? "DROP INDEX IF EXISTS " : "DROP INDEX ");
      if (!table->schema.empty()) {
        emit_identifier(table->schema);
        emit(".");
      }
      emit_identifier(index_name(dialect(), *n.index, *table));
      break;
    }
    case NodeKind::create_sequence: {
      require(*this, RETORT_CAP_SEQUENCES, "CREATE SEQUENCE", "it has no sequences");
      emit(n.flag ? "CREATE SEQUENCE IF NOT EXISTS " : "CREATE SEQUENCE ");
      sequence_name(*this, *n.sequence);
      // SQLAlchemy's order of identity options.
      const SequenceOptions& o = n.sequence->options();
      if (o.increment) emit(fmt::format(" INCREMENT BY {}", *o.increment));
      if (o.start) emit(fmt::format(" START WITH {}", *o.start));
      if (o.minvalue) emit(fmt::format(" MINVALUE {}", *o.minvalue));
      if (o.maxvalue) emit(fmt::format(" MAXVALUE {}", *o.maxvalue));
      if (o.cache) emit(fmt::format(" CACHE {}", *o.cache));
      if (o.cycle) emit(*o.cycle ? " CYCLE" : " NO CYCLE");
      break;
    }
    case NodeKind::drop_sequence:
      require(*this, RETORT_CAP_SEQUENCES, "DROP SEQUENCE", "it has no sequences");
      emit(n.flag ? "DROP SEQUENCE IF EXISTS " : "DROP SEQUENCE ");
      sequence_name(*this, *n.sequence);
      break;
    case NodeKind::set_table_comment:
      require(*this, RETORT_CAP_COMMENTS, "COMMENT ON TABLE", "it has no COMMENT statement");
      emit("COMMENT ON TABLE ");
      emit_table_name(*n.table);
      emit(" IS ");
      if (n.table->comment.empty()) {
        emit("NULL");
      } else {
        emit_string_literal(n.table->comment);
      }
      break;
    case NodeKind::set_column_comment: {
      require(*this, RETORT_CAP_COMMENTS, "COMMENT ON COLUMN", "it has no COMMENT statement");
      const ColumnData* c = n.table->find_name(n.text);
      emit("COMMENT ON COLUMN ");
      emit_table_name(*n.table);
      emit(".");
      emit_identifier(c->name);
      emit(" IS ");
      if (c->options.comment.empty()) {
        emit("NULL");
      } else {
        emit_string_literal(c->options.comment);
      }
      break;
    }
    case NodeKind::add_foreign_key:
      require(*this, RETORT_CAP_ALTER_CONSTRAINTS, "ALTER TABLE ADD CONSTRAINT",
              "it cannot alter constraints");
      visit_alter_foreign_key(*this, n);
      break;
    case NodeKind::drop_constraint:
      require(*this, RETORT_CAP_ALTER_CONSTRAINTS, "ALTER TABLE DROP CONSTRAINT",
              "it cannot alter constraints");
      visit_drop_constraint(*this, n);
      break;
    case NodeKind::create_enum_type: {
      require(*this, RETORT_CAP_ENUM_TYPES, "CREATE TYPE … AS ENUM", "it has no named ENUM types");
      Construct c{RETORT_CONSTRUCT_CREATE_ENUM_TYPE, "CREATE TYPE … AS ENUM", {}, {}, {}};
      c.strs.emplace_back("name", n.type->enum_name());
      c.ints.emplace_back("if_not_exists", n.flag ? 1 : 0);
      c.children.push_back([&] {
        emit("CREATE TYPE ");
        emit_identifier(n.type->enum_name());
        emit(" AS ENUM (");
        const auto& values = n.type->enum_values();
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (i) emit(", ");
          emit_string_literal(values[i]);
        }
        emit(")");
      });
      if (!render_hook(c)) c.children[0]();
      break;
    }
    case NodeKind::drop_enum_type:
      require(*this, RETORT_CAP_ENUM_TYPES, "DROP TYPE", "it has no named ENUM types");
      emit(n.flag ? "DROP TYPE IF EXISTS " : "DROP TYPE ");
      emit_identifier(n.type->enum_name());
      break;
    default:
      throw CompileError("not a DDL statement");
  }
}

}  // namespace retort::detail
