// plugins/postgresql/types.cpp — PostgreSQL types ↔ retort value types: the type map and
// binary result decoding.
// SPDX-License-Identifier: MIT
#include "types.hpp"

#include "codec.hpp"
#include "errors.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>

namespace retort::postgresql {

namespace codec {

void bad_value(std::string_view type, int column) {
  throw plugin_error(RETORT_INVALID_DATA,
                     "cannot decode a " + std::string(type) + " value the server sent for column " +
                         std::to_string(column + 1),
                     "22000");
}

}  // namespace codec

namespace {

using codec::bad_value;
using codec::date_from_pg;
using codec::each;
using codec::load16;
using codec::load32;
using codec::load64;
using codec::timestamp_from_pg;

// --- binary numeric → exact text -------------------------------------------------------------

bool numeric_binary_to_text(const char* p, int len, std::string& out) {
  if (len < 8) return false;
  const int ndigits = static_cast<int16_t>(load16(p));
  const int weight = static_cast<int16_t>(load16(p + 2));
  const uint16_t sign = load16(p + 4);
  const int dscale = load16(p + 6);
  out.clear();
  if (sign == 0xC000) return out.assign("NaN"), true;
  if (sign == 0xD000) return out.assign("Infinity"), true;
  if (sign == 0xF000) return out.assign("-Infinity"), true;
  if (ndigits < 0 || len < 8 + 2 * ndigits || (sign != 0 && sign != 0x4000)) return false;
  auto digit = [&](int i) -> int { return i >= 0 && i < ndigits ? load16(p + 8 + 2 * i) : 0; };
  if (sign == 0x4000) out.push_back('-');
  if (weight < 0) {
    out.push_back('0');
  } else {
    for (int i = 0; i <= weight; ++i) {
      const int d = digit(i);
      if (d > 9999) return false;
      char buf[8];
      if (i == 0) {
        auto r = std::to_chars(buf, buf + sizeof buf, d);
        out.append(buf, r.ptr);
      } else {
        out.push_back(static_cast<char>('0' + d / 1000));
        out.push_back(static_cast<char>('0' + d / 100 % 10));
        out.push_back(static_cast<char>('0' + d / 10 % 10));
        out.push_back(static_cast<char>('0' + d % 10));
      }
    }
  }
  if (dscale > 0) {
    out.push_back('.');
    int written = 0;
    for (int i = weight + 1; written < dscale; ++i) {
      const int d = digit(i);
      if (d > 9999) return false;
      const char group[4] = {static_cast<char>('0' + d / 1000), static_cast<char>('0' + d / 100 % 10),
                             static_cast<char>('0' + d / 10 % 10), static_cast<char>('0' + d % 10)};
      for (int k = 0; k < 4 && written < dscale; ++k, ++written) out.push_back(group[k]);
    }
  }
  return true;
}

// --- binary timetz → PostgreSQL's text form --------------------------------------------------

void append_two(std::string& out, int64_t v) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

// HH:MM:SS[.ffffff] with trailing zeros of the fraction dropped, as PostgreSQL prints it.
void append_time(std::string& out, int64_t micros) {
  const int64_t hours = micros / 3600000000;
  if (hours >= 100) {
    out += std::to_string(hours);
  } else {
    append_two(out, hours);
  }
  out.push_back(':');
  append_two(out, micros / 60000000 % 60);
  out.push_back(':');
  append_two(out, micros / 1000000 % 60);
  int64_t frac = micros % 1000000;
  if (frac != 0) {
    char digits[7] = {};
    for (int i = 5; i >= 0; --i, frac /= 10) digits[i] = static_cast<char>('0' + frac % 10);
    int n = 6;
    while (n > 0 && digits[n - 1] == '0') --n;
    out.push_back('.');
    out.append(digits, static_cast<size_t>(n));
  }
}

void append_timetz(std::string& out, int64_t micros, int32_t zone_west) {
  append_time(out, micros);
  const int32_t offset = -zone_west;
  int32_t a = offset < 0 ? -offset : offset;
  out.push_back(offset < 0 ? '-' : '+');
  append_two(out, a / 3600);
  const int32_t min = a / 60 % 60;
  const int32_t sec = a % 60;
  if (min != 0 || sec != 0) {
    out.push_back(':');
    append_two(out, min);
  }
  if (sec != 0) {
    out.push_back(':');
    append_two(out, sec);
  }
}

void decode_binary(Decoder d, const PGresult* res, int col, int begin, int end,
                   sdk::ColumnBuffer& out) {
  auto need = [&](int have, int want, std::string_view type) {
    if (have != want) bad_value(type, col);
  };
  switch (d) {
    case Decoder::kInt2:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 2, "smallint");
        out.append(int64_t{static_cast<int16_t>(load16(p))});
      });
    case Decoder::kInt4:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 4, "integer");
        out.append(int64_t{static_cast<int32_t>(load32(p))});
      });
    case Decoder::kOid:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 4, "oid");
        out.append(int64_t{load32(p)});
      });
    case Decoder::kInt8:
    case Decoder::kTime:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 8, d == Decoder::kTime ? "time" : "bigint");
        out.append(static_cast<int64_t>(load64(p)));
      });
    case Decoder::kFloat4:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 4, "real");
        const uint32_t bits = load32(p);
        float f;
        std::memcpy(&f, &bits, 4);
        out.append(static_cast<double>(f));
      });
    case Decoder::kFloat8:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 8, "double precision");
        const uint64_t bits = load64(p);
        double f;
        std::memcpy(&f, &bits, 8);
        out.append(f);
      });
    case Decoder::kBool:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 1, "boolean");
        out.append(static_cast<uint8_t>(*p != 0));
      });
    case Decoder::kNumeric: {
      std::string text;
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        if (!numeric_binary_to_text(p, n, text)) bad_value("numeric", col);
        out.append_bytes(text.data(), text.size());
      });
    }
    case Decoder::kText:
    case Decoder::kBytea:
    case Decoder::kJson:
      return each(res, col, begin, end, out,
                  [&](const char* p, int n) { out.append_bytes(p, static_cast<size_t>(n)); });
    case Decoder::kJsonb:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        if (n < 1 || *p != 1) bad_value("jsonb", col);
        out.append_bytes(p + 1, static_cast<size_t>(n - 1));
      });
    case Decoder::kVoid:
      return each(res, col, begin, end, out, [&](const char*, int) { out.append_bytes("", 0); });
    case Decoder::kDate:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 4, "date");
        out.append(date_from_pg(static_cast<int32_t>(load32(p))));
      });
    case Decoder::kTimestamp:
    case Decoder::kTimestampTz:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 8, "timestamp");
        out.append(timestamp_from_pg(static_cast<int64_t>(load64(p))));
      });
    case Decoder::kTimeTz: {
      std::string text;
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 12, "time with time zone");
        text.clear();
        append_timetz(text, static_cast<int64_t>(load64(p)), static_cast<int32_t>(load32(p + 8)));
        out.append_bytes(text.data(), text.size());
      });
    }
    case Decoder::kInterval:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 16, "interval");
        retort_interval v;
        v.microseconds = static_cast<int64_t>(load64(p));
        v.days = static_cast<int32_t>(load32(p + 8));
        v.months = static_cast<int32_t>(load32(p + 12));
        out.append(v);
      });
    case Decoder::kUuid:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        need(n, 16, "uuid");
        std::array<uint8_t, 16> v;
        std::memcpy(v.data(), p, 16);
        out.append(v);
      });
    case Decoder::kOther:
      break;
  }
  bad_value("binary", col);  // kOther is never fetched in binary
}

}  // namespace

// --- result side ------------------------------------------------------------------------------

Decoder decoder_for(Oid type) noexcept {
  switch (type) {
    case oid::kInt2: return Decoder::kInt2;
    case oid::kInt4: return Decoder::kInt4;
    case oid::kInt8: return Decoder::kInt8;
    case oid::kOid: return Decoder::kOid;
    case oid::kFloat4: return Decoder::kFloat4;
    case oid::kFloat8: return Decoder::kFloat8;
    case oid::kBool: return Decoder::kBool;
    case oid::kNumeric: return Decoder::kNumeric;
    case oid::kText:
    case oid::kVarchar:
    case oid::kBpchar:
    case oid::kName:
    case oid::kChar:
    case oid::kUnknown: return Decoder::kText;
    case oid::kBytea: return Decoder::kBytea;
    case oid::kDate: return Decoder::kDate;
    case oid::kTime: return Decoder::kTime;
    case oid::kTimeTz: return Decoder::kTimeTz;
    case oid::kTimestamp: return Decoder::kTimestamp;
    case oid::kTimestampTz: return Decoder::kTimestampTz;
    case oid::kInterval: return Decoder::kInterval;
    case oid::kUuid: return Decoder::kUuid;
    case oid::kJson: return Decoder::kJson;
    case oid::kJsonb: return Decoder::kJsonb;
    case oid::kVoid: return Decoder::kVoid;
    default: return Decoder::kOther;
  }
}

retort_value_type value_type_of(Decoder d) noexcept {
  switch (d) {
    case Decoder::kInt2:
    case Decoder::kInt4:
    case Decoder::kInt8:
    case Decoder::kOid: return RETORT_TYPE_INT64;
    case Decoder::kFloat4:
    case Decoder::kFloat8: return RETORT_TYPE_DOUBLE;
    case Decoder::kBool: return RETORT_TYPE_BOOL;
    case Decoder::kNumeric: return RETORT_TYPE_DECIMAL;
    case Decoder::kBytea: return RETORT_TYPE_BYTES;
    case Decoder::kDate: return RETORT_TYPE_DATE;
    case Decoder::kTime: return RETORT_TYPE_TIME;
    case Decoder::kTimestamp: return RETORT_TYPE_TIMESTAMP;
    case Decoder::kTimestampTz: return RETORT_TYPE_TIMESTAMPTZ;
    case Decoder::kInterval: return RETORT_TYPE_INTERVAL;
    case Decoder::kUuid: return RETORT_TYPE_UUID;
    case Decoder::kJson:
    case Decoder::kJsonb: return RETORT_TYPE_JSON;
    case Decoder::kText:
    case Decoder::kTimeTz:
    case Decoder::kVoid:
    case Decoder::kOther: return RETORT_TYPE_TEXT;
  }
  return RETORT_TYPE_TEXT;
}

bool depends_on_datestyle(Decoder d) noexcept {
  return d == Decoder::kDate || d == Decoder::kTimestamp || d == Decoder::kTimestampTz ||
         d == Decoder::kInterval;
}

std::string declared_type(Oid type, int typmod) {
  const bool mod = typmod >= 4;
  switch (type) {
    case oid::kBool: return "boolean";
    case oid::kBytea: return "bytea";
    case oid::kChar: return "\"char\"";
    case oid::kName: return "name";
    case oid::kInt8: return "bigint";
    case oid::kInt2: return "smallint";
    case oid::kInt4: return "integer";
    case oid::kText: return "text";
    case oid::kOid: return "oid";
    case oid::kJson: return "json";
    case oid::kXml: return "xml";
    case oid::kFloat4: return "real";
    case oid::kFloat8: return "double precision";
    case oid::kUnknown: return "unknown";
    case oid::kBpchar:
      return mod ? "character(" + std::to_string(typmod - 4) + ")" : "bpchar";
    case oid::kVarchar:
      return mod ? "character varying(" + std::to_string(typmod - 4) + ")" : "character varying";
    case oid::kDate: return "date";
    case oid::kTime: return "time without time zone";
    case oid::kTimestamp: return "timestamp without time zone";
    case oid::kTimestampTz: return "timestamp with time zone";
    case oid::kInterval: return "interval";
    case oid::kTimeTz: return "time with time zone";
    case oid::kNumeric:
      return mod ? "numeric(" + std::to_string(((typmod - 4) >> 16) & 0xFFFF) + "," +
                       std::to_string(static_cast<int16_t>((typmod - 4) & 0xFFFF)) + ")"
                 : "numeric";
    case oid::kVoid: return "void";
    case oid::kUuid: return "uuid";
    case oid::kJsonb: return "jsonb";
    default: return {};
  }
}

void decode_column(Decoder d, bool binary, const PGresult* res, int column, int begin, int end,
                   sdk::ColumnBuffer& out) {
  if (binary) {
    decode_binary(d, res, column, begin, end, out);
  } else {
    codec::decode_text(d, res, column, begin, end, out);
  }
}

}  // namespace retort::postgresql
