// plugins/mariadb/types.hpp — MariaDB / MySQL values ↔ Retort batches, for the binary
// protocol of prepared statements.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_MARIADB_TYPES_HPP
#define RETORT_PLUGINS_MARIADB_TYPES_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <mysql.h>

#include <cstdint>
#include <string>
#include <vector>

namespace retort::mariadb {

/// How a result column is fetched and appended (README.md, "Types").
enum class Fetch : uint8_t {
  null,      ///< MYSQL_TYPE_NULL: every value NULL
  int64,     ///< integer types, YEAR: fetched as (unsigned) long long
  float32,   ///< FLOAT: fetched as float, widened exactly
  float64,   ///< DOUBLE
  decimal,   ///< DECIMAL: fetched as text
  date,      ///< DATE: MYSQL_TIME
  time,      ///< TIME: MYSQL_TIME
  datetime,  ///< DATETIME, TIMESTAMP: MYSQL_TIME
  text,      ///< character strings, ENUM, SET
  json,      ///< JSON (MySQL's type, or MariaDB's alias when extended metadata says so)
  bytes,     ///< binary strings, BLOBs, BIT, GEOMETRY
};

/// One result column as the server describes it.
struct ResultColumn {
  std::string name;
  std::string declared;
  Fetch fetch = Fetch::text;
  retort_value_type type = RETORT_TYPE_TEXT;
  bool is_unsigned = false;
  bool nullable = true;
  enum_field_types field_type = MYSQL_TYPE_NULL;
  unsigned field_flags = 0;
};

/// Describes `field`.
ResultColumn describe_field(const MYSQL_FIELD& field);

/// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept;
void civil_from_days(int64_t days, int64_t& y, unsigned& m, unsigned& d) noexcept;

/// A DATETIME's MYSQL_TIME → microseconds since 1970-01-01 (wall clock).
int64_t time_micros(const MYSQL_TIME& t) noexcept;
/// A TIME's MYSQL_TIME → signed microseconds (TIME is a duration: −838:59:59 … 838:59:59).
int64_t duration_micros(const MYSQL_TIME& t) noexcept;

/**
 * The parameters of one execution, bound from a parameter batch column by column.  Fixed
 * width values are bound in place (the batch's own arrays); text and bytes as pointers into
 * the batch's data; dates and times through MYSQL_TIME arrays built here.  Keeps what it
 * builds until the next `bind`.
 */
class ParamBinder {
 public:
  /// Checks the batch (column count against `param_count`, value types) and prepares the
  /// per-column arrays for all its rows.  @throws sdk::Error for a value type MariaDB cannot
  /// take (INTERVAL) or a wrong parameter count.
  void prepare(const retort_batch* params, unsigned param_count);
  int64_t rows() const noexcept { return rows_; }
  /// Binds row `row` alone (ordinary execution).
  MYSQL_BIND* bind_row(int64_t row);
  /// Binds rows [first, first + count) as arrays (STMT_ATTR_ARRAY_SIZE = count).
  MYSQL_BIND* bind_array(int64_t first, int64_t count);
  /// Bytes rows [first, first + count) send, roughly (to split a bulk into packets).
  size_t row_bytes(int64_t row) const noexcept;

 private:
  struct Param {
    const retort_column* column = nullptr;
    enum_field_types type = MYSQL_TYPE_NULL;
    size_t width = 0;                              // fixed-width: bytes per value
    std::vector<MYSQL_TIME> times;                 // DATE/TIME/TIMESTAMP(TZ)
    std::vector<const MYSQL_TIME*> time_pointers;  // for array binding: Connector/C reads
                                                   // MYSQL_TIME columns through pointers
    std::vector<char> text;                        // UUIDs as 32 hex digits
    std::vector<const char*> pointers;             // variable width: value i's bytes
    std::vector<unsigned long> lengths;            // variable width: value i's length
    std::vector<char> indicators;                  // STMT_INDICATOR_*, or empty without NULLs
    my_bool is_null = 0;                           // bind_row's NULL flag
  };
  int64_t rows_ = 0;
  std::vector<Param> params_;
  std::vector<MYSQL_BIND> binds_;
};

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_TYPES_HPP
