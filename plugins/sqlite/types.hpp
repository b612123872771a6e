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
#include <cstddef>
#include <cstdint>
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
 * Converts the value of result column `column` of the current row of `stmt` to `target`.
 *
 * Calls only the sqlite3_column_* accessor that matches the value's storage class, so it
 * never changes the stored representation and may be called again on the same row.
 *
 * @param column_name used in the error message only.
 * @return false when the value does not fit `target` exactly (the caller picks another type).
 * @throws sdk::Error RETORT_INVALID_DATA for text in a DATE, TIME or TIMESTAMP column that
 *         does not parse; the message names the column and the value.
 */
bool convert_value(sqlite3_stmt* stmt, int column, retort_value_type target,
                   std::string_view column_name, Cell& out);

/// Appends `cell` to `column`, whose type is the `target` the cell was converted to.
void append_cell(sdk::ColumnBuffer& column, const Cell& cell);

}  // namespace retort::sqlite

#endif  // RETORT_PLUGINS_SQLITE_TYPES_HPP
