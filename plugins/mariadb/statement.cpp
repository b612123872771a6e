// plugins/mariadb/statement.cpp — the `mariadbc` driver's statement.
// SPDX-License-Identifier: MIT
#include "statement.hpp"

#include "errors.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace retort::mariadb {
namespace {

// A bulk execution is sent in pages of about this many bytes (well under the server's
// default max_allowed_packet of 16 MiB).
constexpr size_t kBulkPageBytes = size_t{4} << 20;
// String buffers of a streamed result start this large and grow when a value is longer.
constexpr unsigned long kStreamBufferBytes = 4096;
constexpr int64_t kMaterializeBatchRows = 65536;

bool zero_date(const MYSQL_TIME& t) noexcept {
  return t.year == 0 && t.month == 0 && t.day == 0;
}

}  // namespace

Statement::Statement(Connection& connection, std::string sql, std::unique_ptr<PreparedStatement> p)
    : conn_(connection), sql_(std::move(sql)), p_(std::move(p)) {}

Statement::~Statement() {
  discard_result();
  conn_.give_back(sql_, std::move(p_));
}

void Statement::discard_result() noexcept {
  for (retort_batch& b : materialized_) {
    if (b.release != nullptr) b.release(&b);
  }
  materialized_.clear();
  deferred_.reset();
  if (has_result_) {
    // Frees a stored result, or reads and drops the rest of a streamed one.
    mysql_stmt_free_result(p_->stmt);
    has_result_ = false;
  }
  conn_.clear_stream(this);
  streaming_ = false;
}

void Statement::set_array_size(unsigned n) {
  if (p_->array_size == n) return;
  if (mysql_stmt_attr_set(p_->stmt, STMT_ATTR_ARRAY_SIZE, &n) != 0) {
    throw statement_error(p_->stmt);
  }
  p_->array_size = n;
}

void Statement::run(MYSQL_BIND* binds) {
  MYSQL_STMT* stmt = p_->stmt;
  if (p_->param_count > 0 && mysql_stmt_bind_param(stmt, binds) != 0) {
    throw statement_error(stmt);
  }
  if (mysql_stmt_execute(stmt) != 0) throw statement_error(stmt);
}

void Statement::execute(const retort_batch* params, retort_exec_info& info) {
  discard_result();
  conn_.make_idle();
  p_->binder.prepare(params, p_->param_count);
  const int64_t rows = p_->binder.rows();
  MYSQL_STMT* stmt = p_->stmt;
  info.rows_affected = -1;
  if (rows > 1 && mysql_stmt_field_count(stmt) > 0) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "a statement that returns rows runs for at most one parameter row, got " +
                           std::to_string(rows));
  }
  if (rows == 0) {
    info.rows_affected = 0;
    info.column_count = static_cast<int32_t>(p_->columns.size());
    return;
  }
  if (rows > 1) {
    execute_many(info);
    return;
  }
  set_array_size(0);
  run(p_->binder.bind_row(0));
  if (const uint64_t id = mysql_stmt_insert_id(stmt); id != 0) {
    info.has_last_insert_id = 1;
    info.last_insert_id = static_cast<int64_t>(id);
  }
  // Whether rows come back is known for certain only now: MariaDB describes no result
  // columns when it prepares INSERT … RETURNING.
  if (mysql_stmt_field_count(stmt) == 0) {
    info.rows_affected = static_cast<int64_t>(mysql_stmt_affected_rows(stmt));
    return;
  }
  refresh_columns();
  info.column_count = static_cast<int32_t>(p_->columns.size());
  has_result_ = true;
  if (conn_.stream_results()) {
    streaming_ = true;
    conn_.set_stream(this);
    bind_result(false);
  } else {
    if (mysql_stmt_store_result(stmt) != 0) throw statement_error(stmt);
    info.rows_affected = static_cast<int64_t>(mysql_stmt_num_rows(stmt));
    bind_result(true);
  }
}

void Statement::execute_many(retort_exec_info& info) {
  MYSQL_STMT* stmt = p_->stmt;
  const int64_t rows = p_->binder.rows();
  int64_t total = 0;
  if (!conn_.bulk() || p_->param_count == 0) {
    set_array_size(0);
    for (int64_t r = 0; r < rows; ++r) {
      try {
        run(p_->binder.bind_row(r));
      } catch (sdk::Error& e) {
        e.detail("parameter_row", std::to_string(r));
        throw;
      }
      total += static_cast<int64_t>(mysql_stmt_affected_rows(stmt));
    }
    info.rows_affected = total;
    return;
  }
  for (int64_t first = 0; first < rows;) {
    size_t bytes = 0;
    int64_t end = first;
    while (end < rows && (end == first || bytes < kBulkPageBytes))
      bytes += p_->binder.row_bytes(end++);
    const auto count = static_cast<unsigned>(end - first);
    set_array_size(count);
    run(p_->binder.bind_array(first, count));
    total += static_cast<int64_t>(mysql_stmt_affected_rows(stmt));
    first = end;
  }
  info.rows_affected = total;
}

void Statement::refresh_columns() {
  MYSQL_STMT* stmt = p_->stmt;
  const unsigned count = mysql_stmt_field_count(stmt);
  const MYSQL_FIELD* f = mariadb_stmt_fetch_fields(stmt);
  bool same = count == p_->columns.size();
  for (unsigned i = 0; same && i < count; ++i) {
    same = f[i].type == p_->columns[i].field_type && f[i].flags == p_->columns[i].field_flags;
  }
  if (same) return;
  // The table under the statement changed (ALTER TABLE, DROP + CREATE): describe anew.
  p_->columns.clear();
  for (unsigned i = 0; i < count; ++i) p_->columns.push_back(describe_field(f[i]));
}

void Statement::bind_result(bool stored) {
  const std::vector<ResultColumn>& cols = p_->columns;
  const MYSQL_FIELD* fields = mariadb_stmt_fetch_fields(p_->stmt);
  const size_t n = cols.size();
  p_->result_types.resize(n);
  p_->slots.resize(n);
  p_->result_binds.assign(n, MYSQL_BIND{});
  for (size_t i = 0; i < n; ++i) {
    const ResultColumn& c = cols[i];
    p_->result_types[i] = c.type;
    PreparedStatement::Slot& s = p_->slots[i];
    MYSQL_BIND& b = p_->result_binds[i];
    b.is_null = &s.is_null;
    b.error = &s.error;
    b.length = &s.length;
    switch (c.fetch) {
      case Fetch::null:
        b.buffer_type = MYSQL_TYPE_NULL;
        break;
      case Fetch::int64:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &s.i64;
        b.is_unsigned = c.is_unsigned;
        break;
      case Fetch::float32:
        b.buffer_type = MYSQL_TYPE_FLOAT;
        b.buffer = &s.f32;
        break;
      case Fetch::float64:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = &s.f64;
        break;
      case Fetch::date:
      case Fetch::time:
      case Fetch::datetime:
        b.buffer_type = c.fetch == Fetch::date   ? MYSQL_TYPE_DATE
                        : c.fetch == Fetch::time ? MYSQL_TYPE_TIME
                                                 : MYSQL_TYPE_DATETIME;
        b.buffer = &s.time;
        break;
      default: {
        unsigned long size = stored ? fields[i].max_length
                                    : std::min<unsigned long>(fields[i].length, kStreamBufferBytes);
        size = std::max<unsigned long>(size, 16);
        if (s.bytes.size() < size) s.bytes.resize(size);
        b.buffer_type = c.fetch == Fetch::bytes ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
        b.buffer = s.bytes.data();
        b.buffer_length = static_cast<unsigned long>(s.bytes.size());
        break;
      }
    }
  }
  if (n > 0 && mysql_stmt_bind_result(p_->stmt, p_->result_binds.data()) != 0) {
    throw statement_error(p_->stmt);
  }
}

void Statement::describe(int32_t index, retort_column_desc& out) {
  if (index < 0 || static_cast<size_t>(index) >= p_->columns.size()) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "column " + std::to_string(index) +
                                                    " out of range (the result has " +
                                                    std::to_string(p_->columns.size()) + ")");
  }
  const ResultColumn& c = p_->columns[static_cast<size_t>(index)];
  out.type = c.type;
  out.name = c.name.c_str();
  out.name_length = c.name.size();
  out.declared_type = c.declared.c_str();
  out.nullable = c.nullable ? 1 : 0;
}

void Statement::end_of_rows() noexcept {
  if (has_result_) {
    mysql_stmt_free_result(p_->stmt);
    has_result_ = false;
  }
  conn_.clear_stream(this);
  streaming_ = false;
}

int64_t Statement::read_rows(int64_t max_rows) {
  MYSQL_STMT* stmt = p_->stmt;
  const std::vector<ResultColumn>& cols = p_->columns;
  const size_t n = cols.size();
  std::span<sdk::ColumnBuffer> out = builder_.columns();
  int64_t count = 0;
  while (count < max_rows) {
    const int rc = mysql_stmt_fetch(stmt);
    if (rc == MYSQL_NO_DATA) {
      end_of_rows();
      break;
    }
    if (rc == 1) {
      sdk::Error error = statement_error(stmt);
      end_of_rows();
      throw error;
    }
    bool rebind = false;
    for (size_t i = 0; i < n; ++i) {
      PreparedStatement::Slot& s = p_->slots[i];
      sdk::ColumnBuffer& col = out[i];
      if (s.is_null) {
        col.append_null();
        continue;
      }
      switch (cols[i].fetch) {
        case Fetch::null:
          col.append_null();
          break;
        case Fetch::int64:
          if (cols[i].is_unsigned &&
              static_cast<uint64_t>(s.i64) > static_cast<uint64_t>(INT64_MAX)) {
            for (size_t k = 0; k < i; ++k) out[k].truncate(count);
            throw plugin_error(RETORT_INVALID_DATA,
                               "column '" + cols[i].name + "': the unsigned value " +
                                   std::to_string(static_cast<uint64_t>(s.i64)) +
                                   " does not fit a signed 64-bit integer; CAST it to DECIMAL",
                               "22003");
          }
          col.append<int64_t>(s.i64);
          break;
        case Fetch::float32:
          col.append<double>(static_cast<double>(s.f32));
          break;
        case Fetch::float64:
          col.append<double>(s.f64);
          break;
        case Fetch::date:
          if (zero_date(s.time)) {
            col.append_null();  // '0000-00-00', as mysqlclient reads it
          } else {
            col.append<int32_t>(
                static_cast<int32_t>(days_from_civil(s.time.year, s.time.month, s.time.day)));
          }
          break;
        case Fetch::time:
          col.append<int64_t>(duration_micros(s.time));
          break;
        case Fetch::datetime:
          if (zero_date(s.time)) {
            col.append_null();
          } else {
            col.append<int64_t>(time_micros(s.time));
          }
          break;
        default: {
          if (s.length > s.bytes.size()) {
            // Longer than the buffer: grow it, read the value whole, and bind the larger
            // buffer for the rows to come.
            s.bytes.resize(s.length);
            MYSQL_BIND& b = p_->result_binds[i];
            b.buffer = s.bytes.data();
            b.buffer_length = static_cast<unsigned long>(s.bytes.size());
            if (mysql_stmt_fetch_column(stmt, &b, static_cast<unsigned>(i), 0) != 0) {
              for (size_t k = 0; k < i; ++k) out[k].truncate(count);
              throw statement_error(stmt);
            }
            rebind = true;
          }
          col.append_bytes(s.bytes.data(), s.length);
          break;
        }
      }
    }
    if (rebind && mysql_stmt_bind_result(stmt, p_->result_binds.data()) != 0) {
      throw statement_error(stmt);
    }
    ++count;
  }
  return count;
}

void Statement::fetch(int64_t max_rows, retort_batch& out) {
  if (!materialized_.empty()) {
    out = materialized_.front();
    materialized_.pop_front();
    return;
  }
  if (deferred_) {
    sdk::Error e = std::move(*deferred_);
    deferred_.reset();
    throw e;
  }
  if (!has_result_ || max_rows <= 0) {
    sdk::BatchBuilder::finish_empty(&out);
    return;
  }
  builder_.reset(p_->result_types);
  int64_t got = 0;
  try {
    got = read_rows(max_rows);
  } catch (const sdk::Error& e) {
    if (builder_.row_count() == 0) throw;
    deferred_ = e;  // served after the rows read before it
  }
  if (builder_.row_count() == 0) {
    sdk::BatchBuilder::finish_empty(&out);
    return;
  }
  (void)got;
  builder_.finish(&out);
}

void Statement::materialize() {
  while (has_result_ && !deferred_) {
    builder_.reset(p_->result_types);
    try {
      read_rows(kMaterializeBatchRows);
    } catch (const sdk::Error& e) {
      deferred_ = e;
    }
    if (builder_.row_count() > 0) {
      retort_batch b{};
      builder_.finish(&b);
      materialized_.push_back(b);
    }
  }
  conn_.clear_stream(this);
  streaming_ = false;
}

}  // namespace retort::mariadb
