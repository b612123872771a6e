// plugins/sqlite/statement.hpp — the `sqlite3` driver's prepared statement.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_SQLITE_STATEMENT_HPP
#define RETORT_PLUGINS_SQLITE_STATEMENT_HPP

#include "types.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::sqlite {

class Connection;

/**
 * One prepared statement checked out of its connection's cache; it goes back there (reset,
 * bindings cleared) when the Statement is destroyed.
 *
 * Execution:
 *   - Without result columns (DDL, DML): runs once per parameter row.  rows_affected is the
 *     sum of sqlite3_changes() for INSERT / UPDATE / DELETE / REPLACE (also behind WITH) and
 *     -1 for anything else.  After an INSERT or REPLACE that inserted rows, last_insert_id is
 *     sqlite3_last_insert_rowid().  In autocommit mode, more than one parameter row of DML
 *     runs inside one implicit transaction, which makes the batch atomic and fast.
 *   - With result columns (SELECT, PRAGMA, DML … RETURNING): at most one parameter row.  The
 *     first row is produced inside execute (so errors surface there); fetch reads the rest
 *     lazily.  rows_affected is -1, except 0 for a RETURNING statement that returned nothing:
 *     SQLite counts the changes of a RETURNING statement only when it completes, and for such
 *     a statement the number of rows fetched is the number of rows affected.
 *     last_insert_id is reported for INSERT … RETURNING that returned a row.
 *
 * Result typing (per batch, see README.md): each column prefers the type its declared type
 * implies; a value that does not fit the type of its batch column ends the batch, and the
 * next batch starts with its types decided afresh.  No value is ever converted lossily.
 */
class Statement {
 public:
  /// Takes ownership of `stmt`, prepared by `connection` from `sql`.
  Statement(Connection& connection, std::string sql, sqlite3_stmt* stmt);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  /// @throws sdk::Error RETORT_INVALID_ARGUMENT for a parameter count mismatch or several
  ///         parameter rows for a statement with result columns; RETORT_NOT_IMPLEMENTED for
  ///         INTERVAL parameters; SQLite failures as classified in errors.hpp.
  void execute(const retort_batch* params, retort_exec_info& info);
  /// Column names and declared types; `type` is always RETORT_TYPE_NULL (decided per batch).
  void describe(int32_t index, retort_column_desc& out);
  /// Fills `out` with up to `max_rows` (≥ 1) rows; an empty batch at the end.  An error met
  /// after some rows were read is reported by the next fetch, after those rows.
  void fetch(int64_t max_rows, retort_batch& out);

 private:
  enum class State { kPrepared, kRows, kDone, kFailed };
  struct ColumnInfo {
    std::string name;
    std::string declared;
    bool has_declared = false;
    std::optional<retort_value_type> preferred;
  };
  /// How a column of the batch being built is typed.
  struct ColumnState {
    retort_value_type type = RETORT_TYPE_NULL;
    /// False while the column holds only NULLs.
    bool decided = false;
    /// The type follows the storage class because the value did not fit `preferred`.
    bool fallback = false;
    /// Values convert straight to `type` (decided, not fallback): add_row's fast path.
    bool direct() const noexcept { return decided && !fallback; }
  };

  void load_columns();
  void execute_query(const retort_batch* params, retort_exec_info& info);
  void execute_update(const retort_batch* params, int64_t rows, retort_exec_info& info);
  /// Steps once; updates state_.  Throws on failure (state_ becomes kFailed).
  void advance();
  /// Adds the current row to builder_; false (nothing added) when a value does not fit.
  /// May throw with the row partly added: undo_row then removes it.
  bool add_row(int64_t rows_in_batch);
  /// add_row for a column still without a type, or typed by its storage class (fallback).
  bool add_value_slow(size_t column, sqlite3_value* value, int storage, int64_t rows_in_batch);
  /// Drops a partly added row: the batch keeps its first `rows_in_batch` rows, and columns
  /// typed by that row become untyped (only NULLs) again.
  void undo_row(int64_t rows_in_batch);
  [[noreturn]] void fail_step(int rc, int64_t parameter_row);

  Connection& connection_;
  std::string sql_;
  sqlite3_stmt* stmt_;
  bool is_dml_ = false;
  bool is_insert_ = false;
  int param_count_ = 0;
  int column_count_ = 0;
  State state_ = State::kPrepared;
  std::vector<ColumnInfo> columns_;
  std::vector<ColumnState> column_states_;
  /// Columns that got their type from the row being added (undone with it).
  std::vector<size_t> typed_by_row_;
  std::vector<retort_value_type> null_types_;
  std::optional<sdk::Error> deferred_error_;
  sdk::BatchBuilder builder_;
};

}  // namespace retort::sqlite

#endif  // RETORT_PLUGINS_SQLITE_STATEMENT_HPP
