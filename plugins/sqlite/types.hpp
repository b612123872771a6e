// plugins/sqlite/types.hpp — conversions between SQLite values and retort batch values.
// SPDX-License-Identifier: MIT
//
// SQLite stores every value as one of five storage classes (NULL, INTEGER, REAL, TEXT, BLOB);
// the richer retort types travel through them in the text forms SQLAlchemy uses, so that a
// database written by SQLAlchemy reads back correctly and the other way round:
//
//   DATE        "YYYY-MM-DD"
//   TIME        "HH:MM:SS.ffffff"
//   TIMESTAMP   "YYYY-MM-DD HH:MM:SS.ffffff"
//   TIMESTAMPTZ "YYYY-MM-DD HH:MM:SS.ffffff+00:00" (always written in UTC)
//   UUID        32 lower-case hex digits (SQLAlchemy's CHAR(32) form)
//   DECIMAL     the decimal text; JSON the document text; BOOL the integers 0 and 1.
//
// Reading is more lenient than writing (see the parse_* functions) and never lossy: a value
// that cannot be represented exactly in the requested type is reported as not fitting, and
// the caller then picks another type.
#ifndef RETORT_PLUGINS_SQLITE_TYPES_HPP
#define RETORT_PLUGINS_SQLITE_TYPES_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <sqlite3.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace retort::sqlite {

/// Range of dates the driver reads and writes: years 0000 to 9999, as SQLite's own date
/// functions.
inline constexpr int32_t kMinDateDays = -719528;  // 0000-01-01
inline constexpr int32_t kMaxDateDays = 2932896;  // 9999-12-31

/// A short formatted value (a date, a time, a timestamp, a UUID, a number).
struct ShortText {
  std::array<char, 48> data{};
  size_t size = 0;
  std::string_view view() const noexcept { return {data.data(), size}; }
};

// --------------------------------------------------------------------------------------------
// Declared types
// --------------------------------------------------------------------------------------------

/**
 * The value type a column declared as `declared` prefers, by SQLAlchemy-like affinity rules
 * (case-insensitive substring tests, in this order): BOOL → BOOL; TIMESTAMP/DATETIME → TIMESTAMP,
 * or TIMESTAMPTZ when it also says TIMESTAMPTZ / TIME ZONE / TIMEZONE / DATETIMEOFFSET (but not
 * WITHOUT TIME ZONE); DATE → DATE; TIME → TIME (TEXT for a time with a zone, which has no
 * retort type); JSON → JSON; UUID → UUID; INT → INT64; CHAR/CLOB/TEXT → TEXT; BLOB → BYTES;
 * REAL/FLOA/DOUB → DOUBLE; NUMERIC/DECIMAL → DECIMAL.
 *
 * @return nullopt when `declared` is NULL, empty or matches nothing: the type then follows
 *         the storage class of the values.
 */
std::optional<retort_value_type> preferred_type(const char* declared);

/// The value type that holds a value of SQLite storage class `storage` (SQLITE_INTEGER, …)
/// exactly: INT64, DOUBLE, TEXT, BYTES; NULL for SQLITE_NULL.
retort_value_type storage_type(int storage) noexcept;

// --------------------------------------------------------------------------------------------
// Writing (parameters)
// --------------------------------------------------------------------------------------------

/// Formats days since 1970-01-01 as "YYYY-MM-DD".  Throws RETORT_INVALID_DATA outside
/// kMinDateDays..kMaxDateDays.
ShortText format_date(int32_t days);
/// Formats microseconds since midnight as "HH:MM:SS.ffffff".  Throws RETORT_INVALID_DATA
/// outside [0, 24h).
ShortText format_time(int64_t micros);
/// Formats microseconds since 1970-01-01 00:00 as "YYYY-MM-DD HH:MM:SS.ffffff", plus
/// "+00:00" when `utc_suffix`.  Negative values are before 1970.  Throws RETORT_INVALID_DATA
/// outside years 0000–9999.
ShortText format_timestamp(int64_t micros, bool utc_suffix);
/// format_timestamp into `out`, which has room for kMaxTimestampText bytes; returns the
/// length.
inline constexpr size_t kMaxTimestampText = 32;
size_t format_timestamp_to(char* out, int64_t micros, bool utc_suffix);
/// Formats 16 RFC 4122 bytes as 32 lower-case hex digits.
ShortText format_uuid(const uint8_t* bytes) noexcept;
/// Shortest text that reads back as exactly `value` ("0.1", "1e+20"); "Infinity",
/// "-Infinity" or "NaN" for the non-finite values.
ShortText format_double(double value) noexcept;
/// Decimal digits of `value`.
ShortText format_int(int64_t value) noexcept;

// --------------------------------------------------------------------------------------------
// Reading (results)
// --------------------------------------------------------------------------------------------

/// Parses "YYYY-MM-DD" into days since 1970-01-01.
std::optional<int32_t> parse_date(std::string_view text) noexcept;
/// Parses "HH:MM", "HH:MM:SS" or "HH:MM:SS.f" (1 to 9 fraction digits, truncated to
/// microseconds) into microseconds since midnight.
std::optional<int64_t> parse_time(std::string_view text) noexcept;

/// A parsed timestamp.
struct ParsedTimestamp {
  /// Microseconds since 1970-01-01 00:00; converted to UTC when `has_offset`.
  int64_t micros;
  /// True when the text carried "Z" or a ±HH[:MM] offset.
  bool has_offset;
};
/// Parses "YYYY-MM-DD", or "YYYY-MM-DD" + (' ' | 'T') + a time as parse_time accepts, with an
/// optional "Z", "±HH", "±HHMM" or "±HH:MM" suffix.
std::optional<ParsedTimestamp> parse_timestamp(std::string_view text) noexcept;
/// Parses 32 hex digits, or 36 characters in the 8-4-4-4-12 form, into 16 bytes.
bool parse_uuid(std::string_view text, uint8_t* out) noexcept;
/// True for text the DECIMAL type can carry: an optionally signed decimal number with an
/// optional exponent, "NaN", "Infinity" or "-Infinity".
bool is_decimal_text(std::string_view text) noexcept;

// --------------------------------------------------------------------------------------------
// Result cells
// --------------------------------------------------------------------------------------------

/// One converted result value, ready to append to a column of its type.
struct Cell {
  bool is_null = false;
  union {
    int64_t i64;
    double f64;
    int32_t i32;
    uint8_t u8;
  };
  std::array<uint8_t, 16> uuid{};
  /// For TEXT, BYTES, DECIMAL and JSON: points into SQLite's memory (valid until the next
  /// step) or into `scratch`.
  std::string_view bytes;
  ShortText scratch;
  Cell() noexcept : i64(0) {}
};

/**
 * Converts `value`, a result value of the current row (from sqlite3_column_value) whose
 * storage class is `storage` (not SQLITE_NULL), to `target`.
 *
 * Calls only the sqlite3_value_* accessor that matches the value's storage class, so it
 * never changes the stored representation and may be called again on the same value.
 *
 * @param column_name used in the error message only.
 * @return false when the value does not fit `target` exactly (the caller picks another type).
 * @throws sdk::Error RETORT_INVALID_DATA for text in a DATE, TIME or TIMESTAMP column that
 *         does not parse; the message names the column and the value.
 */
bool convert_value(sqlite3_value* value, int storage, retort_value_type target,
                   std::string_view column_name, Cell& out);

/// Appends `cell` to `column`, whose type is the `target` the cell was converted to.
void append_cell(sdk::ColumnBuffer& column, const Cell& cell);

/// append_value for the types without a fast path: convert_value, then append_cell.
bool append_value_slow(sqlite3_value* value, int storage, retort_value_type target,
                       std::string_view column_name, sdk::ColumnBuffer& column);

namespace detail {

// Days since 1970-01-01 of a valid proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The same for years 0 to 9999, without signed division.
constexpr int64_t days_from_civil_0_9999(unsigned y, unsigned m, unsigned d) noexcept {
  const unsigned shifted = y + 400 - (m <= 2);  // one era later, so never negative
  const unsigned era = shifted / 400;
  const unsigned yoe = shifted - era * 400;
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (static_cast<int64_t>(era) - 1) * 146097 + static_cast<int64_t>(doe) - 719468;
}
static_assert(days_from_civil_0_9999(1970, 1, 1) == 0);
static_assert(days_from_civil_0_9999(0, 1, 1) == days_from_civil(0, 1, 1));
static_assert(days_from_civil_0_9999(0, 2, 29) == days_from_civil(0, 2, 29));
static_assert(days_from_civil_0_9999(9999, 12, 31) == days_from_civil(9999, 12, 31));
static_assert(days_from_civil_0_9999(2000, 3, 1) == days_from_civil(2000, 3, 1));

// Eight bytes at `p`, the first in the lowest byte.
inline uint64_t load8(const char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Checks eight characters against a template at once: the bytes in `sep_mask` must equal
// those of `seps`, every other byte must be a digit.  On success `digits` holds each digit's
// value in its byte (and 0 at the separators).
inline bool match8(uint64_t chars, uint64_t sep_mask, uint64_t seps, uint64_t& digits) noexcept {
  constexpr uint64_t kZeros = 0x3030303030303030;  // '0' in every byte
  if (((chars ^ seps) & sep_mask) != 0) return false;
  // Digits become 0 to 9 and (correct) separators 0.  A byte was not a digit when it is now
  // above 9 (adding 0x76 sets its top bit) or it wrapped below 0 (its top bit is set); a
  // borrow into the next byte only happens after such a byte.
  const uint64_t v = chars - ((kZeros & ~sep_mask) | seps);
  if (((v + 0x7676767676767676) | v) & 0x8080808080808080) return false;
  digits = v;
  return true;
}

// Joins each digit with the one after it: byte k of the result is 10 * digit k + digit k + 1
// (meaningful where both bytes hold digits).
constexpr uint64_t digit_pairs(uint64_t digits) noexcept {
  return digits * 10 + (digits >> 8);
}

constexpr unsigned byte_at(uint64_t v, int byte) noexcept {
  return static_cast<unsigned>(v >> (8 * byte)) & 0xFF;
}

}  // namespace detail

/**
 * The common timestamp forms without an offset, `YYYY-MM-DD HH:MM:SS` and
 * `YYYY-MM-DD HH:MM:SS.ffffff` (or with a `T`), which is what the driver writes: their
 * microseconds since 1970 into `micros`.  False for anything else, including invalid
 * dates; parse_timestamp decides those.  Gives exactly what parse_timestamp gives whenever
 * it returns true.  Reads only the `n` bytes at `p`.
 */
inline bool parse_canonical_timestamp(const char* p, size_t n, int64_t& micros) noexcept {
  if constexpr (std::endian::native != std::endian::little) {
    return false;
  } else {
    if (n != 26 && n != 19) return false;
    using detail::byte_at;
    // "YYYY-MM-": separators in bytes 4 and 7.
    uint64_t date;
    if (!detail::match8(detail::load8(p), 0xFF0000FF00000000ULL, 0x2D00002D00000000ULL, date)) {
      return false;
    }
    // "HH:MM:SS" at offset 11: separators in bytes 2 and 5.
    uint64_t time;
    if (!detail::match8(detail::load8(p + 11), 0x0000FF0000FF0000ULL, 0x00003A00003A0000ULL,
                        time)) {
      return false;
    }
    // "DD" and the separator between date and time.
    const unsigned d1 = static_cast<unsigned char>(p[8]) - unsigned{'0'};
    const unsigned d2 = static_cast<unsigned char>(p[9]) - unsigned{'0'};
    if (d1 > 9 || d2 > 9 || (p[10] != ' ' && p[10] != 'T')) return false;
    const uint64_t time_pairs = detail::digit_pairs(time);
    // Hours (byte 0) at most 23, minutes (byte 3) and seconds (byte 6) at most 59: adding
    // 104 and 68 carries into the top bit exactly above those.
    if (((time_pairs & 0x00FF0000FF0000FFULL) + 0x0044000044000068ULL) & 0x0080000080000080ULL) {
      return false;
    }
    int64_t fraction = 0;
    if (n == 26) {
      // "S.ffffff" at offset 18: the separator in byte 1.
      uint64_t f;
      if (!detail::match8(detail::load8(p + 18), 0x000000000000FF00ULL, 0x0000000000002E00ULL, f)) {
        return false;
      }
      const uint64_t pairs = detail::digit_pairs(f);
      fraction = byte_at(pairs, 2) * 10'000 + byte_at(pairs, 4) * 100 + byte_at(pairs, 6);
    }
    const uint64_t date_pairs = detail::digit_pairs(date);
    const unsigned y = byte_at(date_pairs, 0) * 100 + byte_at(date_pairs, 2);
    const unsigned mo = byte_at(date_pairs, 5);
    const unsigned d = d1 * 10 + d2;
    static constexpr unsigned char kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo - 1 > 11 || (d - 1 >= kDays[mo - 1] &&
        !(mo == 2 && d == 29 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))) {
      return false;
    }
    const int64_t days = detail::days_from_civil_0_9999(y, mo, d);
    const int64_t seconds = days * 86'400 + byte_at(time_pairs, 0) * 3'600 +
                            byte_at(time_pairs, 3) * 60 + byte_at(time_pairs, 6);
    micros = seconds * int64_t{1'000'000} + fraction;
    return true;
  }
}

/**
 * Converts `value` (as convert_value does) and appends it to `column`, whose type is
 * `target`.  The hot path of fetching: INT64, BOOL, DOUBLE, TEXT, BYTES and canonical
 * timestamps go straight into the column.
 *
 * @return false when the value does not fit `target`; then nothing was appended.
 * @throws sdk::Error as convert_value; nothing was appended.
 */
[[gnu::always_inline]] inline bool append_value(sqlite3_value* value, int storage,
                                               retort_value_type target,
                                               std::string_view column_name,
                                               sdk::ColumnBuffer& column) {
  switch (target) {
    case RETORT_TYPE_INT64:
      if (storage != SQLITE_INTEGER) return false;
      column.append(static_cast<int64_t>(sqlite3_value_int64(value)));
      return true;
    case RETORT_TYPE_BOOL: {
      if (storage != SQLITE_INTEGER) return false;
      const int64_t v = sqlite3_value_int64(value);
      if (v != 0 && v != 1) return false;  // 2 is not a boolean; keep the integer
      column.append(static_cast<uint8_t>(v));
      return true;
    }
    case RETORT_TYPE_DOUBLE:
      if (storage == SQLITE_FLOAT) {
        column.append(sqlite3_value_double(value));
        return true;
      }
      if (storage == SQLITE_INTEGER) {
        // Only integers a double holds exactly; larger ones stay INT64.
        constexpr int64_t kExact = int64_t{1} << 53;
        const int64_t v = sqlite3_value_int64(value);
        if (v < -kExact || v > kExact) return false;
        column.append(static_cast<double>(v));
        return true;
      }
      return false;
    case RETORT_TYPE_TEXT: {
      if (storage != SQLITE_TEXT) return false;
      const unsigned char* text = sqlite3_value_text(value);
      const int size = sqlite3_value_bytes(value);
      column.append_bytes(text, text != nullptr ? static_cast<size_t>(size) : 0);
      return true;
    }
    case RETORT_TYPE_BYTES: {
      if (storage != SQLITE_BLOB) return false;
      const void* blob = sqlite3_value_blob(value);
      const int size = sqlite3_value_bytes(value);
      column.append_bytes(blob, blob != nullptr ? static_cast<size_t>(size) : 0);
      return true;
    }
    case RETORT_TYPE_TIMESTAMP:
    case RETORT_TYPE_TIMESTAMPTZ:
      if (storage == SQLITE_TEXT) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
        const int size = sqlite3_value_bytes(value);
        int64_t micros;
        if (text != nullptr && parse_canonical_timestamp(text, static_cast<size_t>(size), micros)) {
          column.append(micros);
          return true;
        }
      }
      return append_value_slow(value, storage, target, column_name, column);
    default:
      return append_value_slow(value, storage, target, column_name, column);
  }
}

}  // namespace retort::sqlite

#endif  // RETORT_PLUGINS_SQLITE_TYPES_HPP
