// plugins/sqlite/types.cpp — conversions between SQLite values and retort batch values.
// SPDX-License-Identifier: MIT
#include "types.hpp"

#include "errors.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>

namespace retort::sqlite {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

bool contains(std::string_view haystack, std::string_view needle) noexcept {
  return haystack.find(needle) != std::string_view::npos;
}

// "00" to "99": formatting writes two digits at a time (this runs for every date bound).
struct DigitPairs {
  char text[200];
  constexpr DigitPairs() : text{} {
    for (int i = 0; i < 100; ++i) {
      text[2 * i] = static_cast<char>('0' + i / 10);
      text[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr DigitPairs kDigitPairs;

// Writes `value` (0 to 99) as two digits.
char* put2(char* out, uint32_t value) noexcept {
  std::memcpy(out, kDigitPairs.text + 2 * value, 2);
  return out + 2;
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Reads exactly `width` digits at `text[pos]`.
std::optional<int> read_digits(std::string_view text, size_t pos, size_t width) noexcept {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<int32_t> days_from_civil(int y, int m, int d) noexcept {
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int32_t>(sys_days{ymd}.time_since_epoch().count());
}

// Formats the date part; `days` must be within kMinDateDays..kMaxDateDays (H. Hinnant's
// civil_from_days).
char* put_date(char* out, int32_t days) noexcept {
  const int64_t z = int64_t{days} + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  const uint32_t day = doy - (153 * mp + 2) / 5 + 1;
  const uint32_t month = mp < 10 ? mp + 3 : mp - 9;
  const auto year = static_cast<uint32_t>(static_cast<int64_t>(yoe) + era * 400 + (month <= 2));
  out = put2(out, year / 100);
  out = put2(out, year % 100);
  *out++ = '-';
  out = put2(out, month);
  *out++ = '-';
  return put2(out, day);
}

// Formats microseconds since midnight, [0, 24h), as HH:MM:SS.ffffff.
char* put_time(char* out, int64_t micros) noexcept {
  const auto seconds = static_cast<uint32_t>(micros / kMicrosPerSecond);
  const auto fraction = static_cast<uint32_t>(micros % kMicrosPerSecond);
  out = put2(out, seconds / 3600);
  *out++ = ':';
  out = put2(out, seconds / 60 % 60);
  *out++ = ':';
  out = put2(out, seconds % 60);
  *out++ = '.';
  out = put2(out, fraction / 10000);
  out = put2(out, fraction / 100 % 100);
  return put2(out, fraction % 100);
}

// Parses a time at the start of `text`; `consumed` receives its length.  The seconds and the
// fraction are optional; the fraction is truncated to microseconds.
std::optional<int64_t> parse_time_prefix(std::string_view text, size_t& consumed) noexcept {
  const auto hh = read_digits(text, 0, 2);
  const auto mm = read_digits(text, 3, 2);
  if (!hh || !mm || text[2] != ':' || *hh > 23 || *mm > 59) return std::nullopt;
  int64_t micros = (*hh * 3600LL + *mm * 60LL) * kMicrosPerSecond;
  size_t pos = 5;
  if (pos < text.size() && text[pos] == ':') {
    const auto ss = read_digits(text, pos + 1, 2);
    if (!ss || *ss > 59) return std::nullopt;
    micros += *ss * kMicrosPerSecond;
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      // Up to six digits count (microseconds); digits 7 to 9 are truncated.  A table, not a
      // division per digit: this runs for every timestamp fetched.
      static constexpr int64_t kScale[] = {0, 100'000, 10'000, 1'000, 100, 10, 1};
      int64_t fraction = 0;
      size_t digits = 0;
      while (pos < text.size() && is_digit(text[pos])) {
        if (digits < 6) fraction = fraction * 10 + (text[pos] - '0');
        ++pos;
        ++digits;
      }
      if (digits == 0 || digits > 9) return std::nullopt;
      micros += fraction * kScale[std::min<size_t>(digits, 6)];
    }
  }
  consumed = pos;
  return micros;
}

[[noreturn]] void throw_out_of_range(std::string_view what) {
  throw plugin_error(RETORT_INVALID_DATA,
                     std::string(what) +
                         " is out of the range the sqlite3 driver stores "
                         "(years 0000 to 9999)",
                     "22008");
}

[[noreturn]] void throw_unparseable(std::string_view column_name, std::string_view kind,
                                    std::string_view text) {
  // Stored text of a date column is data the user chose to read, not a bound parameter, so
  // quoting it helps find the bad row; cut it short in case it is large.
  std::string shown(text.substr(0, 64));
  if (text.size() > 64) shown += "...";
  throw plugin_error(RETORT_INVALID_DATA,
                     "column '" + std::string(column_name) + "' holds text that is not a valid " +
                         std::string(kind) + ": '" + shown + "'",
                     "22007");
}

std::string_view value_text(sqlite3_value* value) noexcept {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
  const int size = sqlite3_value_bytes(value);
  return text != nullptr ? std::string_view(text, static_cast<size_t>(size)) : std::string_view();
}

std::string_view value_blob(sqlite3_value* value) noexcept {
  const auto* blob = static_cast<const char*>(sqlite3_value_blob(value));
  const int size = sqlite3_value_bytes(value);
  return blob != nullptr ? std::string_view(blob, static_cast<size_t>(size)) : std::string_view();
}

}  // namespace

std::optional<retort_value_type> preferred_type(const char* declared) {
  if (declared == nullptr || *declared == '\0') return std::nullopt;
  std::string upper(declared);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  const bool with_zone = (contains(upper, "TIMESTAMPTZ") || contains(upper, "TIME ZONE") ||
                          contains(upper, "TIMEZONE") || contains(upper, "DATETIMEOFFSET") ||
                          contains(upper, "TIMETZ")) &&
                         !contains(upper, "WITHOUT");
  if (contains(upper, "BOOL")) return RETORT_TYPE_BOOL;
  if (contains(upper, "TIMESTAMP") || contains(upper, "DATETIME")) {
    return with_zone ? RETORT_TYPE_TIMESTAMPTZ : RETORT_TYPE_TIMESTAMP;
  }
  if (contains(upper, "DATE")) return RETORT_TYPE_DATE;
  if (contains(upper, "TIME")) return with_zone ? RETORT_TYPE_TEXT : RETORT_TYPE_TIME;
  if (contains(upper, "JSON")) return RETORT_TYPE_JSON;
  if (contains(upper, "UUID")) return RETORT_TYPE_UUID;
  if (contains(upper, "INT")) return RETORT_TYPE_INT64;
  if (contains(upper, "CHAR") || contains(upper, "CLOB") || contains(upper, "TEXT")) {
    return RETORT_TYPE_TEXT;
  }
  if (contains(upper, "BLOB")) return RETORT_TYPE_BYTES;
  if (contains(upper, "REAL") || contains(upper, "FLOA") || contains(upper, "DOUB")) {
    return RETORT_TYPE_DOUBLE;
  }
  if (contains(upper, "NUMERIC") || contains(upper, "DECIMAL")) return RETORT_TYPE_DECIMAL;
  return std::nullopt;
}

retort_value_type storage_type(int storage) noexcept {
  switch (storage) {
    case SQLITE_INTEGER:
      return RETORT_TYPE_INT64;
    case SQLITE_FLOAT:
      return RETORT_TYPE_DOUBLE;
    case SQLITE_TEXT:
      return RETORT_TYPE_TEXT;
    case SQLITE_BLOB:
      return RETORT_TYPE_BYTES;
    default:
      return RETORT_TYPE_NULL;
  }
}

ShortText format_date(int32_t days) {
  if (days < kMinDateDays || days > kMaxDateDays) throw_out_of_range("DATE value");
  ShortText out;
  out.size = static_cast<size_t>(put_date(out.data.data(), days) - out.data.data());
  return out;
}

ShortText format_time(int64_t micros) {
  if (micros < 0 || micros >= kMicrosPerDay) {
    throw plugin_error(RETORT_INVALID_DATA, "TIME value is outside 00:00:00 to 23:59:59.999999",
                       "22008");
  }
  ShortText out;
  out.size = static_cast<size_t>(put_time(out.data.data(), micros) - out.data.data());
  return out;
}

size_t format_timestamp_to(char* out, int64_t micros, bool utc_suffix) {
  // Floor division: -1 µs is 1969-12-31 23:59:59.999999, not a negative time of day.
  int64_t days = micros / kMicrosPerDay;
  int64_t time_of_day = micros % kMicrosPerDay;
  if (time_of_day < 0) {
    time_of_day += kMicrosPerDay;
    --days;
  }
  if (days < kMinDateDays || days > kMaxDateDays) {
    throw_out_of_range(utc_suffix ? "TIMESTAMPTZ value" : "TIMESTAMP value");
  }
  char* p = put_date(out, static_cast<int32_t>(days));
  *p++ = ' ';
  p = put_time(p, time_of_day);
  if (utc_suffix) {
    std::memcpy(p, "+00:00", 6);
    p += 6;
  }
  return static_cast<size_t>(p - out);
}

ShortText format_timestamp(int64_t micros, bool utc_suffix) {
  static_assert(kMaxTimestampText <= sizeof(ShortText::data));
  ShortText out;
  out.size = format_timestamp_to(out.data.data(), micros, utc_suffix);
  return out;
}

ShortText format_uuid(const uint8_t* bytes) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  ShortText out;
  for (size_t i = 0; i < 16; ++i) {
    out.data[2 * i] = kHex[bytes[i] >> 4];
    out.data[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  out.size = 32;
  return out;
}

ShortText format_double(double value) noexcept {
  ShortText out;
  std::string_view special;
  if (std::isnan(value)) {
    special = "NaN";
  } else if (std::isinf(value)) {
    special = value > 0 ? "Infinity" : "-Infinity";
  }
  if (!special.empty()) {
    std::memcpy(out.data.data(), special.data(), special.size());
    out.size = special.size();
    return out;
  }
  const auto result = std::to_chars(out.data.data(), out.data.data() + out.data.size(), value);
  out.size = static_cast<size_t>(result.ptr - out.data.data());
  return out;
}

ShortText format_int(int64_t value) noexcept {
  ShortText out;
  const auto result = std::to_chars(out.data.data(), out.data.data() + out.data.size(), value);
  out.size = static_cast<size_t>(result.ptr - out.data.data());
  return out;
}

std::optional<int32_t> parse_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = read_digits(text, 0, 4);
  const auto m = read_digits(text, 5, 2);
  const auto d = read_digits(text, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  return days_from_civil(*y, *m, *d);
}

std::optional<int64_t> parse_time(std::string_view text) noexcept {
  size_t consumed = 0;
  const auto micros = parse_time_prefix(text, consumed);
  if (!micros || consumed != text.size()) return std::nullopt;
  return micros;
}

std::optional<ParsedTimestamp> parse_timestamp(std::string_view text) noexcept {
  int64_t micros = 0;
  if (parse_canonical_timestamp(text.data(), text.size(), micros)) return ParsedTimestamp{micros, false};
  if (text.size() < 10) return std::nullopt;
  const auto days = parse_date(text.substr(0, 10));
  if (!days) return std::nullopt;
  ParsedTimestamp result{*days * kMicrosPerDay, false};
  std::string_view rest = text.substr(10);
  if (rest.empty()) return result;
  if (rest[0] != ' ' && rest[0] != 'T') return std::nullopt;
  size_t consumed = 0;
  const auto time_of_day = parse_time_prefix(rest.substr(1), consumed);
  if (!time_of_day) return std::nullopt;
  result.micros += *time_of_day;
  rest = rest.substr(1 + consumed);
  if (rest.empty()) return result;
  if (rest == "Z" || rest == "z") {
    result.has_offset = true;
    return result;
  }
  if (rest[0] != '+' && rest[0] != '-') return std::nullopt;
  const int sign = rest[0] == '-' ? -1 : 1;
  const auto hh = read_digits(rest, 1, 2);
  std::optional<int> mm = 0;
  if (rest.size() == 6 && rest[3] == ':') {
    mm = read_digits(rest, 4, 2);
  } else if (rest.size() == 5) {
    mm = read_digits(rest, 3, 2);
  } else if (rest.size() != 3) {
    return std::nullopt;
  }
  if (!hh || !mm || *hh > 23 || *mm > 59) return std::nullopt;
  // "+02:00" means local time is two hours ahead of UTC: subtract to get UTC.
  result.micros -= sign * (*hh * 3600LL + *mm * 60LL) * kMicrosPerSecond;
  result.has_offset = true;
  return result;
}

bool parse_uuid(std::string_view text, uint8_t* out) noexcept {
  const bool dashed = text.size() == 36;
  if (!dashed && text.size() != 32) return false;
  if (dashed && (text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')) {
    return false;
  }
  size_t nibble = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) continue;
    const char c = text[i];
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      return false;
    }
    if (nibble % 2 == 0) {
      out[nibble / 2] = static_cast<uint8_t>(v << 4);
    } else {
      out[nibble / 2] = static_cast<uint8_t>(out[nibble / 2] | v);
    }
    ++nibble;
  }
  return nibble == 32;
}

bool is_decimal_text(std::string_view text) noexcept {
  if (text == "NaN" || text == "Infinity" || text == "-Infinity" || text == "+Infinity") {
    return true;
  }
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  size_t digits = 0;
  while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
  }
  if (digits == 0) return false;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    size_t exponent_digits = 0;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return pos == text.size();
}

bool convert_value(sqlite3_value* value, int storage, retort_value_type target,
                   std::string_view column_name, Cell& out) {
  out.is_null = storage == SQLITE_NULL;
  if (out.is_null) return true;
  switch (target) {
    case RETORT_TYPE_INT64:
      if (storage != SQLITE_INTEGER) return false;
      out.i64 = sqlite3_value_int64(value);
      return true;
    case RETORT_TYPE_BOOL: {
      if (storage != SQLITE_INTEGER) return false;
      const int64_t v = sqlite3_value_int64(value);
      if (v != 0 && v != 1) return false;  // 2 is not a boolean; keep the integer
      out.u8 = static_cast<uint8_t>(v);
      return true;
    }
    case RETORT_TYPE_DOUBLE:
      if (storage == SQLITE_FLOAT) {
        out.f64 = sqlite3_value_double(value);
        return true;
      }
      if (storage == SQLITE_INTEGER) {
        // Only integers a double holds exactly; larger ones stay INT64.
        constexpr int64_t kExact = int64_t{1} << 53;
        const int64_t v = sqlite3_value_int64(value);
        if (v < -kExact || v > kExact) return false;
        out.f64 = static_cast<double>(v);
        return true;
      }
      return false;
    case RETORT_TYPE_TEXT:
      if (storage != SQLITE_TEXT) return false;
      out.bytes = value_text(value);
      return true;
    case RETORT_TYPE_BYTES:
      if (storage != SQLITE_BLOB) return false;
      out.bytes = value_blob(value);
      return true;
    case RETORT_TYPE_DECIMAL:
    case RETORT_TYPE_JSON:
      if (storage == SQLITE_INTEGER) {
        out.scratch = format_int(sqlite3_value_int64(value));
      } else if (storage == SQLITE_FLOAT) {
        const double v = sqlite3_value_double(value);
        if (target == RETORT_TYPE_JSON && !std::isfinite(v)) return false;  // not JSON
        out.scratch = format_double(v);
      } else if (storage == SQLITE_TEXT) {
        out.bytes = value_text(value);
        return target == RETORT_TYPE_JSON || is_decimal_text(out.bytes);
      } else {
        return false;
      }
      out.bytes = out.scratch.view();
      return true;
    case RETORT_TYPE_DATE: {
      if (storage != SQLITE_TEXT) return false;
      const std::string_view text = value_text(value);
      const auto days = parse_date(text);
      if (!days) throw_unparseable(column_name, "date (YYYY-MM-DD)", text);
      out.i32 = *days;
      return true;
    }
    case RETORT_TYPE_TIME: {
      if (storage != SQLITE_TEXT) return false;
      const std::string_view text = value_text(value);
      const auto micros = parse_time(text);
      if (!micros) throw_unparseable(column_name, "time (HH:MM[:SS[.ffffff]])", text);
      out.i64 = *micros;
      return true;
    }
    case RETORT_TYPE_TIMESTAMP:
    case RETORT_TYPE_TIMESTAMPTZ: {
      if (storage == SQLITE_INTEGER) {
        // An integer in a timestamp column is taken as Unix seconds (SQLite's 'unixepoch').
        const int64_t seconds = sqlite3_value_int64(value);
        return !__builtin_mul_overflow(seconds, kMicrosPerSecond, &out.i64);
      }
      if (storage != SQLITE_TEXT) return false;
      const std::string_view text = value_text(value);
      const auto parsed = parse_timestamp(text);
      if (!parsed) {
        throw_unparseable(column_name, "timestamp (YYYY-MM-DD HH:MM[:SS[.ffffff]])", text);
      }
      // A naive column holding an offset cannot be read as wall-clock time without losing
      // the offset; let the caller fall back to TEXT.  A zone-aware column takes text
      // without an offset as UTC.
      if (target == RETORT_TYPE_TIMESTAMP && parsed->has_offset) return false;
      out.i64 = parsed->micros;
      return true;
    }
    case RETORT_TYPE_UUID:
      if (storage == SQLITE_BLOB) {
        const std::string_view blob = value_blob(value);
        if (blob.size() != 16) return false;
        std::memcpy(out.uuid.data(), blob.data(), 16);
        return true;
      }
      return storage == SQLITE_TEXT && parse_uuid(value_text(value), out.uuid.data());
    default:
      return false;
  }
}

void append_cell(sdk::ColumnBuffer& column, const Cell& cell) {
  if (cell.is_null) {
    column.append_null();
    return;
  }
  switch (column.type()) {
    case RETORT_TYPE_BOOL:
      column.append(cell.u8);
      break;
    case RETORT_TYPE_INT64:
    case RETORT_TYPE_TIME:
    case RETORT_TYPE_TIMESTAMP:
    case RETORT_TYPE_TIMESTAMPTZ:
      column.append(cell.i64);
      break;
    case RETORT_TYPE_DOUBLE:
      column.append(cell.f64);
      break;
    case RETORT_TYPE_DATE:
      column.append(cell.i32);
      break;
    case RETORT_TYPE_UUID:
      column.append(cell.uuid);
      break;
    case RETORT_TYPE_TEXT:
    case RETORT_TYPE_BYTES:
    case RETORT_TYPE_DECIMAL:
    case RETORT_TYPE_JSON:
      column.append_bytes(cell.bytes.data(), cell.bytes.size());
      break;
    default:
      column.append_null();
      break;
  }
}

bool append_value_slow(sqlite3_value* value, int storage, retort_value_type target,
                       std::string_view column_name, sdk::ColumnBuffer& column) {
  Cell cell;
  if (!convert_value(value, storage, target, column_name, cell)) return false;
  append_cell(column, cell);
  return true;
}

}  // namespace retort::sqlite
