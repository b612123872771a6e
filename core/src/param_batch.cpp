// core/src/param_batch.cpp — named parameter sets → columnar batches.
#include "param_batch.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <iterator>
#include <numeric>
#include <type_traits>

namespace retort::detail {

namespace {

// The variant's alternatives are listed in this order in value.hpp.
constexpr uint32_t kTypes[] = {
    RETORT_TYPE_NULL,      RETORT_TYPE_BOOL,        RETORT_TYPE_INT64,    RETORT_TYPE_DOUBLE,
    RETORT_TYPE_TEXT,      RETORT_TYPE_BYTES,       RETORT_TYPE_DECIMAL,  RETORT_TYPE_DATE,
    RETORT_TYPE_TIME,      RETORT_TYPE_TIMESTAMP,   RETORT_TYPE_TIMESTAMPTZ,
    RETORT_TYPE_INTERVAL,  RETORT_TYPE_UUID,        RETORT_TYPE_JSON};
static_assert(std::size(kTypes) == std::variant_size_v<Value::Variant>);

inline uint32_t type_of(const Value& v) noexcept { return kTypes[v.variant().index()]; }

// The alternative `I` of `v`, which holds it.
template <std::size_t I>
const auto& alt(const Value& v) noexcept {
  return *std::get_if<I>(&v.variant());
}

// append_value without std::visit: a switch on the index the compiler can inline.
inline void append_fast(sdk::ColumnBuffer& column, const Value& v) {
  switch (v.variant().index()) {
    case 0: column.append_null(); break;
    case 1: column.append(static_cast<uint8_t>(alt<1>(v) ? 1 : 0)); break;
    case 2: column.append(alt<2>(v)); break;
    case 3: column.append(alt<3>(v)); break;
    case 4: column.append_bytes(alt<4>(v).data(), alt<4>(v).size()); break;
    case 9: column.append(static_cast<int64_t>(alt<9>(v).time_since_epoch().count())); break;
    case 10: column.append(static_cast<int64_t>(alt<10>(v).time_since_epoch().count())); break;
    default: append_value(column, v); break;
  }
}

template <typename T>
inline T load(const char* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// `a == b` for the short names of parameters, without a call into the library: names up to
// 16 bytes compare as two (overlapping) words.
inline bool same_name(const std::string& a, const std::string& b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    if (n > 16) return std::memcmp(p, q, n) == 0;
    return load<uint64_t>(p) == load<uint64_t>(q) &&
           load<uint64_t>(p + n - 8) == load<uint64_t>(q + n - 8);
  }
  if (n >= 4) {
    return load<uint32_t>(p) == load<uint32_t>(q) &&
           load<uint32_t>(p + n - 4) == load<uint32_t>(q + n - 4);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

}  // namespace

uint32_t value_type_of(const Value& v) noexcept { return type_of(v); }

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

// A column's type is fixed by its first non-NULL value; the `nulls` NULLs before it were
// appended to an untyped buffer, so re-create it with the right type and as many NULLs.
void settle_type(sdk::ColumnBuffer& column, uint32_t type, int64_t nulls) {
  column.reset(static_cast<retort_value_type>(type));
  for (int64_t i = 0; i < nulls; ++i) column.append_null();
}

}  // namespace

void BatchAssembly::start(std::size_t n) {
  columns.resize(n);
  types.assign(n, RETORT_TYPE_NULL);
  for (auto& c : columns) c.reset(RETORT_TYPE_NULL);
}

retort_batch BatchAssembly::finish(int64_t rows) {
  views.resize(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) views[i] = columns[i].finish();
  if (flags.size() == views.size()) {
    for (std::size_t i = 0; i < views.size(); ++i) views[i].flags = flags[i];
  }
  retort_batch b{};
  b.struct_size = sizeof b;
  b.column_count = static_cast<int32_t>(columns.size());
  b.row_count = rows;
  b.columns = views.data();
  return b;
}

ParamBatcher::ParamBatcher(const std::vector<std::string>& names,
                           const std::vector<std::uint32_t>& placeholders,
                           std::span<const std::uint32_t> column_flags)
    : names_(names), placeholders_(placeholders), column_flags_(column_flags) {}

ParamBatcher::ParamBatcher(const std::vector<std::string>& names,
                           const std::vector<std::uint32_t>& placeholders, ParamScratch& scratch,
                           std::span<const std::uint32_t> column_flags)
    : names_(names), placeholders_(placeholders), column_flags_(column_flags), scratch_(&scratch) {}

void ParamBatcher::run(std::span<const Params> params,
                       FunctionRef<void(const retort_batch&, std::size_t)> sink) {
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
  // the hint makes the lookup one string comparison per value.  The first guess is the
  // name's own position: sets built from a compiled statement (prepare_execution) list the
  // names in that order, and a single wide set (a multi-row INSERT) is then found in linear
  // rather than quadratic time.
  ParamScratch local;
  ParamScratch& scratch = scratch_ != nullptr ? *scratch_ : local;
  std::vector<std::size_t>& hint = scratch.hint;
  hint.resize(n_names);
  std::iota(hint.begin(), hint.end(), std::size_t{0});
  std::vector<const Value*>& row_values = scratch.values;
  row_values.assign(n_names, nullptr);
  // Columns that got their type from the row being appended (rolled back with it).
  std::vector<std::size_t>& typed_by_row = scratch.typed_by_row;
  typed_by_row.clear();
  BatchAssembly& batch = scratch.batch;
  batch.start(n_cols);
  batch.flags = column_flags_;
  // A large run's buffers are not kept for the next one (see ParamScratch::kKeepRows).
  struct Trim {
    ParamScratch& scratch;
    bool large;
    ~Trim() {
      if (large) scratch = ParamScratch();
    }
  } const trim{scratch, params.size() > ParamScratch::kKeepRows};
  std::size_t batch_first = 0;
  int64_t batch_rows = 0;

  const std::string* const names = names_.data();
  const std::uint32_t* const placeholders = placeholders_.data();
  std::size_t* const hints = hint.data();
  const Value** const values = row_values.data();
  for (std::size_t r = 0; r < params.size(); ++r) {
    const auto& items = params[r].items();
    const std::pair<std::string, Value>* const item = items.data();
    const std::size_t n_items = items.size();
    for (std::size_t k = 0; k < n_names; ++k) {
      const std::size_t h = hints[k];
      if (h < n_items && same_name(item[h].first, names[k])) [[likely]] {
        values[k] = &item[h].second;
        continue;
      }
      const Value* found = nullptr;
      for (std::size_t j = 0; j < n_items; ++j) {
        if (item[j].first == names[k]) {
          found = &item[j].second;
          hints[k] = j;
          break;
        }
      }
      if (found == nullptr) {
        throw ArgumentError(params.size() == 1
                                ? fmt::format("A value is required for bind parameter '{}'",
                                              names[k])
                                : fmt::format("A value is required for bind parameter '{}', in "
                                              "parameter group {}",
                                              names[k], r));
      }
      values[k] = found;
    }
    // Append the row.  A value whose type differs from its column's (NULLs fit every column)
    // ends the batch before this row: the row is taken back out and starts the next batch.
    sdk::ColumnBuffer* const columns = batch.columns.data();
    uint32_t* const types = batch.types.data();
    for (std::size_t c = 0; c < n_cols; ++c) {
      const Value& v = *values[placeholders[c]];
      const uint32_t t = type_of(v);
      if (t != types[c] && t != RETORT_TYPE_NULL) [[unlikely]] {
        if (types[c] != RETORT_TYPE_NULL) {
          for (const std::size_t typed : typed_by_row) {
            settle_type(columns[typed], RETORT_TYPE_NULL, batch_rows);
            types[typed] = RETORT_TYPE_NULL;
          }
          for (std::size_t i = 0; i < c; ++i) columns[i].truncate(batch_rows);
          typed_by_row.clear();
          sink(batch.finish(batch_rows), batch_first);
          batch.start(n_cols);
          batch_first = r;
          batch_rows = 0;
          c = static_cast<std::size_t>(-1);  // again from the first column, in the new batch
          continue;
        }
        settle_type(columns[c], t, batch_rows);
        // Room for every row this batch can still get, so the column grows only once.
        columns[c].reserve(static_cast<int64_t>(params.size() - batch_first));
        types[c] = t;
        typed_by_row.push_back(c);
      }
      append_fast(columns[c], v);
    }
    typed_by_row.clear();
    ++batch_rows;
  }
  if (batch_rows > 0) sink(batch.finish(batch_rows), batch_first);
}

void ParamBatcher::run_positional(std::span<const Value> values,
                                  FunctionRef<void(const retort_batch&)> sink) {
  BatchAssembly batch;
  batch.start(values.size());
  for (std::size_t c = 0; c < values.size(); ++c) {
    const uint32_t t = type_of(values[c]);
    if (t != RETORT_TYPE_NULL) settle_type(batch.columns[c], t, 0);
    append_value(batch.columns[c], values[c]);
  }
  sink(batch.finish(values.empty() ? 0 : 1));
}

}  // namespace retort::detail
