// core/src/result.cpp — Result and Row over driver batches.
#include <retort/result.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine_impl.hpp"
#include "sql/type_values.hpp"

namespace retort {

namespace detail {

ResultSource::ResultSource(std::shared_ptr<ConnectionImpl> conn, retort_statement* stmt,
                           const retort_exec_info& info, std::string sql)
    : conn_(conn),
      engine_(conn->engine_impl),
      stmt_(stmt),
      info_(info),
      sql_(std::move(sql)),
      fetch_rows_(conn->fetch_rows()) {
  const retort_driver& d = engine_->driver();
  const auto columns = static_cast<std::size_t>(std::max(info_.column_count, 0));
  // The names are compared with the connection's last result's first: a statement run again
  // (a point select in a loop) shares that ResultMeta instead of building its own.
  const std::shared_ptr<const ResultMeta>& last = conn->last_meta;
  bool same = last != nullptr && last->keys.size() == columns;
  std::shared_ptr<ResultMeta> meta;
  for (std::size_t i = 0; i < columns; ++i) {
    retort_column_desc desc{};
    desc.struct_size = sizeof desc;
    retort_error err = make_error();
    const retort_status st = d.describe(stmt_, static_cast<int32_t>(i), &desc, &err);
    if (st != RETORT_OK) {
      d.statement_release(stmt_);
      stmt_ = nullptr;
      conn->raise(st, err, sql_);
    }
    const std::string_view name(desc.name != nullptr ? desc.name : "",
                                desc.name != nullptr ? desc.name_length : 0);
    if (same && last->keys[i] == name) continue;
    if (same) {
      // The first difference: from here on the names are this result's own.
      same = false;
      meta = std::make_shared<ResultMeta>();
      meta->keys.reserve(columns);
      for (std::size_t k = 0; k < i; ++k) meta->add(last->keys[k]);
    } else if (meta == nullptr) {
      meta = std::make_shared<ResultMeta>();
      meta->keys.reserve(columns);
    }
    meta->add(std::string(name));
  }
  if (columns == 0) {
    static const std::shared_ptr<const ResultMeta> no_columns = std::make_shared<ResultMeta>();
    meta_ = no_columns;
  } else if (same) {
    meta_ = last;
  } else {
    meta_ = std::move(meta);
    conn->last_meta = meta_;
  }
  if (info_.column_count == 0) {
    d.statement_release(stmt_);
    stmt_ = nullptr;
  } else {
    conn->live_results.push_back(this);
  }
}

ResultSource::ResultSource(std::shared_ptr<ConnectionImpl> conn,
                           std::shared_ptr<const ResultMeta> meta,
                           std::vector<std::shared_ptr<const BatchHolder>> batches,
                           const retort_exec_info& info)
    : conn_(conn),
      engine_(conn->engine_impl),
      info_(info),
      meta_(std::move(meta)),
      buffered_(std::move(batches)) {}

ResultSource::~ResultSource() { release_statement(); }

void ResultSource::orphan() noexcept {
  orphaned_ = stmt_ != nullptr;
  release_statement();
}

void ResultSource::release_statement() noexcept {
  if (stmt_ == nullptr) return;
  engine_->driver().statement_release(stmt_);
  stmt_ = nullptr;
  if (auto c = conn_.lock()) {
    auto& live = c->live_results;
    live.erase(std::remove(live.begin(), live.end(), this), live.end());
  }
}

std::shared_ptr<const BatchHolder> ResultSource::next_batch() {
  if (next_buffered_ < buffered_.size()) return std::move(buffered_[next_buffered_++]);
  if (stmt_ == nullptr) {
    if (orphaned_) {
      throw ResourceClosedError(
          "This result's connection was closed before all of its rows were fetched");
    }
    return nullptr;
  }
  retort_batch batch{};
  batch.struct_size = sizeof(retort_batch);
  retort_error err = make_error();
  const retort_status st = engine_->driver().fetch(stmt_, fetch_rows_, &batch, &err);
  if (st != RETORT_OK) {
    release_statement();
    // Through the connection when it is still open: a disconnect invalidates it.
    if (auto c = conn_.lock(); c != nullptr && c->handle != nullptr) c->raise(st, err, sql_);
    engine_->raise(st, err, sql_);
  }
  // The holder is made only for rows: the empty batch that ends every result (the second
  // fetch of a point select's one()) then costs no allocation.
  if (batch.row_count == 0) {
    if (batch.release != nullptr) batch.release(&batch);
    release_statement();
    return nullptr;
  }
  std::shared_ptr<BatchHolder> holder;
  try {
    holder = std::make_shared<BatchHolder>();
  } catch (...) {
    if (batch.release != nullptr) batch.release(&batch);
    throw;
  }
  holder->batch = batch;  // owned (and released) by the holder from here on
  holder->meta = meta_;
  if (holder->batch.column_count != info_.column_count) {
    release_statement();
    DBAPIError::Info info = engine_->info(
        fmt::format("driver returned a batch of {} columns for a result of {} columns",
                    holder->batch.column_count, info_.column_count),
        RETORT_INTERNAL);
    info.statement = sql_;
    throw InternalError(std::move(info));
  }
  if (types_) convert_result_batch(*holder, *types_);
  return holder;
}

void ResultMeta::add(std::string name) {
  keys.push_back(std::move(name));
  if (keys.size() < kIndexFrom) return;
  if (keys.size() == kIndexFrom) {
    for (std::size_t i = 0; i < keys.size(); ++i) index_.emplace(keys[i], i);
  } else {
    index_.emplace(keys.back(), keys.size() - 1);  // the first of duplicate names wins
  }
}

std::size_t ResultMeta::find(std::string_view name) const noexcept {
  if (keys.size() < kIndexFrom) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == name) return i;  // the first of duplicate names wins
    }
    return npos;
  }
  try {
    const auto it = index_.find(std::string(name));
    return it == index_.end() ? npos : it->second;
  } catch (...) {
    return npos;  // out of memory for the key
  }
}

}  // namespace detail

using detail::BatchHolder;

// ---------------------------------------------------------------------------------------------
// Result
// ---------------------------------------------------------------------------------------------

Result::Result(std::unique_ptr<detail::ResultSource> source) : source_(std::move(source)) {}
Result::Result(Result&&) noexcept = default;
Result& Result::operator=(Result&&) noexcept = default;
Result::~Result() = default;

bool Result::returns_rows() const noexcept { return source_ && source_->info().column_count > 0; }

const std::vector<std::string>& Result::keys() const noexcept {
  static const std::vector<std::string> none;
  return source_ ? source_->meta()->keys : none;
}

int64_t Result::rowcount() const noexcept { return source_ ? source_->info().rows_affected : -1; }

std::optional<int64_t> Result::lastrowid() const noexcept {
  if (!source_ || !source_->info().has_last_insert_id) return std::nullopt;
  return source_->info().last_insert_id;
}

bool Result::load_batch() {
  batch_.reset();
  next_row_ = 0;
  if (!source_) return false;
  batch_ = source_->next_batch();
  return batch_ != nullptr;
}

std::optional<Row> Result::fetchone() {
  if (!batch_ || next_row_ >= batch_->rows()->row_count) {
    if (!load_batch()) return std::nullopt;
  }
  return Row(batch_, batch_->rows(), next_row_++);
}

std::vector<Row> Result::fetchmany(std::size_t n) {
  std::vector<Row> rows;
  rows.reserve(std::min<std::size_t>(n, 1024));
  while (rows.size() < n) {
    auto row = fetchone();
    if (!row) break;
    rows.push_back(std::move(*row));
  }
  return rows;
}

std::vector<Row> Result::all() {
  std::vector<Row> rows;
  while (auto row = fetchone()) rows.push_back(std::move(*row));
  return rows;
}

std::optional<Row> Result::first() {
  auto row = fetchone();
  close();
  return row;
}

Row Result::one() {
  auto row = one_or_none();
  if (!row) throw NoResultFound("No row was found when one was required");
  return std::move(*row);
}

std::optional<Row> Result::one_or_none() {
  auto row = fetchone();
  if (row && fetchone()) {
    close();
    throw MultipleResultsFound("Multiple rows were found when one or none was required");
  }
  close();
  return row;
}

std::vector<RowMapping> Result::mappings() {
  std::vector<RowMapping> out;
  while (auto row = fetchone()) out.emplace_back(std::move(*row));
  return out;
}

void Result::close() {
  if (source_) source_->release_statement();
  batch_.reset();
  next_row_ = 0;
}

Result::iterator::iterator(Result* result) : result_(result), current_(result->fetchone()) {}

Result::iterator& Result::iterator::next_batch() {
  current_ = result_->fetchone();
  return *this;
}

bool RowMapping::contains(std::string_view name) const noexcept {
  const auto& keys = row_.keys();
  return std::find(keys.begin(), keys.end(), name) != keys.end();
}

// ---------------------------------------------------------------------------------------------
// Row
// ---------------------------------------------------------------------------------------------

std::size_t Row::size() const noexcept { return batch_->meta->keys.size(); }
const std::vector<std::string>& Row::keys() const noexcept { return batch_->meta->keys; }

std::size_t Row::index_of(std::string_view name) const {
  const std::size_t at = batch_->meta->find(name);
  if (at == detail::ResultMeta::npos) {
    throw InvalidRequestError(fmt::format("Row has no column '{}'; its columns are: {}", name,
                                          fmt::join(keys(), ", ")));
  }
  return at;
}

// Throws for an index out of range (the columns a batch has are the result's columns).
const void* Row::column(std::size_t index) const {
  if (index >= size()) {
    throw InvalidRequestError(
        fmt::format("Column index {} is out of range; the row has {} columns", index, size()));
  }
  return &batch_->rows()->columns[index];
}

bool Row::is_null(std::size_t index) const {
  const auto* c = static_cast<const retort_column*>(column(index));
  return c->type == RETORT_TYPE_NULL || (c->nulls != nullptr && c->nulls[row_] != 0);
}

namespace {

const char* type_name(uint32_t t) {
  switch (t) {
    case RETORT_TYPE_NULL: return "NULL";
    case RETORT_TYPE_BOOL: return "BOOL";
    case RETORT_TYPE_INT64: return "INT64";
    case RETORT_TYPE_DOUBLE: return "DOUBLE";
    case RETORT_TYPE_TEXT: return "TEXT";
    case RETORT_TYPE_BYTES: return "BYTES";
    case RETORT_TYPE_DECIMAL: return "DECIMAL";
    case RETORT_TYPE_DATE: return "DATE";
    case RETORT_TYPE_TIME: return "TIME";
    case RETORT_TYPE_TIMESTAMP: return "TIMESTAMP";
    case RETORT_TYPE_TIMESTAMPTZ: return "TIMESTAMPTZ";
    case RETORT_TYPE_INTERVAL: return "INTERVAL";
    case RETORT_TYPE_UUID: return "UUID";
    case RETORT_TYPE_JSON: return "JSON";
    default: return "UNKNOWN";
  }
}

template <typename T>
T fixed(const retort_column& c, int64_t row) {
  T v;
  std::memcpy(&v, static_cast<const uint8_t*>(c.values) + row * static_cast<int64_t>(sizeof(T)),
              sizeof(T));
  return v;
}

std::string_view var(const retort_column& c, int64_t row) {
  const int64_t b = c.offsets[row];
  return {c.data + b, static_cast<std::size_t>(c.offsets[row + 1] - b)};
}

// The C++ names users write, for error messages.
template <typename T> constexpr const char* cpp_name() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (std::is_same_v<T, int8_t>) return "int8_t";
  else if constexpr (std::is_same_v<T, int16_t>) return "int16_t";
  else if constexpr (std::is_same_v<T, int32_t>) return "int32_t";
  else if constexpr (std::is_same_v<T, int64_t>) return "int64_t";
  else if constexpr (std::is_same_v<T, long long>) return "long long";
  else if constexpr (std::is_same_v<T, uint8_t>) return "uint8_t";
  else if constexpr (std::is_same_v<T, uint16_t>) return "uint16_t";
  else if constexpr (std::is_same_v<T, uint32_t>) return "uint32_t";
  else if constexpr (std::is_same_v<T, uint64_t>) return "uint64_t";
  else if constexpr (std::is_same_v<T, unsigned long long>) return "unsigned long long";
  else if constexpr (std::is_same_v<T, double>) return "double";
  else if constexpr (std::is_same_v<T, float>) return "float";
  else if constexpr (std::is_same_v<T, std::string>) return "std::string";
  else if constexpr (std::is_same_v<T, std::string_view>) return "std::string_view";
  else if constexpr (std::is_same_v<T, Bytes>) return "retort::Bytes";
  else if constexpr (std::is_same_v<T, Decimal>) return "retort::Decimal";
  else if constexpr (std::is_same_v<T, Date>) return "retort::Date";
  else if constexpr (std::is_same_v<T, Time>) return "retort::Time";
  else if constexpr (std::is_same_v<T, DateTime>) return "retort::DateTime";
  else if constexpr (std::is_same_v<T, DateTimeTz>) return "retort::DateTimeTz";
  else if constexpr (std::is_same_v<T, Interval>) return "retort::Interval";
  else if constexpr (std::is_same_v<T, Uuid>) return "retort::Uuid";
  else if constexpr (std::is_same_v<T, Json>) return "retort::Json";
  else return "retort::Value";
}

// Reads an exact integer out of a decimal's text ("42", "-7.000"); false when it has a
// non-zero fraction or does not fit.
bool decimal_to_int64(std::string_view s, int64_t& out) {
  const auto dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (dot != std::string_view::npos) {
    for (char ch : s.substr(dot + 1)) {
      if (ch != '0') return false;
    }
  }
  auto [p, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), out);
  return ec == std::errc() && p == whole.data() + whole.size();
}

}  // namespace

void Row::conversion_error(std::size_t index, std::string_view wanted) const {
  const auto* c = static_cast<const retort_column*>(column(index));
  if (is_null(index)) {
    throw TypeConversionError(fmt::format(
        "Column '{}' (index {}) is NULL and cannot be read as {}; read it as std::optional<{}>",
        keys()[index], index, wanted, wanted));
  }
  throw TypeConversionError(fmt::format("Column '{}' (index {}) holds a {} value, which cannot "
                                        "be read as {}",
                                        keys()[index], index, type_name(c->type), wanted));
}

namespace {

// Reads column `c` row `r` as T; returns false when the stored type does not convert.
template <typename T>
bool read_as(const retort_column& c, int64_t r, T& out, bool& range_error) {
  const uint32_t t = c.type;
  if constexpr (std::is_same_v<T, bool>) {
    if (t == RETORT_TYPE_BOOL) return out = fixed<uint8_t>(c, r) != 0, true;
    if (t == RETORT_TYPE_INT64) {
      const int64_t v = fixed<int64_t>(c, r);
      if (v != 0 && v != 1) return range_error = true, false;
      return out = v == 1, true;
    }
    return false;
  } else if constexpr (std::is_integral_v<T>) {
    int64_t v = 0;
    if (t == RETORT_TYPE_INT64) {
      v = fixed<int64_t>(c, r);
    } else if (t == RETORT_TYPE_BOOL) {
      v = fixed<uint8_t>(c, r);
    } else if (t == RETORT_TYPE_DOUBLE) {
      const double d = fixed<double>(c, r);
      if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18) || std::trunc(d) != d) {
        return range_error = true, false;
      }
      v = static_cast<int64_t>(d);
    } else if (t == RETORT_TYPE_DECIMAL) {
      if (!decimal_to_int64(var(c, r), v)) return range_error = true, false;
    } else {
      return false;
    }
    if constexpr (std::is_signed_v<T>) {
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
        return range_error = true, false;
      }
    } else {
      if (v < 0 || static_cast<uint64_t>(v) > std::numeric_limits<T>::max()) {
        return range_error = true, false;
      }
    }
    return out = static_cast<T>(v), true;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (t == RETORT_TYPE_DOUBLE) return out = static_cast<T>(fixed<double>(c, r)), true;
    if (t == RETORT_TYPE_INT64) return out = static_cast<T>(fixed<int64_t>(c, r)), true;
    if (t == RETORT_TYPE_DECIMAL) {
      const auto s = var(c, r);
      out = static_cast<T>(std::strtod(std::string(s).c_str(), nullptr));
      return true;
    }
    return false;
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
    if (t == RETORT_TYPE_TEXT || t == RETORT_TYPE_DECIMAL || t == RETORT_TYPE_JSON) {
      return out = T(var(c, r)), true;
    }
    return false;
  } else if constexpr (std::is_same_v<T, Bytes>) {
    if (t != RETORT_TYPE_BYTES) return false;
    const auto s = var(c, r);
    out.assign(reinterpret_cast<const uint8_t*>(s.data()),
               reinterpret_cast<const uint8_t*>(s.data()) + s.size());
    return true;
  } else if constexpr (std::is_same_v<T, Decimal>) {
    if (t == RETORT_TYPE_DECIMAL) return out = Decimal{std::string(var(c, r))}, true;
    if (t == RETORT_TYPE_INT64) return out = Decimal{std::to_string(fixed<int64_t>(c, r))}, true;
    return false;
  } else if constexpr (std::is_same_v<T, Date>) {
    if (t != RETORT_TYPE_DATE) return false;
    return out = Date(std::chrono::days(fixed<int32_t>(c, r))), true;
  } else if constexpr (std::is_same_v<T, Time>) {
    if (t != RETORT_TYPE_TIME) return false;
    return out = Time{std::chrono::microseconds(fixed<int64_t>(c, r))}, true;
  } else if constexpr (std::is_same_v<T, DateTime>) {
    if (t != RETORT_TYPE_TIMESTAMP) return false;
    return out = DateTime(std::chrono::microseconds(fixed<int64_t>(c, r))), true;
  } else if constexpr (std::is_same_v<T, DateTimeTz>) {
    if (t != RETORT_TYPE_TIMESTAMPTZ) return false;
    return out = DateTimeTz(std::chrono::microseconds(fixed<int64_t>(c, r))), true;
  } else if constexpr (std::is_same_v<T, Interval>) {
    if (t != RETORT_TYPE_INTERVAL) return false;
    const auto i = fixed<retort_interval>(c, r);
    return out = Interval{i.months, i.days, std::chrono::microseconds(i.microseconds)}, true;
  } else if constexpr (std::is_same_v<T, Uuid>) {
    if (t != RETORT_TYPE_UUID) return false;
    std::memcpy(out.bytes.data(), static_cast<const uint8_t*>(c.values) + r * 16, 16);
    return true;
  } else if constexpr (std::is_same_v<T, Json>) {
    if (t != RETORT_TYPE_JSON && t != RETORT_TYPE_TEXT) return false;
    return out = Json{std::string(var(c, r))}, true;
  } else {
    static_assert(std::is_same_v<T, Value>);
    switch (t) {
      case RETORT_TYPE_BOOL: return out = Value(fixed<uint8_t>(c, r) != 0), true;
      case RETORT_TYPE_INT64: return out = Value(fixed<int64_t>(c, r)), true;
      case RETORT_TYPE_DOUBLE: return out = Value(fixed<double>(c, r)), true;
      case RETORT_TYPE_TEXT: return out = Value(std::string(var(c, r))), true;
      default: break;
    }
    bool unused = false;
    switch (t) {
#define RETORT_VALUE_CASE(code, Type)      \
  case code: {                             \
    Type v{};                              \
    read_as<Type>(c, r, v, unused);        \
    return out = Value(std::move(v)), true; \
  }
      RETORT_VALUE_CASE(RETORT_TYPE_BYTES, Bytes)
      RETORT_VALUE_CASE(RETORT_TYPE_DECIMAL, Decimal)
      RETORT_VALUE_CASE(RETORT_TYPE_DATE, Date)
      RETORT_VALUE_CASE(RETORT_TYPE_TIME, Time)
      RETORT_VALUE_CASE(RETORT_TYPE_TIMESTAMP, DateTime)
      RETORT_VALUE_CASE(RETORT_TYPE_TIMESTAMPTZ, DateTimeTz)
      RETORT_VALUE_CASE(RETORT_TYPE_INTERVAL, Interval)
      RETORT_VALUE_CASE(RETORT_TYPE_UUID, Uuid)
      RETORT_VALUE_CASE(RETORT_TYPE_JSON, Json)
#undef RETORT_VALUE_CASE
      default: return false;
    }
  }
}

}  // namespace

// get<T>'s inline fast path (result.hpp) reads a non-NULL value of exactly T's column type;
// everything else (conversions, NULL, errors) comes here.
#define RETORT_DEFINE_ROW_GET(T)                                                              \
  template <>                                                                                 \
  T Row::get_converted<T>(std::size_t index) const {                                          \
    const auto& c = *static_cast<const retort_column*>(column(index));                        \
    if (c.type == RETORT_TYPE_NULL || (c.nulls != nullptr && c.nulls[row_] != 0)) {           \
      if constexpr (std::is_same_v<T, Value>) return T();                                     \
      else conversion_error(index, cpp_name<T>());                                            \
    }                                                                                         \
    T out{};                                                                                  \
    bool range_error = false;                                                                 \
    if (read_as<T>(c, row_, out, range_error)) return out;                                    \
    if (range_error) {                                                                        \
      throw TypeConversionError(fmt::format(                                                  \
          "Column '{}' (index {}): the {} value {} does not fit in {}", keys()[index], index, \
          type_name(c.type), (*this)[index].repr(), cpp_name<T>()));                          \
    }                                                                                         \
    conversion_error(index, cpp_name<T>());                                                   \
  }                                                                                           \
  template <>                                                                                 \
  std::optional<T> Row::get<std::optional<T>>(std::size_t index) const {                      \
    if (is_null(index)) return std::nullopt;                                                  \
    return get<T>(index);                                                                     \
  }
RETORT_ROW_GET_TYPES(RETORT_DEFINE_ROW_GET)
#undef RETORT_DEFINE_ROW_GET

#define RETORT_DEFINE_ROW_GET(T)                           \
  template <>                                              \
  T Row::get<T>(std::size_t index) const {                 \
    return get_converted<T>(index);                        \
  }
RETORT_ROW_GET_OTHER_TYPES(RETORT_DEFINE_ROW_GET)
#undef RETORT_DEFINE_ROW_GET

Value Row::operator[](std::size_t index) const { return get<Value>(index); }

}  // namespace retort
