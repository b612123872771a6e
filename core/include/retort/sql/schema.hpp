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

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort {

class Engine;
class Connection;
class Inspector;
class Table;

namespace detail {
struct TableData;
struct MetaDataImpl;
struct IndexData;
}  // namespace detail

/// Options of a foreign key (ForeignKey or ForeignKeyConstraint), meant for designated
/// initializers: `{.name = "fk_x", .ondelete = "CASCADE"}`.
struct ForeignKeyOptions {
  /// The constraint name; empty: unnamed, or named by the MetaData's "fk" naming convention.
  std::string name;
  /// `ON DELETE` / `ON UPDATE` action: one of CASCADE, SET NULL, SET DEFAULT, RESTRICT,
  /// NO ACTION (any case); empty: none.  Anything else throws ArgumentError.
  std::string ondelete;
  std::string onupdate;
  /// `DEFERRABLE` (true) / `NOT DEFERRABLE` (false); absent: neither.
  std::optional<bool> deferrable;
  /// `INITIALLY DEFERRED` / `INITIALLY IMMEDIATE` (any case); empty: none.
  std::string initially;
  /// Created by `ALTER TABLE … ADD CONSTRAINT` after the tables (on dialects that can; inline
  /// elsewhere), as for a constraint in a foreign-key cycle.
  bool use_alter = false;
};

/// A reference to another table's column, `"table.column"` (`"schema.table.column"` for a
/// table with a schema), resolved by name in the same MetaData when needed (so the target may
/// be declared later).  Throws ArgumentError for an invalid option.
struct ForeignKey {
  explicit ForeignKey(std::string target, ForeignKeyOptions options = {});
  std::string column;
  ForeignKeyOptions options;
};

/// A table-level, possibly composite, FOREIGN KEY: `columns` of this table reference
/// `refcolumns` (`"table.column"`, all of the same table, which may be declared later).
/// Throws ArgumentError for empty or mismatched lists, targets in several tables, or an
/// invalid option.
struct ForeignKeyConstraint {
  ForeignKeyConstraint(std::vector<std::string> columns, std::vector<std::string> refcolumns,
                       ForeignKeyOptions options = {});
  std::vector<std::string> columns;
  std::vector<std::string> refcolumns;
  ForeignKeyOptions options;
};

/// A CHECK constraint: `sqltext` is developer-written SQL rendered verbatim (like
/// server_default; never user input).  At table level, or a column's `check` option (then
/// rendered after the column's type).  Throws ArgumentError for empty SQL.
struct CheckConstraint {
  explicit CheckConstraint(std::string sqltext, std::string name = {});
  std::string sqltext;
  /// Empty: unnamed, or named by the "ck" naming convention.
  std::string name;
};

/// A database sequence.  As a column's `sequence` option it is created by create_all and
/// becomes the column's server default (`nextval('name')`) on dialects with sequences
/// (PostgreSQL), and is ignored elsewhere (SQLite), as in SQLAlchemy.
struct SequenceOptions {
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> increment;
  std::optional<std::int64_t> minvalue;
  std::optional<std::int64_t> maxvalue;
  std::optional<std::int64_t> cache;
  /// `CYCLE` / `NO CYCLE`; absent: neither.
  std::optional<bool> cycle;
  std::string schema;
};
class Sequence {
 public:
  /// Throws ArgumentError for an empty name.
  explicit Sequence(std::string name, SequenceOptions options = {});
  const std::string& name() const noexcept { return name_; }
  const SequenceOptions& options() const noexcept { return options_; }
  /// The sequence's next value as an expression (`nextval('name')` on PostgreSQL, `NEXT VALUE
  /// FOR name` by default); CompileError on dialects without sequences.
  ColumnElement next_value() const;

 private:
  std::string name_;
  SequenceOptions options_;
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
/// SQLAlchemy's `Identity`: the column's values come from the database's identity generator.
/// On dialects with identity columns (PostgreSQL) the column renders `GENERATED {ALWAYS|BY
/// DEFAULT} AS IDENTITY (START WITH start INCREMENT BY increment)`; elsewhere the option is
/// ignored (the column is an ordinary one, or the autoincrement column when it is the single
/// integer primary key: SQLite's INTEGER PRIMARY KEY, MySQL's AUTO_INCREMENT).  It cannot be
/// combined with server_default or sequence (CompileError).  Generated values come back
/// through `insert(t).returning(…)` (or lastrowid where the driver has it).
struct Identity {
  /// ALWAYS: an INSERT giving the column a value fails; BY DEFAULT (false): it may.
  bool always = false;
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> increment;
};

struct ColumnOptions {
  bool primary_key = false;
  /// Default: false for primary key columns, true otherwise.
  std::optional<bool> nullable;
  /// Default ("auto"): true for the single integer primary key column without a default,
  /// foreign key or sequence.
  std::optional<bool> autoincrement;
  /// A client-side default bound on INSERT when the column is given no value: a value, or a
  /// callable evaluated per row (see ColumnDefault).
  std::optional<ColumnDefault> default_;
  /// A client-side value bound on UPDATE when the statement does not set the column: a
  /// value, or a callable evaluated per row (SQLAlchemy's `onupdate`).
  std::optional<ColumnDefault> onupdate;
  /// SQL text for DDL `DEFAULT …`, rendered verbatim (`"'x'"`, `"CURRENT_TIMESTAMP"`).
  std::optional<std::string> server_default;
  /// A single-column UNIQUE constraint (with `index`: a unique index instead).
  bool unique = false;
  /// An index named by the "ix" naming convention (default `ix_<table>_<column>`), created by
  /// create_all.
  bool index = false;
  /// The column's comment: `COMMENT ON COLUMN` after CREATE TABLE in create_all on dialects
  /// with comments (PostgreSQL); ignored elsewhere.
  std::string comment;
  /// The key for `table.c[key]` and for insert/update values; default: the name.
  std::string key;
  std::optional<ForeignKey> foreign_key;
  /// A CHECK constraint rendered with the column (`x INTEGER CHECK (x > 0)`).
  std::optional<CheckConstraint> check;
  /// See Sequence.
  std::optional<Sequence> sequence;
  /// An identity column (see Identity): `GENERATED … AS IDENTITY` where the dialect has it.
  std::optional<Identity> identity;
};

/// A column definition, given to a Table.
struct Column {
  Column(std::string name, Type type, ColumnOptions options = {})
      : name(std::move(name)), type(std::move(type)), options(std::move(options)) {}
  std::string name;
  Type type;
  ColumnOptions options;
};

/// A table-level composite PRIMARY KEY, optionally named.
struct PrimaryKeyConstraint {
  std::vector<std::string> columns;  ///< column names
  std::string name;
};
/// A table-level UNIQUE constraint, optionally named.
struct UniqueConstraint {
  std::vector<std::string> columns;  ///< column names
  std::string name;
};

/// One column of an Index: a column name (for an Index given to its Table's definition), or
/// a column or SQL expression of the table (`func::lower(users.c["name"])`).
class IndexElement {
 public:
  IndexElement(const char* column) : column_(column) {}
  IndexElement(std::string column) : column_(std::move(column)) {}
  IndexElement(const ColumnElement& expression) : expression_(expression) {}
  /// The column name (or, in an ON CONFLICT target, key); empty for an expression.
  const std::string& column() const noexcept { return column_; }
  const std::optional<ColumnElement>& expression() const noexcept { return expression_; }

 private:
  friend class Index;
  std::string column_;
  std::optional<ColumnElement> expression_;
};

struct IndexOptions {
  bool unique = false;
  /// A partial index's condition as SQL text, rendered verbatim after ` WHERE ` (SQLAlchemy's
  /// `postgresql_where` / `sqlite_where`); empty: every row.  On a dialect without partial
  /// indexes (RETORT_CAP_PARTIAL_INDEXES: PostgreSQL and SQLite have them, MySQL not) CREATE
  /// INDEX raises CompileError naming the index.
  std::string where;
};

/// `CREATE [UNIQUE] INDEX name ON table (elements…)`, created by create_all after its table.
/// A handle (copies share the index).  Either give it to a Table's definition (elements
/// naming columns), or build it later from the table's columns and expressions: it then
/// belongs to their table (as in SQLAlchemy).  An empty name is replaced by the MetaData's
/// "ix" naming convention.  Throws ArgumentError for no elements, expressions of several or
/// no tables, or an unknown column.
class Index {
 public:
  Index(std::string name, std::vector<IndexElement> elements, IndexOptions options = {});
  /// The name as given (possibly empty).
  const std::string& name() const noexcept;
  /// For the library.
  const std::shared_ptr<detail::IndexData>& impl() const noexcept { return impl_; }

 private:
  std::shared_ptr<detail::IndexData> impl_;
};

/// One item of a Table's definition.
class TableItem {
 public:
  TableItem(Column column) : column_(std::move(column)) {}
  TableItem(PrimaryKeyConstraint pk) : pk_(std::move(pk)) {}
  TableItem(UniqueConstraint uq) : unique_(std::move(uq)) {}
  TableItem(ForeignKeyConstraint fk) : foreign_key_(std::move(fk)) {}
  TableItem(CheckConstraint check) : check_(std::move(check)) {}
  TableItem(Index index) : index_(std::move(index)) {}

 private:
  friend class Table;
  std::optional<Column> column_;
  std::optional<PrimaryKeyConstraint> pk_;
  std::optional<UniqueConstraint> unique_;
  std::optional<ForeignKeyConstraint> foreign_key_;
  std::optional<CheckConstraint> check_;
  std::optional<Index> index_;
};

/// MetaData options, meant for designated initializers.
struct MetaDataOptions {
  /// The schema of tables that give none.
  std::string schema;
  /// Names for unnamed constraints and indexes, by kind: "pk", "fk", "uq", "ck", "ix" (or
  /// "primary_key", "foreign_key", "unique", "check", "index"), with SQLAlchemy's tokens
  /// `%(table_name)s`, `%(constraint_name)s`, `%(column_0_name)s`, `%(column_0_key)s`,
  /// `%(column_0_label)s` (`<table>_<column>`), `%(column_0N_name)s` (all columns joined),
  /// `%(column_0_N_name)s` (joined by `_`), `%(referred_table_name)s`,
  /// `%(referred_column_0_name)s` (and the N forms); any column index works.  A convention
  /// with `%(constraint_name)s` also applies to named constraints.  Merged over the default
  /// `{"ix", "ix_%(column_0_label)s"}`.  A generated name longer than the dialect's
  /// max_identifier_length is truncated with a hash suffix, as SQLAlchemy does.
  std::map<std::string, std::string> naming_convention;
};

/// What `MetaData::reflect` reads, meant for designated initializers.
struct ReflectOptions {
  /// The schema to reflect; empty: the connection's default schema.
  std::string schema;
  /// Only these tables (and the tables their foreign keys refer to); empty: every table.
  /// A name that does not exist throws InvalidRequestError naming it.
  std::vector<std::string> only;
  /// Views too (as tables: columns only).
  bool views = false;
};

/// A collection of tables (SQLAlchemy's MetaData).
class MetaData {
 public:
  explicit MetaData(MetaDataOptions options = {});
  /// Names of the registered tables (`schema.name` for a table with a schema), in
  /// registration order.
  std::vector<std::string> table_names() const;

  /// Creates, in one transaction: native ENUM types (CREATE TYPE, on dialects with
  /// RETORT_CAP_ENUM_TYPES), sequences (on dialects with RETORT_CAP_SEQUENCES), every table
  /// in foreign-key dependency order followed by its indexes and comments, and finally the
  /// foreign keys that are `use_alter` or part of a cycle with `ALTER TABLE … ADD CONSTRAINT`
  /// (on dialects with RETORT_CAP_ALTER_CONSTRAINTS; elsewhere they stay inline).  With
  /// `checkfirst`, existing objects are skipped (IF NOT EXISTS).  Throws ArgumentError for a
  /// foreign key naming an unknown table or column, CompileError, or the DBAPIError of the
  /// failing statement.
  void create_all(const Engine& engine, bool checkfirst = true) const;
  /// Drops in reverse: the ALTER-created foreign keys (`ALTER TABLE … DROP CONSTRAINT`; they
  /// must be named, else ArgumentError before anything is dropped), the tables, sequences
  /// and ENUM types (IF EXISTS with checkfirst).
  void drop_all(const Engine& engine, bool checkfirst = true) const;

  /// The statements create_all / drop_all run on the dialect named `dialect` (`default`, or
  /// a plugin's), compiled, in order, without touching a database (like SQLAlchemy's mock
  /// engine).  create_all with checkfirst skips the ALTER TABLE of a table that existed;
  /// this lists them all.  Throws as create_all / drop_all, or NoSuchModuleError.
  std::vector<std::string> create_all_sql(std::string_view dialect = "default",
                                          bool checkfirst = false) const;
  std::vector<std::string> drop_all_sql(std::string_view dialect = "default",
                                        bool checkfirst = false) const;

  /// The registered tables, in registration order / in foreign-key dependency order (every
  /// table after the tables it refers to; tables of a cycle in registration order).
  std::vector<Table> tables() const;
  std::vector<Table> sorted_tables() const;
  /// The table registered as `fullname` (`schema.name` for a table with a schema).
  std::optional<Table> table(std::string_view fullname) const;

  /// Reflects existing tables into this MetaData (see retort/inspection.hpp): each table not
  /// already present becomes a Table with its columns, constraints, indexes and comment, as
  /// `Table(name, metadata, autoload_with(engine))` builds it.  Throws NoSuchTableError for a
  /// name of `only` that does not exist, NotSupportedError when the dialect plugin cannot
  /// reflect, or the DBAPIError of a catalog query.
  void reflect(const Engine& engine, ReflectOptions options = {}) const;
  void reflect(Connection& connection, ReflectOptions options = {}) const;
  void reflect(Inspector& inspector, ReflectOptions options = {}) const;

  /// For the library: the shared state.
  const std::shared_ptr<detail::MetaDataImpl>& impl() const noexcept { return impl_; }

 private:
  std::shared_ptr<detail::MetaDataImpl> impl_;
};

/// Table options, meant for designated initializers.
struct TableOptions {
  /// The schema (`schema.table` in every statement); default: the MetaData's.  SQLite takes
  /// it as the name of an attached database.
  std::string schema;
  /// The table's comment: `COMMENT ON TABLE` after CREATE TABLE in create_all on dialects
  /// with comments (PostgreSQL); ignored elsewhere.
  std::string comment;
};

/// Where `Table(name, metadata, autoload_with(engine))` reads the table's definition.  Holds
/// a pointer: use it within the expression that constructs the Table.
struct AutoloadWith {
  const Engine* engine = nullptr;
  Connection* connection = nullptr;
  Inspector* inspector = nullptr;
};
inline AutoloadWith autoload_with(const Engine& engine) {
  return {&engine, nullptr, nullptr};
}
inline AutoloadWith autoload_with(Connection& connection) {
  return {nullptr, &connection, nullptr};
}
inline AutoloadWith autoload_with(Inspector& inspector) {
  return {nullptr, nullptr, &inspector};
}

/// A table.  `users.c["name"]` is a column expression.
class Table : public FromClause {
 public:
  /// Reflects the existing table `name` (SQLAlchemy's `autoload_with`): its columns, primary
  /// key, foreign keys, unique and CHECK constraints, indexes and comment, from the database;
  /// the tables its foreign keys refer to are reflected into the MetaData too unless already
  /// there.  `options.schema` picks the schema.  Throws NoSuchTableError naming a table that
  /// does not exist, ArgumentError when the MetaData already has it, NotSupportedError when
  /// the dialect plugin cannot reflect.
  Table(std::string name, const MetaData& metadata, AutoloadWith autoload,
        TableOptions options = {});

  /// Defines and registers the table (as `schema.name` when it has a schema).  Throws
  /// ArgumentError for a duplicate table or column key, a constraint or index naming an
  /// unknown column, an Index already attached to a table, or an empty name.
  Table(std::string name, const MetaData& metadata, std::vector<TableItem> items,
        TableOptions options = {});

  const std::string& name() const noexcept;
  /// The schema, empty when none.
  const std::string& schema() const noexcept;
  /// For the library: the definition.
  const detail::TableData& data() const noexcept;

 private:
  friend class MetaData;
  explicit Table(std::shared_ptr<const detail::Node> node) : FromClause(std::move(node)) {}
};

}  // namespace retort

#endif  // RETORT_SQL_SCHEMA_HPP
