// retort/value.hpp — the C++ value types Retort binds and fetches, and `Value`, a variant of
// them used for parameters.
// SPDX-License-Identifier: MIT
//
// SQL type            C++ type                                   retort_value_type
// ------------------  -----------------------------------------  --------------------
// NULL                std::nullopt / std::optional<T> / Null     NULL
// BOOLEAN             bool                                       BOOL
// integers            int64_t (and narrower, range-checked)      INT64
// REAL / DOUBLE       double (float on request)                  DOUBLE
// text                std::string, std::string_view              TEXT
// binary              retort::Bytes                              BYTES
// NUMERIC / DECIMAL   retort::Decimal (exact text)               DECIMAL
// DATE                retort::Date (std::chrono::sys_days)       DATE
// TIME                retort::Time                               TIME
// TIMESTAMP           retort::DateTime (local_time, µs)          TIMESTAMP
// TIMESTAMPTZ         retort::DateTimeTz (sys_time, µs, UTC)     TIMESTAMPTZ
// INTERVAL            retort::Interval                           INTERVAL
// UUID                retort::Uuid                               UUID
// JSON                retort::Json (the document's text)         JSON
#ifndef RETORT_VALUE_HPP
#define RETORT_VALUE_HPP

#include <array>
#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace retort {

/// SQL NULL as a value.
struct Null {
  friend bool operator==(Null, Null) = default;
};
inline constexpr Null null_value{};

/// Binary data.
using Bytes = std::vector<std::uint8_t>;

/// An exact decimal number, kept as text (`-12.3400`), so it never passes through binary
/// floating point.
struct Decimal {
  std::string text;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

/// A calendar date.
using Date = std::chrono::sys_days;

/// A time of day, microsecond precision.
struct Time {
  std::chrono::microseconds since_midnight{0};
  friend auto operator<=>(const Time&, const Time&) = default;
};

/// A date and time with no time zone (SQL TIMESTAMP), microsecond precision.
using DateTime = std::chrono::local_time<std::chrono::microseconds>;

/// An instant (SQL TIMESTAMP WITH TIME ZONE), microsecond precision, UTC.
using DateTimeTz = std::chrono::sys_time<std::chrono::microseconds>;

/// An interval: months, days and microseconds, which do not convert into each other.
struct Interval {
  std::int32_t months = 0;
  std::int32_t days = 0;
  std::chrono::microseconds time{0};
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// A UUID, bytes in RFC 4122 order.
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};
  /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hyphens optional).  Throws ArgumentError.
  static Uuid parse(std::string_view text);
  std::string to_string() const;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

/// A JSON document, as text.
struct Json {
  std::string text;
  friend bool operator==(const Json&, const Json&) = default;
};

/// A parameter value: one of the types above.
class Value {
 public:
  using Variant = std::variant<Null, bool, std::int64_t, double, std::string, Bytes, Decimal,
                               Date, Time, DateTime, DateTimeTz, Interval, Uuid, Json>;

  Value() noexcept : v_(Null{}) {}
  Value(Null) noexcept : v_(Null{}) {}
  Value(std::nullopt_t) noexcept : v_(Null{}) {}
  Value(std::nullptr_t) noexcept : v_(Null{}) {}
  Value(bool b) noexcept : v_(b) {}
  /// Any integer type except bool and char types.  An unsigned value above INT64_MAX throws
  /// ArgumentError.
  template <typename I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char> &&
             !std::is_same_v<I, char8_t> && !std::is_same_v<I, char16_t> &&
             !std::is_same_v<I, char32_t> && !std::is_same_v<I, wchar_t>)
  Value(I i) : v_(to_int64(i)) {}
  Value(double d) noexcept : v_(d) {}
  Value(float f) noexcept : v_(static_cast<double>(f)) {}
  Value(std::string s) noexcept : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(Bytes b) noexcept : v_(std::move(b)) {}
  Value(Decimal d) noexcept : v_(std::move(d)) {}
  Value(Date d) noexcept : v_(d) {}
  Value(std::chrono::year_month_day d) noexcept : v_(Date(d)) {}
  Value(Time t) noexcept : v_(t) {}
  Value(DateTime t) noexcept : v_(t) {}
  Value(DateTimeTz t) noexcept : v_(t) {}
  Value(Interval i) noexcept : v_(i) {}
  Value(Uuid u) noexcept : v_(u) {}
  Value(Json j) noexcept : v_(std::move(j)) {}
  template <typename T>
  Value(const std::optional<T>& o) : Value(o ? Value(*o) : Value()) {}

  bool is_null() const noexcept { return std::holds_alternative<Null>(v_); }
  const Variant& variant() const noexcept { return v_; }
  template <typename T>
  bool holds() const noexcept {
    return std::holds_alternative<T>(v_);
  }
  template <typename T>
  const T& as() const {
    return std::get<T>(v_);
  }
  /// The value rendered for logs and error messages: NULL, true/false, integers, doubles in
  /// their shortest exact form (`1.0`, `0.1`, `1e+300`, `nan`), strings in '…' with `\'`,
  /// `\\`, `\n`, `\t`, `\r`, `\xNN` escapes (over 300 bytes: both ends around `... (N
  /// characters truncated) ...`), bytes as `x'00ff'` (over 32 bytes: the first 32 then
  /// `…' (N bytes)`), decimals and JSON as their text, dates and times as `to_iso_string`,
  /// UUIDs in canonical form.
  std::string repr() const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  template <typename I>
  static std::int64_t to_int64(I i);
  Variant v_;
};

[[noreturn]] void throw_integer_out_of_range(std::string_view what);

template <typename I>
std::int64_t Value::to_int64(I i) {
  if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
    if (i > static_cast<I>(INT64_MAX)) throw_integer_out_of_range("unsigned parameter value");
  }
  return static_cast<std::int64_t>(i);
}

std::ostream& operator<<(std::ostream& out, const Value& value);

/// Named parameters for one execution: `{{"id", 1}, {"name", "x"}}`.  Order does not matter.
class Params {
 public:
  /// One `{name, value}` of a braced list.  Its members are mutable so that Params can move
  /// them out of the (const) initializer_list instead of copying every name and value.
  struct Item {
    Item(std::string n, Value v) : name(std::move(n)), value(std::move(v)) {}
    /// Builds the name and the value in place, without temporaries to move from (this is
    /// the constructor `{"id", 42}` uses; the one above takes braced values like `{}`).
    template <typename N, typename V>
      requires(std::is_constructible_v<std::string, N &&> && std::is_constructible_v<Value, V &&>)
    Item(N&& n, V&& v) : name(std::forward<N>(n)), value(std::forward<V>(v)) {}
    mutable std::string name;
    mutable Value value;
  };

  Params() = default;
  Params(std::initializer_list<Item> items) {
    items_.reserve(items.size());
    for (const Item& item : items) items_.emplace_back(std::move(item.name), std::move(item.value));
  }
  /// Sets `name` (replacing an earlier value).
  Params& set(std::string name, Value value);
  /// Adds `name` without looking for an earlier value (set() does, which makes building a
  /// large set quadratic): only for a name the set does not hold yet.
  Params& append(std::string name, Value value) {
    items_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  /// The value of `name`, or nullptr.
  const Value* find(std::string_view name) const noexcept;
  const std::vector<std::pair<std::string, Value>>& items() const noexcept { return items_; }
  bool empty() const noexcept { return items_.empty(); }
  size_t size() const noexcept { return items_.size(); }

 private:
  std::vector<std::pair<std::string, Value>> items_;
};

/// Formats a date (`2024-02-29`), time (`13:45:00.250000`), timestamp and interval the way
/// SQL does; used by drivers that store these as text and by `repr()`.
///
///   Date        2024-02-29        years 0000-9999 with four digits; astronomical numbering
///                                 outside (year 0 is 1 BC): -0044-03-15, 10000-01-01
///   Time        13:45:00.250000   always six fractional digits; a negative or 24-hour-plus
///                                 duration (MySQL TIME) as -01:30:00.000000, 838:59:59.000000
///   DateTime    2024-02-29 13:45:00.250000   (correct before 1970 too)
///   DateTimeTz  2024-02-29 13:45:00.250000+00:00
///   Interval    ISO 8601 as PostgreSQL's `intervalstyle = iso_8601`: P1Y2M3DT4H5M6.5S,
///               each field signed on its own (P-1M3DT-4H), PT0S when zero
std::string to_iso_string(Date d);
std::string to_iso_string(Time t);
std::string to_iso_string(DateTime t);
std::string to_iso_string(DateTimeTz t);
std::string to_iso_string(const Interval& i);

}  // namespace retort

#endif  // RETORT_VALUE_HPP
