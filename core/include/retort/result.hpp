// retort/result.hpp — results of execution: `Result`, `Row`, `RowMapping`.
// SPDX-License-Identifier: MIT
//
// A Result streams rows from the driver in batches (`EngineOptions::fetch_batch_rows` rows
// per call across the plugin boundary).  Rows are cheap handles onto those batches: a Row
// stays valid as long as you keep it, even after the Result or the Connection is gone.
//
// Reading values: `row.get<T>(index)` or `row.get<T>("name")`, where T is one of the types in
// retort/value.hpp, a narrower integer (range-checked), float, std::string_view (valid while
// the Row lives), or std::optional<T> for NULL.  A NULL read into a non-optional T, or a value
// that cannot become T, throws TypeConversionError naming the column.
//
// Thread-safety: a Result belongs to the thread using its Connection; Rows are immutable and
// may be read from any thread.
#ifndef RETORT_RESULT_HPP
#define RETORT_RESULT_HPP

#include <retort/exceptions.hpp>
#include <retort/plugin_abi.h>
#include <retort/value.hpp>

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

namespace detail {
struct ResultMeta;
struct BatchHolder;
class ResultSource;
}  // namespace detail

/// One row.  Copying is cheap (it shares the batch).
class Row {
 public:
  /// Number of columns.
  std::size_t size() const noexcept;
  /// Column names, in order.
  const std::vector<std::string>& keys() const noexcept;
  /// The index of column `name`; throws InvalidRequestError naming the columns there are.
  std::size_t index_of(std::string_view name) const;
  bool is_null(std::size_t index) const;

  /// The value of column `index` as T.  Throws TypeConversionError.
  template <typename T>
  T get(std::size_t index) const;
  template <typename T>
  T get(std::string_view name) const {
    return get<T>(index_of(name));
  }
  /// The value as a Value (an owned copy).
  Value operator[](std::size_t index) const;
  Value operator[](std::string_view name) const { return (*this)[index_of(name)]; }

 private:
  friend class Result;
  friend struct detail::ResultMeta;
  Row(std::shared_ptr<const detail::BatchHolder> batch, const retort_batch* data,
      std::int64_t row) noexcept
      : batch_(std::move(batch)), data_(data), row_(row) {}
  [[noreturn]] void conversion_error(std::size_t index, std::string_view wanted) const;
  const void* column(std::size_t index) const;
  /// get<T> for everything but a non-NULL value of exactly T's column type.
  template <typename T>
  T get_converted(std::size_t index) const;

  // The inline fast path of get<T>: column `index` when it exists, has type `type` and is
  // not NULL in this row; nullptr otherwise (get_converted then decides).
  const retort_column* exact(std::size_t index, std::uint32_t type) const noexcept {
    if (index >= static_cast<std::size_t>(data_->column_count)) return nullptr;
    const retort_column* c = &data_->columns[index];
    if (c->type != type || (c->nulls != nullptr && c->nulls[row_] != 0)) return nullptr;
    return c;
  }
  template <typename T>
  T fixed(const retort_column& c) const noexcept {
    T v;
    std::memcpy(&v, static_cast<const unsigned char*>(c.values) + row_ * std::int64_t{sizeof(T)},
                sizeof(T));
    return v;
  }
  std::string_view text(const retort_column& c) const noexcept {
    const std::int64_t begin = c.offsets[row_];
    return {c.data + begin, static_cast<std::size_t>(c.offsets[row_ + 1] - begin)};
  }

  /// Keeps the batch alive; `data_` points into it.
  std::shared_ptr<const detail::BatchHolder> batch_;
  const retort_batch* data_ = nullptr;
  std::int64_t row_ = 0;
};

/// A row as a name → value mapping (SQLAlchemy's `RowMapping`).
class RowMapping {
 public:
  explicit RowMapping(Row row) : row_(std::move(row)) {}
  Value operator[](std::string_view name) const { return row_[name]; }
  bool contains(std::string_view name) const noexcept;
  const std::vector<std::string>& keys() const noexcept { return row_.keys(); }
  const Row& row() const noexcept { return row_; }

 private:
  Row row_;
};

/// The result of one execution.  Move-only.  Consumed by iteration or by one of the fetch
/// methods; a consumed Result yields no more rows.
class Result {
 public:
  Result(Result&&) noexcept;
  Result& operator=(Result&&) noexcept;
  ~Result();

  /// True when the statement produces rows (a SELECT, or DML with RETURNING).
  bool returns_rows() const noexcept;
  /// Column names.  Empty when the statement returns no rows.
  const std::vector<std::string>& keys() const noexcept;
  /// Rows inserted, updated or deleted (summed over an executemany); -1 when unknown.
  std::int64_t rowcount() const noexcept;
  /// The id the database generated for the last inserted row (SQLite rowid,
  /// AUTO_INCREMENT), if the driver reports one.
  std::optional<std::int64_t> lastrowid() const noexcept;
  /// SQLAlchemy's name for the same value, for single-column integer primary keys.
  std::optional<std::int64_t> inserted_primary_key() const noexcept { return lastrowid(); }

  /// The next row, or nullopt at the end.
  std::optional<Row> fetchone();
  /// Up to `n` rows.
  std::vector<Row> fetchmany(std::size_t n);
  /// Every remaining row.
  std::vector<Row> all();
  /// The first row, or nullopt; closes the result.
  std::optional<Row> first();
  /// Exactly one row; NoResultFound or MultipleResultsFound otherwise.
  Row one();
  /// One row or none; MultipleResultsFound when more.
  std::optional<Row> one_or_none();
  /// The first column of the first row, or nullopt when there is no row (or it is NULL when
  /// T is std::optional<U>).  Closes the result.
  template <typename T>
  std::optional<T> scalar() {
    auto row = first();
    if (!row) return std::nullopt;
    return row->template get<T>(0);
  }
  /// The first column of exactly one row.
  template <typename T>
  T scalar_one() {
    return one().template get<T>(0);
  }
  /// Column `index` of every remaining row.
  template <typename T>
  std::vector<T> scalars(std::size_t index = 0) {
    std::vector<T> out;
    while (auto row = fetchone()) out.push_back(row->template get<T>(index));
    return out;
  }
  /// Every remaining row as a RowMapping.
  std::vector<RowMapping> mappings();
  /// Discards any remaining rows and releases the statement.
  void close();

  /// Input iterator over the remaining rows.
  class iterator {
   public:
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    const Row& operator*() const noexcept { return *current_; }
    const Row* operator->() const noexcept { return &*current_; }
    iterator& operator++() {
      // Within a batch the current Row just moves on (no reference counting per row).
      if (current_ && current_->batch_ == result_->batch_ &&
          result_->next_row_ < current_->data_->row_count) {
        current_->row_ = result_->next_row_++;
        return *this;
      }
      return next_batch();
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.current_.has_value() == b.current_.has_value();
    }

   private:
    friend class Result;
    explicit iterator(Result* result);
    iterator& next_batch();
    Result* result_ = nullptr;
    std::optional<Row> current_;
  };
  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }

 private:
  friend class Connection;
  explicit Result(std::unique_ptr<detail::ResultSource> source);
  bool load_batch();

  std::unique_ptr<detail::ResultSource> source_;
  std::shared_ptr<const detail::BatchHolder> batch_;
  std::int64_t next_row_ = 0;
};

namespace detail {
// One-word names for the macro below.
using long_long = long long;
using unsigned_long_long = unsigned long long;
}  // namespace detail

// The types Row::get<T> supports; explicit specialisations live in result.cpp.
#define RETORT_ROW_GET_TYPES(X)                                                          \
  X(bool) X(std::int8_t) X(std::int16_t) X(std::int32_t) X(std::int64_t) X(std::uint8_t)  \
  X(std::uint16_t) X(std::uint32_t) X(std::uint64_t) X(detail::long_long) X(detail::unsigned_long_long)   \
  X(double) X(float) X(std::string) X(std::string_view) X(Bytes) X(Decimal) X(Date)       \
  X(Time) X(DateTime) X(DateTimeTz) X(Interval) X(Uuid) X(Json) X(Value)

// The types whose get<T> has an inline fast path (a value of exactly the column type T reads
// without conversion): the type, its column type, and how to read it from column `c`.
#define RETORT_ROW_GET_INLINE_TYPES(X)                                                        \
  X(bool, RETORT_TYPE_BOOL, fixed<std::uint8_t>(c) != 0)                                      \
  X(std::int64_t, RETORT_TYPE_INT64, fixed<std::int64_t>(c))                                  \
  X(detail::long_long, RETORT_TYPE_INT64, static_cast<long long>(fixed<std::int64_t>(c)))     \
  X(double, RETORT_TYPE_DOUBLE, fixed<double>(c))                                             \
  X(std::string, RETORT_TYPE_TEXT, std::string(text(c)))                                      \
  X(std::string_view, RETORT_TYPE_TEXT, text(c))                                              \
  X(Date, RETORT_TYPE_DATE, Date(std::chrono::days(fixed<std::int32_t>(c))))                  \
  X(Time, RETORT_TYPE_TIME, Time{std::chrono::microseconds(fixed<std::int64_t>(c))})          \
  X(DateTime, RETORT_TYPE_TIMESTAMP, DateTime(std::chrono::microseconds(fixed<std::int64_t>(c)))) \
  X(DateTimeTz, RETORT_TYPE_TIMESTAMPTZ,                                                      \
    DateTimeTz(std::chrono::microseconds(fixed<std::int64_t>(c))))

#define RETORT_DECLARE_ROW_GET(T)                                          \
  template <>                                                             \
  T Row::get_converted<T>(std::size_t index) const;                       \
  template <>                                                             \
  std::optional<T> Row::get<std::optional<T>>(std::size_t index) const;
RETORT_ROW_GET_TYPES(RETORT_DECLARE_ROW_GET)
#undef RETORT_DECLARE_ROW_GET

#define RETORT_DEFINE_ROW_GET_INLINE(T, TYPE, READ)                        \
  template <>                                                             \
  inline T Row::get<T>(std::size_t index) const {                         \
    if (const retort_column* column = exact(index, TYPE)) {               \
      const retort_column& c = *column;                                   \
      return READ;                                                        \
    }                                                                     \
    return get_converted<T>(index);                                       \
  }
RETORT_ROW_GET_INLINE_TYPES(RETORT_DEFINE_ROW_GET_INLINE)
#undef RETORT_DEFINE_ROW_GET_INLINE

// The other types convert out of line.
#define RETORT_ROW_GET_OTHER_TYPES(X)                                                       \
  X(std::int8_t) X(std::int16_t) X(std::int32_t) X(std::uint8_t) X(std::uint16_t)            \
  X(std::uint32_t) X(std::uint64_t) X(detail::unsigned_long_long) X(float) X(Bytes)          \
  X(Decimal) X(Interval) X(Uuid) X(Json) X(Value)

#define RETORT_DECLARE_ROW_GET(T) \
  template <>                    \
  T Row::get<T>(std::size_t index) const;
RETORT_ROW_GET_OTHER_TYPES(RETORT_DECLARE_ROW_GET)
#undef RETORT_DECLARE_ROW_GET

}  // namespace retort

#endif  // RETORT_RESULT_HPP
