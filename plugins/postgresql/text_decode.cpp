// plugins/postgresql/text_decode.cpp — decoding results in text format (DateStyle ISO,
// IntervalStyle postgres), used when a result has a column without a binary decoder.
// SPDX-License-Identifier: MIT
#include "codec.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <string>
#include <string_view>

namespace retort::postgresql::codec {
namespace {

// --- calendar -----------------------------------------------------------------------------

// --- calendar -----------------------------------------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) noexcept {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// --- text parsing ------------------------------------------------------------------------

struct Cursor {
  const char* p;
  const char* end;
  bool done() const noexcept { return p == end; }
  bool eat(char c) noexcept {
    if (p != end && *p == c) {
      ++p;
      return true;
    }
    return false;
  }
  // Unsigned decimal digits (at least one, at most 18).
  bool number(int64_t& v, int* count = nullptr) noexcept {
    const char* start = p;
    v = 0;
    while (p != end && *p >= '0' && *p <= '9' && p - start < 18) v = v * 10 + (*p++ - '0');
    if (count != nullptr) *count = static_cast<int>(p - start);
    return p != start;
  }
  // ".ffffff" after seconds: microseconds (more than six digits are rounded away by the
  // server before they get here, so they are simply truncated).
  int64_t fraction() noexcept {
    if (!eat('.')) return 0;
    int64_t v = 0;
    int n = 0;
    while (p != end && *p >= '0' && *p <= '9') {
      if (n < 6) v = v * 10 + (*p - '0');
      ++n;
      ++p;
    }
    for (; n < 6; ++n) v *= 10;
    return v;
  }
};

bool strip_suffix(std::string_view& s, std::string_view suffix) noexcept {
  if (s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
    s.remove_suffix(suffix.size());
    return true;
  }
  return false;
}

// "YYYY-MM-DD" (DateStyle ISO); `bc` applies the " BC" era.
bool parse_date_part(Cursor& c, bool bc, int64_t& days) noexcept {
  int64_t y, m, d;
  if (!c.number(y) || !c.eat('-') || !c.number(m) || !c.eat('-') || !c.number(d)) return false;
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  if (bc) y = 1 - y;
  days = days_from_civil(y, m, d);
  return true;
}

// "HH:MM:SS[.ffffff]" → microseconds since midnight.
bool parse_time_part(Cursor& c, int64_t& micros) noexcept {
  int64_t h, mi, s;
  if (!c.number(h) || !c.eat(':') || !c.number(mi) || !c.eat(':') || !c.number(s)) return false;
  micros = ((h * 60 + mi) * 60 + s) * 1000000 + c.fraction();
  return true;
}

// "+HH[:MM[:SS]]" → seconds east of UTC.
bool parse_offset(Cursor& c, int64_t& seconds) noexcept {
  const bool neg = c.eat('-');
  if (!neg && !c.eat('+')) return false;
  int64_t h, m = 0, s = 0;
  if (!c.number(h)) return false;
  if (c.eat(':') && !c.number(m)) return false;
  if (c.eat(':') && !c.number(s)) return false;
  seconds = (h * 3600 + m * 60 + s) * (neg ? -1 : 1);
  return true;
}

enum class Stamp { kDate, kTimestamp, kTimestampTz };

// Dates and timestamps in DateStyle ISO, with infinities and the BC era.
bool parse_stamp(std::string_view s, Stamp kind, int64_t& out) noexcept {
  if (s == "infinity") return out = kind == Stamp::kDate ? INT32_MAX : INT64_MAX, true;
  if (s == "-infinity") return out = kind == Stamp::kDate ? INT32_MIN : INT64_MIN, true;
  const bool bc = strip_suffix(s, " BC");
  Cursor c{s.data(), s.data() + s.size()};
  int64_t days;
  if (!parse_date_part(c, bc, days)) return false;
  if (kind == Stamp::kDate) return out = days, c.done();
  int64_t micros, offset = 0;
  if (!c.eat(' ') || !parse_time_part(c, micros)) return false;
  if (kind == Stamp::kTimestampTz && !parse_offset(c, offset)) return false;
  out = days * 86400000000 + micros - offset * 1000000;
  return c.done();
}

// IntervalStyle postgres: "1 year 2 mons -3 days +04:05:06.5".
bool parse_interval(std::string_view s, retort_interval& out) noexcept {
  out = retort_interval{};
  Cursor c{s.data(), s.data() + s.size()};
  while (!c.done()) {
    if (c.eat(' ')) continue;
    const char* token = c.p;
    const bool neg = c.eat('-');
    if (!neg) c.eat('+');
    int64_t n;
    if (!c.number(n)) return false;
    if (c.eat(':')) {  // the time part: [-]H:MM:SS[.f]
      c.p = token;
      const bool tneg = c.eat('-');
      if (!tneg) c.eat('+');
      int64_t micros;
      if (!parse_time_part(c, micros)) return false;
      out.microseconds += tneg ? -micros : micros;
      continue;
    }
    if (neg) n = -n;
    if (!c.eat(' ')) return false;
    const char* word = c.p;
    while (!c.done() && *c.p != ' ') ++c.p;
    const std::string_view unit(word, static_cast<size_t>(c.p - word));
    if (unit == "year" || unit == "years") {
      out.months += static_cast<int32_t>(n * 12);
    } else if (unit == "mon" || unit == "mons") {
      out.months += static_cast<int32_t>(n);
    } else if (unit == "day" || unit == "days") {
      out.days += static_cast<int32_t>(n);
    } else {
      return false;
    }
  }
  return true;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_uuid(std::string_view s, std::array<uint8_t, 16>& out) noexcept {
  size_t n = 0;
  int high = -1;
  for (char ch : s) {
    if (ch == '-' || ch == '{' || ch == '}') continue;
    const int v = hex_value(ch);
    if (v < 0 || n == 16) return false;
    if (high < 0) {
      high = v;
    } else {
      out[n++] = static_cast<uint8_t>(high << 4 | v);
      high = -1;
    }
  }
  return n == 16 && high < 0;
}

// bytea_output hex (`\x0aff`) or escape (`a\000\\`).
bool parse_bytea(std::string_view s, std::string& out) {
  out.clear();
  if (s.size() >= 2 && s[0] == '\\' && s[1] == 'x') {
    if (s.size() % 2 != 0) return false;
    out.reserve((s.size() - 2) / 2);
    for (size_t i = 2; i < s.size(); i += 2) {
      const int a = hex_value(s[i]), b = hex_value(s[i + 1]);
      if (a < 0 || b < 0) return false;
      out.push_back(static_cast<char>(a << 4 | b));
    }
    return true;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out.push_back(s[i]);
    } else if (i + 1 < s.size() && s[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
    } else if (i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
               s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

template <typename T>
bool parse_int(std::string_view s, T& v) noexcept {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

template <typename F>
bool parse_float(std::string_view s, F& v) noexcept {
  if (s == "NaN") return v = std::numeric_limits<F>::quiet_NaN(), true;
  if (s == "Infinity") return v = std::numeric_limits<F>::infinity(), true;
  if (s == "-Infinity") return v = -std::numeric_limits<F>::infinity(), true;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

void decode_text(Decoder d, const PGresult* res, int col, int begin, int end,
                 sdk::ColumnBuffer& out) {
  auto text = [&](const char* p, int n) { return std::string_view(p, static_cast<size_t>(n)); };
  switch (d) {
    case Decoder::kInt2:
    case Decoder::kInt4:
    case Decoder::kInt8:
    case Decoder::kOid:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        int64_t v;
        if (!parse_int(text(p, n), v)) bad_value("integer", col);
        out.append(v);
      });
    case Decoder::kFloat4:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        float v;  // parsed as float, so the value equals the binary transfer's
        if (!parse_float(text(p, n), v)) bad_value("real", col);
        out.append(static_cast<double>(v));
      });
    case Decoder::kFloat8:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        double v;
        if (!parse_float(text(p, n), v)) bad_value("double precision", col);
        out.append(v);
      });
    case Decoder::kBool:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        if (n != 1 || (*p != 't' && *p != 'f')) bad_value("boolean", col);
        out.append(static_cast<uint8_t>(*p == 't'));
      });
    case Decoder::kBytea: {
      std::string bytes;
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        if (!parse_bytea(text(p, n), bytes)) bad_value("bytea", col);
        out.append_bytes(bytes.data(), bytes.size());
      });
    }
    case Decoder::kVoid:
      return each(res, col, begin, end, out, [&](const char*, int) { out.append_bytes("", 0); });
    case Decoder::kDate:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        int64_t v;
        if (!parse_stamp(text(p, n), Stamp::kDate, v)) bad_value("date", col);
        out.append(static_cast<int32_t>(v));
      });
    case Decoder::kTime:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        Cursor c{p, p + n};
        int64_t v;
        if (!parse_time_part(c, v) || !c.done()) bad_value("time", col);
        out.append(v);
      });
    case Decoder::kTimestamp:
    case Decoder::kTimestampTz:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        int64_t v;
        const Stamp kind = d == Decoder::kTimestamp ? Stamp::kTimestamp : Stamp::kTimestampTz;
        if (!parse_stamp(text(p, n), kind, v)) bad_value("timestamp", col);
        out.append(v);
      });
    case Decoder::kInterval:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        retort_interval v;
        if (!parse_interval(text(p, n), v)) bad_value("interval", col);
        out.append(v);
      });
    case Decoder::kUuid:
      return each(res, col, begin, end, out, [&](const char* p, int n) {
        std::array<uint8_t, 16> v;
        if (!parse_uuid(text(p, n), v)) bad_value("uuid", col);
        out.append(v);
      });
    case Decoder::kNumeric:
    case Decoder::kText:
    case Decoder::kTimeTz:
    case Decoder::kJson:
    case Decoder::kJsonb:
    case Decoder::kOther:
      return each(res, col, begin, end, out,
                  [&](const char* p, int n) { out.append_bytes(p, static_cast<size_t>(n)); });
  }
}

}  // namespace retort::postgresql::codec
