// core/src/sql/type_results.cpp — value conversion by SQL type, result side: the types of a
// statement's result columns and the conversion of fetched batches (see type_values.hpp).
#include "../engine_impl.hpp"
#include "../param_batch.hpp"
#include "type_values.hpp"

#include <retort/exceptions.hpp>
#include <retort/sdk/plugin.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>

namespace retort::detail {

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
  const Node* s = &statement;
  while (s->kind == NodeKind::compound_select) s = s->items.front().get();
  const std::vector<NodePtr>* items = nullptr;
  switch (s->kind) {
    case NodeKind::select:
    case NodeKind::textual_select:  // items: the declared columns
      items = &s->items;
      break;
    case NodeKind::insert:
    case NodeKind::update:
    case NodeKind::delete_:
      items = &s->returning;
      break;
    default:
      return nullptr;
  }
  auto out = std::make_shared<ResultTypes>();
  for (const auto& item : *items) add_item_types(*item, out->types);
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
