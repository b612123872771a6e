// plugins/postgresql/codec.hpp — internal helpers shared by the type codecs: big-endian
// access, PostgreSQL's epoch and infinity sentinels, and the per-cell loop over a result.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_POSTGRESQL_CODEC_HPP
#define RETORT_PLUGINS_POSTGRESQL_CODEC_HPP

#include "types.hpp"

#include <retort/sdk/plugin.hpp>

#include <libpq-fe.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace retort::postgresql::codec {

// --- big-endian access ------------------------------------------------------------------------

inline uint16_t load16(const char* p) noexcept {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return __builtin_bswap16(v);
}
inline uint32_t load32(const char* p) noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
inline uint64_t load64(const char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
inline void store16(char* p, uint16_t v) noexcept {
  v = __builtin_bswap16(v);
  std::memcpy(p, &v, 2);
}
inline void store32(char* p, uint32_t v) noexcept {
  v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}
inline void store64(char* p, uint64_t v) noexcept {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

// --- dates and timestamps: PostgreSQL counts from 2000-01-01; infinities are sentinels --------

// --- date and time conversions, with the infinity sentinels -----------------------------------

inline int32_t date_from_pg(int32_t v) noexcept {
  if (v == INT32_MIN || v == INT32_MAX) return v;
  return v + kPgEpochDays;  // PostgreSQL dates stay far inside int32 after the shift
}
inline int64_t timestamp_from_pg(int64_t v) noexcept {
  if (v == INT64_MIN || v == INT64_MAX) return v;
  return v + kPgEpochMicros;  // PostgreSQL's range (294276 AD) stays far inside int64
}
inline bool date_to_pg(int32_t v, int32_t& out) noexcept {
  if (v == INT32_MIN || v == INT32_MAX) {
    out = v;
    return true;
  }
  if (v < INT32_MIN + kPgEpochDays) return false;
  out = v - kPgEpochDays;
  return true;
}
inline bool timestamp_to_pg(int64_t v, int64_t& out) noexcept {
  if (v == INT64_MIN || v == INT64_MAX) {
    out = v;
    return true;
  }
  if (v < INT64_MIN + kPgEpochMicros) return false;
  out = v - kPgEpochMicros;
  return true;
}

/// Throws RETORT_INVALID_DATA for an undecodable value of `type` in result column `column`.
[[noreturn]] void bad_value(std::string_view type, int column);

/// Calls f(data, length) for each non-NULL cell of rows [begin, end) of `col`; appends NULL
/// for the others.
template <typename F>
void each(const PGresult* res, int col, int begin, int end, sdk::ColumnBuffer& out, F&& f) {
  for (int row = begin; row < end; ++row) {
    if (PQgetisnull(res, row, col)) {
      out.append_null();
    } else {
      f(PQgetvalue(res, row, col), PQgetlength(res, row, col));
    }
  }
}

/// Decodes rows [begin, end) of a text-format result column (text_decode.cpp).
void decode_text(Decoder d, const PGresult* res, int col, int begin, int end,
                 sdk::ColumnBuffer& out);

}  // namespace retort::postgresql::codec

#endif  // RETORT_PLUGINS_POSTGRESQL_CODEC_HPP
