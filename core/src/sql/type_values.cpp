// core/src/sql/type_values.cpp — value conversion by SQL type, bind side, and the helpers the
// result side (type_results.cpp) shares (see type_values.hpp).
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
#include <functional>

namespace retort::detail {

// --- Shared with type_results.cpp (declared in type_values.hpp) ---------------------------------

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

// The plugin type behind `t` when its plugin converts values (bind_batch/result_batch).
const PluginType* converting_plugin(const TypeEngine& t) noexcept {
  const auto* p = dynamic_cast<const PluginType*>(&t);
  return p != nullptr && p->value_type() != p->storage_type() ? p : nullptr;
}

// Calls a plugin's bind_batch or result_batch on one column of `rows` rows; the converted
// column stays valid as long as the returned batch.  `fail` raises the caller's error.
std::shared_ptr<retort_batch> call_batch_hook(BatchHook hook, const char* dialect,
                                              const retort_column& column, std::int64_t rows,
                                              std::uint32_t want,
                                              const std::function<void(const std::string&)>& fail) {
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

// --- Binding -----------------------------------------------------------------------------------

namespace {

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

std::uint32_t param_column_flags(const TypeEngine& type) noexcept {
  switch (innermost(type).kind()) {
    case TypeKind::integer:
      return RETORT_COLUMN_DECLARED_INT32;
    case TypeKind::small_integer:
      return RETORT_COLUMN_DECLARED_INT16;
    default:
      return 0;
  }
}

void process_bind_parameters(PreparedExecution& prepared, const retort_dialect& dialect) {
  bool any_flags = false;
  std::vector<std::uint32_t> name_flags(prepared.types.size());
  for (std::size_t i = 0; i < prepared.types.size(); ++i) {
    if (converting_plugin(innermost(*prepared.types[i])) != nullptr) continue;
    name_flags[i] = param_column_flags(*prepared.types[i]);
    any_flags = any_flags || name_flags[i] != 0;
  }
  if (any_flags) {
    prepared.column_flags.resize(prepared.placeholders.size());
    for (std::size_t p = 0; p < prepared.placeholders.size(); ++p)
      prepared.column_flags[p] = name_flags[prepared.placeholders[p]];
  }
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

}  // namespace retort::detail
