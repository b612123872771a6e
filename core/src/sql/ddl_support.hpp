// core/src/sql/ddl_support.hpp — private: naming conventions, identifier truncation and
// foreign-key resolution shared by the DDL compiler and create_all / drop_all.
#ifndef RETORT_SRC_SQL_DDL_SUPPORT_HPP
#define RETORT_SRC_SQL_DDL_SUPPORT_HPP

#include "nodes.hpp"

#include <retort/plugin_abi.h>

#include <string>
#include <string_view>
#include <vector>

namespace retort::detail {

/// MD5 of `data` as 32 lower-case hex digits (SQLAlchemy's util.md5_hex, for truncated names).
std::string md5_hex(std::string_view data);

/// What a naming convention is applied to.
struct NamingSubject {
  const char* kind;  // "pk", "fk", "uq", "ck", "ix"
  const TableData* table;
  std::vector<std::string> columns;              // column names, in order
  std::string explicit_name;                     // as given; may be empty
  const ResolvedForeignKey* referred = nullptr;  // fk only
};

/// A constraint or index name and whether a naming convention generated it.
struct ConstraintName {
  std::string name;  // empty: unnamed
  bool generated = false;
};

/// Applies the table's MetaData naming convention for `s.kind` (when the name is empty, or the
/// convention uses %(constraint_name)s).  Throws ArgumentError for an unknown token, a column
/// index out of range, or %(constraint_name)s of an unnamed constraint.
ConstraintName conventional_name(const NamingSubject& s);

/// The name to render for `dialect`: a generated name longer than max_identifier_length is
/// cut to max-8 characters plus `_` and 4 hex digits of its MD5 (SQLAlchemy's scheme); a
/// given one that is too long throws CompileError.
std::string fit_name(const retort_dialect& dialect, const ConstraintName& name);

/// The column SQLAlchemy's autoincrement="auto" picks: the table's only primary key column,
/// of an integer type, without a default, foreign key or (with `sequences`: the dialect has
/// RETORT_CAP_SEQUENCES, so the sequence is used) sequence, autoincrement not turned off.
/// The one rule for CREATE TABLE and for insertmanyvalues' ordering by generated ids.
const ColumnData* autoincrement_column(const TableData& t, bool sequences);

class SQLCompiler;
/// `ALTER TABLE t ADD [CONSTRAINT n ]FOREIGN KEY(…) REFERENCES …` (compiler_ddl.cpp).
void visit_alter_foreign_key(SQLCompiler& compiler, const Node& node);
/// `ALTER TABLE [IF EXISTS ]t DROP CONSTRAINT [IF EXISTS ]n`.
void visit_drop_constraint(SQLCompiler& compiler, const Node& node);

/// The table of an attached index; ArgumentError when it has none or it is gone.
std::shared_ptr<const TableData> index_table(const IndexData& index);
/// The index's name for `dialect` (its own, or from the "ix" convention, fitted).  Throws
/// CompileError when it has neither.
std::string index_name(const retort_dialect& dialect, const IndexData& index,
                       const TableData& table);

/// The column names an index element refers to (an expression: every column in it).
void columns_in(const Node& expression, std::vector<std::string>& out);

}  // namespace retort::detail

#endif  // RETORT_SRC_SQL_DDL_SUPPORT_HPP
