// retort/sql/schema.hpp — MetaData, Table, Column, ForeignKey (SQLAlchemy's `schema`).
// SPDX-License-Identifier: MIT
//
//   retort::MetaData metadata;
//   retort::Table users("users", metadata, {
//       retort::Column("id", retort::Integer(), {.primary_key = true}),
//       retort::Column("name", retort::String(50), {.nullable = false}),
//   });
//   retort::Table addresses("addresses", metadata, {
//       retort::Column("id", retort::Integer(), {.primary_key = true}),
//       retort::Column("user_id", retort::Integer(), {.foreign_key =
//       retort::ForeignKey("users.id")}),
//   });
//   metadata.create_all(engine);
//
// MetaData and Table are handles: copies share the same object.  A Table is registered in its
// MetaData by name when constructed (a second table of the same name throws ArgumentError).
// Tables and MetaData are immutable after construction except for registration, which is not
// synchronised: build schema on one thread, then share it freely.
#ifndef RETORT_SQL_SCHEMA_HPP
#define RETORT_SQL_SCHEMA_HPP

#include <retort/sql/selectable.hpp>
#include <retort/sql/types.hpp>
#include <retort/value.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort {

class Engine;

namespace detail {
struct TableData;
struct MetaDataImpl;
}  // namespace detail

/// A reference to another table's column, `"table.column"`, resolved by name in the same
/// MetaData when needed (so the target may be declared later).
struct ForeignKey {
  explicit ForeignKey(std::string target) : column(std::move(target)) {}
  std::string column;
};

/// A client-side column default (`ColumnOptions::default_`, `ColumnOptions::onupdate`): a
/// fixed value, or a C++ callable evaluated at execution once per row (once per parameter set
/// of an executemany, once per row of a multi-row VALUES).  Converts implicitly from anything
/// a Value converts from, and from any callable returning something a Value converts from:
///
///   {.default_ = 0}
///   {.default_ = [] { return Value(next_code()); }}
///
/// The callable is called on the thread executing the statement; it must be safe to call
/// from any thread that executes statements of the table, and may throw (the exception
/// propagates out of execute()).
class ColumnDefault {
 public:
  template <typename T>
  requires std::is_convertible_v<T&&, Value> ColumnDefault(T&& value)
      : value_(Value(std::forward<T>(value))) {}
  template <typename F>
  requires(!std::is_convertible_v<F&&, Value> && std::is_invocable_v<std::decay_t<F>&> &&
           std::is_convertible_v<std::invoke_result_t<std::decay_t<F>&>, Value>)
      ColumnDefault(F&& fn)
      : callable_([f = std::decay_t<F>(std::forward<F>(fn))]() mutable { return Value(f()); }) {}

  /// True for a callable default.
  bool is_callable() const noexcept { return static_cast<bool>(callable_); }
  /// The fixed value (Null for a callable default).
  const Value& value() const noexcept { return value_; }
  /// The callable (empty for a fixed value).
  const std::function<Value()>& callable() const noexcept { return callable_; }
  /// The value for one row: the fixed value, or the callable's result.
  Value evaluate() const { return callable_ ? callable_() : value_; }

 private:
  Value value_;
  std::function<Value()> callable_;
};

/// Column options, meant for designated initializers: `{.primary_key = true}`.
struct ColumnOptions {
  bool primary_key = false;
  /// Default: false for primary key columns, true otherwise.
  std::optional<bool> nullable;
  /// Default ("auto"): true for the single integer primary key column without a default or
  /// foreign key.
  std::optional<bool> autoincrement;
  /// A client-side default bound on INSERT when the column is given no value: a value, or a
  /// callable evaluated per row (see ColumnDefault).
  std::optional<ColumnDefault> default_;
  /// A client-side value bound on UPDATE when the statement does not set the column: a
  /// value, or a callable evaluated per row (SQLAlchemy's `onupdate`).
  std::optional<ColumnDefault> onupdate;
  /// SQL text for DDL `DEFAULT …`, rendered verbatim (`"'x'"`, `"CURRENT_TIMESTAMP"`).
  std::optional<std::string> server_default;
  /// A single-column UNIQUE constraint.
  bool unique = false;
  /// An index `ix_<table>_<column>` created by create_all.
  bool index = false;
  /// Kept in the schema; not rendered in DDL yet.
  std::string comment;
  /// The key for `table.c[key]` and for insert/update values; default: the name.
  std::string key;
  std::optional<ForeignKey> foreign_key;
};

/// A column definition, given to a Table.
struct Column {
  Column(std::string name, Type type, ColumnOptions options = {})
      : name(std::move(name)), type(std::move(type)), options(std::move(options)) {}
  std::string name;
  Type type;
  ColumnOptions options;
};

/// A table-level composite PRIMARY KEY.
struct PrimaryKeyConstraint {
  std::vector<std::string> columns;  ///< column names
};
/// A table-level UNIQUE constraint, optionally named.
struct UniqueConstraint {
  std::vector<std::string> columns;  ///< column names
  std::string name;
};

/// One item of a Table's definition.
class TableItem {
 public:
  TableItem(Column column) : column_(std::move(column)) {}
  TableItem(PrimaryKeyConstraint pk) : pk_(std::move(pk)) {}
  TableItem(UniqueConstraint uq) : unique_(std::move(uq)) {}

 private:
  friend class Table;
  std::optional<Column> column_;
  std::optional<PrimaryKeyConstraint> pk_;
  std::optional<UniqueConstraint> unique_;
};

/// A collection of tables (SQLAlchemy's MetaData).
class MetaData {
 public:
  MetaData();
  /// Names of the registered tables, in registration order.
  std::vector<std::string> table_names() const;

  /// Creates every table (and its indexes) in foreign-key dependency order, in one
  /// transaction; with `checkfirst`, existing tables are skipped (CREATE … IF NOT EXISTS).
  /// Throws ArgumentError when tables form a foreign-key cycle (naming them), ArgumentError
  /// for a foreign key naming an unknown table or column, CompileError, or the DBAPIError of
  /// the failing statement.
  void create_all(const Engine& engine, bool checkfirst = true) const;
  /// Drops every table in reverse dependency order (DROP TABLE … IF EXISTS with checkfirst).
  void drop_all(const Engine& engine, bool checkfirst = true) const;

  /// For the library: the shared state.
  const std::shared_ptr<detail::MetaDataImpl>& impl() const noexcept { return impl_; }

 private:
  std::shared_ptr<detail::MetaDataImpl> impl_;
};

/// A table.  `users.c["name"]` is a column expression.
class Table : public FromClause {
 public:
  /// Defines and registers the table.  Throws ArgumentError for a duplicate table or column
  /// key, a constraint naming an unknown column, or an empty name.
  Table(std::string name, const MetaData& metadata, std::vector<TableItem> items);

  const std::string& name() const noexcept;
  /// For the library: the definition.
  const detail::TableData& data() const noexcept;
};

}  // namespace retort

#endif  // RETORT_SQL_SCHEMA_HPP
