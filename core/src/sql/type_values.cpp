// core/src/sql/type_values.cpp — value conversion by SQL type (see type_values.hpp).
#include "type_values.hpp"

#include "../engine_impl.hpp"
#include "../param_batch.hpp"

#include <retort/exceptions.hpp>
#include <retort/sdk/plugin.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>

namespace retort::detail {

namespace {

constexpr std::int64_t kMicrosPerDay = 86'400LL * 1'000'000LL;

const char* value_type_name(const Value& v) noexcept {
  static constexpr const char* kNames[] = {"NULL",
                                           "bool",
                                           "int64_t",
                                           "double",
                                           "std::string",
                                           "retort::Bytes",
                                           "retort::Decimal",
                                           "retort::Date",
                                           "retort::Time",
                                           "retort::DateTime",
                                           "retort::DateTimeTz",
                                           "retort::Interval",
                                           "retort::Uuid",
                                           "retort::Json"};
  return kNames[v.variant().index()];
}

// The chain of decorators around a type, outermost first, and the type they end at.
const TypeEngine& innermost(const TypeEngine& type) noexcept {
  const TypeEngine* t = &type;
  while (const auto* d = dynamic_cast<const TypeDecorator*>(t)) t = &*d->impl();
  return *t;
}

[[noreturn]] void wrong_value(const TypeEngine& type, const Value& v, std::string_view param,
                              std::string_view expected) {
  throw ArgumentError(fmt::format("Cannot bind {} value {} to '{}', of type {}: expected {}",
                                  value_type_name(v), v.repr(), param, type.type_name(), expected));
}

// True when SQLite-style numeric storage (a 64-bit integer, else a double) keeps the
// decimal `text` exactly: an integer that fits, or at most 15 significant digits.
bool double_storage_exact(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t unused = 0;
    const auto [p, ec] =
        std::from_chars(text.data() + (text.front() == '+'), text.data() + text.size(), unused);
    if (ec == std::errc() && p == text.data() + text.size()) return true;
  }
  const std::string_view mantissa = s.substr(0, s.find_first_of("eE"));
  std::string digits;
  for (char c : mantissa)
    if (c >= '0' && c <= '9') digits.push_back(c);
  const auto dot = mantissa.find('.');
  if (dot != std::string_view::npos) {
    // Trailing zeros of the fraction are not significant.
    const std::size_t fraction = mantissa.size() - dot - 1;
    std::size_t zeros = 0;
    while (zeros < fraction && mantissa[mantissa.size() - 1 - zeros] == '0') ++zeros;
    digits.resize(digits.size() - zeros);
  }
  const std::size_t first = digits.find_first_not_of('0');
  return first == std::string::npos || digits.size() - first <= 15;
}

std::string decimal_from_double(double d, const TypeEngine& t) {
  if (t.scale()) return fmt::format("{:.{}f}", d, std::max(0, *t.scale()));
  std::string out = fmt::format("{}", d);
  if (out.find_first_of("eE") != std::string::npos) out = fmt::format("{:f}", d);
  return out;
}

// Decimal text as plain digits at the type's scale ("-1e-06" at scale 6: "-0.000001"; "2.5"
// at scale 2: "2.50"), for drivers that format a stored double.  Text it cannot rescale
// without rounding (or NaN, Infinity) is returned unchanged.
std::string normalise_decimal(const std::string& text, const TypeEngine& t) {
  std::string_view s = text;
  const bool negative = !s.empty() && s.front() == '-';
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  const auto e = s.find_first_of("eE");
  long exponent = 0;
  if (e != std::string_view::npos) {
    const std::string_view exp = s.substr(e + 1);
    const auto [p, ec] = std::from_chars(exp.data() + (!exp.empty() && exp.front() == '+'),
                                         exp.data() + exp.size(), exponent);
    if (ec != std::errc() || p != exp.data() + exp.size() || exponent > 400 || exponent < -400)
      return text;
    s = s.substr(0, e);
  } else if (!t.scale()) {
    return text;
  }
  std::string digits;
  long point = -1;
  for (char c : s) {
    if (c == '.' && point < 0) {
      point = static_cast<long>(digits.size());
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else {
      return text;
    }
  }
  if (digits.empty()) return text;
  if (point < 0) point = static_cast<long>(digits.size());
  point += exponent;
  if (point <= 0) {
    digits.insert(0, static_cast<std::size_t>(1 - point), '0');
    point = 1;
  } else if (point > static_cast<long>(digits.size())) {
    digits.append(static_cast<std::size_t>(point - static_cast<long>(digits.size())), '0');
  }
  std::string whole = digits.substr(0, static_cast<std::size_t>(point));
  std::string fraction = digits.substr(static_cast<std::size_t>(point));
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  if (t.scale()) {
    const auto scale = static_cast<std::size_t>(std::max(0, *t.scale()));
    if (fraction.size() < scale) fraction.append(scale - fraction.size(), '0');
    if (fraction.size() > scale) {
      if (fraction.find_first_not_of('0', scale) != std::string::npos) return text;
      fraction.resize(scale);
    }
  } else {
    fraction.erase(fraction.find_last_not_of('0') + 1);
  }
  const bool zero = whole == "0" && fraction.find_first_not_of('0') == std::string::npos;
  return (negative && !zero ? "-" : "") + whole + (fraction.empty() ? "" : "." + fraction);
}

std::string decimal_from_int(std::int64_t i, const TypeEngine& t) {
  std::string out = std::to_string(i);
  if (t.scale() && *t.scale() > 0)
    out += "." + std::string(static_cast<std::size_t>(*t.scale()), '0');
  return out;
}

Value check_bind(const TypeEngine& t, Value v, std::uint64_t caps, std::string_view param) {
  if (v.is_null()) return v;
  switch (t.kind()) {
    case TypeKind::null:
      return v;
    case TypeKind::integer:
    case TypeKind::small_integer:
    case TypeKind::big_integer:
      if (v.holds<std::int64_t>()) return v;
      if (v.holds<bool>()) return Value(std::int64_t{v.as<bool>() ? 1 : 0});
      wrong_value(t, v, param, "an integer");
    case TypeKind::boolean:
      if (v.holds<bool>()) return v;
      if (v.holds<std::int64_t>() && (v.as<std::int64_t>() == 0 || v.as<std::int64_t>() == 1))
        return Value(v.as<std::int64_t>() == 1);
      wrong_value(t, v, param, "bool (or the integer 0 or 1)");
    case TypeKind::float_:
    case TypeKind::double_:
      if (v.holds<double>()) return v;
      if (v.holds<std::int64_t>()) return Value(static_cast<double>(v.as<std::int64_t>()));
      if (v.holds<Decimal>()) return Value(std::strtod(v.as<Decimal>().text.c_str(), nullptr));
      wrong_value(t, v, param, "double");
    case TypeKind::numeric: {
      Decimal d;
      if (v.holds<Decimal>()) {
        d = v.as<Decimal>();
      } else if (v.holds<std::int64_t>()) {
        d.text = std::to_string(v.as<std::int64_t>());
      } else if (v.holds<double>() && std::isfinite(v.as<double>())) {
        d.text = fmt::format("{}", v.as<double>());
      } else {
        wrong_value(t, v, param, "retort::Decimal (or an integer or a finite double)");
      }
      if ((caps & RETORT_CAP_NATIVE_DECIMAL) == 0 && !double_storage_exact(d.text)) {
        throw ArgumentError(fmt::format(
            "Cannot bind {} to '{}', of type {}: this dialect stores NUMERIC as a 64-bit "
            "integer or double, which keeps at most 15 significant digits; store exact "
            "decimals of this size as String (or a TypeDecorator over it)",
            d.text, param, t.type_name()));
      }
      return Value(std::move(d));
    }
    case TypeKind::string:
    case TypeKind::text:
    case TypeKind::unicode:
      if (v.holds<std::string>()) return v;
      wrong_value(t, v, param, "std::string");
    case TypeKind::enum_: {
      if (!v.holds<std::string>()) wrong_value(t, v, param, "std::string");
      const auto& values = t.enum_values();
      if (!values.empty() &&
          std::find(values.begin(), values.end(), v.as<std::string>()) == values.end()) {
        std::string allowed;
        for (const auto& e : values) allowed += (allowed.empty() ? "'" : ", '") + e + "'";
        throw ArgumentError(fmt::format("Cannot bind {} to '{}': not one of the values of {} ({})",
                                        v.repr(), param, t.type_name(), allowed));
      }
      return v;
    }
    case TypeKind::date:
      if (v.holds<Date>()) return v;
      wrong_value(t, v, param, "retort::Date");
    case TypeKind::time:
      if (v.holds<Time>()) return v;
      wrong_value(t, v, param, "retort::Time");
    case TypeKind::date_time:
      if (t.timezone()) {
        if (v.holds<DateTimeTz>()) return v;
        wrong_value(t, v, param, "retort::DateTimeTz (the column is WITH TIME ZONE)");
      }
      if (v.holds<DateTime>()) return v;
      wrong_value(t, v, param, "retort::DateTime (the column has no time zone)");
    case TypeKind::interval: {
      if (!v.holds<Interval>()) wrong_value(t, v, param, "retort::Interval");
      if (caps & RETORT_CAP_NATIVE_INTERVAL) return v;
      // SQLAlchemy's non-native Interval: the instant that far after 1970-01-01.
      const Interval& i = v.as<Interval>();
      if (i.months != 0) {
        throw ArgumentError(fmt::format(
            "Cannot bind {} to '{}', of type {}: this dialect stores intervals as a datetime "
            "offset from 1970-01-01, which has no months; give days instead",
            v.repr(), param, t.type_name()));
      }
      return Value(DateTime(std::chrono::microseconds(i.days * kMicrosPerDay + i.time.count())));
    }
    case TypeKind::large_binary:
      if (v.holds<Bytes>()) return v;
      wrong_value(t, v, param, "retort::Bytes");
    case TypeKind::json:
      if (v.holds<Json>()) return v;
      wrong_value(t, v, param, "retort::Json");
    case TypeKind::uuid:
      if (v.holds<Uuid>()) return v;
      if (v.holds<std::string>()) return Value(Uuid::parse(v.as<std::string>()));
      wrong_value(t, v, param, "retort::Uuid (or its text)");
  }
  return v;
}

Value cell(const retort_column& c, std::int64_t r);

// The plugin type behind `t` when its plugin converts values (bind_batch/result_batch).
const PluginType* converting_plugin(const TypeEngine& t) noexcept {
  const auto* p = dynamic_cast<const PluginType*>(&t);
  return p != nullptr && p->value_type() != p->storage_type() ? p : nullptr;
}

// The storage side of a plugin type, for converting what the driver gives to it.
class StorageType final : public TypeEngine {
 public:
  explicit StorageType(std::uint32_t storage) noexcept;
  const char* type_name() const noexcept override { return "storage"; }
};

// Calls a plugin's bind_batch or result_batch on one column of `rows` rows; the converted
// column stays valid as long as the returned batch.  `fail` raises the caller's error.
template <typename Fail>
std::shared_ptr<retort_batch> call_batch_hook(retort_status (*hook)(const char*,
                                                                    const retort_batch*,
                                                                    retort_batch*, retort_error*),
                                              const char* dialect, const retort_column& column,
                                              std::int64_t rows, std::uint32_t want, Fail&& fail) {
  retort_batch in{};
  in.struct_size = sizeof in;
  in.column_count = 1;
  in.row_count = rows;
  in.columns = &column;
  auto out = std::shared_ptr<retort_batch>(new retort_batch{}, [](retort_batch* b) {
    if (b->release != nullptr) b->release(b);
    delete b;
  });
  out->struct_size = sizeof(retort_batch);
  retort_error error{};
  error.struct_size = sizeof error;
  retort_status st = RETORT_INTERNAL;
  try {
    st = hook(dialect, &in, out.get(), &error);
  } catch (...) {
    fail(std::string("the plugin threw a C++ exception across the C ABI"));
  }
  std::string message = error.message != nullptr ? error.message : "";
  if (error.release != nullptr) error.release(&error);
  if (st != RETORT_OK)
    fail(message.empty() ? fmt::format("status {}", static_cast<int>(st)) : message);
  if (out->column_count != 1 || out->row_count != rows || out->columns == nullptr ||
      (out->columns[0].type != want && out->columns[0].type != RETORT_TYPE_NULL)) {
    fail(fmt::format(
        "the plugin returned a batch of {} columns and {} rows (of type {}) for 1 "
        "column of {} rows of type {}",
        out->column_count, out->row_count,
        out->columns != nullptr && out->column_count > 0 ? out->columns[0].type : 0, rows, want));
  }
  return out;
}

void plugin_bind(const PluginType& type, PreparedExecution& prepared, std::size_t index,
                 const retort_dialect& dialect) {
  const std::string& name = prepared.names[index];
  sdk::ColumnBuffer values;
  values.reset(static_cast<retort_value_type>(type.value_type()));
  for (const Params& row : prepared.rows) {
    const Value* v = row.find(name);
    if (v == nullptr || v->is_null()) {
      values.append_null();
    } else {
      append_value(values, *v);
    }
  }
  const retort_column column = values.finish();
  const auto out =
      call_batch_hook(type.data().def.bind_batch, dialect.name, column,
                      static_cast<std::int64_t>(prepared.rows.size()), type.storage_type(),
                      [&](const std::string& why) {
                        throw ArgumentError(fmt::format("Cannot bind to '{}', of type {}: {}", name,
                                                        type.type_name(), why));
                      });
  for (std::size_t r = 0; r < prepared.rows.size(); ++r)
    prepared.rows[r].set(name, cell(out->columns[0], static_cast<std::int64_t>(r)));
}

}  // namespace

std::uint64_t capabilities_of(const retort_dialect& dialect) noexcept {
  constexpr std::size_t end = offsetof(retort_dialect, capabilities) + sizeof(std::uint64_t);
  return dialect.struct_size >= end ? dialect.capabilities : 0;
}

TypeKind kind_of_value_type(std::uint32_t value_type) noexcept {
  switch (value_type) {
    case RETORT_TYPE_BOOL:
      return TypeKind::boolean;
    case RETORT_TYPE_INT64:
      return TypeKind::big_integer;
    case RETORT_TYPE_DOUBLE:
      return TypeKind::double_;
    case RETORT_TYPE_TEXT:
      return TypeKind::text;
    case RETORT_TYPE_BYTES:
      return TypeKind::large_binary;
    case RETORT_TYPE_DECIMAL:
      return TypeKind::numeric;
    case RETORT_TYPE_DATE:
      return TypeKind::date;
    case RETORT_TYPE_TIME:
      return TypeKind::time;
    case RETORT_TYPE_TIMESTAMP:
    case RETORT_TYPE_TIMESTAMPTZ:
      return TypeKind::date_time;
    case RETORT_TYPE_INTERVAL:
      return TypeKind::interval;
    case RETORT_TYPE_UUID:
      return TypeKind::uuid;
    case RETORT_TYPE_JSON:
      return TypeKind::json;
    default:
      return TypeKind::null;
  }
}

std::uint32_t plugin_value_type(const retort_type_def& def) noexcept {
  constexpr std::size_t end = offsetof(retort_type_def, value_type) + sizeof(std::uint32_t);
  if (def.struct_size >= end && def.value_type != 0) return def.value_type;
  return def.storage_type;
}

std::uint32_t value_type_for(const TypeEngine& type) noexcept {
  const TypeEngine& t = innermost(type);
  switch (t.kind()) {
    case TypeKind::null:
      return RETORT_TYPE_NULL;
    case TypeKind::integer:
    case TypeKind::small_integer:
    case TypeKind::big_integer:
      return RETORT_TYPE_INT64;
    case TypeKind::boolean:
      return RETORT_TYPE_BOOL;
    case TypeKind::float_:
    case TypeKind::double_:
      return RETORT_TYPE_DOUBLE;
    case TypeKind::numeric:
      return RETORT_TYPE_DECIMAL;
    case TypeKind::string:
    case TypeKind::text:
    case TypeKind::unicode:
    case TypeKind::enum_:
      return RETORT_TYPE_TEXT;
    case TypeKind::date:
      return RETORT_TYPE_DATE;
    case TypeKind::time:
      return RETORT_TYPE_TIME;
    case TypeKind::date_time:
      return t.timezone() ? RETORT_TYPE_TIMESTAMPTZ : RETORT_TYPE_TIMESTAMP;
    case TypeKind::interval:
      return RETORT_TYPE_INTERVAL;
    case TypeKind::large_binary:
      return RETORT_TYPE_BYTES;
    case TypeKind::json:
      return RETORT_TYPE_JSON;
    case TypeKind::uuid:
      return RETORT_TYPE_UUID;
  }
  return RETORT_TYPE_NULL;
}

Value process_bind_value(const Type& type, Value value, const retort_dialect& dialect,
                         std::string_view param) {
  const TypeEngine* t = &*type;
  while (const auto* d = dynamic_cast<const TypeDecorator*>(t)) {
    value = d->process_bind_param(value);
    t = &*d->impl();
  }
  return check_bind(*t, std::move(value), capabilities_of(dialect), param);
}

void process_bind_parameters(PreparedExecution& prepared, const retort_dialect& dialect) {
  std::vector<std::size_t> typed;
  for (std::size_t i = 0; i < prepared.types.size(); ++i)
    if (prepared.types[i].kind() != TypeKind::null ||
        dynamic_cast<const TypeDecorator*>(&*prepared.types[i]))
      typed.push_back(i);
  if (typed.empty()) return;
  for (Params& row : prepared.rows) {
    for (std::size_t i : typed) {
      const std::string& name = prepared.names[i];
      const Value* v = row.find(name);
      if (v == nullptr) continue;
      row.set(name, process_bind_value(prepared.types[i], *v, dialect, name));
    }
  }
  for (std::size_t i : typed) {
    if (const PluginType* p = converting_plugin(innermost(*prepared.types[i])))
      plugin_bind(*p, prepared, i, dialect);
  }
}

StorageType::StorageType(std::uint32_t storage) noexcept : TypeEngine(kind_of_value_type(storage)) {
  timezone_ = storage == RETORT_TYPE_TIMESTAMPTZ;
}

// --- Results ----------------------------------------------------------------------------------

namespace {

void add_item_types(const Node& item, std::vector<Type>& out) {
  switch (item.kind) {
    case NodeKind::table:
    case NodeKind::alias:
      for (const auto& c : table_of(item)->columns) out.push_back(c.type);
      break;
    case NodeKind::join:
      add_item_types(*item.left, out);
      add_item_types(*item.right, out);
      break;
    case NodeKind::label:
      out.push_back(item.type.kind() != TypeKind::null || !item.left ? item.type : item.left->type);
      break;
    default:
      out.push_back(item.type);
  }
}

Value cell(const retort_column& c, std::int64_t r) {
  const sdk::ColumnReader reader(c);
  if (reader.is_null(r)) return Value();
  switch (c.type) {
    case RETORT_TYPE_BOOL:
      return Value(reader.fixed<std::uint8_t>(r) != 0);
    case RETORT_TYPE_INT64:
      return Value(reader.fixed<std::int64_t>(r));
    case RETORT_TYPE_DOUBLE:
      return Value(reader.fixed<double>(r));
    case RETORT_TYPE_TEXT:
      return Value(std::string(reader.bytes(r)));
    case RETORT_TYPE_BYTES: {
      const auto b = reader.bytes(r);
      return Value(Bytes(reinterpret_cast<const std::uint8_t*>(b.data()),
                         reinterpret_cast<const std::uint8_t*>(b.data()) + b.size()));
    }
    case RETORT_TYPE_DECIMAL:
      return Value(Decimal{std::string(reader.bytes(r))});
    case RETORT_TYPE_DATE:
      return Value(Date(std::chrono::days(reader.fixed<std::int32_t>(r))));
    case RETORT_TYPE_TIME:
      return Value(Time{std::chrono::microseconds(reader.fixed<std::int64_t>(r))});
    case RETORT_TYPE_TIMESTAMP:
      return Value(DateTime(std::chrono::microseconds(reader.fixed<std::int64_t>(r))));
    case RETORT_TYPE_TIMESTAMPTZ:
      return Value(DateTimeTz(std::chrono::microseconds(reader.fixed<std::int64_t>(r))));
    case RETORT_TYPE_INTERVAL: {
      const auto i = reader.fixed<retort_interval>(r);
      return Value(Interval{i.months, i.days, std::chrono::microseconds(i.microseconds)});
    }
    case RETORT_TYPE_UUID: {
      Uuid u;
      std::memcpy(u.bytes.data(), reader.uuid(r), 16);
      return Value(u);
    }
    case RETORT_TYPE_JSON:
      return Value(Json{std::string(reader.bytes(r))});
    default:
      return Value();
  }
}

std::optional<Date> parse_date_text(std::string_view s) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n, auto& out) {
    const auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + n, out);
    return ec == std::errc() && p == s.data() + at + n;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return Date(ymd);
}

std::optional<std::int64_t> parse_time_text(std::string_view s) {
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  int h = 0, m = 0, sec = 0;
  auto num = [&](std::size_t at, int& out) {
    const auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + 2, out);
    return ec == std::errc() && p == s.data() + at + 2;
  };
  if (!num(0, h) || !num(3, m) || !num(6, sec) || h > 23 || m > 59 || sec > 59) return std::nullopt;
  std::int64_t micros = ((h * 60LL + m) * 60LL + sec) * 1'000'000LL;
  if (s.size() > 8) {
    if (s[8] != '.' || s.size() == 9) return std::nullopt;
    std::int64_t frac = 0;
    std::size_t digits = 0;
    for (std::size_t i = 9; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      if (digits++ < 6) frac = frac * 10 + (s[i] - '0');
    }
    for (std::size_t i = digits; i < 6; ++i) frac *= 10;
    micros += frac;
  }
  return micros;
}

// "YYYY-MM-DD HH:MM:SS[.f…]" with an optional "Z" / "±HH[:MM]" (SQLite's DATETIME text);
// microseconds since the epoch, in UTC when an offset is given.
std::optional<std::int64_t> parse_timestamp_text(std::string_view s) {
  if (s.size() < 19 || (s[10] != ' ' && s[10] != 'T')) return std::nullopt;
  const auto date = parse_date_text(s.substr(0, 10));
  if (!date) return std::nullopt;
  std::string_view rest = s.substr(11);
  std::int64_t offset_us = 0;
  if (!rest.empty() && rest.back() == 'Z') {
    rest.remove_suffix(1);
  } else if (const auto sign = rest.find_last_of("+-"); sign != std::string_view::npos) {
    const std::string_view off = rest.substr(sign + 1);
    int h = 0, m = 0;
    auto two = [&](std::size_t at, int& out) {
      const auto [p, ec] = std::from_chars(off.data() + at, off.data() + at + 2, out);
      return ec == std::errc() && p == off.data() + at + 2;
    };
    const bool ok = (off.size() == 2 && two(0, h)) || (off.size() == 4 && two(0, h) && two(2, m)) ||
                    (off.size() == 5 && off[2] == ':' && two(0, h) && two(3, m));
    if (!ok) return std::nullopt;
    offset_us = (h * 60LL + m) * 60'000'000LL * (rest[sign] == '-' ? -1 : 1);
    rest = rest.substr(0, sign);
  }
  const auto time = parse_time_text(rest);
  if (!time) return std::nullopt;
  return date->time_since_epoch().count() * kMicrosPerDay + *time - offset_us;
}

// `v` as the value type of `t` (its innermost type), or nullopt when it does not convert.
std::optional<Value> canonical(const TypeEngine& t, const Value& v) {
  if (v.is_null()) return v;
  switch (t.kind()) {
    case TypeKind::integer:
    case TypeKind::small_integer:
    case TypeKind::big_integer:
      if (v.holds<std::int64_t>()) return v;
      if (v.holds<bool>()) return Value(std::int64_t{v.as<bool>()});
      if (v.holds<double>()) {
        const double d = v.as<double>();
        if (d >= -9.2233720368547758e18 && d < 9.2233720368547758e18 && std::trunc(d) == d)
          return Value(static_cast<std::int64_t>(d));
      }
      return std::nullopt;
    case TypeKind::boolean:
      if (v.holds<bool>()) return v;
      if (v.holds<std::int64_t>() && (v.as<std::int64_t>() == 0 || v.as<std::int64_t>() == 1))
        return Value(v.as<std::int64_t>() == 1);
      return std::nullopt;
    case TypeKind::float_:
    case TypeKind::double_:
      if (v.holds<double>()) return v;
      if (v.holds<std::int64_t>()) return Value(static_cast<double>(v.as<std::int64_t>()));
      return std::nullopt;
    case TypeKind::numeric:
      if (v.holds<Decimal>()) return Value(Decimal{normalise_decimal(v.as<Decimal>().text, t)});
      if (v.holds<std::int64_t>()) return Value(Decimal{decimal_from_int(v.as<std::int64_t>(), t)});
      if (v.holds<double>() && std::isfinite(v.as<double>()))
        return Value(Decimal{decimal_from_double(v.as<double>(), t)});
      return std::nullopt;
    case TypeKind::date:
      if (v.holds<Date>()) return v;
      if (v.holds<std::string>()) {
        if (auto d = parse_date_text(v.as<std::string>())) return Value(*d);
      }
      return std::nullopt;
    case TypeKind::time:
      if (v.holds<Time>()) return v;
      if (v.holds<std::string>()) {
        if (auto us = parse_time_text(v.as<std::string>()))
          return Value(Time{std::chrono::microseconds(*us)});
      }
      return std::nullopt;
    case TypeKind::date_time:
      // A dialect without a zone-aware type stores UTC (SQLite's DATETIME).
      if (t.timezone() && v.holds<DateTime>())
        return Value(DateTimeTz(v.as<DateTime>().time_since_epoch()));
      if (t.timezone() ? v.holds<DateTimeTz>() : v.holds<DateTime>()) return v;
      if (v.holds<std::string>()) {
        const auto us = parse_timestamp_text(v.as<std::string>());
        if (!us) return std::nullopt;
        const std::chrono::microseconds since(*us);
        return t.timezone() ? Value(DateTimeTz(since)) : Value(DateTime(since));
      }
      return std::nullopt;
    case TypeKind::interval:
      if (v.holds<Interval>()) return v;
      if (v.holds<DateTime>()) {
        // The non-native storage (see check_bind): normalised as Python's timedelta.
        const std::int64_t us = v.as<DateTime>().time_since_epoch().count();
        std::int64_t days = us / kMicrosPerDay;
        std::int64_t rest = us % kMicrosPerDay;
        if (rest < 0) {
          --days;
          rest += kMicrosPerDay;
        }
        return Value(Interval{0, static_cast<std::int32_t>(days), std::chrono::microseconds(rest)});
      }
      return std::nullopt;
    case TypeKind::large_binary:
      if (v.holds<Bytes>()) return v;
      return std::nullopt;
    case TypeKind::json:
      if (v.holds<Json>()) return v;
      if (v.holds<std::string>()) return Value(Json{v.as<std::string>()});
      return std::nullopt;
    case TypeKind::uuid:
      if (v.holds<Uuid>()) return v;
      if (v.holds<std::string>()) {
        try {
          return Value(Uuid::parse(v.as<std::string>()));
        } catch (const ArgumentError&) {
          return std::nullopt;
        }
      }
      if (v.holds<Bytes>() && v.as<Bytes>().size() == 16) {
        Uuid u;
        std::copy(v.as<Bytes>().begin(), v.as<Bytes>().end(), u.bytes.begin());
        return Value(u);
      }
      return std::nullopt;
    case TypeKind::string:
    case TypeKind::text:
    case TypeKind::unicode:
    case TypeKind::enum_:
    case TypeKind::null:
      return v;
  }
  return v;
}

// Replaces column `index` of `holder`'s view by `values`, which are NULL or all of one type.
void replace_column(BatchHolder& holder, std::size_t index, const std::vector<Value>& values,
                    const std::string& column, const TypeEngine& type) {
  std::uint32_t vt = RETORT_TYPE_NULL;
  for (const Value& v : values) {
    if (v.is_null()) continue;
    const std::uint32_t t = value_type_of(v);
    if (vt == RETORT_TYPE_NULL) {
      vt = t;
    } else if (t != vt) {
      throw TypeConversionError(fmt::format(
          "Column '{}' of type {}: process_result_value returned values of different types "
          "({} and {}) in one result; it must return one C++ type (or NULL)",
          column, type.type_name(), value_type_name(values.front()), value_type_name(v)));
    }
  }
  auto buffer = std::make_shared<sdk::ColumnBuffer>();
  buffer->reset(static_cast<retort_value_type>(vt));
  for (const Value& v : values) {
    if (v.is_null()) {
      buffer->append_null();
    } else {
      append_value(*buffer, v);
    }
  }
  holder.columns[index] = buffer->finish();
  holder.buffers.push_back(std::move(buffer));
}

// Makes rows read `holder.view`, whose columns can be replaced.
void use_view(BatchHolder& holder) {
  if (!holder.columns.empty()) return;
  holder.columns.assign(holder.batch.columns, holder.batch.columns + holder.batch.column_count);
  holder.view = holder.batch;
  holder.view.columns = holder.columns.data();
}

// A plugin type's column: what the driver gave, as the storage type, through result_batch.
void convert_plugin_column(BatchHolder& holder, std::size_t index, const PluginType& type,
                           const std::string& dialect) {
  const retort_column& c = holder.batch.columns[index];
  const std::int64_t rows = holder.batch.row_count;
  const std::string& column = holder.meta->keys[index];
  std::shared_ptr<sdk::ColumnBuffer> stored;
  const retort_column* input = &c;
  retort_column converted{};
  if (c.type != type.storage_type()) {
    const StorageType storage(type.storage_type());
    stored = std::make_shared<sdk::ColumnBuffer>();
    stored->reset(static_cast<retort_value_type>(type.storage_type()));
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::optional<Value> v = canonical(storage, cell(c, r));
      if (!v) {
        throw TypeConversionError(fmt::format(
            "Column '{}' of {}: the driver gave a value that is not of its storage type ({})",
            column, type.type_name(), cell(c, r).repr()));
      }
      if (v->is_null()) {
        stored->append_null();
      } else {
        append_value(*stored, *v);
      }
    }
    converted = stored->finish();
    input = &converted;
  }
  auto out =
      call_batch_hook(type.data().def.result_batch, dialect.c_str(), *input, rows,
                      type.value_type(), [&](const std::string& why) {
                        throw TypeConversionError(fmt::format(
                            "Column '{}' of {} cannot be read: {}", column, type.type_name(), why));
                      });
  use_view(holder);
  holder.columns[index] = out->columns[0];
  holder.buffers.push_back(std::move(out));
}

}  // namespace

std::shared_ptr<const ResultTypes> result_types(const Node& statement,
                                                const retort_dialect& dialect) {
  if (statement.kind != NodeKind::select) return nullptr;
  auto out = std::make_shared<ResultTypes>();
  for (const auto& item : statement.items) add_item_types(*item, out->types);
  if (std::all_of(out->types.begin(), out->types.end(),
                  [](const Type& t) { return value_type_for(*t) == RETORT_TYPE_NULL; })) {
    return nullptr;
  }
  out->capabilities = capabilities_of(dialect);
  out->dialect = dialect.name;
  return out;
}

void convert_result_batch(BatchHolder& holder, const ResultTypes& types) {
  const retort_batch& batch = holder.batch;
  const auto count = static_cast<std::size_t>(batch.column_count);
  if (types.types.size() != count) return;  // not the select it was compiled from
  for (std::size_t i = 0; i < count; ++i) {
    const TypeEngine& outer = *types.types[i];
    const bool decorated = dynamic_cast<const TypeDecorator*>(&outer) != nullptr;
    const std::uint32_t want = value_type_for(outer);
    const retort_column& c = batch.columns[i];
    // Decimals from a dialect that stores doubles come formatted by the driver, not at the
    // type's scale.
    const bool rescale =
        want == RETORT_TYPE_DECIMAL && (types.capabilities & RETORT_CAP_NATIVE_DECIMAL) == 0;
    if (!decorated &&
        (want == RETORT_TYPE_NULL || c.type == RETORT_TYPE_NULL || (c.type == want && !rescale)))
      continue;
    const TypeEngine& inner = innermost(outer);
    if (const PluginType* p = converting_plugin(inner)) {
      if (!decorated && c.type == want) continue;
      convert_plugin_column(holder, i, *p, types.dialect);
      if (!decorated) continue;
    }
    const retort_column& source = holder.columns.empty() ? c : holder.columns[i];
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(batch.row_count));
    bool converts = true;
    for (std::int64_t r = 0; r < batch.row_count; ++r) {
      Value v = cell(source, r);
      if (std::optional<Value> canon = canonical(inner, v)) {
        values.push_back(std::move(*canon));
      } else {
        converts = false;
        values.push_back(std::move(v));
      }
    }
    if (!converts && !decorated) continue;  // Row::get decides, as without a type
    if (decorated) {
      // Innermost decorator first, as the value comes out of the database.
      std::vector<const TypeDecorator*> chain;
      const TypeEngine* t = &outer;
      while (const auto* d = dynamic_cast<const TypeDecorator*>(t)) {
        chain.push_back(d);
        t = &*d->impl();
      }
      for (Value& v : values)
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) v = (*it)->process_result_value(v);
    }
    use_view(holder);
    replace_column(holder, i, values, holder.meta->keys[i], outer);
  }
}

}  // namespace retort::detail
