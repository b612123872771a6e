// plugins/odbc/statement.cpp — the `odbc` driver's statement.
// SPDX-License-Identifier: MIT
#include "statement.hpp"

#include "errors.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <utility>

namespace retort::odbc {
namespace {

bool starts_with_insert(std::string_view sql) noexcept {
  size_t i = 0;
  while (i < sql.size() && (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == '(')) ++i;
  constexpr std::string_view kw = "insert";
  if (sql.size() - i < kw.size()) return false;
  for (size_t k = 0; k < kw.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(sql[i + k])) != kw[k]) return false;
  }
  return true;
}

SQLPOINTER as_pointer(SQLULEN v) noexcept {
  return reinterpret_cast<SQLPOINTER>(v);
}

// Bytes of terminator SQLGetData writes for a C type.
SQLLEN terminator(SQLSMALLINT c_type) noexcept {
  if (c_type == SQL_C_WCHAR) return sizeof(SQLWCHAR);
  if (c_type == SQL_C_CHAR) return 1;
  return 0;
}

bool is_var_reader(Reader r) noexcept {
  return r == Reader::kText || r == Reader::kBytes || r == Reader::kDecimal || r == Reader::kTime ||
         r == Reader::kUuid || r == Reader::kInterval || r == Reader::kJson;
}

// PostgreSQL's `$n` placeholders → ODBC's `?`, outside literals, quoted identifiers, comments
// and dollar-quoted strings.  `order[i]` is the (0-based) parameter the i-th `?` takes and
// `at[i]` its offset in the result.  The offsets of the `?` markers already in `sql` (driver
// SQL written for ODBC) go to `qmarks`; those are ODBC's markers, taken in order.
std::string dollar_to_qmark(std::string_view sql, std::vector<int32_t>& order,
                            std::vector<size_t>& at, std::vector<size_t>& qmarks) {
  std::string out;
  out.reserve(sql.size());
  size_t i = 0;
  auto copy_until = [&](size_t end) {
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      copy_until(std::min(j + 1, sql.size()));
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t nl = sql.find('\n', i);
      copy_until(nl == std::string_view::npos ? sql.size() : nl);
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t end = sql.find("*/", i + 2);
      copy_until(end == std::string_view::npos ? sql.size() : end + 2);
    } else if (c == '$' && i + 1 < sql.size() &&
               std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      size_t j = i + 1;
      int32_t n = 0;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) {
        n = n * 10 + (sql[j] - '0');
        ++j;
      }
      order.push_back(n - 1);
      at.push_back(out.size());
      out.push_back('?');
      i = j;
    } else if (c == '?') {
      qmarks.push_back(out.size());
      copy_until(i + 1);
    } else if (c == '$') {
      // A dollar-quoted string: $tag$ … $tag$.
      size_t j = i + 1;
      while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_'))
        ++j;
      if (j < sql.size() && sql[j] == '$') {
        const std::string_view tag = sql.substr(i, j - i + 1);
        const size_t end = sql.find(tag, j + 1);
        copy_until(end == std::string_view::npos ? sql.size() : end + tag.size());
      } else {
        copy_until(i + 1);
      }
    } else {
      copy_until(i + 1);
    }
  }
  return out;
}

// What the native postgresql driver says with a parameter's type OID, said with a cast: ODBC
// drivers for PostgreSQL send parameters untyped (psqlODBC quotes even SQL_BIGINT), so
// `? + ?` would be "operator is not unique: unknown + unknown" and `SELECT ?` text.  Text and
// NULL stay untyped, as with libpq, so the server infers them from the context.
// An INT64 parameter the host declared INTEGER / SMALLINT (RETORT_COLUMN_DECLARED_INT32/16)
// whose values all fit is cast to that type, as the native driver sends it as int4 / int2:
// `substr(?, ?)` has no bigint overload.
constexpr uint32_t kCastInt32 = 0x100 | RETORT_TYPE_INT64;
constexpr uint32_t kCastInt16 = 0x200 | RETORT_TYPE_INT64;

// The cast a parameter column gets: its value type, or kCastInt32 / kCastInt16 (above).
uint32_t cast_key(const retort_column& col, int64_t rows) {
  if (col.type != RETORT_TYPE_INT64) return col.type;
  const bool int16 = (col.flags & RETORT_COLUMN_DECLARED_INT16) != 0;
  if (!int16 && (col.flags & RETORT_COLUMN_DECLARED_INT32) == 0) return col.type;
  const int64_t lo = int16 ? INT16_MIN : INT32_MIN;
  const int64_t hi = int16 ? INT16_MAX : INT32_MAX;
  const sdk::ColumnReader reader(col);
  for (int64_t row = 0; row < rows; ++row) {
    if (reader.is_null(row)) continue;
    const int64_t v = reader.fixed<int64_t>(row);
    if (v < lo || v > hi) return col.type;
  }
  return int16 ? kCastInt16 : kCastInt32;
}

std::string_view pg_cast_for(uint32_t type) noexcept {
  switch (type) {
    case RETORT_TYPE_BOOL:
      return "BOOLEAN";
    case RETORT_TYPE_INT64:
      return "BIGINT";
    case kCastInt32:
      return "INTEGER";
    case kCastInt16:
      return "SMALLINT";
    case RETORT_TYPE_DOUBLE:
      return "DOUBLE PRECISION";
    case RETORT_TYPE_BYTES:
      return "BYTEA";
    case RETORT_TYPE_DECIMAL:
      return "NUMERIC";
    case RETORT_TYPE_DATE:
      return "DATE";
    case RETORT_TYPE_TIME:
      return "TIME";
    case RETORT_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case RETORT_TYPE_TIMESTAMPTZ:
      return "TIMESTAMP";  // the UTC wall clock (types.hpp)
    case RETORT_TYPE_INTERVAL:
      return "INTERVAL";
    case RETORT_TYPE_UUID:
      return "UUID";
    case RETORT_TYPE_JSON:
      return "JSON";
    default:
      return {};
  }
}

}  // namespace

Statement::Statement(Connection& connection, std::string sql)
    : conn_(connection), sql_(std::move(sql)) {
  SQLHDBC dbc = conn_.handle();
  check(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt_), SQL_HANDLE_DBC, dbc,
        "allocating a statement handle");
  is_insert_ = starts_with_insert(sql_);
  // The postgresql dialect writes $n; ODBC drivers take ?.  Driver SQL may be written with
  // `?` already: those markers get the same casts (psqlODBC takes every `?` outside literals
  // for a marker, so nothing else changes meaning).  A statement mixing both is passed as
  // rewritten, its `?` untyped.
  if (conn_.dialect() == "postgresql" && sql_.find_first_of("$?") != std::string::npos) {
    std::vector<size_t> qmarks;
    sql_ = dollar_to_qmark(sql_, order_, marker_at_, qmarks);
    if (marker_at_.empty()) marker_at_ = std::move(qmarks);
    bool identity = true;
    for (size_t k = 0; k < order_.size(); ++k)
      identity = identity && order_[k] == static_cast<int32_t>(k);
    if (identity) order_.clear();
  }
  // With typed markers the text depends on the parameters' types: prepared at execute.
  if (marker_at_.empty()) {
    try {
      prepare_text(sql_);
    } catch (...) {
      SQLFreeHandle(SQL_HANDLE_STMT, stmt_);
      stmt_ = SQL_NULL_HSTMT;
      throw;
    }
  }
}

void Statement::prepare_text(const std::string& sql) {
  std::vector<SQLWCHAR> text = to_utf16(sql);
  const SQLRETURN rc = SQLPrepareW(stmt_, text.data(), static_cast<SQLINTEGER>(text.size()));
  if (!SQL_SUCCEEDED(rc)) fail(rc);
  prepared_ = true;
}

void Statement::prepare_typed(const retort_batch* params) {
  std::vector<uint32_t> types(marker_at_.size(), RETORT_TYPE_NULL);
  if (params != nullptr) {
    for (size_t k = 0; k < types.size(); ++k) {
      const int32_t source = order_.empty() ? static_cast<int32_t>(k) : order_[k];
      if (source >= 0 && source < params->column_count) {
        types[k] = cast_key(params->columns[source], params->row_count);
      }
    }
  }
  if (prepared_ && types == prepared_types_) return;
  std::string sql;
  sql.reserve(sql_.size() + 16 * marker_at_.size());
  size_t from = 0;
  for (size_t k = 0; k < marker_at_.size(); ++k) {
    sql.append(sql_, from, marker_at_[k] - from);
    from = marker_at_[k] + 1;
    const std::string_view cast = pg_cast_for(types[k]);
    if (cast.empty()) {
      sql.push_back('?');
    } else if (types[k] == RETORT_TYPE_TIMESTAMPTZ) {
      sql.append("(CAST(? AS TIMESTAMP) AT TIME ZONE 'UTC')");
    } else {
      sql.append("CAST(? AS ").append(cast).push_back(')');
    }
  }
  sql.append(sql_, from);
  prepared_ = false;
  prepare_text(sql);
  prepared_types_ = std::move(types);
}

Statement::~Statement() {
  if (stmt_ != SQL_NULL_HSTMT) {
    close_cursor();
    SQLFreeHandle(SQL_HANDLE_STMT, stmt_);
  }
}

void Statement::fail(SQLRETURN rc, std::string_view context) {
  throw odbc_error(SQL_HANDLE_STMT, stmt_, rc, context);
}

void Statement::close_cursor() noexcept {
  SQLFreeStmt(stmt_, SQL_CLOSE);
  if (!columns_.empty()) SQLFreeStmt(stmt_, SQL_UNBIND);
  columns_.clear();
  types_.clear();
  open_ = false;
  finished_ = false;
  fetched_ = 0;
  next_ = 0;
}

void Statement::execute(const retort_batch* params, retort_exec_info& info) {
  close_cursor();
  SQLFreeStmt(stmt_, SQL_RESET_PARAMS);
  const bool has_params = params != nullptr && params->column_count > 0;
  const int64_t rows = has_params ? params->row_count : 1;
  info.rows_affected = -1;
  info.column_count = 0;
  if (rows == 0) {
    info.rows_affected = 0;
    return;
  }
  if (!marker_at_.empty()) prepare_typed(has_params ? params : nullptr);
  SQLSMALLINT result_columns = 0;
  if (rows > 1) {
    if (!SQL_SUCCEEDED(SQLNumResultCols(stmt_, &result_columns))) result_columns = 0;
    if (result_columns > 0) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "a statement that returns rows runs for at most one parameter row, got " +
                             std::to_string(rows));
    }
  }
  int64_t affected = 0;
  // Outside a transaction a parameter array runs as one: all rows or none (as libpq's
  // pipeline does), and the database commits once instead of once per row.
  const bool own_transaction = rows > 1 && !conn_.in_transaction();
  if (own_transaction) conn_.begin();
  try {
    run_all(params, rows, affected);
    if (own_transaction) conn_.commit();
  } catch (...) {
    if (own_transaction) {
      try {
        conn_.rollback();
      } catch (...) {
        // The first error is the one to report.
      }
    }
    throw;
  }
  if (rows > 1) {
    info.rows_affected = affected;  // executemany returns no rows (checked above)
    return;
  }
  if (!SQL_SUCCEEDED(SQLNumResultCols(stmt_, &result_columns))) fail(SQL_ERROR, "SQLNumResultCols");
  if (result_columns > 0) {
    describe_result(result_columns);
    info.column_count = result_columns;
    info.rows_affected = -1;
    return;
  }
  info.rows_affected = affected;
  if (is_insert_ && affected > 0 && !conn_.last_insert_id_query().empty()) {
    info.has_last_insert_id = 1;
    info.last_insert_id = conn_.last_insert_id();
  }
}

void Statement::run_all(const retort_batch* params, int64_t rows, int64_t& affected) {
  const bool has_params = params != nullptr && params->column_count > 0;
  if (!has_params) {
    retort_batch none{};
    none.struct_size = sizeof none;
    none.row_count = 1;
    execute_rows(none, 0, 1, affected);
  } else {
    const int64_t limit = conn_.settings().paramset_size;
    for (int64_t first = 0; first < rows;) {
      const int64_t n = ParamArrays::chunk_rows(*params, first, limit);
      execute_rows(*params, first, n, affected);
      first += n;
    }
  }
}

void Statement::execute_rows(const retort_batch& params, int64_t first, int64_t rows,
                             int64_t& affected) {
  std::vector<SQLUSMALLINT> status(static_cast<size_t>(rows), SQL_PARAM_UNUSED);
  SQLULEN processed = 0;
  SQLSetStmtAttr(stmt_, SQL_ATTR_PARAMSET_SIZE, as_pointer(static_cast<SQLULEN>(rows)), 0);
  if (rows > 1) {
    SQLSetStmtAttr(stmt_, SQL_ATTR_PARAM_STATUS_PTR, status.data(), 0);
    SQLSetStmtAttr(stmt_, SQL_ATTR_PARAMS_PROCESSED_PTR, &processed, 0);
  }
  if (params.column_count > 0)
    params_.bind(stmt_, params, first, rows, order_, conn_.bind_options());
  SQLRETURN rc;
  {
    RunningGuard running(conn_, stmt_);
    rc = SQLExecute(stmt_);
  }
  // Read the diagnostics first: setting an attribute clears them.
  std::optional<sdk::Error> failure;
  if (rc != SQL_NO_DATA && !SQL_SUCCEEDED(rc)) failure = odbc_error(SQL_HANDLE_STMT, stmt_, rc);
  if (rows > 1) {
    SQLSetStmtAttr(stmt_, SQL_ATTR_PARAM_STATUS_PTR, nullptr, 0);
    SQLSetStmtAttr(stmt_, SQL_ATTR_PARAMS_PROCESSED_PTR, nullptr, 0);
  }
  if (rc == SQL_NO_DATA) return;  // a searched UPDATE/DELETE that matched nothing
  if (failure) {
    sdk::Error error = std::move(*failure);
    if (rows > 1) {
      for (int64_t r = 0; r < rows; ++r) {
        if (status[static_cast<size_t>(r)] == SQL_PARAM_ERROR) {
          error.detail("parameter_row", std::to_string(first + r));
          break;
        }
      }
    } else if (params.column_count > 0) {
      error.detail("parameter_row", std::to_string(first));
    }
    SQLFreeStmt(stmt_, SQL_CLOSE);
    throw error;
  }
  SQLLEN count = -1;
  if (SQL_SUCCEEDED(SQLRowCount(stmt_, &count)) && count >= 0) affected += count;
  if (rows > 1) {
    // Drivers that run a parameter array as separate statements report one count each.
    for (;;) {
      const SQLRETURN more = SQLMoreResults(stmt_);
      if (more == SQL_NO_DATA) break;
      if (!SQL_SUCCEEDED(more)) fail(more);
      if (SQL_SUCCEEDED(SQLRowCount(stmt_, &count)) && count >= 0) affected += count;
    }
  }
}

void Statement::describe_result(SQLSMALLINT count) {
  columns_.resize(static_cast<size_t>(count));
  types_.resize(static_cast<size_t>(count));
  first_long_ = columns_.size();
  for (SQLSMALLINT i = 0; i < count; ++i) {
    Column& c = columns_[static_cast<size_t>(i)];
    SQLWCHAR name[512];
    SQLSMALLINT name_length = 0, digits = 0;
    const SQLRETURN rc = SQLDescribeColW(stmt_, static_cast<SQLUSMALLINT>(i + 1), name, 512,
                                         &name_length, &c.sql_type, &c.size, &digits, &c.nullable);
    if (!SQL_SUCCEEDED(rc)) fail(rc, "describing result column " + std::to_string(i + 1));
    c.name = utf16_to_utf8(name, static_cast<size_t>(std::clamp<SQLSMALLINT>(name_length, 0, 511)));
    SQLWCHAR type_name[128];
    SQLSMALLINT type_length = 0;
    // The database's name of the type; nullopt when the driver cannot say (psqlODBC says ""
    // for a plain interval, which reader_for_declared knows).
    std::optional<std::string> reported;
    if (SQL_SUCCEEDED(SQLColAttributeW(stmt_, static_cast<SQLUSMALLINT>(i + 1), SQL_DESC_TYPE_NAME,
                                       type_name, sizeof type_name, &type_length, nullptr))) {
      reported = utf16_to_utf8(
          type_name,
          std::min<size_t>(
              static_cast<size_t>(std::max<SQLSMALLINT>(type_length, 0)) / sizeof(SQLWCHAR), 127));
    }
    c.reader = reported ? reader_for_declared(conn_.dialect(), *reported, reader_for(c.sql_type))
                        : reader_for(c.sql_type);
    if (reported && !reported->empty()) {
      c.declared = *reported;
    } else if (c.reader == Reader::kInterval) {
      c.declared = "interval";
    } else if (const char* generic = sql_type_name(c.sql_type)) {
      c.declared = generic;
    }
    c.width = bound_width(c.reader, c.size, c.sql_type);
    types_[static_cast<size_t>(i)] = value_type_of(c.reader);
    if (c.width == 0 && first_long_ == columns_.size()) first_long_ = static_cast<size_t>(i);
  }
  // SQLGetData may read only columns after the last bound one, one row at a time.
  array_size_ =
      first_long_ < columns_.size() ? 1 : static_cast<SQLULEN>(conn_.settings().fetch_array_size);
  SQLSetStmtAttr(stmt_, SQL_ATTR_ROW_BIND_TYPE, as_pointer(SQL_BIND_BY_COLUMN), 0);
  SQLRETURN rc = SQLSetStmtAttr(stmt_, SQL_ATTR_ROW_ARRAY_SIZE, as_pointer(array_size_), 0);
  if (!SQL_SUCCEEDED(rc)) fail(rc, "setting SQL_ATTR_ROW_ARRAY_SIZE");
  if (rc == SQL_SUCCESS_WITH_INFO) {
    // 01S02: the driver chose another array size.
    SQLULEN actual = 1;
    SQLGetStmtAttr(stmt_, SQL_ATTR_ROW_ARRAY_SIZE, &actual, 0, nullptr);
    array_size_ = std::max<SQLULEN>(actual, 1);
  }
  row_status_.assign(array_size_, SQL_ROW_SUCCESS);
  SQLSetStmtAttr(stmt_, SQL_ATTR_ROWS_FETCHED_PTR, &fetched_, 0);
  SQLSetStmtAttr(stmt_, SQL_ATTR_ROW_STATUS_PTR, row_status_.data(), 0);
  for (size_t i = 0; i < first_long_; ++i) {
    Column& c = columns_[i];
    c.data.assign(array_size_ * static_cast<size_t>(c.width), 0);
    c.indicators.assign(array_size_, 0);
    rc = SQLBindCol(stmt_, static_cast<SQLUSMALLINT>(i + 1), c_type_of(c.reader), c.data.data(),
                    c.width, c.indicators.data());
    if (!SQL_SUCCEEDED(rc)) fail(rc, "binding result column '" + c.name + "'");
  }
  open_ = true;
  fetched_ = 0;
  next_ = 0;
}

void Statement::describe(int32_t index, retort_column_desc& out) {
  if (index < 0 || static_cast<size_t>(index) >= columns_.size()) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "result column " + std::to_string(index) +
                                                    " does not exist (the result has " +
                                                    std::to_string(columns_.size()) + ")");
  }
  const Column& c = columns_[static_cast<size_t>(index)];
  out.type = types_[static_cast<size_t>(index)];
  out.name = c.name.c_str();
  out.name_length = c.name.size();
  out.declared_type = c.declared.empty() ? nullptr : c.declared.c_str();
  out.nullable = c.nullable == SQL_NO_NULLS ? 0 : c.nullable == SQL_NULLABLE ? 1 : -1;
}

void Statement::get_long(size_t index, sdk::ColumnBuffer& out) {
  Column& c = columns_[index];
  const SQLSMALLINT c_type = c_type_of(c.reader);
  const auto col = static_cast<SQLUSMALLINT>(index + 1);
  SQLLEN ind = 0;
  if (!is_var_reader(c.reader)) {
    alignas(8) uint8_t value[32];
    const SQLRETURN rc = SQLGetData(stmt_, col, c_type, value, sizeof value, &ind);
    if (!SQL_SUCCEEDED(rc)) fail(rc, "reading column '" + c.name + "'");
    if (ind == SQL_NULL_DATA) {
      out.append_null();
    } else {
      append_value(c.reader, value, ind, out, c.name);
    }
    return;
  }
  if (piece_.empty()) piece_.resize(size_t{64} << 10);
  const SQLLEN avail = static_cast<SQLLEN>(piece_.size()) - terminator(c_type);
  thread_local std::vector<uint8_t> whole;
  whole.clear();
  for (;;) {
    SQLRETURN rc;
    {
      RunningGuard running(conn_, stmt_);
      rc = SQLGetData(stmt_, col, c_type, piece_.data(), static_cast<SQLLEN>(piece_.size()), &ind);
    }
    if (rc == SQL_NO_DATA) break;
    if (!SQL_SUCCEEDED(rc)) fail(rc, "reading column '" + c.name + "'");
    if (ind == SQL_NULL_DATA) {
      out.append_null();
      return;
    }
    const SQLLEN got = (ind == SQL_NO_TOTAL || ind > avail) ? avail : ind;
    whole.insert(whole.end(), piece_.data(), piece_.data() + got);
    if (rc == SQL_SUCCESS) break;
  }
  append_value(c.reader, whole.data(), static_cast<SQLLEN>(whole.size()), out, c.name);
}

void Statement::append_row(SQLULEN row) {
  const SQLUSMALLINT st = row_status_[row];
  if (st == SQL_ROW_ERROR) {
    throw plugin_error(RETORT_INVALID_DATA, "the driver could not convert a value of row " +
                                                std::to_string(row) + " of the fetched block");
  }
  for (size_t i = 0; i < first_long_; ++i) {
    Column& c = columns_[i];
    sdk::ColumnBuffer& out = builder_.column(i);
    const SQLLEN ind = c.indicators[row];
    if (ind == SQL_NULL_DATA) {
      out.append_null();
      continue;
    }
    if (is_var_reader(c.reader)) {
      const SQLLEN avail = c.width - terminator(c_type_of(c.reader));
      if (ind == SQL_NO_TOTAL || ind > avail) {
        throw plugin_error(RETORT_INVALID_DATA,
                           "column '" + c.name + "' holds a value longer than the " +
                               std::to_string(c.size) +
                               " characters the ODBC driver reported for it (the database does "
                               "not enforce the declared length); cast it to a long type "
                               "(TEXT, CLOB) in the query",
                           "01004");
      }
    }
    append_value(c.reader, c.data.data() + row * static_cast<size_t>(c.width), ind, out, c.name);
  }
  for (size_t i = first_long_; i < columns_.size(); ++i) get_long(i, builder_.column(i));
}

void Statement::fetch(int64_t max_rows, retort_batch& out) {
  if (!open_) {
    sdk::BatchBuilder::finish_empty(&out);
    return;
  }
  builder_.reset(types_);
  while (builder_.row_count() < max_rows) {
    if (next_ < fetched_) {
      const int64_t before = builder_.row_count();
      try {
        append_row(next_++);
      } catch (...) {
        for (sdk::ColumnBuffer& c : builder_.columns()) c.truncate(before);
        throw;
      }
      continue;
    }
    if (finished_) break;
    SQLRETURN rc;
    fetched_ = 0;
    {
      RunningGuard running(conn_, stmt_);
      rc = SQLFetch(stmt_);
    }
    next_ = 0;
    if (rc == SQL_NO_DATA) {
      finished_ = true;
      fetched_ = 0;
      break;
    }
    if (!SQL_SUCCEEDED(rc)) fail(rc, "fetching");
  }
  if (builder_.row_count() == 0) {
    sdk::BatchBuilder::finish_empty(&out);
    return;
  }
  builder_.finish(&out);
}

}  // namespace retort::odbc
