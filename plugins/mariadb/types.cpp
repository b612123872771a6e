// plugins/mariadb/types.cpp — MariaDB / MySQL values ↔ Retort batches.
// SPDX-License-Identifier: MIT
#include "types.hpp"

#include "errors.hpp"

#include <cstring>
#include <string_view>

namespace retort::mariadb {
namespace {

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
constexpr unsigned kBinaryCharset = 63;

const char* type_name(enum_field_types t, bool binary) {
  switch (t) {
    case MYSQL_TYPE_TINY:
      return "TINYINT";
    case MYSQL_TYPE_SHORT:
      return "SMALLINT";
    case MYSQL_TYPE_INT24:
      return "MEDIUMINT";
    case MYSQL_TYPE_LONG:
      return "INT";
    case MYSQL_TYPE_LONGLONG:
      return "BIGINT";
    case MYSQL_TYPE_YEAR:
      return "YEAR";
    case MYSQL_TYPE_BIT:
      return "BIT";
    case MYSQL_TYPE_FLOAT:
      return "FLOAT";
    case MYSQL_TYPE_DOUBLE:
      return "DOUBLE";
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return "DECIMAL";
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
      return "DATE";
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2:
      return "TIME";
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2:
      return "DATETIME";
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2:
      return "TIMESTAMP";
    case MYSQL_TYPE_NULL:
      return "NULL";
    case MYSQL_TYPE_JSON:
      return "JSON";
    case MYSQL_TYPE_GEOMETRY:
      return "GEOMETRY";
    case MYSQL_TYPE_ENUM:
      return "ENUM";
    case MYSQL_TYPE_SET:
      return "SET";
    case MYSQL_TYPE_STRING:
      return binary ? "BINARY" : "CHAR";
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_VAR_STRING:
      return binary ? "VARBINARY" : "VARCHAR";
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
      return binary ? "BLOB" : "TEXT";
    default:
      return "UNKNOWN";
  }
}

// MariaDB's extended metadata names a JSON column's format ("json") and a type such as
// UUID or INET6 that travels as a string.
std::string_view field_attr(const MYSQL_FIELD& field, mariadb_field_attr_t which) {
  MARIADB_CONST_STRING attr{};
  if (mariadb_field_attr(&attr, &field, which) != 0 || attr.str == nullptr) return {};
  return {attr.str, attr.length};
}

[[noreturn]] void unsupported(const char* what, size_t index) {
  throw plugin_error(RETORT_NOT_IMPLEMENTED,
                     std::string("parameter ") + std::to_string(index + 1) + ": MariaDB has no " +
                         what + " values (bind an Interval to a dialect that stores it)",
                     "0A000");
}

MYSQL_TIME date_of(int32_t days) {
  MYSQL_TIME t{};
  int64_t y;
  civil_from_days(days, y, t.month, t.day);
  t.year = static_cast<unsigned>(y);
  t.time_type = MYSQL_TIMESTAMP_DATE;
  return t;
}

void set_clock(MYSQL_TIME& t, int64_t us) {
  t.second_part = static_cast<unsigned long>(us % 1000000);
  int64_t s = us / 1000000;
  t.second = static_cast<unsigned>(s % 60);
  s /= 60;
  t.minute = static_cast<unsigned>(s % 60);
  const int64_t hours = s / 60;
  // The binary protocol sends a TIME's days and hours apart (the hour in one byte).
  t.day = static_cast<unsigned>(hours / 24);
  t.hour = static_cast<unsigned>(hours % 24);
}

MYSQL_TIME time_of(int64_t us) {
  MYSQL_TIME t{};
  t.time_type = MYSQL_TIMESTAMP_TIME;
  if (us < 0) {
    t.neg = 1;
    us = -us;
  }
  set_clock(t, us);
  return t;
}

MYSQL_TIME datetime_of(int64_t us) {
  int64_t days = us / kMicrosPerDay;
  int64_t rest = us % kMicrosPerDay;
  if (rest < 0) {
    --days;
    rest += kMicrosPerDay;
  }
  MYSQL_TIME t = date_of(static_cast<int32_t>(days));
  t.time_type = MYSQL_TIMESTAMP_DATETIME;
  const unsigned day = t.day;
  set_clock(t, rest);  // less than a day: t.day is set to 0
  t.day = day;
  return t;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept {
  // Howard Hinnant's algorithm.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

int64_t time_micros(const MYSQL_TIME& t) noexcept {
  const int64_t clock =
      ((static_cast<int64_t>(t.hour) * 60 + t.minute) * 60 + t.second) * 1000000 + t.second_part;
  return days_from_civil(t.year, t.month, t.day) * kMicrosPerDay + clock;
}

int64_t duration_micros(const MYSQL_TIME& t) noexcept {
  // TIME spans -838:59:59 … 838:59:59; the hours carry the days.
  const int64_t v = ((static_cast<int64_t>(t.day) * 24 + t.hour) * 60 + t.minute) * 60 * 1000000 +
                    static_cast<int64_t>(t.second) * 1000000 + static_cast<int64_t>(t.second_part);
  return t.neg ? -v : v;
}

ResultColumn describe_field(const MYSQL_FIELD& f) {
  ResultColumn c;
  c.name.assign(f.name, f.name_length);
  c.field_type = f.type;
  c.field_flags = f.flags;
  c.is_unsigned = (f.flags & UNSIGNED_FLAG) != 0;
  c.nullable = (f.flags & NOT_NULL_FLAG) == 0;
  const bool binary = f.charsetnr == kBinaryCharset;
  c.declared = type_name(f.type, binary);
  switch (f.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      c.fetch = Fetch::int64;
      c.type = RETORT_TYPE_INT64;
      if (c.is_unsigned) c.declared += " UNSIGNED";
      break;
    case MYSQL_TYPE_FLOAT:
      c.fetch = Fetch::float32;
      c.type = RETORT_TYPE_DOUBLE;
      break;
    case MYSQL_TYPE_DOUBLE:
      c.fetch = Fetch::float64;
      c.type = RETORT_TYPE_DOUBLE;
      break;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      c.fetch = Fetch::decimal;
      c.type = RETORT_TYPE_DECIMAL;
      break;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
      c.fetch = Fetch::date;
      c.type = RETORT_TYPE_DATE;
      break;
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2:
      c.fetch = Fetch::time;
      c.type = RETORT_TYPE_TIME;
      break;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2:
      c.fetch = Fetch::datetime;
      c.type = RETORT_TYPE_TIMESTAMP;
      break;
    case MYSQL_TYPE_NULL:
      c.fetch = Fetch::null;
      c.type = RETORT_TYPE_NULL;
      break;
    case MYSQL_TYPE_JSON:
      c.fetch = Fetch::json;
      c.type = RETORT_TYPE_JSON;
      break;
    case MYSQL_TYPE_BIT:
    case MYSQL_TYPE_GEOMETRY:
      c.fetch = Fetch::bytes;
      c.type = RETORT_TYPE_BYTES;
      break;
    default:
      if (field_attr(f, MARIADB_FIELD_ATTR_FORMAT_NAME) == "json") {
        c.fetch = Fetch::json;
        c.type = RETORT_TYPE_JSON;
        c.declared = "JSON";
      } else if (binary) {
        c.fetch = Fetch::bytes;
        c.type = RETORT_TYPE_BYTES;
      } else {
        c.fetch = Fetch::text;
        c.type = RETORT_TYPE_TEXT;
        if (const std::string_view name = field_attr(f, MARIADB_FIELD_ATTR_DATA_TYPE_NAME);
            !name.empty()) {
          c.declared.assign(name);  // "uuid", "inet6"
          for (char& ch : c.declared) ch = static_cast<char>(std::toupper(ch));
        } else if (f.flags & ENUM_FLAG) {
          c.declared = "ENUM";
        } else if (f.flags & SET_FLAG) {
          c.declared = "SET";
        }
      }
      break;
  }
  return c;
}

// --- parameters ----------------------------------------------------------------------------

void ParamBinder::prepare(const retort_batch* params, unsigned param_count) {
  const int32_t columns = params != nullptr ? params->column_count : 0;
  if (columns != static_cast<int32_t>(param_count)) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "the statement has " + std::to_string(param_count) + " parameters but " +
                           std::to_string(columns) +
                           (columns == 1 ? " value was" : " values were") + " bound",
                       "07001");
  }
  rows_ = columns == 0 ? (params != nullptr && params->row_count == 0 ? 0 : 1) : params->row_count;
  params_.resize(static_cast<size_t>(columns));
  binds_.resize(static_cast<size_t>(columns));
  for (int32_t i = 0; i < columns; ++i) {
    Param& p = params_[static_cast<size_t>(i)];
    const retort_column& col = params->columns[i];
    p.column = &col;
    p.width = 0;
    p.times.clear();
    p.time_pointers.clear();
    p.text.clear();
    p.pointers.clear();
    p.lengths.clear();
    p.indicators.clear();
    const sdk::ColumnReader reader(col);
    const auto n = static_cast<size_t>(rows_);
    bool variable = false;
    switch (col.type) {
      case RETORT_TYPE_NULL:
        p.type = MYSQL_TYPE_NULL;
        break;
      case RETORT_TYPE_BOOL:
        p.type = MYSQL_TYPE_TINY;
        p.width = 1;
        break;
      case RETORT_TYPE_INT64:
        p.type = MYSQL_TYPE_LONGLONG;
        p.width = 8;
        break;
      case RETORT_TYPE_DOUBLE:
        p.type = MYSQL_TYPE_DOUBLE;
        p.width = 8;
        break;
      case RETORT_TYPE_TEXT:
      case RETORT_TYPE_JSON:
        p.type = MYSQL_TYPE_STRING;
        variable = true;
        break;
      case RETORT_TYPE_BYTES:
        p.type = MYSQL_TYPE_BLOB;
        variable = true;
        break;
      case RETORT_TYPE_DECIMAL:
        p.type = MYSQL_TYPE_NEWDECIMAL;
        variable = true;
        break;
      case RETORT_TYPE_DATE:
        p.type = MYSQL_TYPE_DATE;
        p.times.resize(n);
        for (size_t r = 0; r < n; ++r) {
          if (!reader.is_null(static_cast<int64_t>(r))) {
            p.times[r] = date_of(reader.fixed<int32_t>(static_cast<int64_t>(r)));
          }
        }
        break;
      case RETORT_TYPE_TIME:
        p.type = MYSQL_TYPE_TIME;
        p.times.resize(n);
        for (size_t r = 0; r < n; ++r) {
          if (!reader.is_null(static_cast<int64_t>(r))) {
            p.times[r] = time_of(reader.fixed<int64_t>(static_cast<int64_t>(r)));
          }
        }
        break;
      case RETORT_TYPE_TIMESTAMP:
      case RETORT_TYPE_TIMESTAMPTZ:  // UTC wall clock: DATETIME has no time zone
        p.type = MYSQL_TYPE_DATETIME;
        p.times.resize(n);
        for (size_t r = 0; r < n; ++r) {
          if (!reader.is_null(static_cast<int64_t>(r))) {
            p.times[r] = datetime_of(reader.fixed<int64_t>(static_cast<int64_t>(r)));
          }
        }
        break;
      case RETORT_TYPE_UUID: {
        // 32 hexadecimal digits: what the `mysql` dialect's CHAR(32) stores (as SQLAlchemy's
        // Uuid does), and accepted by MariaDB's native UUID type too.
        static constexpr char kHex[] = "0123456789abcdef";
        p.type = MYSQL_TYPE_STRING;
        p.text.resize(n * 32);
        p.pointers.resize(n);
        p.lengths.assign(n, 32);
        for (size_t r = 0; r < n; ++r) {
          char* out = p.text.data() + r * 32;
          p.pointers[r] = out;
          if (reader.is_null(static_cast<int64_t>(r))) continue;
          const uint8_t* u = reader.uuid(static_cast<int64_t>(r));
          for (int b = 0; b < 16; ++b) {
            out[2 * b] = kHex[u[b] >> 4];
            out[2 * b + 1] = kHex[u[b] & 15];
          }
        }
        break;
      }
      case RETORT_TYPE_INTERVAL:
        unsupported("INTERVAL", static_cast<size_t>(i));
      default:
        throw plugin_error(RETORT_INVALID_ARGUMENT, "parameter " + std::to_string(i + 1) +
                                                        " has unknown value type " +
                                                        std::to_string(col.type));
    }
    if (variable) {
      p.pointers.resize(n);
      p.lengths.resize(n);
      // A NULL buffer would send NULL: empty values (or a batch whose data is all empty, and
      // so may have no data pointer) point at a static empty string.
      static const char kEmpty[1] = {0};
      for (size_t r = 0; r < n; ++r) {
        const int64_t begin = col.offsets[r];
        p.pointers[r] = col.data != nullptr ? col.data + begin : kEmpty;
        p.lengths[r] = static_cast<unsigned long>(col.offsets[r + 1] - begin);
      }
    }
    if (!p.times.empty()) {
      p.time_pointers.resize(n);
      for (size_t r = 0; r < n; ++r) p.time_pointers[r] = &p.times[r];
    }
    if (col.type == RETORT_TYPE_NULL) {
      p.indicators.assign(n, STMT_INDICATOR_NULL);
    } else if (col.nulls != nullptr) {
      p.indicators.resize(n);
      for (size_t r = 0; r < n; ++r) {
        p.indicators[r] = col.nulls[r] != 0 ? STMT_INDICATOR_NULL : STMT_INDICATOR_NONE;
      }
    }
  }
}

MYSQL_BIND* ParamBinder::bind_row(int64_t row) {
  const auto r = static_cast<size_t>(row);
  for (size_t i = 0; i < params_.size(); ++i) {
    Param& p = params_[i];
    MYSQL_BIND& b = binds_[i];
    b = MYSQL_BIND{};
    b.buffer_type = p.type;
    p.is_null = !p.indicators.empty() && p.indicators[r] == STMT_INDICATOR_NULL;
    b.is_null = &p.is_null;
    if (p.is_null) continue;
    if (p.width != 0) {
      b.buffer = const_cast<uint8_t*>(static_cast<const uint8_t*>(p.column->values) + r * p.width);
    } else if (!p.times.empty()) {
      b.buffer = &p.times[r];
    } else if (!p.pointers.empty()) {
      b.buffer = const_cast<char*>(p.pointers[r]);
      b.buffer_length = p.lengths[r];
      b.length = &p.lengths[r];
    }
  }
  return binds_.data();
}

MYSQL_BIND* ParamBinder::bind_array(int64_t first, int64_t count) {
  (void)count;
  const auto r = static_cast<size_t>(first);
  for (size_t i = 0; i < params_.size(); ++i) {
    Param& p = params_[i];
    MYSQL_BIND& b = binds_[i];
    b = MYSQL_BIND{};
    b.buffer_type = p.type;
    b.u.indicator = p.indicators.empty() ? nullptr : &p.indicators[r];
    if (p.width != 0) {
      b.buffer = const_cast<uint8_t*>(static_cast<const uint8_t*>(p.column->values) + r * p.width);
    } else if (!p.times.empty()) {
      // Column-wise binding of MYSQL_TIME values, as of variable-length ones: an array of
      // pointers (Connector/C gives them no fixed pack length).
      b.buffer = &p.time_pointers[r];
    } else if (!p.pointers.empty()) {
      // Column-wise binding of variable-length values: an array of pointers.
      b.buffer = const_cast<const char**>(&p.pointers[r]);
      b.length = &p.lengths[r];
    }
  }
  return binds_.data();
}

size_t ParamBinder::row_bytes(int64_t row) const noexcept {
  size_t bytes = 0;
  for (const Param& p : params_) {
    bytes += 1 + (p.width != 0 ? p.width : !p.times.empty() ? 12 : 0);
    if (!p.lengths.empty()) bytes += 9 + p.lengths[static_cast<size_t>(row)];
  }
  return bytes;
}

}  // namespace retort::mariadb
