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
#include <retort/value.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct retort_batch;

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
  Row(std::shared_ptr<const detail::BatchHolder> batch, std::int64_t row) noexcept
      : batch_(std::move(batch)), row_(row) {}
  [[noreturn]] void conversion_error(std::size_t index, std::string_view wanted) const;
  const void* column(std::size_t index) const;

  std::shared_ptr<const detail::BatchHolder> batch_;
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
    iterator& operator++();
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.current_.has_value() == b.current_.has_value();
    }

   private:
    friend class Result;
    explicit iterator(Result* result);
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

#define RETORT_DECLARE_ROW_GET(T)                                          \
  template <>                                                             \
  T Row::get<T>(std::size_t index) const;                                 \
  template <>                                                             \
  std::optional<T> Row::get<std::optional<T>>(std::size_t index) const;
RETORT_ROW_GET_TYPES(RETORT_DECLARE_ROW_GET)
#undef RETORT_DECLARE_ROW_GET

}  // namespace retort

#endif  // RETORT_RESULT_HPP
