// plugins/odbc/types.hpp — ODBC SQL types ↔ retort value types, UTF-8 ↔ UTF-16, and the
// column-wise parameter arrays built from a retort_batch.
// SPDX-License-Identifier: MIT
//
// Text crosses the ODBC API as SQLWCHAR (UTF-16, unixODBC's default) in both directions:
// narrow (SQL_C_CHAR) data is in whatever the driver thinks the client's locale is, which
// differs between drivers; wide data is the same everywhere.
#ifndef RETORT_PLUGINS_ODBC_TYPES_HPP
#define RETORT_PLUGINS_ODBC_TYPES_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <sql.h>
#include <sqlext.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace retort::odbc {

static_assert(sizeof(SQLWCHAR) == 2, "the odbc plugin expects a UTF-16 SQLWCHAR (unixODBC)");

/// UTF-16 (`n` units) → UTF-8; an unpaired surrogate becomes U+FFFD.
std::string utf16_to_utf8(const SQLWCHAR* text, size_t n);
/// Appends the UTF-8 form of `n` UTF-16 units to `out`.
void append_utf8(std::string& out, const SQLWCHAR* text, size_t n);
/// UTF-8 → UTF-16, appended to `out`.  Invalid UTF-8 throws RETORT_INVALID_DATA.
void append_utf16(std::vector<SQLWCHAR>& out, std::string_view text);
inline std::vector<SQLWCHAR> to_utf16(std::string_view text) {
  std::vector<SQLWCHAR> out;
  append_utf16(out, text);
  return out;
}

/// How a result column is read.
enum class Reader : uint8_t {
  kBool,       // SQL_C_BIT → BOOL
  kInt64,      // SQL_C_SBIGINT → INT64
  kDouble,     // SQL_C_DOUBLE → DOUBLE
  kDecimal,    // SQL_C_CHAR → DECIMAL (digits are ASCII)
  kText,       // SQL_C_WCHAR → TEXT
  kBytes,      // SQL_C_BINARY → BYTES
  kDate,       // SQL_C_TYPE_DATE → DATE
  kTime,       // SQL_C_CHAR "HH:MM:SS[.ffffff]" → TIME (SQL_C_TYPE_TIME has no fraction)
  kTimestamp,  // SQL_C_TYPE_TIMESTAMP → TIMESTAMP (fraction in nanoseconds)
  kUuid,       // SQL_C_CHAR "xxxxxxxx-…" → UUID
  // By declared type name (reader_for_declared), for drivers whose SQL type code says less:
  kTimestampTz,  // SQL_C_TYPE_TIMESTAMP of the UTC wall clock → TIMESTAMPTZ
  kInterval,     // SQL_C_CHAR, PostgreSQL's interval text → INTERVAL
  kJson,         // SQL_C_WCHAR → JSON
};

/// The reader for an ODBC SQL type code (SQLDescribeCol's DataType).  Unknown codes read as
/// text: every driver can convert every type to characters.
Reader reader_for(SQLSMALLINT sql_type) noexcept;
/// The reader for a column whose database type name (SQL_DESC_TYPE_NAME) says more than its
/// SQL type code, or `fallback`.  For the postgresql dialect through psqlODBC: `timestamptz`
/// (reported as SQL_TYPE_TIMESTAMP in the session's time zone, which the connection sets to
/// UTC) → kTimestampTz, `interval…` → kInterval, `json`/`jsonb` → kJson (psqlODBC 13 reports
/// json as `unknown`: such columns stay text).
Reader reader_for_declared(std::string_view dialect, std::string_view type_name,
                           Reader fallback) noexcept;
retort_value_type value_type_of(Reader r) noexcept;
/// The C type bound or requested with SQLGetData.
SQLSMALLINT c_type_of(Reader r) noexcept;
/// Bytes per bound element for a column of `column_size` (chars or bytes; 0 = unknown).
/// 0 means "not bound: read with SQLGetData".
SQLLEN bound_width(Reader r, SQLULEN column_size, SQLSMALLINT sql_type) noexcept;
/// The declared-type text for an ODBC type code ("VARCHAR", "TIMESTAMP").
const char* sql_type_name(SQLSMALLINT sql_type) noexcept;

/// Appends one value of `r` held in `p` (`length` bytes as the indicator says) to `column`.
/// Throws RETORT_INVALID_DATA naming `column_name` for text that does not parse.
void append_value(Reader r, const void* p, SQLLEN length, sdk::ColumnBuffer& column,
                  std::string_view column_name);

/// Parses PostgreSQL's interval output in the `postgres` style (`1 year 2 mons -3 days
/// +04:05:06.5`, the default IntervalStyle) or ISO 8601 (`P1Y2M-3DT4H5M6.5S`); false when the
/// text is neither.
bool parse_pg_interval(std::string_view text, retort_interval& out) noexcept;

/// Calendar helpers (proleptic Gregorian).
int32_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept;
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) noexcept;

/**
 * How temporal values are bound, where drivers differ from the ODBC rules (the connection
 * decides from the dialect; README.md, "Parameters"):
 *   - `time_as_text`: TIME as SQL_C_CHAR "HH:MM:SS.ffffff" to an SQL_VARCHAR parameter.
 *     ODBC's SQL_TYPE_TIME has no fractional seconds, and MariaDB Connector/ODBC enforces
 *     that (22008); the server converts the text to TIME(6) exactly.
 *   - `timestamp_as_text`: TIMESTAMP as SQL_C_CHAR "YYYY-MM-DD HH:MM:SS.ffffff".  The SQLite
 *     ODBC driver writes an SQL_TIMESTAMP_STRUCT with milliseconds only; text is stored as
 *     given (the native sqlite driver's format too).
 *   - `uuid_as_hex32`: UUID as its 32 hexadecimal digits without dashes, what the `mysql` and
 *     `mariadb` dialects' CHAR(32) stores (as the native mariadbc driver binds it; MariaDB's
 *     own UUID type accepts it too).
 */
struct BindOptions {
  bool time_as_text = false;
  bool timestamp_as_text = false;
  bool uuid_as_hex32 = false;
};

/**
 * The parameters of one SQLExecute: column-wise arrays for rows [first, first + rows) of a
 * retort_batch.  Fixed-width values the ODBC C type can take as they are (INT64, DOUBLE,
 * BOOL) are bound straight from the batch's buffers; the rest are converted into owned
 * arrays (text to UTF-16, dates to SQL_DATE_STRUCT, …).  Only the NULL indicators are always
 * built.  The bound memory stays valid until the next `bind` or destruction.
 */
class ParamArrays {
 public:
  /// Binds rows [first, first + rows) on `stmt`: marker i takes batch column `order[i]`, or
  /// column i when `order` is empty.  Throws RETORT_INVALID_ARGUMENT when a marker names a
  /// column the batch lacks.
  void bind(SQLHSTMT stmt, const retort_batch& batch, int64_t first, int64_t rows,
            const std::vector<int32_t>& order = {}, BindOptions options = {});
  /// The rows in the next chunk starting at `first`: at most `limit`, fewer when the
  /// variable-width values would make the arrays larger than about 16 MiB.
  static int64_t chunk_rows(const retort_batch& batch, int64_t first, int64_t limit) noexcept;

 private:
  struct Column {
    std::vector<SQLLEN> indicators;
    std::vector<uint8_t> owned;
  };
  std::vector<Column> columns_;
};

}  // namespace retort::odbc

#endif  // RETORT_PLUGINS_ODBC_TYPES_HPP
