// plugins/odbc/statement.hpp — the `odbc` driver's statement.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_ODBC_STATEMENT_HPP
#define RETORT_PLUGINS_ODBC_STATEMENT_HPP

#include "connection.hpp"
#include "types.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <sql.h>
#include <sqlext.h>

#include <cstdint>
#include <string>
#include <vector>

namespace retort::odbc {

/**
 * One SQL statement: an ODBC statement handle prepared with SQLPrepare.
 *
 * Preparation: SQLPrepare in the constructor, except for the postgresql dialect's `$n` markers:
 * those become `?` wrapped in a CAST to the parameter's type (as libpq sends type OIDs), so the
 * statement is prepared at the first execute and again when the parameter types change.
 *
 * Execution (README.md, "Execution"):
 *   - Parameters are bound column-wise straight from the retort_batch (INT64, DOUBLE and BOOL
 *     without copying; text as UTF-16).  Several parameter rows run as parameter arrays
 *     (SQL_ATTR_PARAMSET_SIZE), up to `paramset_size` rows (and about 16 MiB) per SQLExecute.
 *     An error in row k is reported with the detail `parameter_row` = k when the driver says
 *     which row failed.
 *   - Results are fetched with a block cursor (SQL_ATTR_ROW_ARRAY_SIZE = fetch_array_size,
 *     columns bound column-wise).  When a column is long or of unknown size (LONGVARCHAR,
 *     LONGVARBINARY, a size above 4000 characters), rows are fetched one at a time and that
 *     column and those after it are read with SQLGetData in pieces, so values of any length
 *     arrive whole.
 */
class Statement {
 public:
  Statement(Connection& connection, std::string sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void execute(const retort_batch* params, retort_exec_info& info);
  void describe(int32_t index, retort_column_desc& out);
  void fetch(int64_t max_rows, retort_batch& out);

 private:
  struct Column {
    std::string name;
    SQLSMALLINT sql_type = 0;
    SQLULEN size = 0;
    SQLSMALLINT nullable = SQL_NULLABLE_UNKNOWN;
    std::string declared;
    Reader reader = Reader::kText;
    /// Bytes per element when bound; 0 when read with SQLGetData.
    SQLLEN width = 0;
    std::vector<uint8_t> data;
    std::vector<SQLLEN> indicators;
  };

  /// SQLPrepare of `sql`.
  void prepare_text(const std::string& sql);
  /// (PostgreSQL markers) prepares sql_ with each marker cast to its parameter's type, unless
  /// the statement is already prepared for these types.
  void prepare_typed(const retort_batch* params);
  void close_cursor() noexcept;
  void run_all(const retort_batch* params, int64_t rows, int64_t& affected);
  void execute_rows(const retort_batch& params, int64_t first, int64_t rows, int64_t& affected);
  void describe_result(SQLSMALLINT count);
  /// Appends rowset row `row` to the builder (bound columns and SQLGetData ones).
  void append_row(SQLULEN row);
  void get_long(size_t index, sdk::ColumnBuffer& out);
  [[noreturn]] void fail(SQLRETURN rc, std::string_view context = {});

  Connection& conn_;
  std::string sql_;
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
  bool is_insert_ = false;
  ParamArrays params_;
  /// Marker i takes parameter order_[i] (PostgreSQL's $n reordered); empty: in order.
  std::vector<int32_t> order_;
  /// Offsets of the `?` markers in sql_ that get casts (PostgreSQL); empty: sql_ as is.
  std::vector<size_t> marker_at_;
  /// The parameter types sql_ was last prepared for (with marker_at_).
  std::vector<uint32_t> prepared_types_;
  bool prepared_ = false;
  // The current result.
  std::vector<Column> columns_;
  std::vector<retort_value_type> types_;
  bool open_ = false;      // a cursor is open
  bool finished_ = false;  // SQL_NO_DATA was seen
  size_t first_long_ = 0;  // columns [first_long_, end) use SQLGetData
  SQLULEN array_size_ = 1;
  SQLULEN fetched_ = 0;  // rows in the current rowset
  SQLULEN next_ = 0;     // next unread row of the rowset
  std::vector<SQLUSMALLINT> row_status_;
  std::vector<uint8_t> piece_;  // SQLGetData buffer
  sdk::BatchBuilder builder_;
};

}  // namespace retort::odbc

#endif  // RETORT_PLUGINS_ODBC_STATEMENT_HPP
