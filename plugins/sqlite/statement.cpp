// plugins/sqlite/statement.cpp — the `sqlite3` driver's prepared statement.
// SPDX-License-Identifier: MIT
#include "statement.hpp"

#include "connection.hpp"
#include "errors.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <utility>

namespace retort::sqlite {
namespace {

// --------------------------------------------------------------------------------------------
// What kind of statement: decides whether sqlite3_changes() and sqlite3_last_insert_rowid()
// mean anything for it (they keep the values of the last DML otherwise).
// --------------------------------------------------------------------------------------------

struct SqlKind {
  bool dml = false;
  bool insert = false;
};

bool is_word_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// Skips one comment or quoted token at `pos`, if there is one there.
bool skip_comment_or_quoted(std::string_view sql, size_t& pos) noexcept {
  const char c = sql[pos];
  if (c == '-' && pos + 1 < sql.size() && sql[pos + 1] == '-') {
    pos = sql.find('\n', pos);
    pos = pos == std::string_view::npos ? sql.size() : pos + 1;
    return true;
  }
  if (c == '/' && pos + 1 < sql.size() && sql[pos + 1] == '*') {
    pos = sql.find("*/", pos + 2);
    pos = pos == std::string_view::npos ? sql.size() : pos + 2;
    return true;
  }
  if (c == '\'' || c == '"' || c == '`' || c == '[') {
    const char close = c == '[' ? ']' : c;
    // A doubled quote inside is an escaped quote; scanning on from it works the same.
    pos = sql.find(close, pos + 1);
    pos = pos == std::string_view::npos ? sql.size() : pos + 1;
    return true;
  }
  return false;
}

// The first keyword at parenthesis depth 0, skipping comments and quoted text.
std::string_view next_top_level_word(std::string_view sql, size_t pos, bool first_only) {
  int depth = 0;
  while (pos < sql.size()) {
    if (skip_comment_or_quoted(sql, pos)) continue;
    const char c = sql[pos];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (is_word_char(c)) {
      const size_t start = pos;
      while (pos < sql.size() && is_word_char(sql[pos])) ++pos;
      const std::string_view word = sql.substr(start, pos - start);
      if (first_only) return word;
      if (depth == 0 &&
          (iequals(word, "select") || iequals(word, "values") || iequals(word, "insert") ||
           iequals(word, "replace") || iequals(word, "update") || iequals(word, "delete"))) {
        return word;
      }
      continue;
    } else if (first_only && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
      return {};
    }
    ++pos;
  }
  return {};
}

SqlKind classify_sql(std::string_view sql, bool readonly) {
  if (readonly) return {};
  std::string_view word = next_top_level_word(sql, 0, true);
  if (iequals(word, "with")) {
    word = next_top_level_word(sql, static_cast<size_t>(word.data() + word.size() - sql.data()),
                               false);
  }
  if (iequals(word, "insert") || iequals(word, "replace")) return {true, true};
  if (iequals(word, "update") || iequals(word, "delete")) return {true, false};
  return {};
}

int64_t changes(sqlite3* db) noexcept {
#if SQLITE_VERSION_NUMBER >= 3037000
  return sqlite3_changes64(db);
#else
  return sqlite3_changes(db);
#endif
}

// --------------------------------------------------------------------------------------------
// Parameters
// --------------------------------------------------------------------------------------------

const char* type_name(uint32_t type) noexcept {
  static constexpr const char* kNames[] = {
      "NULL", "BOOL", "INT64",     "DOUBLE",      "TEXT",     "BYTES", "DECIMAL",
      "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "INTERVAL", "UUID",  "JSON"};
  return type <= RETORT_TYPE_JSON ? kNames[type] : "unknown";
}

std::string plural(int64_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

// Checks each parameter column once, so binding needs no per-cell validation.
std::vector<sdk::ColumnReader> param_readers(const retort_batch& params) {
  std::vector<sdk::ColumnReader> readers;
  readers.reserve(static_cast<size_t>(params.column_count));
  for (int32_t i = 0; i < params.column_count; ++i) {
    const retort_column& column = params.columns[i];
    const std::string position = "parameter " + std::to_string(i + 1);
    if (column.type == RETORT_TYPE_INTERVAL) {
      throw plugin_error(RETORT_NOT_IMPLEMENTED,
                         "sqlite3 driver cannot bind INTERVAL values (" + position +
                             "): SQLite has no interval type; bind a number or text instead",
                         "0A000");
    }
    if (column.type > RETORT_TYPE_JSON) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         position + " has unknown value type " + std::to_string(column.type));
    }
    const bool var_width = sdk::ColumnBuffer::is_var_width(column.type);
    const bool missing = column.type != RETORT_TYPE_NULL && params.row_count > 0 &&
                         (var_width ? column.offsets == nullptr : column.values == nullptr);
    if (missing) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         position + " (" + type_name(column.type) + ") has no value buffer");
    }
    readers.emplace_back(column);
  }
  return readers;
}

[[noreturn]] void throw_bad_param(retort_status status, int index, int64_t row,
                                  std::string_view problem, std::string_view sqlstate) {
  throw plugin_error(status,
                     "parameter " + std::to_string(index) + " of row " + std::to_string(row) +
                         std::string(problem),
                     sqlstate);
}

// Formats a date or time value, naming the parameter when it is out of range.
template <typename Format>
ShortText formatted(Format&& format, int index, int64_t row) {
  try {
    return format();
  } catch (const sdk::Error& e) {
    const std::string_view cause = e.what();
    throw_bad_param(e.status(), index, row, std::string(": ") + std::string(cause), e.sqlstate());
  }
}

// format_timestamp_to, naming the parameter when the value is out of range.
size_t format_timestamp_checked(char* out, int64_t micros, bool utc, int index, int64_t row) {
  try {
    return format_timestamp_to(out, micros, utc);
  } catch (const sdk::Error& e) {
    const std::string_view cause = e.what();
    throw_bad_param(e.status(), index, row, std::string(": ") + std::string(cause), e.sqlstate());
  }
}

[[noreturn]] __attribute__((noinline)) void throw_bind_failed(sqlite3* db, int rc, int index) {
  throw_error(db, rc, Phase::kBind, "cannot bind parameter " + std::to_string(index));
}

constexpr char kEmpty[] = "";

int bind_text(sqlite3_stmt* stmt, int index, std::string_view text,
              sqlite3_destructor_type how) noexcept {
  return sqlite3_bind_text64(stmt, index, text.empty() ? kEmpty : text.data(), text.size(), how,
                             SQLITE_UTF8);
}

// Binds the types that need formatting or checking first; bind_value has the common ones.
__attribute__((noinline)) int bind_formatted(sqlite3_stmt* stmt, int index,
                                             const sdk::ColumnReader& reader, int64_t row,
                                             sqlite3_destructor_type keep) {
  switch (reader.type()) {
    case RETORT_TYPE_DOUBLE: {
      // SQLite would store NaN as NULL: refuse rather than change the value.
      throw_bad_param(RETORT_INVALID_DATA, index, row, " is NaN, which SQLite stores as NULL",
                      "22000");
    }
    case RETORT_TYPE_DECIMAL:
      if (!is_decimal_text(reader.bytes(row))) {
        throw_bad_param(RETORT_INVALID_DATA, index, row, " is not a decimal number", "22018");
      }
      return bind_text(stmt, index, reader.bytes(row), keep);
    case RETORT_TYPE_BYTES: {
      const std::string_view bytes = reader.bytes(row);
      return sqlite3_bind_blob64(stmt, index, bytes.empty() ? kEmpty : bytes.data(), bytes.size(),
                                 keep);
    }
    case RETORT_TYPE_DATE: {
      const auto text =
          formatted([&] { return format_date(reader.fixed<int32_t>(row)); }, index, row);
      return bind_text(stmt, index, text.view(), SQLITE_TRANSIENT);
    }
    case RETORT_TYPE_TIME: {
      const auto text =
          formatted([&] { return format_time(reader.fixed<int64_t>(row)); }, index, row);
      return bind_text(stmt, index, text.view(), SQLITE_TRANSIENT);
    }
    case RETORT_TYPE_UUID:
      return bind_text(stmt, index, format_uuid(reader.uuid(row)).view(), SQLITE_TRANSIENT);
    default:  // RETORT_TYPE_NULL
      return sqlite3_bind_null(stmt, index);
  }
}

// Binds one value.  With `copy` false, text and blobs point into the caller's batch, which is
// only safe when every step that reads them happens within the current call.
[[gnu::always_inline]] inline void bind_value(sqlite3* db, sqlite3_stmt* stmt, int index,
                                              const sdk::ColumnReader& reader, int64_t row,
                                              bool copy) {
  const sqlite3_destructor_type keep = copy ? SQLITE_TRANSIENT : SQLITE_STATIC;
  int rc;
  if (reader.is_null(row)) {
    rc = sqlite3_bind_null(stmt, index);
  } else {
    switch (reader.type()) {
      case RETORT_TYPE_BOOL:
        rc = sqlite3_bind_int(stmt, index, reader.fixed<uint8_t>(row) != 0);
        break;
      case RETORT_TYPE_INT64:
        rc = sqlite3_bind_int64(stmt, index, reader.fixed<int64_t>(row));
        break;
      case RETORT_TYPE_DOUBLE: {
        const double v = reader.fixed<double>(row);
        rc = std::isnan(v) ? bind_formatted(stmt, index, reader, row, keep)
                           : sqlite3_bind_double(stmt, index, v);
        break;
      }
      case RETORT_TYPE_TEXT:
      case RETORT_TYPE_JSON:
        rc = bind_text(stmt, index, reader.bytes(row), keep);
        break;
      case RETORT_TYPE_TIMESTAMP:
      case RETORT_TYPE_TIMESTAMPTZ: {
        const bool utc = reader.type() == RETORT_TYPE_TIMESTAMPTZ;
        char text[kMaxTimestampText];
        const size_t size = format_timestamp_checked(text, reader.fixed<int64_t>(row), utc, index, row);
        rc = sqlite3_bind_text64(stmt, index, text, size, SQLITE_TRANSIENT, SQLITE_UTF8);
        break;
      }
      default:
        rc = bind_formatted(stmt, index, reader, row, keep);
        break;
    }
  }
  if (rc != SQLITE_OK) [[unlikely]] {
    throw_bind_failed(db, rc, index);
  }
}

void bind_row(sqlite3* db, sqlite3_stmt* stmt, const std::vector<sdk::ColumnReader>& readers,
              int64_t row, bool copy) {
  for (size_t i = 0; i < readers.size(); ++i) {
    bind_value(db, stmt, static_cast<int>(i + 1), readers[i], row, copy);
  }
}

}  // namespace

Statement::Statement(Connection& connection, std::string sql, sqlite3_stmt* stmt)
    : connection_(connection), sql_(std::move(sql)), stmt_(stmt) {
  const SqlKind kind = classify_sql(sql_, sqlite3_stmt_readonly(stmt_) != 0);
  is_dml_ = kind.dml;
  is_insert_ = kind.insert;
  param_count_ = sqlite3_bind_parameter_count(stmt_);
  load_columns();
}

Statement::~Statement() {
  connection_.check_in(sql_, stmt_);
}

void Statement::load_columns() {
  // Names and declared types can change when SQLite re-prepares after a schema change,
  // which happens inside sqlite3_step; execute calls this again after its first step.
  column_count_ = sqlite3_column_count(stmt_);
  const auto n = static_cast<size_t>(column_count_);
  columns_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const char* name = sqlite3_column_name(stmt_, static_cast<int>(i));
    const char* declared = sqlite3_column_decltype(stmt_, static_cast<int>(i));
    ColumnInfo& info = columns_[i];
    info.name = name != nullptr ? name : "";
    info.has_declared = declared != nullptr;
    info.declared = declared != nullptr ? declared : "";
    info.preferred = preferred_type(declared);
  }
  column_states_.assign(n, ColumnState{});
  typed_by_row_.clear();
  typed_by_row_.reserve(n);
  null_types_.assign(n, RETORT_TYPE_NULL);
}

void Statement::execute(const retort_batch* params, retort_exec_info& info) {
  sqlite3_reset(stmt_);
  state_ = State::kPrepared;
  deferred_error_.reset();
  const int32_t given = params != nullptr ? params->column_count : 0;
  if (given < 0 || (given > 0 && (params->columns == nullptr || params->row_count < 0))) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "malformed parameter batch");
  }
  if (given != param_count_) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "statement has " + plural(param_count_, "placeholder") + ", " +
                           plural(given, "parameter") + " given",
                       "07001");
  }
  const int64_t rows = given > 0 ? params->row_count : 1;
  if (sqlite3_column_count(stmt_) > 0) {
    if (rows > 1) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "a statement that returns rows runs for at most one parameter row; " +
                             std::to_string(rows) + " given");
    }
    execute_query(given > 0 ? params : nullptr, info);
    return;
  }
  execute_update(given > 0 ? params : nullptr, rows, info);
}

void Statement::execute_query(const retort_batch* params, retort_exec_info& info) {
  sqlite3* db = connection_.handle();
  if (params != nullptr && params->row_count == 0) {
    state_ = State::kDone;
    info.column_count = column_count_;
    return;
  }
  if (params != nullptr) {
    // Copied: later steps run in fetch, after the caller's batch is gone.
    bind_row(db, stmt_, param_readers(*params), 0, /*copy=*/true);
  }
  advance();
  load_columns();
  info.column_count = column_count_;
  if (is_dml_) {
    if (state_ == State::kDone) info.rows_affected = changes(db);
    if (is_insert_ && state_ == State::kRows) {
      info.has_last_insert_id = 1;
      info.last_insert_id = sqlite3_last_insert_rowid(db);
    }
  }
}

void Statement::execute_update(const retort_batch* params, int64_t rows, retort_exec_info& info) {
  sqlite3* db = connection_.handle();
  const std::vector<sdk::ColumnReader> readers =
      params != nullptr ? param_readers(*params) : std::vector<sdk::ColumnReader>{};
  // One transaction instead of one per row: atomic, and without a journal sync per row.
  const bool wrap = rows > 1 && is_dml_ && sqlite3_get_autocommit(db) != 0;
  if (wrap) connection_.run("BEGIN");
  int64_t total = 0;
  try {
    for (int64_t row = 0; row < rows; ++row) {
      bind_row(db, stmt_, readers, row, /*copy=*/false);
      int rc;
      while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) fail_step(rc, rows > 1 ? row : -1);
      total += changes(db);
      sqlite3_reset(stmt_);
    }
    sqlite3_clear_bindings(stmt_);  // they point into the caller's batch
    if (wrap) connection_.run("COMMIT");
  } catch (...) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (wrap && sqlite3_get_autocommit(db) == 0) {
      try {
        connection_.run("ROLLBACK");
      } catch (...) {  // the original error is the one to report
      }
    }
    throw;
  }
  state_ = State::kDone;
  info.column_count = 0;
  info.rows_affected = is_dml_ ? total : -1;
  if (is_insert_ && total > 0) {
    info.has_last_insert_id = 1;
    info.last_insert_id = sqlite3_last_insert_rowid(db);
  }
}

void Statement::fail_step(int rc, int64_t parameter_row) {
  sdk::Error error = make_error(connection_.handle(), rc, Phase::kStep);
  if (parameter_row >= 0) error.detail("parameter_row", std::to_string(parameter_row));
  sqlite3_reset(stmt_);
  state_ = State::kFailed;
  throw error;
}

void Statement::advance() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    state_ = State::kRows;
  } else if (rc == SQLITE_DONE) {
    state_ = State::kDone;
    sqlite3_reset(stmt_);  // ends the implicit read transaction now
  } else {
    fail_step(rc, -1);
  }
}

void Statement::describe(int32_t index, retort_column_desc& out) {
  if (index < 0 || index >= column_count_) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "column index " + std::to_string(index) +
                                                    " is out of range; the result has " +
                                                    plural(column_count_, "column"));
  }
  const ColumnInfo& column = columns_[static_cast<size_t>(index)];
  out.type = RETORT_TYPE_NULL;
  out.name = column.name.c_str();
  out.name_length = column.name.size();
  out.declared_type = column.has_declared ? column.declared.c_str() : nullptr;
  out.nullable = -1;
}

void Statement::fetch(int64_t max_rows, retort_batch& out) {
  if (max_rows < 1) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "fetch needs max_rows of at least 1; got " + std::to_string(max_rows));
  }
  if (deferred_error_) {
    sdk::Error error = std::move(*deferred_error_);
    deferred_error_.reset();
    throw error;
  }
  switch (state_) {
    case State::kPrepared:
      throw plugin_error(RETORT_INVALID_STATE, "fetch called before execute", "24000");
    case State::kFailed:
      throw plugin_error(RETORT_INVALID_STATE,
                         "the statement's last execution failed; execute it again", "24000");
    case State::kDone:
      sdk::BatchBuilder::finish_empty(&out);
      return;
    case State::kRows:
      break;
  }
  builder_.reset(null_types_);
  std::fill(column_states_.begin(), column_states_.end(), ColumnState{});
  typed_by_row_.clear();
  int64_t rows = 0;
  try {
    while (rows < max_rows && state_ == State::kRows) {
      if (!add_row(rows)) break;  // the row stays current and starts the next batch
      ++rows;
      advance();
    }
  } catch (const sdk::Error& error) {
    undo_row(rows);  // a conversion error may leave its row partly added
    sqlite3_reset(stmt_);
    state_ = State::kFailed;
    if (rows == 0) throw;
    deferred_error_.emplace(error);  // deliver the rows read before it first
  }
  builder_.finish(&out);
}

// Each value goes straight into its column.  A value that does not fit its column's type
// ends the batch before its row: undo_row removes what the row had added.
bool Statement::add_row(int64_t rows_in_batch) {
  typed_by_row_.clear();
  // Locals, so that the calls into SQLite do not force reloading them for every value.
  sqlite3_stmt* const stmt = stmt_;
  const int n = column_count_;
  const std::span<sdk::ColumnBuffer> buffers = builder_.columns();
  const ColumnState* const states = column_states_.data();
  for (int i = 0; i < n; ++i) {
    sqlite3_value* const value = sqlite3_column_value(stmt, i);
    const int storage = sqlite3_value_type(value);
    sdk::ColumnBuffer& buffer = buffers[static_cast<size_t>(i)];
    if (storage == SQLITE_NULL) {
      buffer.append_null();  // NULL fits every type
      continue;
    }
    const ColumnState state = states[i];
    const auto column = static_cast<size_t>(i);
    const bool added =
        state.direct()
            ? append_value(value, storage, state.type, columns_[column].name, buffer)
            : add_value_slow(column, value, storage, rows_in_batch);
    if (!added) [[unlikely]] {
      undo_row(rows_in_batch);
      return false;
    }
  }
  typed_by_row_.clear();
  return true;
}

bool Statement::add_value_slow(size_t i, sqlite3_value* value, int storage,
                               int64_t rows_in_batch) {
  ColumnState& state = column_states_[i];
  const ColumnInfo& info = columns_[i];
  sdk::ColumnBuffer& buffer = builder_.column(i);
  // Gives the column, which held only NULLs so far, its type.
  const auto type_column = [&](retort_value_type type) {
    buffer.reset(type);
    for (int64_t r = 0; r < rows_in_batch; ++r) buffer.append_null();
  };
  if (!state.decided) {
    typed_by_row_.push_back(i);
    if (info.preferred) {
      type_column(*info.preferred);
      if (append_value(value, storage, *info.preferred, info.name, buffer)) {
        state = ColumnState{*info.preferred, true, false};
        return true;
      }
    }
    // The storage class's own type holds every value of that class.
    const retort_value_type type = storage_type(storage);
    type_column(type);
    state = ColumnState{type, true, true};
    return append_value(value, storage, type, info.name, buffer);
  }
  // Fallback: back to the preferred type as soon as a value fits it, and another storage
  // class needs another type: both start a new batch.
  Cell cell;
  const bool fits_preferred =
      info.preferred && convert_value(value, storage, *info.preferred, info.name, cell);
  if (fits_preferred || storage_type(storage) != state.type) return false;
  return append_value(value, storage, state.type, info.name, buffer);
}

void Statement::undo_row(int64_t rows_in_batch) {
  for (const size_t i : typed_by_row_) {
    column_states_[i] = ColumnState{};
    sdk::ColumnBuffer& buffer = builder_.column(i);
    buffer.reset(RETORT_TYPE_NULL);
    for (int64_t r = 0; r < rows_in_batch; ++r) buffer.append_null();
  }
  typed_by_row_.clear();
  for (size_t i = 0; i < builder_.column_count(); ++i) builder_.column(i).truncate(rows_in_batch);
}

}  // namespace retort::sqlite
