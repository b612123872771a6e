// core/src/param_batch.cpp — named parameter sets → columnar batches.
#include "param_batch.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <type_traits>

namespace retort::detail {

uint32_t value_type_of(const Value& v) noexcept {
  // The variant's alternatives are listed in this order in value.hpp.
  static constexpr uint32_t kTypes[] = {
      RETORT_TYPE_NULL,      RETORT_TYPE_BOOL,        RETORT_TYPE_INT64,    RETORT_TYPE_DOUBLE,
      RETORT_TYPE_TEXT,      RETORT_TYPE_BYTES,       RETORT_TYPE_DECIMAL,  RETORT_TYPE_DATE,
      RETORT_TYPE_TIME,      RETORT_TYPE_TIMESTAMP,   RETORT_TYPE_TIMESTAMPTZ,
      RETORT_TYPE_INTERVAL,  RETORT_TYPE_UUID,        RETORT_TYPE_JSON};
  static_assert(std::size(kTypes) == std::variant_size_v<Value::Variant>);
  return kTypes[v.variant().index()];
}

void append_value(sdk::ColumnBuffer& column, const Value& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Null>) {
          column.append_null();
        } else if constexpr (std::is_same_v<T, bool>) {
          column.append(static_cast<uint8_t>(x ? 1 : 0));
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
          column.append(x);
        } else if constexpr (std::is_same_v<T, std::string>) {
          column.append_bytes(x.data(), x.size());
        } else if constexpr (std::is_same_v<T, Bytes>) {
          column.append_bytes(x.data(), x.size());
        } else if constexpr (std::is_same_v<T, Decimal> || std::is_same_v<T, Json>) {
          column.append_bytes(x.text.data(), x.text.size());
        } else if constexpr (std::is_same_v<T, Date>) {
          column.append(static_cast<int32_t>(x.time_since_epoch().count()));
        } else if constexpr (std::is_same_v<T, Time>) {
          column.append(static_cast<int64_t>(x.since_midnight.count()));
        } else if constexpr (std::is_same_v<T, DateTime> || std::is_same_v<T, DateTimeTz>) {
          column.append(static_cast<int64_t>(x.time_since_epoch().count()));
        } else if constexpr (std::is_same_v<T, Interval>) {
          retort_interval i{x.months, x.days, static_cast<int64_t>(x.time.count())};
          column.append(i);
        } else if constexpr (std::is_same_v<T, Uuid>) {
          column.append(x.bytes);
        }
      },
      v.variant());
}

namespace {

// Builds one batch from a run of rows whose value types agree column by column.
struct BatchAssembly {
  std::vector<sdk::ColumnBuffer> columns;
  std::vector<retort_column> views;
  std::vector<uint32_t> types;  // RETORT_TYPE_NULL while undecided

  void start(std::size_t n) {
    columns.resize(n);
    types.assign(n, RETORT_TYPE_NULL);
    for (auto& c : columns) c.reset(RETORT_TYPE_NULL);
  }
  retort_batch finish(int64_t rows) {
    views.resize(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) views[i] = columns[i].finish();
    retort_batch b{};
    b.struct_size = sizeof b;
    b.column_count = static_cast<int32_t>(columns.size());
    b.row_count = rows;
    b.columns = views.data();
    return b;
  }
};

// A column's type is fixed by its first non-NULL value; the NULLs before it were appended
// to an untyped buffer, so re-create it with the right type and as many NULLs.
void settle_type(sdk::ColumnBuffer& column, uint32_t type) {
  const int64_t nulls = column.size();
  column.reset(static_cast<retort_value_type>(type));
  for (int64_t i = 0; i < nulls; ++i) column.append_null();
}

}  // namespace

ParamBatcher::ParamBatcher(const std::vector<std::string>& names,
                           const std::vector<std::uint32_t>& placeholders)
    : names_(names), placeholders_(placeholders) {}

void ParamBatcher::run(std::span<const Params> params,
                       const std::function<void(const retort_batch&, std::size_t)>& sink) {
  const std::size_t n_names = names_.size();
  const std::size_t n_cols = placeholders_.size();
  if (n_cols == 0) {
    retort_batch empty{};
    empty.struct_size = sizeof empty;
    empty.row_count = params.empty() ? 0 : static_cast<int64_t>(params.size());
    sink(empty, 0);
    return;
  }
  // Where each name sits in a parameter set; rows usually share the first row's layout, so
  // the hint makes the lookup one string comparison per value.
  std::vector<std::size_t> hint(n_names, 0);
  std::vector<const Value*> row_values(n_names);
  BatchAssembly batch;
  batch.start(n_cols);
  std::size_t batch_first = 0;
  int64_t batch_rows = 0;

  for (std::size_t r = 0; r < params.size(); ++r) {
    const auto& items = params[r].items();
    for (std::size_t k = 0; k < n_names; ++k) {
      const Value* found = nullptr;
      if (hint[k] < items.size() && items[hint[k]].first == names_[k]) {
        found = &items[hint[k]].second;
      } else {
        for (std::size_t j = 0; j < items.size(); ++j) {
          if (items[j].first == names_[k]) {
            found = &items[j].second;
            hint[k] = j;
            break;
          }
        }
      }
      if (found == nullptr) {
        throw ArgumentError(params.size() == 1
                                ? fmt::format("A value is required for bind parameter '{}'",
                                              names_[k])
                                : fmt::format("A value is required for bind parameter '{}', in "
                                              "parameter group {}",
                                              names_[k], r));
      }
      row_values[k] = found;
    }
    // Does this row fit the current batch's column types?
    bool fits = true;
    for (std::size_t c = 0; c < n_cols && fits; ++c) {
      const uint32_t t = value_type_of(*row_values[placeholders_[c]]);
      fits = t == RETORT_TYPE_NULL || batch.types[c] == RETORT_TYPE_NULL || batch.types[c] == t;
    }
    if (!fits) {
      sink(batch.finish(batch_rows), batch_first);
      batch.start(n_cols);
      batch_first = r;
      batch_rows = 0;
    }
    for (std::size_t c = 0; c < n_cols; ++c) {
      const Value& v = *row_values[placeholders_[c]];
      const uint32_t t = value_type_of(v);
      if (t != RETORT_TYPE_NULL && batch.types[c] == RETORT_TYPE_NULL) {
        settle_type(batch.columns[c], t);
        batch.types[c] = t;
      }
      append_value(batch.columns[c], v);
    }
    ++batch_rows;
  }
  if (batch_rows > 0) sink(batch.finish(batch_rows), batch_first);
}

void ParamBatcher::run_positional(std::span<const Value> values,
                                  const std::function<void(const retort_batch&)>& sink) {
  BatchAssembly batch;
  batch.start(values.size());
  for (std::size_t c = 0; c < values.size(); ++c) {
    const uint32_t t = value_type_of(values[c]);
    if (t != RETORT_TYPE_NULL) settle_type(batch.columns[c], t);
    append_value(batch.columns[c], values[c]);
  }
  sink(batch.finish(values.empty() ? 0 : 1));
}

}  // namespace retort::detail
