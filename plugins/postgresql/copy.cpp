// plugins/postgresql/copy.cpp — COPY … FROM STDIN in text format.
// SPDX-License-Identifier: MIT
#include "copy.hpp"

#include "connection.hpp"
#include "errors.hpp"

#include <retort/sdk/plugin.hpp>

#include <climits>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace retort::postgresql {
namespace {

// Large enough that the per-message overhead vanishes, small enough to stay in cache.
constexpr size_t kFlushBytes = size_t{1} << 18;

void put_int(std::string& out, int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// `v` (>= 0) in at least `width` digits.
void put_padded(std::string& out, uint64_t v, int width) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(buf[--n]);
}

void put_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact form
    out.append(buf, r.ptr);
  }
}

// Days since 1970-01-01 → proleptic Gregorian "YYYY-MM-DD", years before 1 as PostgreSQL
// writes them (year 0 is 1 BC).  Returns whether the year is BC, for the caller to suffix.
bool put_date(std::string& out, int64_t days) {
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  const bool bc = y <= 0;
  put_padded(out, static_cast<uint64_t>(bc ? 1 - y : y), 4);
  out.push_back('-');
  put_padded(out, static_cast<uint64_t>(m), 2);
  out.push_back('-');
  put_padded(out, static_cast<uint64_t>(d), 2);
  return bc;
}

// Microseconds (>= 0) as HH:MM:SS.ffffff; hours may exceed 24 (intervals).
void put_clock(std::string& out, uint64_t us) {
  put_padded(out, us / 3600000000u, 2);
  out.push_back(':');
  put_padded(out, us / 60000000u % 60, 2);
  out.push_back(':');
  put_padded(out, us / 1000000u % 60, 2);
  out.push_back('.');
  put_padded(out, us % 1000000u, 6);
}

constexpr int64_t kMicrosPerDay = 86400000000;

void put_timestamp(std::string& out, int64_t us, bool utc) {
  if (us == INT64_MAX || us == INT64_MIN) {  // retort's infinity sentinels
    out += us == INT64_MAX ? "infinity" : "-infinity";
    return;
  }
  int64_t days = us / kMicrosPerDay;
  int64_t rem = us % kMicrosPerDay;
  if (rem < 0) {
    rem += kMicrosPerDay;
    --days;
  }
  const bool bc = put_date(out, days);
  out.push_back(' ');
  put_clock(out, static_cast<uint64_t>(rem));
  if (utc) out += "+00";
  if (bc) out += " BC";
}

void put_signed(std::string& out, int64_t v) {
  if (v >= 0) out.push_back('+');
  put_int(out, v);
}

// Every field signed, so no IntervalStyle can spread one field's sign to the others.
void put_interval(std::string& out, const retort_interval& v) {
  put_signed(out, v.months);
  out += " mons ";
  put_signed(out, v.days);
  out += " days ";
  out.push_back(v.microseconds < 0 ? '-' : '+');
  const uint64_t magnitude = v.microseconds < 0 ? 0 - static_cast<uint64_t>(v.microseconds)
                                                : static_cast<uint64_t>(v.microseconds);
  put_clock(out, magnitude);
}

void put_uuid(std::string& out, const uint8_t* b) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 15]);
  }
}

void put_bytea(std::string& out, std::string_view v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\\\x";  // COPY unescapes "\\x" to bytea's hex prefix "\x"
  const size_t at = out.size();
  out.resize(at + 2 * v.size());
  char* p = out.data() + at;
  for (unsigned char c : v) {
    *p++ = kHex[c >> 4];
    *p++ = kHex[c & 15];
  }
}

// Text with COPY's escapes for the delimiter, line ends and backslash.  False on a NUL
// character (which PostgreSQL text cannot hold).
bool put_text(std::string& out, std::string_view v) {
  size_t start = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    const char* escape;
    switch (c) {
      case '\\':
        escape = "\\\\";
        break;
      case '\t':
        escape = "\\t";
        break;
      case '\n':
        escape = "\\n";
        break;
      case '\r':
        escape = "\\r";
        break;
      case '\0':
        return false;
      default:
        continue;
    }
    out.append(v.data() + start, i - start);
    out += escape;
    start = i + 1;
  }
  out.append(v.data() + start, v.size() - start);
  return true;
}

}  // namespace

BulkLoad::BulkLoad(Connection& conn, std::string_view table,
                   std::span<const std::string_view> columns)
    : conn_(conn), pg_(conn.handle()), column_count_(static_cast<int32_t>(columns.size())) {
  if (columns.empty()) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "a bulk load needs at least one column");
  }
  std::string sql = "COPY ";
  sql += table;
  sql += " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += columns[i];
  }
  sql += ") FROM STDIN";
  conn_.make_idle();
  ResultPtr r(PQexec(pg_, sql.c_str()));
  if (r == nullptr) throw connection_error(pg_);
  if (PQresultStatus(r.get()) != PGRES_COPY_IN) {
    open_ = false;
    conn_.fail(std::move(r));
  }
  buffer_.reserve(kFlushBytes + (kFlushBytes >> 2));
}

BulkLoad::~BulkLoad() {
  if (open_) abort();
}

void BulkLoad::flush() {
  if (buffer_.empty()) return;
  if (PQputCopyData(pg_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
    open_ = false;
    if (PQstatus(pg_) != CONNECTION_BAD) {
      // libpq left COPY mode: the server ended it, and its result says why.
      drain();
    }
    throw connection_error(pg_, "sending COPY data");
  }
  buffer_.clear();
}

void BulkLoad::fail_and_abort(std::string message, std::string_view sqlstate,
                              retort_status status) {
  abort();
  throw plugin_error(status, std::move(message), sqlstate);
}

void BulkLoad::write(const retort_batch& rows) {
  if (!open_) throw plugin_error(RETORT_INVALID_STATE, "the bulk load has ended");
  if (rows.column_count != column_count_) {
    fail_and_abort("the bulk load has " + std::to_string(column_count_) +
                       " columns, but a batch of " + std::to_string(rows.column_count) +
                       " was written",
                   "", RETORT_INVALID_ARGUMENT);
  }
  const int n = rows.column_count;
  for (int64_t row = 0; row < rows.row_count; ++row) {
    for (int i = 0; i < n; ++i) {
      if (i > 0) buffer_.push_back('\t');
      const retort_column& col = rows.columns[i];
      const sdk::ColumnReader reader(col);
      if (reader.is_null(row)) {
        buffer_ += "\\N";
        continue;
      }
      switch (col.type) {
        case RETORT_TYPE_BOOL:
          buffer_.push_back(reader.fixed<uint8_t>(row) ? 't' : 'f');
          break;
        case RETORT_TYPE_INT64:
          put_int(buffer_, reader.fixed<int64_t>(row));
          break;
        case RETORT_TYPE_DOUBLE:
          put_double(buffer_, reader.fixed<double>(row));
          break;
        case RETORT_TYPE_TEXT:
        case RETORT_TYPE_DECIMAL:
        case RETORT_TYPE_JSON:
          if (!put_text(buffer_, reader.bytes(row))) {
            fail_and_abort("the value of column " + std::to_string(i + 1) + " in row " +
                               std::to_string(row) +
                               " of the batch contains a NUL character, which PostgreSQL text "
                               "cannot hold",
                           "22021");
          }
          break;
        case RETORT_TYPE_BYTES:
          put_bytea(buffer_, reader.bytes(row));
          break;
        case RETORT_TYPE_DATE: {
          const int32_t d = reader.fixed<int32_t>(row);
          if (d == INT32_MAX || d == INT32_MIN) {
            buffer_ += d == INT32_MAX ? "infinity" : "-infinity";
          } else if (put_date(buffer_, d)) {
            buffer_ += " BC";
          }
          break;
        }
        case RETORT_TYPE_TIME: {
          const int64_t us = reader.fixed<int64_t>(row);
          if (us < 0 || us > kMicrosPerDay) {
            fail_and_abort("the time of day in column " + std::to_string(i + 1) + ", row " +
                               std::to_string(row) + " of the batch is out of range",
                           "22008");
          }
          put_clock(buffer_, static_cast<uint64_t>(us));
          break;
        }
        case RETORT_TYPE_TIMESTAMP:
          put_timestamp(buffer_, reader.fixed<int64_t>(row), false);
          break;
        case RETORT_TYPE_TIMESTAMPTZ:
          put_timestamp(buffer_, reader.fixed<int64_t>(row), true);
          break;
        case RETORT_TYPE_INTERVAL:
          put_interval(buffer_, reader.fixed<retort_interval>(row));
          break;
        case RETORT_TYPE_UUID:
          put_uuid(buffer_, reader.uuid(row));
          break;
        default:
          fail_and_abort("unknown value type " + std::to_string(col.type) + " in column " +
                             std::to_string(i + 1) + " of the batch",
                         "");
      }
    }
    buffer_.push_back('\n');
    if (buffer_.size() >= kFlushBytes) flush();
  }
}

int64_t BulkLoad::finish() {
  if (!open_) throw plugin_error(RETORT_INVALID_STATE, "the bulk load has ended");
  flush();
  open_ = false;
  if (PQputCopyEnd(pg_, nullptr) != 1) throw connection_error(pg_, "ending COPY");
  return drain();
}

void BulkLoad::abort() noexcept {
  if (!open_) return;
  open_ = false;
  buffer_.clear();
  if (PQputCopyEnd(pg_, "bulk load abandoned by the client") != 1) return;
  try {
    drain();
  } catch (...) {
    // The expected "COPY from stdin failed" error.
  }
}

int64_t BulkLoad::drain() {
  ResultPtr first;
  for (;;) {
    PGresult* r = PQgetResult(pg_);
    if (r == nullptr) break;
    if (first == nullptr) {
      first.reset(r);
    } else {
      PQclear(r);
    }
  }
  if (first == nullptr) throw connection_error(pg_);
  conn_.observe(first.get());
  if (PQresultStatus(first.get()) != PGRES_COMMAND_OK) conn_.fail(std::move(first));
  return std::strtoll(PQcmdTuples(first.get()), nullptr, 10);
}

}  // namespace retort::postgresql
