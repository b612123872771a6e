// plugins/postgresql/params.cpp — parameter batches → libpq's value, length and format
// arrays.
// SPDX-License-Identifier: MIT
#include "codec.hpp"
#include "errors.hpp"
#include "types.hpp"

#include <climits>
#include <cstring>
#include <string>
#include <string_view>

namespace retort::postgresql {

using codec::date_to_pg;
using codec::store16;
using codec::store32;
using codec::store64;
using codec::timestamp_to_pg;

namespace {

struct ParamType {
  Oid oid;
  int format;  // 0 text, 1 binary
};

ParamType param_type(uint32_t type) {
  switch (type) {
    case RETORT_TYPE_NULL: return {0, 0};
    case RETORT_TYPE_BOOL: return {oid::kBool, 1};
    case RETORT_TYPE_INT64: return {oid::kInt8, 1};
    case RETORT_TYPE_DOUBLE: return {oid::kFloat8, 1};
    case RETORT_TYPE_TEXT: return {0, 0};
    case RETORT_TYPE_BYTES: return {oid::kBytea, 1};
    case RETORT_TYPE_DECIMAL: return {oid::kNumeric, 0};
    case RETORT_TYPE_DATE: return {oid::kDate, 1};
    case RETORT_TYPE_TIME: return {oid::kTime, 1};
    case RETORT_TYPE_TIMESTAMP: return {oid::kTimestamp, 1};
    case RETORT_TYPE_TIMESTAMPTZ: return {oid::kTimestampTz, 1};
    case RETORT_TYPE_INTERVAL: return {oid::kInterval, 1};
    case RETORT_TYPE_UUID: return {oid::kUuid, 1};
    case RETORT_TYPE_JSON: return {oid::kJson, 0};
    default:
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "unknown parameter value type " + std::to_string(type));
  }
}

constexpr char kEmpty[1] = {'\0'};

// The width an INT64 column travels in.  PostgreSQL resolves functions and operators by the
// parameter types it is told, so an INTEGER parameter sent as int8 makes `substr($1, $2)`
// fail ("function substr(text, bigint) does not exist"); the host's hint says which SQL type
// the statement meant, and the values decide whether it is safe.
uint8_t int_width(const retort_column& col, int64_t rows) {
  int64_t lo = 0;
  int64_t hi = 0;
  if (col.flags & RETORT_COLUMN_DECLARED_INT16) {
    lo = INT16_MIN;
    hi = INT16_MAX;
  } else if (col.flags & RETORT_COLUMN_DECLARED_INT32) {
    lo = INT32_MIN;
    hi = INT32_MAX;
  } else {
    return 8;
  }
  const sdk::ColumnReader reader(col);
  for (int64_t row = 0; row < rows; ++row) {
    if (reader.is_null(row)) continue;
    const int64_t v = reader.fixed<int64_t>(row);
    if (v < lo || v > hi) return 8;
  }
  return hi == INT16_MAX ? 2 : 4;
}

}  // namespace

ParamEncoder::ParamEncoder(const retort_batch* params) {
  if (params == nullptr || params->column_count <= 0) return;
  if (params->column_count > 65535) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "PostgreSQL accepts at most 65535 parameters per statement, got " +
                           std::to_string(params->column_count));
  }
  batch_ = params;
  rows_ = params->row_count;
  const size_t n = static_cast<size_t>(params->column_count);
  types_.resize(n);
  formats_.resize(n);
  values_.resize(n);
  lengths_.resize(n);
  offsets_.resize(n);
  int_widths_.assign(n, 8);
  for (size_t i = 0; i < n; ++i) {
    const retort_column& col = params->columns[i];
    const ParamType t = param_type(col.type);
    types_[i] = t.oid;
    formats_[i] = t.format;
    if (col.type == RETORT_TYPE_INT64 && col.flags != 0) {
      int_widths_[i] = int_width(col, rows_);
      if (int_widths_[i] != 8) types_[i] = int_widths_[i] == 4 ? oid::kInt4 : oid::kInt2;
    }
  }
}

void ParamEncoder::validate() const {
  if (batch_ == nullptr) return;
  for (int i = 0; i < batch_->column_count; ++i) {
    const retort_column& col = batch_->columns[i];
    const sdk::ColumnReader reader(col);
    auto fail = [&](int64_t row, const std::string& why, std::string_view state) {
      throw plugin_error(RETORT_INVALID_DATA,
                         "parameter $" + std::to_string(i + 1) + " (row " + std::to_string(row) +
                             ") " + why,
                         state);
    };
    for (int64_t row = 0; row < rows_; ++row) {
      if (reader.is_null(row)) continue;
      switch (col.type) {
        case RETORT_TYPE_TEXT:
        case RETORT_TYPE_DECIMAL:
        case RETORT_TYPE_JSON:
        case RETORT_TYPE_BYTES: {
          const std::string_view v = reader.bytes(row);
          if (v.size() > static_cast<size_t>(INT_MAX)) fail(row, "is larger than 2 GiB", "54000");
          if (col.type != RETORT_TYPE_BYTES && !v.empty() &&
              std::memchr(v.data(), 0, v.size()) != nullptr) {
            fail(row, "contains a NUL character, which PostgreSQL text cannot hold", "22021");
          }
          break;
        }
        case RETORT_TYPE_DATE: {
          int32_t out;
          if (!date_to_pg(reader.fixed<int32_t>(row), out)) fail(row, "is out of range", "22008");
          break;
        }
        case RETORT_TYPE_TIMESTAMP:
        case RETORT_TYPE_TIMESTAMPTZ: {
          int64_t out;
          if (!timestamp_to_pg(reader.fixed<int64_t>(row), out)) {
            fail(row, "is out of range", "22008");
          }
          break;
        }
        default:
          break;
      }
    }
  }
}

void ParamEncoder::encode(int64_t row) {
  if (batch_ == nullptr) return;
  scratch_.clear();
  constexpr size_t kDirect = SIZE_MAX;
  const int n = batch_->column_count;
  auto room = [&](size_t bytes) {
    const size_t at = scratch_.size();
    scratch_.resize(at + bytes);
    return at;
  };
  for (int i = 0; i < n; ++i) {
    const retort_column& col = batch_->columns[i];
    const sdk::ColumnReader reader(col);
    offsets_[i] = kDirect;
    if (reader.is_null(row)) {
      values_[i] = nullptr;
      lengths_[i] = 0;
      continue;
    }
    switch (col.type) {
      case RETORT_TYPE_BOOL: {
        const size_t at = room(1);
        scratch_[at] = reader.fixed<uint8_t>(row) != 0 ? 1 : 0;
        offsets_[i] = at;
        lengths_[i] = 1;
        break;
      }
      case RETORT_TYPE_INT64: {
        const int64_t v = reader.fixed<int64_t>(row);
        const uint8_t width = int_widths_[i];
        const size_t at = room(width);
        if (width == 8) {
          store64(scratch_.data() + at, static_cast<uint64_t>(v));
        } else if (width == 4) {
          store32(scratch_.data() + at, static_cast<uint32_t>(static_cast<int32_t>(v)));
        } else {
          store16(scratch_.data() + at, static_cast<uint16_t>(static_cast<int16_t>(v)));
        }
        offsets_[i] = at;
        lengths_[i] = width;
        break;
      }
      case RETORT_TYPE_DOUBLE:
      case RETORT_TYPE_TIME: {
        const size_t at = room(8);
        store64(scratch_.data() + at, reader.fixed<uint64_t>(row));
        offsets_[i] = at;
        lengths_[i] = 8;
        break;
      }
      case RETORT_TYPE_TIMESTAMP:
      case RETORT_TYPE_TIMESTAMPTZ: {
        int64_t v = 0;
        timestamp_to_pg(reader.fixed<int64_t>(row), v);  // checked by validate()
        const size_t at = room(8);
        store64(scratch_.data() + at, static_cast<uint64_t>(v));
        offsets_[i] = at;
        lengths_[i] = 8;
        break;
      }
      case RETORT_TYPE_DATE: {
        int32_t v = 0;
        date_to_pg(reader.fixed<int32_t>(row), v);
        const size_t at = room(4);
        store32(scratch_.data() + at, static_cast<uint32_t>(v));
        offsets_[i] = at;
        lengths_[i] = 4;
        break;
      }
      case RETORT_TYPE_INTERVAL: {
        const auto v = reader.fixed<retort_interval>(row);
        const size_t at = room(16);
        store64(scratch_.data() + at, static_cast<uint64_t>(v.microseconds));
        store32(scratch_.data() + at + 8, static_cast<uint32_t>(v.days));
        store32(scratch_.data() + at + 12, static_cast<uint32_t>(v.months));
        offsets_[i] = at;
        lengths_[i] = 16;
        break;
      }
      case RETORT_TYPE_UUID:
        values_[i] = reinterpret_cast<const char*>(reader.uuid(row));
        lengths_[i] = 16;
        break;
      case RETORT_TYPE_BYTES: {
        const std::string_view v = reader.bytes(row);
        values_[i] = v.empty() ? kEmpty : v.data();
        lengths_[i] = static_cast<int>(v.size());
        break;
      }
      case RETORT_TYPE_TEXT:
      case RETORT_TYPE_DECIMAL:
      case RETORT_TYPE_JSON: {
        // Text format: libpq takes the length from the terminating NUL.
        const std::string_view v = reader.bytes(row);
        const size_t at = room(v.size() + 1);
        if (!v.empty()) std::memcpy(scratch_.data() + at, v.data(), v.size());
        scratch_[at + v.size()] = '\0';
        offsets_[i] = at;
        lengths_[i] = static_cast<int>(v.size());
        break;
      }
      default:
        values_[i] = nullptr;
        lengths_[i] = 0;
        break;
    }
  }
  for (int i = 0; i < n; ++i) {
    if (offsets_[i] != kDirect) values_[i] = scratch_.data() + offsets_[i];
  }
}
}  // namespace retort::postgresql
