// plugins/postgresql/types.hpp — PostgreSQL types ↔ retort value types: parameter encoding
// and result decoding, in binary and text format.
// SPDX-License-Identifier: MIT
//
// Conventions (README.md, "Types", has the full table):
//   - Dates are days since 1970-01-01 and timestamps microseconds since 1970-01-01 (PostgreSQL
//     counts from 2000-01-01; the offset is applied both ways).
//   - `infinity` and `-infinity` dates travel as INT32_MAX and INT32_MIN, timestamps as
//     INT64_MAX and INT64_MIN, in both directions, so they round-trip.
//   - Numeric values travel as exact text (`NaN`, `Infinity`, `-Infinity` included).
#ifndef RETORT_PLUGINS_POSTGRESQL_TYPES_HPP
#define RETORT_PLUGINS_POSTGRESQL_TYPES_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <vector>

namespace retort::postgresql {

/// Built-in type OIDs (fixed in pg_type.dat; they never change between versions).
namespace oid {
inline constexpr Oid kBool = 16;
inline constexpr Oid kBytea = 17;
inline constexpr Oid kChar = 18;
inline constexpr Oid kName = 19;
inline constexpr Oid kInt8 = 20;
inline constexpr Oid kInt2 = 21;
inline constexpr Oid kInt4 = 23;
inline constexpr Oid kText = 25;
inline constexpr Oid kOid = 26;
inline constexpr Oid kJson = 114;
inline constexpr Oid kXml = 142;
inline constexpr Oid kFloat4 = 700;
inline constexpr Oid kFloat8 = 701;
inline constexpr Oid kUnknown = 705;
inline constexpr Oid kBpchar = 1042;
inline constexpr Oid kVarchar = 1043;
inline constexpr Oid kDate = 1082;
inline constexpr Oid kTime = 1083;
inline constexpr Oid kTimestamp = 1114;
inline constexpr Oid kTimestampTz = 1184;
inline constexpr Oid kInterval = 1186;
inline constexpr Oid kTimeTz = 1266;
inline constexpr Oid kNumeric = 1700;
inline constexpr Oid kVoid = 2278;
inline constexpr Oid kUuid = 2950;
inline constexpr Oid kJsonb = 3802;
}  // namespace oid

/// Days from 1970-01-01 to 2000-01-01, and the same in microseconds.
inline constexpr int32_t kPgEpochDays = 10957;
inline constexpr int64_t kPgEpochMicros = int64_t{kPgEpochDays} * 86400 * 1000000;

/// How a result column is decoded; one per supported type family.
enum class Decoder : uint8_t {
  kInt2, kInt4, kInt8, kOid, kFloat4, kFloat8, kBool, kNumeric, kText, kBytea, kDate, kTime,
  kTimeTz, kTimestamp, kTimestampTz, kInterval, kUuid, kJson, kJsonb, kVoid,
  /// Anything else (arrays, enums, inet, cidr, money, ranges, …): its text form, as TEXT.
  kOther
};

/// The decoder for a column of type `type`.
Decoder decoder_for(Oid type) noexcept;
/// The value type a decoder produces.
retort_value_type value_type_of(Decoder d) noexcept;
/// True when the decoder reads the binary format (all but kOther).
inline bool has_binary_decoder(Decoder d) noexcept { return d != Decoder::kOther; }
/// True when the decoder's text format depends on DateStyle / IntervalStyle.
bool depends_on_datestyle(Decoder d) noexcept;
/// The type as format_type() spells it (`character varying(20)`, `numeric(20,6)`), or ""
/// for a type that is not built in.
std::string declared_type(Oid type, int typmod);

/**
 * Appends rows [begin, end) of column `column` of `res` to `out` (reset to
 * value_type_of(d)).  `binary` says which format the result is in.
 * @throws sdk::Error RETORT_INVALID_DATA for a value that cannot be decoded.
 */
void decode_column(Decoder d, bool binary, const PGresult* res, int column, int begin, int end,
                   sdk::ColumnBuffer& out);

/**
 * Turns a parameter batch into libpq's arrays, one row at a time.
 *
 * Type OIDs and formats follow the batch's column types: INT64 → int8, DOUBLE → float8,
 * BOOL → bool, BYTES → bytea, DATE → date, TIME → time, TIMESTAMP → timestamp, TIMESTAMPTZ →
 * timestamptz, INTERVAL → interval, UUID → uuid, all in binary; TEXT → unknown (0, so the
 * server infers the type from the context: `varchar_col = $1` works), DECIMAL → numeric,
 * JSON → json, in text; an all-NULL column → unknown.
 */
class ParamEncoder {
 public:
  /// `params` may be NULL or have no columns: no parameters, one execution.
  explicit ParamEncoder(const retort_batch* params);

  int count() const noexcept { return static_cast<int>(types_.size()); }
  /// Executions: the batch's row count, or 1 without parameters.
  int64_t rows() const noexcept { return rows_; }
  const std::vector<Oid>& types() const noexcept { return types_; }
  const int* formats() const noexcept { return formats_.data(); }

  /// Checks every value of every row, so that encode() cannot fail afterwards.
  /// @throws sdk::Error RETORT_INVALID_DATA naming the parameter ($n) and row.
  void validate() const;
  /// Encodes row `row`; values() and lengths() stay valid until the next call.
  void encode(int64_t row);
  const char* const* values() const noexcept { return values_.data(); }
  const int* lengths() const noexcept { return lengths_.data(); }

 private:
  const retort_batch* batch_ = nullptr;
  int64_t rows_ = 1;
  std::vector<Oid> types_;
  std::vector<int> formats_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<size_t> offsets_;
  // Bytes each RETORT_TYPE_INT64 parameter travels in: 8 (int8), or 4 / 2 when the host
  // declared it INTEGER / SMALLINT and every value of the batch fits (int4 / int2).
  std::vector<uint8_t> int_widths_;
  std::string scratch_;
};

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_TYPES_HPP
