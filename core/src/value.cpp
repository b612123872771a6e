// core/src/value.cpp — Value rendering, Params, Uuid, and ISO formatting of dates and times.
#include <retort/exceptions.hpp>
#include <retort/value.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

namespace retort {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr std::int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr std::int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// Longer strings are shown by their ends, as SQLAlchemy does in logged parameters.
constexpr std::size_t kMaxStringRepr = 300;
constexpr std::size_t kMaxBytesRepr = 32;

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's days_from_civil inverse: exact for every 64-bit day count, where
// std::chrono::year_month_day is limited to years ±32767.
CivilDate civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<std::uint64_t>(z - era * 146097);
  const std::uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::uint64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::uint64_t magnitude(std::int64_t v) noexcept {
  return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

void append_date(std::string& out, std::int64_t days) {
  const CivilDate d = civil_from_days(days);
  // ISO 8601 / astronomical years: year 0 is 1 BC; at least four digits; a sign only when
  // negative (PostgreSQL and std::chrono print 10000-01-01 the same way).
  if (d.year < 0) {
    fmt::format_to(std::back_inserter(out), "-{:04}-{:02}-{:02}", magnitude(d.year), d.month,
                   d.day);
  } else {
    fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}", d.year, d.month, d.day);
  }
}

// `micros` is within one day, non-negative.
void append_time_of_day(std::string& out, std::int64_t micros) {
  fmt::format_to(std::back_inserter(out), "{:02}:{:02}:{:02}.{:06}", micros / kMicrosPerHour,
                 micros / kMicrosPerMinute % 60, micros / kMicrosPerSecond % 60,
                 micros % kMicrosPerSecond);
}

void append_timestamp(std::string& out, std::int64_t micros) {
  const std::int64_t days = floor_div(micros, kMicrosPerDay);
  append_date(out, days);
  out.push_back(' ');
  append_time_of_day(out, micros - days * kMicrosPerDay);
}

std::size_t utf8_floor(std::string_view s, std::size_t at) noexcept {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

std::size_t count_chars(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void append_escaped(std::string& out, std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
        } else {
          out.push_back(ch);
        }
    }
  }
}

std::string repr_string(std::string_view s) {
  std::string out = "'";
  if (s.size() <= kMaxStringRepr) {
    append_escaped(out, s);
  } else {
    const std::size_t head = utf8_floor(s, kMaxStringRepr / 2);
    const std::size_t tail = utf8_floor(s, s.size() - kMaxStringRepr / 2);
    append_escaped(out, s.substr(0, head));
    fmt::format_to(std::back_inserter(out), " ... ({} characters truncated) ... ",
                   count_chars(s.substr(head, tail - head)));
    append_escaped(out, s.substr(tail));
  }
  out.push_back('\'');
  return out;
}

std::string repr_bytes(const Bytes& b) {
  std::string out = "x'";
  const std::size_t shown = std::min(b.size(), kMaxBytesRepr);
  for (std::size_t i = 0; i < shown; ++i) fmt::format_to(std::back_inserter(out), "{:02x}", b[i]);
  if (b.size() > shown) {
    fmt::format_to(std::back_inserter(out), "…' ({} bytes)", b.size());
  } else {
    out.push_back('\'');
  }
  return out;
}

std::string repr_double(double d) {
  std::string out = fmt::format("{}", d);
  // Shortest round-trip form, but 1.0 should still read as a floating-point value.
  if (out.find_first_not_of("-0123456789") == std::string::npos) out += ".0";
  return out;
}

[[noreturn]] void throw_bad_uuid(std::string_view text, std::string_view problem) {
  std::string shown(text.substr(0, 64));
  if (text.size() > 64) shown += "…";
  throw ArgumentError(
      fmt::format("Invalid UUID '{}': {} (expected 32 hexadecimal digits, optionally as "
                  "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
                  shown, problem));
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string to_iso_string(Date d) {
  std::string out;
  append_date(out, d.time_since_epoch().count());
  return out;
}

std::string to_iso_string(Time t) {
  std::string out;
  const std::int64_t us = t.since_midnight.count();
  // TIME values outside a day exist (MySQL's TIME is a duration up to ±838 hours).
  if (us < 0) out.push_back('-');
  const std::uint64_t a = magnitude(us);
  fmt::format_to(std::back_inserter(out), "{:02}:{:02}:{:02}.{:06}", a / kMicrosPerHour,
                 a / kMicrosPerMinute % 60, a / kMicrosPerSecond % 60, a % kMicrosPerSecond);
  return out;
}

std::string to_iso_string(DateTime t) {
  std::string out;
  append_timestamp(out, t.time_since_epoch().count());
  return out;
}

std::string to_iso_string(DateTimeTz t) {
  std::string out;
  append_timestamp(out, t.time_since_epoch().count());
  out += "+00:00";
  return out;
}

std::string to_iso_string(const Interval& i) {
  // PostgreSQL's `intervalstyle = iso_8601`: every non-zero field carries its own sign.
  std::string out = "P";
  const std::int64_t years = i.months / 12;
  const std::int64_t months = i.months % 12;
  if (years != 0) fmt::format_to(std::back_inserter(out), "{}Y", years);
  if (months != 0) fmt::format_to(std::back_inserter(out), "{}M", months);
  if (i.days != 0) fmt::format_to(std::back_inserter(out), "{}D", i.days);
  const std::int64_t us = i.time.count();
  if (us != 0) {
    const char* sign = us < 0 ? "-" : "";
    const std::uint64_t a = magnitude(us);
    out.push_back('T');
    const std::uint64_t h = a / kMicrosPerHour;
    const std::uint64_t m = a / kMicrosPerMinute % 60;
    const std::uint64_t s = a / kMicrosPerSecond % 60;
    const std::uint64_t f = a % kMicrosPerSecond;
    if (h != 0) fmt::format_to(std::back_inserter(out), "{}{}H", sign, h);
    if (m != 0) fmt::format_to(std::back_inserter(out), "{}{}M", sign, m);
    if (s != 0 || f != 0) {
      fmt::format_to(std::back_inserter(out), "{}{}", sign, s);
      if (f != 0) {
        std::string frac = fmt::format("{:06}", f);
        frac.erase(frac.find_last_not_of('0') + 1);
        out += '.' + frac;
      }
      out.push_back('S');
    }
  }
  if (out.size() == 1) out += "T0S";
  return out;
}

Uuid Uuid::parse(std::string_view text) {
  std::string_view s = text;
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = s.substr(1, s.size() - 2);
  const std::size_t offset = s.data() - text.data();
  const bool hyphenated = s.size() == 36;
  if (!hyphenated && s.size() != 32) {
    throw_bad_uuid(text, fmt::format("{} characters", s.size()));
  }
  Uuid u;
  std::size_t digit = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool hyphen_here = hyphenated && (i == 8 || i == 13 || i == 18 || i == 23);
    if (hyphen_here) {
      if (s[i] != '-') {
        throw_bad_uuid(text, fmt::format("'-' missing at position {}", offset + i + 1));
      }
      continue;
    }
    const int v = hex_value(s[i]);
    if (v < 0) {
      throw_bad_uuid(text, fmt::format("invalid character at position {}", offset + i + 1));
    }
    u.bytes[digit / 2] = static_cast<std::uint8_t>(u.bytes[digit / 2] | (digit % 2 ? v : v << 4));
    ++digit;
  }
  return u;
}

std::string Uuid::to_string() const {
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    fmt::format_to(std::back_inserter(out), "{:02x}", bytes[i]);
  }
  return out;
}

std::string Value::repr() const {
  struct Visitor {
    std::string operator()(Null) const { return "NULL"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return fmt::format("{}", i); }
    std::string operator()(double d) const { return repr_double(d); }
    std::string operator()(const std::string& s) const { return repr_string(s); }
    std::string operator()(const Bytes& b) const { return repr_bytes(b); }
    std::string operator()(const Decimal& d) const { return d.text; }
    std::string operator()(Date d) const { return to_iso_string(d); }
    std::string operator()(Time t) const { return to_iso_string(t); }
    std::string operator()(DateTime t) const { return to_iso_string(t); }
    std::string operator()(DateTimeTz t) const { return to_iso_string(t); }
    std::string operator()(const Interval& i) const { return to_iso_string(i); }
    std::string operator()(const Uuid& u) const { return u.to_string(); }
    std::string operator()(const Json& j) const { return j.text; }
  };
  return std::visit(Visitor{}, v_);
}

std::ostream& operator<<(std::ostream& out, const Value& value) {
  return out << value.repr();
}

Params& Params::set(std::string name, Value value) {
  for (auto& [k, v] : items_) {
    if (k == name) {
      v = std::move(value);
      return *this;
    }
  }
  items_.emplace_back(std::move(name), std::move(value));
  return *this;
}

const Value* Params::find(std::string_view name) const noexcept {
  for (const auto& [k, v] : items_) {
    if (k == name) return &v;
  }
  return nullptr;
}

void throw_integer_out_of_range(std::string_view what) {
  throw ArgumentError(fmt::format(
      "{} out of range for a 64-bit signed integer (the maximum is 9223372036854775807)", what));
}

}  // namespace retort
