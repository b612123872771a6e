// plugins/odbc/types.cpp — ODBC SQL types ↔ retort value types, UTF-8 ↔ UTF-16, parameter
// arrays.
// SPDX-License-Identifier: MIT
#include "types.hpp"

#include "errors.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace retort::odbc {
namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000LL;
// Variable-width result columns up to this many characters (bytes for binary) are bound in
// the block cursor; wider or unknown ones are read with SQLGetData.
constexpr SQLULEN kMaxBoundChars = 4000;
constexpr SQLULEN kMaxBoundBytes = 8000;
// Parameters of one statement: ODBC's SQLNumParams reports an SQLSMALLINT.
constexpr int32_t kMaxOdbcParameters = 32767;
// Parameter arrays are cut so that one SQLExecute binds about this much memory.
constexpr size_t kMaxParamBytes = size_t{16} << 20;

int64_t floor_div(int64_t a, int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

[[noreturn]] void bad_value(std::string_view column, std::string_view what, std::string_view text) {
  throw plugin_error(RETORT_INVALID_DATA,
                     "column '" + std::string(column) + "': cannot read '" + std::string(text) +
                         "' as " + std::string(what),
                     "22018");
}

// Parses "HH:MM:SS[.ffffff]" (also "-HH…" and hours > 23 are refused: TIME of day only).
bool parse_time(std::string_view s, int64_t& micros) noexcept {
  unsigned h = 0, m = 0, sec = 0;
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return false;
  auto num = [&](size_t at, unsigned& out) {
    return std::from_chars(s.data() + at, s.data() + at + 2, out).ptr == s.data() + at + 2;
  };
  if (!num(0, h) || !num(3, m) || !num(6, sec) || h > 24 || m > 59 || sec > 60) return false;
  int64_t frac = 0;
  if (s.size() > 8) {
    if (s[8] != '.') return false;
    int digits = 0;
    for (size_t i = 9; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      if (digits < 6) {
        frac = frac * 10 + (s[i] - '0');
        ++digits;
      }
    }
    while (digits++ < 6) frac *= 10;
  }
  micros = ((static_cast<int64_t>(h) * 60 + m) * 60 + sec) * 1000000 + frac;
  return true;
}

int hex(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

// --- text ----------------------------------------------------------------------------------------

void append_utf8(std::string& out, const SQLWCHAR* s, size_t n) {
  out.reserve(out.size() + n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = s[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

std::string utf16_to_utf8(const SQLWCHAR* text, size_t n) {
  std::string out;
  append_utf8(out, text, n);
  return out;
}

void append_utf16(std::vector<SQLWCHAR>& out, std::string_view s) {
  out.reserve(out.size() + s.size());
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    int len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    if (len == 0 || b > 0xF4 || i + len > s.size()) {
      throw plugin_error(RETORT_INVALID_DATA, "text parameter is not valid UTF-8", "22021");
    }
    uint32_t c = b & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      const auto cont = static_cast<unsigned char>(s[i + k]);
      if ((cont & 0xC0) != 0x80) {
        throw plugin_error(RETORT_INVALID_DATA, "text parameter is not valid UTF-8", "22021");
      }
      c = (c << 6) | (cont & 0x3F);
    }
    i += len;
    if (c >= 0x10000) {
      c -= 0x10000;
      out.push_back(static_cast<SQLWCHAR>(0xD800 + (c >> 10)));
      out.push_back(static_cast<SQLWCHAR>(0xDC00 + (c & 0x3FF)));
    } else {
      out.push_back(static_cast<SQLWCHAR>(c));
    }
  }
}

// --- calendar ------------------------------------------------------------------------------------

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int32_t>(era * 146097 + static_cast<int64_t>(doe) - 719468);
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// --- result columns ------------------------------------------------------------------------------

Reader reader_for(SQLSMALLINT t) noexcept {
  switch (t) {
    case SQL_BIT:
      return Reader::kBool;
    case SQL_TINYINT:
    case SQL_SMALLINT:
    case SQL_INTEGER:
    case SQL_BIGINT:
      return Reader::kInt64;
    case SQL_REAL:
    case SQL_FLOAT:
    case SQL_DOUBLE:
      return Reader::kDouble;
    case SQL_NUMERIC:
    case SQL_DECIMAL:
      return Reader::kDecimal;
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
      return Reader::kBytes;
    case SQL_TYPE_DATE:
    case SQL_DATE:
      return Reader::kDate;
    case SQL_TYPE_TIME:
    case SQL_TIME:
      return Reader::kTime;
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
      return Reader::kTimestamp;
    case SQL_GUID:
      return Reader::kUuid;
    default:
      return Reader::kText;  // characters, intervals, driver-specific types
  }
}

Reader reader_for_declared(std::string_view dialect, std::string_view name,
                           Reader fallback) noexcept {
  if (dialect != "postgresql") return fallback;
  if (name == "timestamptz" && fallback == Reader::kTimestamp) return Reader::kTimestampTz;
  // psqlODBC 13 names an interval with fields "interval day to second", "interval year to
  // month", …, and a plain interval with an empty name (every other type has a name, if only
  // "unknown"), reported as SQL_VARCHAR.
  if (name.substr(0, 8) == "interval" || (name.empty() && fallback == Reader::kText)) {
    return Reader::kInterval;
  }
  if (name == "json" || name == "jsonb") return Reader::kJson;
  return fallback;
}

namespace {

// One signed decimal number at s[i…] ("-3", "+04", "6.5" with `fraction`): the integer part
// in `whole`, the fraction in microseconds (same sign) in `micros`.
bool take_number(std::string_view s, size_t& i, int64_t& whole, int64_t* micros) noexcept {
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  const size_t start = i;
  whole = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (whole > (INT64_MAX - 9) / 10) return false;
    whole = whole * 10 + (s[i++] - '0');
  }
  int64_t frac = 0;
  if (micros != nullptr && i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 6) {
        frac = frac * 10 + (s[i] - '0');
        ++digits;
      }
      ++i;
    }
    while (digits++ < 6) frac *= 10;
  }
  if (i == start) return false;
  if (negative) {
    whole = -whole;
    frac = -frac;
  }
  if (micros != nullptr) *micros = frac;
  return true;
}

bool parse_iso_interval(std::string_view s, retort_interval& out) noexcept {
  // P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]
  size_t i = 1;
  bool time = false;
  int64_t months = 0, days = 0, micros = 0;
  while (i < s.size()) {
    if (s[i] == 'T') {
      time = true;
      ++i;
      continue;
    }
    int64_t n = 0, frac = 0;
    if (!take_number(s, i, n, &frac) || i >= s.size()) return false;
    const char unit = s[i++];
    if (!time && unit == 'Y') {
      months += n * 12;
    } else if (!time && unit == 'M') {
      months += n;
    } else if (!time && unit == 'W') {
      days += n * 7;
    } else if (!time && unit == 'D') {
      days += n;
    } else if (time && unit == 'H') {
      micros += n * 3600000000LL;
    } else if (time && unit == 'M') {
      micros += n * 60000000LL;
    } else if (time && unit == 'S') {
      micros += n * 1000000LL + frac;
    } else {
      return false;
    }
  }
  out.months = static_cast<int32_t>(months);
  out.days = static_cast<int32_t>(days);
  out.microseconds = micros;
  return true;
}

}  // namespace

bool parse_pg_interval(std::string_view s, retort_interval& out) noexcept {
  if (!s.empty() && s[0] == 'P') return parse_iso_interval(s, out);
  int64_t months = 0, days = 0, micros = 0;
  size_t i = 0;
  bool any = false;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size()) break;
    const size_t start = i;
    int64_t n = 0;
    if (!take_number(s, i, n, nullptr)) return false;
    any = true;
    if (i < s.size() && s[i] == ':') {
      // [+-]HH:MM:SS[.ffffff]
      const bool negative = s[start] == '-';
      const int64_t hours = negative ? -n : n;
      int64_t minutes = 0, seconds = 0, frac = 0;
      ++i;
      if (!take_number(s, i, minutes, nullptr)) return false;
      if (i < s.size() && s[i] == ':') {
        ++i;
        if (!take_number(s, i, seconds, &frac)) return false;
      }
      const int64_t total = (hours * 3600 + minutes * 60 + seconds) * 1000000 + frac;
      micros += negative ? -total : total;
      continue;
    }
    if (i >= s.size() || s[i] != ' ') return false;
    ++i;
    const size_t unit_start = i;
    while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
    const std::string_view unit = s.substr(unit_start, i - unit_start);
    if (unit == "year" || unit == "years") {
      months += n * 12;
    } else if (unit == "mon" || unit == "mons") {
      months += n;
    } else if (unit == "day" || unit == "days") {
      days += n;
    } else {
      return false;
    }
  }
  if (!any) return false;
  out.months = static_cast<int32_t>(months);
  out.days = static_cast<int32_t>(days);
  out.microseconds = micros;
  return true;
}

retort_value_type value_type_of(Reader r) noexcept {
  switch (r) {
    case Reader::kTimestampTz:
      return RETORT_TYPE_TIMESTAMPTZ;
    case Reader::kInterval:
      return RETORT_TYPE_INTERVAL;
    case Reader::kJson:
      return RETORT_TYPE_JSON;
    case Reader::kBool:
      return RETORT_TYPE_BOOL;
    case Reader::kInt64:
      return RETORT_TYPE_INT64;
    case Reader::kDouble:
      return RETORT_TYPE_DOUBLE;
    case Reader::kDecimal:
      return RETORT_TYPE_DECIMAL;
    case Reader::kText:
      return RETORT_TYPE_TEXT;
    case Reader::kBytes:
      return RETORT_TYPE_BYTES;
    case Reader::kDate:
      return RETORT_TYPE_DATE;
    case Reader::kTime:
      return RETORT_TYPE_TIME;
    case Reader::kTimestamp:
      return RETORT_TYPE_TIMESTAMP;
    case Reader::kUuid:
      return RETORT_TYPE_UUID;
  }
  return RETORT_TYPE_TEXT;
}

SQLSMALLINT c_type_of(Reader r) noexcept {
  switch (r) {
    case Reader::kBool:
      return SQL_C_BIT;
    case Reader::kInt64:
      return SQL_C_SBIGINT;
    case Reader::kDouble:
      return SQL_C_DOUBLE;
    case Reader::kDecimal:
    case Reader::kTime:
    case Reader::kUuid:
    case Reader::kInterval:
      return SQL_C_CHAR;
    case Reader::kText:
    case Reader::kJson:
      return SQL_C_WCHAR;
    case Reader::kTimestampTz:
      return SQL_C_TYPE_TIMESTAMP;
    case Reader::kBytes:
      return SQL_C_BINARY;
    case Reader::kDate:
      return SQL_C_TYPE_DATE;
    case Reader::kTimestamp:
      return SQL_C_TYPE_TIMESTAMP;
  }
  return SQL_C_WCHAR;
}

SQLLEN bound_width(Reader r, SQLULEN size, SQLSMALLINT sql_type) noexcept {
  switch (r) {
    case Reader::kBool:
      return 1;
    case Reader::kInt64:
    case Reader::kDouble:
      return 8;
    case Reader::kDate:
      return sizeof(SQL_DATE_STRUCT);
    case Reader::kTimestamp:
    case Reader::kTimestampTz:
      return sizeof(SQL_TIMESTAMP_STRUCT);
    case Reader::kInterval:
      return 128;  // "-178000000 years -11 mons -2147483648 days -2562047788:00:54.775808"
    case Reader::kTime:
      return 40;
    case Reader::kUuid:
      return 48;
    case Reader::kDecimal:
      if (size == 0 || size > 1000) return 0;
      return static_cast<SQLLEN>(std::max<SQLULEN>(size + 4, 48));
    case Reader::kText:
    case Reader::kJson:
      if (sql_type == SQL_LONGVARCHAR || sql_type == SQL_WLONGVARCHAR || size == 0 ||
          size > kMaxBoundChars) {
        return 0;
      }
      // A character may take two UTF-16 units; drivers differ on what "size" counts.
      return static_cast<SQLLEN>((std::max<SQLULEN>(size, 16) * 2 + 1) * sizeof(SQLWCHAR));
    case Reader::kBytes:
      if (sql_type == SQL_LONGVARBINARY || size == 0 || size > kMaxBoundBytes) return 0;
      return static_cast<SQLLEN>(std::max<SQLULEN>(size, 16));
  }
  return 0;
}

const char* sql_type_name(SQLSMALLINT t) noexcept {
  switch (t) {
    case SQL_CHAR:
      return "CHAR";
    case SQL_VARCHAR:
      return "VARCHAR";
    case SQL_LONGVARCHAR:
      return "LONGVARCHAR";
    case SQL_WCHAR:
      return "WCHAR";
    case SQL_WVARCHAR:
      return "WVARCHAR";
    case SQL_WLONGVARCHAR:
      return "WLONGVARCHAR";
    case SQL_BIT:
      return "BIT";
    case SQL_TINYINT:
      return "TINYINT";
    case SQL_SMALLINT:
      return "SMALLINT";
    case SQL_INTEGER:
      return "INTEGER";
    case SQL_BIGINT:
      return "BIGINT";
    case SQL_REAL:
      return "REAL";
    case SQL_FLOAT:
      return "FLOAT";
    case SQL_DOUBLE:
      return "DOUBLE";
    case SQL_NUMERIC:
      return "NUMERIC";
    case SQL_DECIMAL:
      return "DECIMAL";
    case SQL_BINARY:
      return "BINARY";
    case SQL_VARBINARY:
      return "VARBINARY";
    case SQL_LONGVARBINARY:
      return "LONGVARBINARY";
    case SQL_TYPE_DATE:
    case SQL_DATE:
      return "DATE";
    case SQL_TYPE_TIME:
    case SQL_TIME:
      return "TIME";
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
      return "TIMESTAMP";
    case SQL_GUID:
      return "GUID";
    default:
      return nullptr;
  }
}

void append_value(Reader r, const void* p, SQLLEN length, sdk::ColumnBuffer& column,
                  std::string_view name) {
  switch (r) {
    case Reader::kBool:
      column.append<uint8_t>(*static_cast<const uint8_t*>(p) != 0 ? 1 : 0);
      return;
    case Reader::kInt64: {
      int64_t v;
      std::memcpy(&v, p, sizeof v);
      column.append(v);
      return;
    }
    case Reader::kDouble: {
      double v;
      std::memcpy(&v, p, sizeof v);
      column.append(v);
      return;
    }
    case Reader::kDecimal: {
      std::string_view s(static_cast<const char*>(p), static_cast<size_t>(length));
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      column.append_bytes(s.data(), s.size());
      return;
    }
    case Reader::kText:
    case Reader::kJson: {
      thread_local std::string utf8;
      utf8.clear();
      append_utf8(utf8, static_cast<const SQLWCHAR*>(p),
                  static_cast<size_t>(length) / sizeof(SQLWCHAR));
      column.append_bytes(utf8.data(), utf8.size());
      return;
    }
    case Reader::kBytes:
      column.append_bytes(p, static_cast<size_t>(length));
      return;
    case Reader::kDate: {
      SQL_DATE_STRUCT d;
      std::memcpy(&d, p, sizeof d);
      column.append<int32_t>(days_from_civil(d.year, d.month, d.day));
      return;
    }
    case Reader::kTime: {
      const std::string_view s(static_cast<const char*>(p), static_cast<size_t>(length));
      int64_t micros = 0;
      if (!parse_time(s, micros)) bad_value(name, "a time of day", s);
      column.append(micros);
      return;
    }
    case Reader::kInterval: {
      std::string_view s(static_cast<const char*>(p), static_cast<size_t>(length));
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      retort_interval v{};
      if (!parse_pg_interval(s, v)) {
        bad_value(name, "an interval (IntervalStyle postgres or iso_8601)", s);
      }
      column.append(v);
      return;
    }
    case Reader::kTimestamp:
    case Reader::kTimestampTz: {
      SQL_TIMESTAMP_STRUCT t;
      std::memcpy(&t, p, sizeof t);
      const int64_t days = days_from_civil(t.year, t.month, t.day);
      const int64_t v = days * kMicrosPerDay +
                        ((static_cast<int64_t>(t.hour) * 60 + t.minute) * 60 + t.second) * 1000000 +
                        t.fraction / 1000;
      column.append(v);
      return;
    }
    case Reader::kUuid: {
      const std::string_view s(static_cast<const char*>(p), static_cast<size_t>(length));
      struct Uuid {
        uint8_t b[16];
      } u{};
      uint8_t* bytes = u.b;
      int n = 0;
      for (size_t i = 0; i < s.size() && n <= 32; ++i) {
        if (s[i] == '-' || s[i] == '{' || s[i] == '}') continue;
        const int v = hex(s[i]);
        if (v < 0 || n == 32) bad_value(name, "a UUID", s);
        if (n % 2 == 0) {
          bytes[n / 2] = static_cast<uint8_t>(v << 4);
        } else {
          bytes[n / 2] = static_cast<uint8_t>(bytes[n / 2] | v);
        }
        ++n;
      }
      if (n != 32) bad_value(name, "a UUID", s);
      column.append(u);
      return;
    }
  }
}

// --- parameters ----------------------------------------------------------------------------------

namespace {

// Bytes one value of `c` row `row` needs in an ODBC array (upper bound).
size_t param_width(const retort_column& c, int64_t row) noexcept {
  switch (c.type) {
    case RETORT_TYPE_TEXT:
    case RETORT_TYPE_JSON:
      return static_cast<size_t>(c.offsets[row + 1] - c.offsets[row] + 1) * sizeof(SQLWCHAR);
    case RETORT_TYPE_BYTES:
    case RETORT_TYPE_DECIMAL:
      return static_cast<size_t>(c.offsets[row + 1] - c.offsets[row] + 1);
    default:
      return 32;
  }
}

bool is_null(const retort_column& c, int64_t row) noexcept {
  return c.type == RETORT_TYPE_NULL || (c.nulls != nullptr && c.nulls[row] != 0);
}

template <typename T>
T fixed_at(const retort_column& c, int64_t row) noexcept {
  T v;
  std::memcpy(&v, static_cast<const uint8_t*>(c.values) + row * static_cast<int64_t>(sizeof(T)),
              sizeof(T));
  return v;
}

SQL_TIMESTAMP_STRUCT to_timestamp(int64_t micros) noexcept {
  const int64_t days = floor_div(micros, kMicrosPerDay);
  int64_t rest = micros - days * kMicrosPerDay;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  SQL_TIMESTAMP_STRUCT t{};
  t.year = static_cast<SQLSMALLINT>(y);
  t.month = static_cast<SQLUSMALLINT>(m);
  t.day = static_cast<SQLUSMALLINT>(d);
  t.hour = static_cast<SQLUSMALLINT>(rest / 3600000000LL);
  rest %= 3600000000LL;
  t.minute = static_cast<SQLUSMALLINT>(rest / 60000000LL);
  rest %= 60000000LL;
  t.second = static_cast<SQLUSMALLINT>(rest / 1000000LL);
  t.fraction = static_cast<SQLUINTEGER>((rest % 1000000LL) * 1000);
  return t;
}

// Formats into a fixed-width char slot, NUL-terminated; returns the length.
SQLLEN put_text(uint8_t* slot, size_t width, std::string_view s) noexcept {
  const size_t n = std::min(s.size(), width - 1);
  std::memcpy(slot, s.data(), n);
  slot[n] = 0;
  return static_cast<SQLLEN>(n);
}

}  // namespace

int64_t ParamArrays::chunk_rows(const retort_batch& batch, int64_t first, int64_t limit) noexcept {
  const int64_t left = batch.row_count - first;
  const int64_t cap = std::min(left, limit);
  std::vector<size_t> widest(static_cast<size_t>(batch.column_count), 0);
  size_t row_bytes = 0;
  for (int64_t r = 0; r < cap; ++r) {
    for (int32_t c = 0; c < batch.column_count; ++c) {
      const size_t w = param_width(batch.columns[c], first + r);
      if (w > widest[static_cast<size_t>(c)]) {
        row_bytes += w - widest[static_cast<size_t>(c)];
        widest[static_cast<size_t>(c)] = w;
      }
    }
    if (r > 0 && row_bytes * static_cast<size_t>(r + 1) > kMaxParamBytes) return r;
  }
  return std::max<int64_t>(cap, 1);
}

void ParamArrays::bind(SQLHSTMT stmt, const retort_batch& batch, int64_t first, int64_t rows,
                       const std::vector<int32_t>& order, BindOptions options) {
  const auto markers = static_cast<int32_t>(order.empty() ? batch.column_count : order.size());
  // ODBC counts parameters in an SQLSMALLINT (SQLNumParams), and psqlODBC corrupts its heap
  // binding parameter 32768: refuse instead.
  if (markers > kMaxOdbcParameters) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "the statement has " + std::to_string(markers) +
                           " parameters; ODBC binds at most " + std::to_string(kMaxOdbcParameters) +
                           " per statement (SQLNumParams counts them in an SQLSMALLINT): send "
                           "fewer rows per statement (insertmanyvalues_page_size)",
                       "07009");
  }
  columns_.resize(static_cast<size_t>(markers));
  for (int32_t ci = 0; ci < markers; ++ci) {
    const int32_t source = order.empty() ? ci : order[static_cast<size_t>(ci)];
    if (source < 0 || source >= batch.column_count) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "the statement uses parameter $" + std::to_string(source + 1) + " but " +
                             std::to_string(batch.column_count) + " were bound",
                         "07001");
    }
    const retort_column& c = batch.columns[source];
    Column& col = columns_[static_cast<size_t>(ci)];
    const auto n = static_cast<size_t>(rows);
    col.indicators.assign(n, 0);
    bool any_null = false;
    for (int64_t r = 0; r < rows; ++r) {
      if (is_null(c, first + r)) {
        col.indicators[static_cast<size_t>(r)] = SQL_NULL_DATA;
        any_null = true;
      }
    }
    SQLSMALLINT c_type = SQL_C_CHAR;
    SQLSMALLINT sql_type = SQL_VARCHAR;
    SQLULEN column_size = 0;
    SQLSMALLINT digits = 0;
    SQLPOINTER data = nullptr;
    SQLLEN width = 0;
    SQLLEN* ind = col.indicators.data();
    const auto param = static_cast<SQLUSMALLINT>(ci + 1);

    auto direct = [&](SQLSMALLINT ct, SQLSMALLINT st, size_t size) {
      c_type = ct;
      sql_type = st;
      data = const_cast<uint8_t*>(static_cast<const uint8_t*>(c.values) +
                                  first * static_cast<int64_t>(size));
      width = static_cast<SQLLEN>(size);
      if (!any_null) ind = nullptr;
    };
    auto slots = [&](size_t w) {
      col.owned.assign(n * w, 0);
      width = static_cast<SQLLEN>(w);
      data = col.owned.data();
    };

    switch (c.type) {
      case RETORT_TYPE_INT64:
        direct(SQL_C_SBIGINT, SQL_BIGINT, 8);
        break;
      case RETORT_TYPE_DOUBLE:
        direct(SQL_C_DOUBLE, SQL_DOUBLE, 8);
        break;
      case RETORT_TYPE_BOOL:
        direct(SQL_C_BIT, SQL_BIT, 1);
        break;
      case RETORT_TYPE_TEXT:
      case RETORT_TYPE_JSON: {
        size_t units = 1;
        std::vector<std::pair<size_t, size_t>> spans(n);  // offset, units in `all`
        std::vector<SQLWCHAR> all;
        for (int64_t r = 0; r < rows; ++r) {
          if (is_null(c, first + r)) continue;
          const int64_t b = c.offsets[first + r];
          const size_t start = all.size();
          append_utf16(
              all, std::string_view(c.data + b, static_cast<size_t>(c.offsets[first + r + 1] - b)));
          spans[static_cast<size_t>(r)] = {start, all.size() - start};
          units = std::max(units, all.size() - start);
        }
        slots((units + 1) * sizeof(SQLWCHAR));
        for (size_t r = 0; r < n; ++r) {
          if (col.indicators[r] == SQL_NULL_DATA) continue;
          std::memcpy(col.owned.data() + r * static_cast<size_t>(width),
                      all.data() + spans[r].first, spans[r].second * sizeof(SQLWCHAR));
          col.indicators[r] = static_cast<SQLLEN>(spans[r].second * sizeof(SQLWCHAR));
        }
        c_type = SQL_C_WCHAR;
        sql_type = units > kMaxBoundChars ? SQL_WLONGVARCHAR : SQL_WVARCHAR;
        column_size = units;
        break;
      }
      case RETORT_TYPE_BYTES: {
        size_t widest = 1;
        for (int64_t r = 0; r < rows; ++r) {
          if (!is_null(c, first + r)) {
            widest = std::max<size_t>(
                widest, static_cast<size_t>(c.offsets[first + r + 1] - c.offsets[first + r]));
          }
        }
        slots(widest);
        for (size_t r = 0; r < n; ++r) {
          if (col.indicators[r] == SQL_NULL_DATA) continue;
          const int64_t b = c.offsets[first + static_cast<int64_t>(r)];
          const auto len = static_cast<size_t>(c.offsets[first + static_cast<int64_t>(r) + 1] - b);
          if (len != 0) std::memcpy(col.owned.data() + r * widest, c.data + b, len);
          col.indicators[r] = static_cast<SQLLEN>(len);
        }
        c_type = SQL_C_BINARY;
        sql_type = widest > kMaxBoundBytes ? SQL_LONGVARBINARY : SQL_VARBINARY;
        column_size = widest;
        break;
      }
      case RETORT_TYPE_DECIMAL: {
        // Precision and scale from the values themselves, so the driver never rounds.
        size_t widest = 1;
        int precision = 1, scale = 0;
        bool numeric = true;
        for (int64_t r = 0; r < rows; ++r) {
          if (is_null(c, first + r)) continue;
          const int64_t b = c.offsets[first + r];
          const std::string_view s(c.data + b, static_cast<size_t>(c.offsets[first + r + 1] - b));
          widest = std::max(widest, s.size());
          int before = 0, after = 0;
          bool dot = false;
          for (char ch : s) {
            if (ch == '.') {
              dot = true;
            } else if (ch >= '0' && ch <= '9') {
              (dot ? after : before)++;
            } else if (ch != '-' && ch != '+') {
              numeric = false;  // NaN, Infinity, exponent: sent as text
            }
          }
          scale = std::max(scale, after);
          precision = std::max(precision, before + scale);
        }
        slots(widest + 1);
        for (size_t r = 0; r < n; ++r) {
          if (col.indicators[r] == SQL_NULL_DATA) continue;
          const int64_t b = c.offsets[first + static_cast<int64_t>(r)];
          const std::string_view s(
              c.data + b, static_cast<size_t>(c.offsets[first + static_cast<int64_t>(r) + 1] - b));
          col.indicators[r] = put_text(col.owned.data() + r * (widest + 1), widest + 1, s);
        }
        c_type = SQL_C_CHAR;
        sql_type = numeric ? SQL_NUMERIC : SQL_VARCHAR;
        column_size = numeric ? static_cast<SQLULEN>(std::max(precision, scale)) : widest;
        digits = numeric ? static_cast<SQLSMALLINT>(scale) : 0;
        break;
      }
      case RETORT_TYPE_DATE: {
        slots(sizeof(SQL_DATE_STRUCT));
        for (size_t r = 0; r < n; ++r) {
          if (col.indicators[r] == SQL_NULL_DATA) continue;
          int64_t y;
          unsigned m, d;
          civil_from_days(fixed_at<int32_t>(c, first + static_cast<int64_t>(r)), y, m, d);
          SQL_DATE_STRUCT v{static_cast<SQLSMALLINT>(y), static_cast<SQLUSMALLINT>(m),
                            static_cast<SQLUSMALLINT>(d)};
          std::memcpy(col.owned.data() + r * sizeof v, &v, sizeof v);
        }
        c_type = SQL_C_TYPE_DATE;
        sql_type = SQL_TYPE_DATE;
        column_size = 10;
        break;
      }
      case RETORT_TYPE_TIME: {
        constexpr size_t w = 16;
        slots(w);
        for (size_t r = 0; r < n; ++r) {
          if (col.indicators[r] == SQL_NULL_DATA) continue;
          const int64_t v = fixed_at<int64_t>(c, first + static_cast<int64_t>(r));
          char buf[32];
          const int len = std::snprintf(
              buf, sizeof buf, "%02lld:%02lld:%02lld.%06lld",
              static_cast<long long>(v / 3600000000LL), static_cast<long long>(v / 60000000LL % 60),
              static_cast<long long>(v / 1000000LL % 60), static_cast<long long>(v % 1000000LL));
          col.indicators[r] = put_text(col.owned.data() + r * w, w,
                                       std::string_view(buf, static_cast<size_t>(len)));
        }
        c_type = SQL_C_CHAR;
        sql_type = options.time_as_text ? SQL_VARCHAR : SQL_TYPE_TIME;
        column_size = 15;
        digits = options.time_as_text ? 0 : 6;
        break;
      }
      case RETORT_TYPE_TIMESTAMP:
      case RETORT_TYPE_TIMESTAMPTZ: {
        // TIMESTAMPTZ is bound as its UTC wall clock (ODBC has no zoned timestamp).
        if (options.timestamp_as_text) {
          constexpr size_t w = 32;
          slots(w);
          for (size_t r = 0; r < n; ++r) {
            if (col.indicators[r] == SQL_NULL_DATA) continue;
            const SQL_TIMESTAMP_STRUCT v =
                to_timestamp(fixed_at<int64_t>(c, first + static_cast<int64_t>(r)));
            char buf[48];
            const int len = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02u:%02u:%02u.%06u",
                                          static_cast<int>(v.year), v.month, v.day, v.hour,
                                          v.minute, v.second, v.fraction / 1000);
            col.indicators[r] = put_text(col.owned.data() + r * w, w,
                                         std::string_view(buf, static_cast<size_t>(len)));
          }
          c_type = SQL_C_CHAR;
          sql_type = SQL_TYPE_TIMESTAMP;
          column_size = 26;
          digits = 6;
          break;
        }
        slots(sizeof(SQL_TIMESTAMP_STRUCT));
        for (size_t r = 0; r < n; ++r) {
          if (col.indicators[r] == SQL_NULL_DATA) continue;
          const SQL_TIMESTAMP_STRUCT v =
              to_timestamp(fixed_at<int64_t>(c, first + static_cast<int64_t>(r)));
          std::memcpy(col.owned.data() + r * sizeof v, &v, sizeof v);
        }
        c_type = SQL_C_TYPE_TIMESTAMP;
        sql_type = SQL_TYPE_TIMESTAMP;
        column_size = 26;
        digits = 6;
        break;
      }
      case RETORT_TYPE_UUID: {
        constexpr size_t w = 37;
        slots(w);
        for (size_t r = 0; r < n; ++r) {
          if (col.indicators[r] == SQL_NULL_DATA) continue;
          const uint8_t* u =
              static_cast<const uint8_t*>(c.values) + (first + static_cast<int64_t>(r)) * 16;
          char buf[40];
          int at = 0;
          for (int i = 0; i < 16; ++i) {
            if (!options.uuid_as_hex32 && (i == 4 || i == 6 || i == 8 || i == 10)) buf[at++] = '-';
            at += std::snprintf(buf + at, sizeof buf - static_cast<size_t>(at), "%02x", u[i]);
          }
          col.indicators[r] =
              put_text(col.owned.data() + r * w, w, std::string_view(buf, static_cast<size_t>(at)));
        }
        c_type = SQL_C_CHAR;
        sql_type = SQL_VARCHAR;  // every driver converts text; SQL_GUID is not universal
        column_size = options.uuid_as_hex32 ? 32 : 36;
        break;
      }
      case RETORT_TYPE_INTERVAL: {
        // ISO 8601 (`P1M2DT3.5S`), which PostgreSQL reads; other servers have no interval.
        constexpr size_t w = 64;
        slots(w);
        for (size_t r = 0; r < n; ++r) {
          if (col.indicators[r] == SQL_NULL_DATA) continue;
          const auto v = fixed_at<retort_interval>(c, first + static_cast<int64_t>(r));
          char buf[64];
          const long long us = static_cast<long long>(v.microseconds);
          const int len = std::snprintf(buf, sizeof buf, "P%dM%dDT%s%lld.%06lldS", v.months, v.days,
                                        us < 0 ? "-" : "", (us < 0 ? -us : us) / 1000000LL,
                                        (us < 0 ? -us : us) % 1000000LL);
          col.indicators[r] = put_text(col.owned.data() + r * w, w,
                                       std::string_view(buf, static_cast<size_t>(len)));
        }
        c_type = SQL_C_CHAR;
        sql_type = SQL_VARCHAR;
        column_size = 63;
        break;
      }
      case RETORT_TYPE_NULL:
      default: {
        slots(1);
        c_type = SQL_C_CHAR;
        sql_type = SQL_VARCHAR;
        column_size = 1;
        break;
      }
    }
    const SQLRETURN rc =
        SQLBindParameter(stmt, param, SQL_PARAM_INPUT, c_type, sql_type,
                         std::max<SQLULEN>(column_size, 1), digits, data, width, ind);
    if (rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO) {
      throw odbc_error(SQL_HANDLE_STMT, stmt, rc, "binding parameter " + std::to_string(ci + 1));
    }
  }
}

}  // namespace retort::odbc
