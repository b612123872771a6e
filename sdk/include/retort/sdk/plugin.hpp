// retort/sdk/plugin.hpp — header-only C++ layer for writing Retort plugins.
// SPDX-License-Identifier: MIT
//
// A plugin author writes ordinary C++ classes; this header turns them into the C structs of
// retort/plugin_abi.h.  It needs C++20 and nothing but the standard library.
//
//   - `retort::sdk::Error` is the exception a plugin throws; every trampoline generated here
//     is `noexcept`, catches everything and turns it into a `retort_error`.
//   - `make_driver<Connection, Statement>(info)` builds a `retort_driver` whose required
//     slots call the classes' methods; optional slots are filled only when the class has the
//     matching method (detected at compile time), and are NULL otherwise.
//   - `BatchBuilder` owns the buffers of a result batch; `ParamReader` reads a parameter
//     batch with one type check per column, not per cell.
//   - `RETORT_SDK_PLUGIN(metadata, spec)` embeds the metadata note and exports the entry.
//
// Everything here has hidden visibility when the plugin is built with
// -fvisibility=hidden (retort_add_plugin does this), so two plugins never share a symbol.
#ifndef RETORT_SDK_PLUGIN_HPP
#define RETORT_SDK_PLUGIN_HPP

#include <retort/plugin_abi.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::sdk {

/// The exception a plugin throws; converted to a `retort_error` at the ABI boundary.
class Error : public std::exception {
 public:
  Error(retort_status status, std::string message, std::string_view sqlstate = {},
        int32_t vendor_code = 0)
      : status_(status), message_(std::move(message)), vendor_code_(vendor_code) {
    std::memset(sqlstate_, 0, sizeof sqlstate_);
    if (!sqlstate.empty()) {
      std::memcpy(sqlstate_, sqlstate.data(), std::min<size_t>(sqlstate.size(), 5));
    }
  }
  /// Adds a key/value detail (e.g. "constraint_name").
  Error& detail(std::string key, std::string value) {
    details_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  const char* what() const noexcept override { return message_.c_str(); }
  retort_status status() const noexcept { return status_; }
  const char* sqlstate() const noexcept { return sqlstate_; }
  int32_t vendor_code() const noexcept { return vendor_code_; }
  const std::vector<std::pair<std::string, std::string>>& details() const noexcept {
    return details_;
  }

 private:
  retort_status status_;
  std::string message_;
  char sqlstate_[6];
  int32_t vendor_code_;
  std::vector<std::pair<std::string, std::string>> details_;
};

namespace detail {

// Everything an error points to lives in one heap block owned through private_data.
struct ErrorStorage {
  std::string message;
  std::vector<std::pair<std::string, std::string>> pairs;
  std::vector<retort_error_detail> details;
};

inline void release_error(retort_error* error) noexcept {
  delete static_cast<ErrorStorage*>(error->private_data);
  error->private_data = nullptr;
  error->message = nullptr;
  error->details = nullptr;
  error->detail_count = 0;
  error->release = nullptr;
}

}  // namespace detail

/// Fills `error` (which may be NULL).  Never throws: on allocation failure the error keeps
/// its status and SQLSTATE and gets a static message.
inline retort_status set_error(retort_error* error, retort_status status,
                               std::string_view message, std::string_view sqlstate = {},
                               int32_t vendor_code = 0,
                               std::span<const std::pair<std::string, std::string>> details = {})
    noexcept {
  if (error == nullptr) return status;
  if (error->release != nullptr) error->release(error);
  error->status = status;
  error->vendor_code = vendor_code;
  std::memset(error->sqlstate, 0, sizeof error->sqlstate);
  if (!sqlstate.empty()) {
    std::memcpy(error->sqlstate, sqlstate.data(), std::min<size_t>(sqlstate.size(), 5));
  }
  try {
    auto storage = std::make_unique<detail::ErrorStorage>();
    storage->message.assign(message);
    storage->pairs.assign(details.begin(), details.end());
    for (auto& [key, value] : storage->pairs) {
      storage->details.push_back({key.c_str(), value.c_str()});
    }
    error->message = storage->message.data();
    error->details = storage->details.data();
    error->detail_count = storage->details.size();
    error->private_data = storage.release();
    error->release = &detail::release_error;
  } catch (...) {
    static char oom[] = "out of memory while reporting an error";
    error->message = oom;
    error->details = nullptr;
    error->detail_count = 0;
    error->private_data = nullptr;
    error->release = nullptr;
  }
  return status;
}

/// Runs `fn`, turning any exception into a status and a filled `error`.
template <typename Fn>
retort_status guard(retort_error* error, Fn&& fn) noexcept {
  try {
    fn();
    return RETORT_OK;
  } catch (const Error& e) {
    return set_error(error, e.status(), e.what(), e.sqlstate(), e.vendor_code(), e.details());
  } catch (const std::bad_alloc&) {
    return set_error(error, RETORT_IO, "out of memory", "HY001");
  } catch (const std::exception& e) {
    return set_error(error, RETORT_INTERNAL, std::string("internal plugin error: ") + e.what());
  } catch (...) {
    return set_error(error, RETORT_INTERNAL, "internal plugin error: unknown exception");
  }
}

/// The SQL standard's isolation level `name` ("READ COMMITTED", …) as a static string that is
/// safe to splice into `SET TRANSACTION ISOLATION LEVEL …`, or nullptr when `name` is NULL or
/// not one of the four.  For drivers implementing `begin_ex`.
inline const char* standard_isolation_level(const char* name) noexcept {
  static constexpr const char* kLevels[] = {"READ UNCOMMITTED", "READ COMMITTED",
                                            "REPEATABLE READ", "SERIALIZABLE"};
  if (name == nullptr) return nullptr;
  for (const char* level : kLevels) {
    if (std::strcmp(level, name) == 0) return level;
  }
  return nullptr;
}

/// The status an SQLSTATE implies by its class, for drivers that have only SQLSTATEs.
inline retort_status status_from_sqlstate(std::string_view sqlstate) noexcept {
  if (sqlstate.size() < 2) return RETORT_INTERNAL;
  const std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "08") return RETORT_DISCONNECTED;
  if (cls == "23") return RETORT_INTEGRITY;
  if (cls == "22") return RETORT_INVALID_DATA;
  if (cls == "42") return RETORT_SYNTAX;
  if (cls == "40") return RETORT_TRANSACTION_ROLLBACK;
  if (cls == "0A") return RETORT_NOT_IMPLEMENTED;
  if (cls == "28") return RETORT_UNAUTHENTICATED;
  if (cls == "57") return sqlstate == "57014" ? RETORT_CANCELLED : RETORT_DISCONNECTED;
  if (cls == "53" || cls == "58") return RETORT_IO;
  // Class 25/24 (a write in a READ ONLY transaction, a failed transaction) is the database's
  // verdict on its own state, not a misuse of the client API: RETORT_INTERNAL (InternalError,
  // as psycopg2 classes it), like every class not listed.
  return RETORT_INTERNAL;
}

/// Writes `text` into a caller buffer with the ABI's buffer protocol.
inline retort_status copy_out(std::string_view text, char* buffer, size_t* length,
                              retort_error* error) noexcept {
  if (*length < text.size() + 1 || buffer == nullptr) {
    *length = text.size() + 1;
    return set_error(error, RETORT_INVALID_ARGUMENT, "buffer too small");
  }
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  *length = text.size() + 1;
  return RETORT_OK;
}

/// The host services the plugin was initialised with (never NULL after init).
inline const retort_host_api*& host_api() noexcept {
  static const retort_host_api* api = nullptr;
  return api;
}

/// Logs through the host; a no-op before init or when the host offers no logger.
inline void log(int32_t level, const char* plugin, const std::string& message) noexcept {
  const retort_host_api* api = host_api();
  if (RETORT_HAS_FIELD(api, retort_host_api, log)) {
    api->log(api->host_ctx, level, plugin, message.c_str());
  }
}

// ---------------------------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------------------------

/// A growable byte buffer without zero-filling: appending is a bounds check and a memcpy.
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(ByteBuffer&& o) noexcept : data_(o.data_), size_(o.size_), capacity_(o.capacity_) {
    o.data_ = nullptr;
    o.size_ = o.capacity_ = 0;
  }
  ByteBuffer& operator=(ByteBuffer&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
    return *this;
  }
  ~ByteBuffer() { std::free(data_); }

  /// Appends `n` bytes and returns where to write them.
  uint8_t* extend(size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    uint8_t* p = data_ + size_;
    size_ += n;
    return p;
  }
  void append(const void* bytes, size_t n) {
    if (n != 0) std::memcpy(extend(n), bytes, n);
  }
  void reserve(size_t n) {
    if (n > capacity_) grow(n);
  }
  void resize(size_t n) {
    if (n > capacity_) grow(n);
    if (n > size_) std::memset(data_ + size_, 0, n - size_);
    size_ = n;
  }
  void clear() noexcept { size_ = 0; }
  size_t size() const noexcept { return size_; }
  uint8_t* data() noexcept { return data_; }
  const uint8_t* data() const noexcept { return data_; }

 private:
  void grow(size_t need) {
    size_t cap = capacity_ ? capacity_ * 2 : 256;
    while (cap < need) cap *= 2;
    auto* p = static_cast<uint8_t*>(std::realloc(data_, cap));
    if (p == nullptr) throw std::bad_alloc();
    data_ = p;
    capacity_ = cap;
  }
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

/// Owns the buffers of one result column.  Append values, then `finish()` into a
/// `retort_column` that points into this object.
class ColumnBuffer {
 public:
  /// Empties the column and gives it `type`; keeps the allocated capacity, and reserves
  /// what the capacity hint asks for.
  void reset(retort_value_type type) {
    type_ = type;
    width_ = value_width(type);
    var_ = is_var_width(type);
    rows_ = 0;
    any_null_ = false;
    nulls_.clear();
    fixed_.clear();
    offsets_.clear();
    data_.clear();
    if (hint_rows_ > 0) {
      reserve(hint_rows_);
      if (var_) data_.reserve(hint_bytes_);
    }
    if (var_) put_offset(0);
  }
  /// How much the column will probably hold (for instance what the previous batch held):
  /// `reset` reserves room for `rows` values and, for a variable-width type, `bytes` bytes
  /// of data, so that filling it does not grow the buffers step by step.
  void set_capacity_hint(int64_t rows, size_t bytes) noexcept {
    hint_rows_ = rows > 0 ? rows : 0;
    hint_bytes_ = bytes;
  }
  /// Bytes of variable-width data held (0 for fixed-width types).
  size_t data_size() const noexcept { return data_.size(); }
  retort_value_type type() const noexcept { return type_; }
  int64_t size() const noexcept { return rows_; }
  /// Reserves room for `rows` fixed-width values (and offsets).
  void reserve(int64_t rows) {
    if (var_) {
      offsets_.reserve(static_cast<size_t>(rows + 1) * sizeof(int64_t));
    } else {
      fixed_.reserve(static_cast<size_t>(rows) * width_);
    }
  }

  void append_null() {
    if (!any_null_) {
      nulls_.resize(static_cast<size_t>(rows_));  // zero: the earlier rows are not NULL
      any_null_ = true;
      first_null_ = rows_;
    }
    *nulls_.extend(1) = 1;
    if (var_) {
      put_offset(static_cast<int64_t>(data_.size()));
    } else if (width_ != 0) {
      std::memset(fixed_.extend(width_), 0, width_);
    }
    ++rows_;
  }
  /// Appends a fixed-width value (`T` must match the type's layout).
  template <typename T>
  void append(const T& value) {
    std::memcpy(fixed_.extend(sizeof(T)), &value, sizeof(T));
    if (any_null_) *nulls_.extend(1) = 0;
    ++rows_;
  }
  /// Appends a text, bytes, decimal or JSON value.
  void append_bytes(const void* data, size_t size) {
    data_.append(data, size);
    put_offset(static_cast<int64_t>(data_.size()));
    if (any_null_) *nulls_.extend(1) = 0;
    ++rows_;
  }
  /// Drops every row from `rows` on (to undo a partly appended row).  The column is then
  /// exactly as it was with `rows` rows (without NULL flags if none of them is NULL).
  void truncate(int64_t rows) {
    if (rows >= rows_) return;
    rows_ = rows;
    if (any_null_ && first_null_ >= rows) {
      any_null_ = false;
      nulls_.clear();
    } else if (any_null_) {
      nulls_.resize(static_cast<size_t>(rows));
    }
    if (var_) {
      offsets_.resize(static_cast<size_t>(rows + 1) * sizeof(int64_t));
      data_.resize(static_cast<size_t>(offset_at(rows)));
    } else {
      fixed_.resize(static_cast<size_t>(rows) * width_);
    }
  }
  retort_column finish() const noexcept {
    retort_column c{};
    c.type = type_;
    c.nulls = any_null_ ? nulls_.data() : nullptr;
    if (var_) {
      c.offsets = reinterpret_cast<const int64_t*>(offsets_.data());
      c.data = reinterpret_cast<const char*>(data_.data());
    } else if (type_ != RETORT_TYPE_NULL) {
      c.values = fixed_.data();
    }
    return c;
  }

  static bool is_var_width(uint32_t type) noexcept {
    return type == RETORT_TYPE_TEXT || type == RETORT_TYPE_BYTES ||
           type == RETORT_TYPE_DECIMAL || type == RETORT_TYPE_JSON;
  }
  static size_t value_width(uint32_t type) noexcept {
    switch (type) {
      case RETORT_TYPE_BOOL: return 1;
      case RETORT_TYPE_DATE: return 4;
      case RETORT_TYPE_INT64:
      case RETORT_TYPE_DOUBLE:
      case RETORT_TYPE_TIME:
      case RETORT_TYPE_TIMESTAMP:
      case RETORT_TYPE_TIMESTAMPTZ: return 8;
      case RETORT_TYPE_INTERVAL: return sizeof(retort_interval);
      case RETORT_TYPE_UUID: return 16;
      default: return 0;
    }
  }

 private:
  void put_offset(int64_t v) { std::memcpy(offsets_.extend(sizeof v), &v, sizeof v); }
  int64_t offset_at(int64_t row) const noexcept {
    int64_t v;
    std::memcpy(&v, offsets_.data() + row * static_cast<int64_t>(sizeof v), sizeof v);
    return v;
  }

  retort_value_type type_ = RETORT_TYPE_NULL;
  size_t width_ = 0;
  bool var_ = false;
  int64_t rows_ = 0;
  bool any_null_ = false;
  int64_t first_null_ = 0;  // the first NULL row, when any_null_
  int64_t hint_rows_ = 0;
  size_t hint_bytes_ = 0;
  ByteBuffer nulls_;
  ByteBuffer fixed_;
  ByteBuffer offsets_;  // int64_t each; memcpy'd, so alignment never matters
  ByteBuffer data_;
};

/// Builds one result batch.  `finish()` hands the buffers over to the consumer (the batch's
/// `release` frees them) and leaves the builder empty, ready for the next batch.
///
/// Each batch's buffers start with the capacity the previous batch ended with (at most
/// kMaxHintBytes per buffer), so that a steady stream of batches allocates each buffer once.
class BatchBuilder {
 public:
  /// Largest data capacity carried over from one batch to the next, in bytes.
  static constexpr size_t kMaxHintBytes = size_t{4} << 20;

  /// Starts a batch of `types.size()` columns with these types.
  void reset(std::span<const retort_value_type> types) {
    columns_.resize(types.size());
    const bool hinted = hint_bytes_.size() == types.size();
    for (size_t i = 0; i < types.size(); ++i) {
      if (hinted) columns_[i].set_capacity_hint(hint_rows_, hint_bytes_[i]);
      columns_[i].reset(types[i]);
    }
  }
  ColumnBuffer& column(size_t i) noexcept { return columns_[i]; }
  /// All the columns (valid until the next reset or finish).
  std::span<ColumnBuffer> columns() noexcept { return columns_; }
  size_t column_count() const noexcept { return columns_.size(); }
  int64_t row_count() const noexcept { return columns_.empty() ? 0 : columns_[0].size(); }
  /// Moves the buffers into `out`, which then owns them until `out->release(out)`.
  void finish(retort_batch* out) {
    // The next batch will probably look like this one.
    hint_rows_ = std::min<int64_t>(row_count(), static_cast<int64_t>(kMaxHintBytes / 16));
    hint_bytes_.resize(columns_.size());
    for (size_t i = 0; i < columns_.size(); ++i) {
      hint_bytes_[i] = std::min(columns_[i].data_size(), kMaxHintBytes);
    }
    auto owned = std::make_unique<Owned>();
    owned->columns = std::move(columns_);
    columns_.clear();
    owned->views.resize(owned->columns.size());
    for (size_t i = 0; i < owned->columns.size(); ++i) {
      owned->views[i] = owned->columns[i].finish();
    }
    out->struct_size = sizeof(retort_batch);
    out->column_count = static_cast<int32_t>(owned->columns.size());
    out->row_count = owned->columns.empty() ? 0 : owned->columns[0].size();
    out->columns = owned->views.data();
    out->private_data = owned.release();
    out->release = &release;
  }
  /// Fills `out` with an empty batch (the end of a result).
  static void finish_empty(retort_batch* out) noexcept {
    *out = retort_batch{};
    out->struct_size = sizeof(retort_batch);
  }

 private:
  struct Owned {
    std::vector<ColumnBuffer> columns;
    std::vector<retort_column> views;
  };
  static void release(retort_batch* batch) noexcept {
    delete static_cast<Owned*>(batch->private_data);
    batch->private_data = nullptr;
    batch->columns = nullptr;
    batch->release = nullptr;
  }
  std::vector<ColumnBuffer> columns_;
  int64_t hint_rows_ = 0;
  std::vector<size_t> hint_bytes_;
};

/// Reads one column of a parameter batch.
class ColumnReader {
 public:
  explicit ColumnReader(const retort_column& column) noexcept : c_(&column) {}
  retort_value_type type() const noexcept { return static_cast<retort_value_type>(c_->type); }
  bool is_null(int64_t row) const noexcept {
    return c_->type == RETORT_TYPE_NULL || (c_->nulls != nullptr && c_->nulls[row] != 0);
  }
  template <typename T>
  T fixed(int64_t row) const noexcept {
    T value;
    std::memcpy(&value, static_cast<const uint8_t*>(c_->values) + row * sizeof(T), sizeof(T));
    return value;
  }
  std::string_view bytes(int64_t row) const noexcept {
    const int64_t begin = c_->offsets[row];
    return {c_->data + begin, static_cast<size_t>(c_->offsets[row + 1] - begin)};
  }
  const uint8_t* uuid(int64_t row) const noexcept {
    return static_cast<const uint8_t*>(c_->values) + row * 16;
  }

 private:
  const retort_column* c_;
};

// ---------------------------------------------------------------------------------------------
// Driver framework
// ---------------------------------------------------------------------------------------------

/// Static facts about a driver.
struct DriverInfo {
  const char* name;
  const char* const* dialects;
  const char* client_version;
};

namespace detail {

/// The C face of a bulk load object `Load` (see make_driver): owns it until finish/abort.
template <typename Load>
struct BulkLoadBox {
  retort_bulk_load abi{};
  std::unique_ptr<Load> load;

  static BulkLoadBox* box(retort_bulk_load* l) noexcept {
    return static_cast<BulkLoadBox*>(l->private_data);
  }
  static retort_status write(retort_bulk_load* l, const retort_batch* rows,
                             retort_error* e) noexcept {
    return guard(e, [&] { box(l)->load->write(*rows); });
  }
  static retort_status finish(retort_bulk_load* l, int64_t* rows_loaded,
                              retort_error* e) noexcept {
    std::unique_ptr<BulkLoadBox> owned(box(l));
    return guard(e, [&] {
      const int64_t n = owned->load->finish();
      if (rows_loaded != nullptr) *rows_loaded = n;
    });
  }
  static void abort(retort_bulk_load* l) noexcept {
    std::unique_ptr<BulkLoadBox> owned(box(l));
    try {
      owned->load->abort();
    } catch (...) {
    }
  }
};

template <typename Conn, typename Stmt>
struct DriverTrampolines {
  static Conn* conn(retort_connection* c) noexcept { return reinterpret_cast<Conn*>(c); }
  static Stmt* stmt(retort_statement* s) noexcept { return reinterpret_cast<Stmt*>(s); }

  static retort_status connect(const retort_connect_params* params, retort_connection** out,
                               retort_error* error) noexcept {
    return guard(error, [&] {
      std::unique_ptr<Conn> c = Conn::connect(*params);
      *out = reinterpret_cast<retort_connection*>(c.release());
    });
  }
  static void connection_release(retort_connection* c) noexcept {
    try {
      delete conn(c);
    } catch (...) {
    }
  }
  static retort_status prepare(retort_connection* c, const char* sql, size_t length,
                               retort_statement** out, retort_error* error) noexcept {
    return guard(error, [&] {
      std::unique_ptr<Stmt> s = conn(c)->prepare(std::string_view(sql, length));
      *out = reinterpret_cast<retort_statement*>(s.release());
    });
  }
  static retort_status execute(retort_statement* s, const retort_batch* params,
                               retort_exec_info* info, retort_error* error) noexcept {
    return guard(error, [&] {
      retort_exec_info result{};
      result.struct_size = sizeof result;
      result.rows_affected = -1;
      stmt(s)->execute(params, result);
      std::memcpy(info, &result, std::min<size_t>(info->struct_size ? info->struct_size
                                                                    : sizeof result,
                                                  sizeof result));
    });
  }
  static retort_status describe(retort_statement* s, int32_t index, retort_column_desc* out,
                                retort_error* error) noexcept {
    return guard(error, [&] {
      retort_column_desc desc{};
      desc.struct_size = sizeof desc;
      desc.nullable = -1;
      stmt(s)->describe(index, desc);
      std::memcpy(out, &desc,
                  std::min<size_t>(out->struct_size ? out->struct_size : sizeof desc,
                                   sizeof desc));
    });
  }
  static retort_status fetch(retort_statement* s, int64_t max_rows, retort_batch* out,
                             retort_error* error) noexcept {
    return guard(error, [&] { stmt(s)->fetch(max_rows, *out); });
  }
  static void statement_release(retort_statement* s) noexcept {
    try {
      delete stmt(s);
    } catch (...) {
    }
  }
  static retort_status begin(retort_connection* c, retort_error* e) noexcept {
    return guard(e, [&] { conn(c)->begin(); });
  }
  static retort_status commit(retort_connection* c, retort_error* e) noexcept {
    return guard(e, [&] { conn(c)->commit(); });
  }
  static retort_status rollback(retort_connection* c, retort_error* e) noexcept {
    return guard(e, [&] { conn(c)->rollback(); });
  }
  static retort_status savepoint(retort_connection* c, const char* n, retort_error* e) noexcept {
    return guard(e, [&] { conn(c)->savepoint(n); });
  }
  static retort_status release_savepoint(retort_connection* c, const char* n,
                                         retort_error* e) noexcept {
    return guard(e, [&] { conn(c)->release_savepoint(n); });
  }
  static retort_status rollback_to_savepoint(retort_connection* c, const char* n,
                                             retort_error* e) noexcept {
    return guard(e, [&] { conn(c)->rollback_to_savepoint(n); });
  }
  static retort_status cancel(retort_connection* c, retort_error* e) noexcept {
    return guard(e, [&] { conn(c)->cancel(); });
  }
  static retort_status server_version(retort_connection* c, char* buffer, size_t* length,
                                      retort_error* e) noexcept {
    std::string version;
    const retort_status st = guard(e, [&] { version = conn(c)->server_version(); });
    return st != RETORT_OK ? st : copy_out(version, buffer, length, e);
  }
  static retort_status ping(retort_connection* c, retort_error* e) noexcept {
    return guard(e, [&] { conn(c)->ping(); });
  }
  static retort_status begin_ex(retort_connection* c, const retort_transaction_options* o,
                                retort_error* e) noexcept {
    return guard(e, [&] {
      // Copy what the host filled; fields it did not know stay zero (the defaults).
      retort_transaction_options options{};
      std::memcpy(&options, o, std::min<size_t>(o->struct_size, sizeof options));
      options.struct_size = sizeof options;
      conn(c)->begin_ex(options);
    });
  }
  static retort_status statement_set_options(retort_statement* s,
                                             const retort_statement_options* o,
                                             retort_error* e) noexcept {
    return guard(e, [&] {
      retort_statement_options options{};
      std::memcpy(&options, o, std::min<size_t>(o->struct_size, sizeof options));
      options.struct_size = sizeof options;
      stmt(s)->set_options(options);
    });
  }
  static retort_status dialect_name(retort_connection* c, char* buffer, size_t* length,
                                    retort_error* e) noexcept {
    std::string name;
    const retort_status st = guard(e, [&] { name = conn(c)->dialect_name(); });
    return st != RETORT_OK ? st : copy_out(name, buffer, length, e);
  }
  static retort_status bulk_load_begin(retort_connection* c, const char* table,
                                       const char* const* columns, int32_t column_count,
                                       retort_bulk_load** out, retort_error* e) noexcept {
    return guard(e, [&] {
      const std::vector<std::string_view> names(columns, columns + std::max(column_count, 0));
      auto load = conn(c)->bulk_load(std::string_view(table),
                                     std::span<const std::string_view>(names));
      using Box = BulkLoadBox<typename decltype(load)::element_type>;
      auto box = std::make_unique<Box>();
      box->abi.struct_size = sizeof box->abi;
      box->abi.private_data = box.get();
      box->abi.write = &Box::write;
      box->abi.finish = &Box::finish;
      box->abi.abort = &Box::abort;
      box->load = std::move(load);
      *out = &box.release()->abi;
    });
  }
};

}  // namespace detail

/**
 * Builds the `retort_driver` for a connection class `Conn` and a statement class `Stmt`.
 *
 * `Conn` must provide:
 *   static std::unique_ptr<Conn> connect(const retort_connect_params&);
 *   std::unique_ptr<Stmt> prepare(std::string_view sql);
 *   void begin(); void commit(); void rollback();
 * and may provide (each fills the matching optional slot):
 *   void savepoint(const char*); void release_savepoint(const char*);
 *   void rollback_to_savepoint(const char*); void cancel();  // cancel: any thread
 *   std::string server_version(); void ping();
 *   void begin_ex(const retort_transaction_options&);  // fields the host left out are 0
 *   std::string dialect_name();  // drivers serving "*": the dialect of this connection
 *   std::unique_ptr<Load> bulk_load(std::string_view table,  // bulk_load_begin; names
 *                                   std::span<const std::string_view> columns);  // quoted
 * where `Load` provides
 *   void write(const retort_batch& rows);  // on throwing, the load is already aborted
 *   int64_t finish();                      // ends the load: rows loaded
 *   void abort();                          // abandons it; must not throw
 * and is destroyed right after finish or abort.
 *
 * `Stmt` must provide:
 *   void execute(const retort_batch* params, retort_exec_info& info);
 *   void describe(int32_t index, retort_column_desc& out);
 *   void fetch(int64_t max_rows, retort_batch& out);
 * and may provide
 *   void set_options(const retort_statement_options&);  // statement_set_options
 *
 * The returned reference is to a function-local static: call it once per driver type.
 */
template <typename Conn, typename Stmt>
const retort_driver& make_driver(const DriverInfo& info) {
  using T = detail::DriverTrampolines<Conn, Stmt>;
  static const retort_driver driver = [&] {
    retort_driver d{};
    d.struct_size = sizeof d;
    d.name = info.name;
    d.dialects = info.dialects;
    d.client_version = info.client_version;
    d.connect = &T::connect;
    d.connection_release = &T::connection_release;
    d.prepare = &T::prepare;
    d.execute = &T::execute;
    d.describe = &T::describe;
    d.fetch = &T::fetch;
    d.statement_release = &T::statement_release;
    d.begin = &T::begin;
    d.commit = &T::commit;
    d.rollback = &T::rollback;
    if constexpr (requires(Conn& c) { c.savepoint(""); }) d.savepoint = &T::savepoint;
    if constexpr (requires(Conn& c) { c.release_savepoint(""); }) {
      d.release_savepoint = &T::release_savepoint;
    }
    if constexpr (requires(Conn& c) { c.rollback_to_savepoint(""); }) {
      d.rollback_to_savepoint = &T::rollback_to_savepoint;
    }
    if constexpr (requires(Conn& c) { c.cancel(); }) d.cancel = &T::cancel;
    if constexpr (requires(Conn& c) { c.server_version(); }) {
      d.server_version = &T::server_version;
    }
    if constexpr (requires(Conn& c) { c.ping(); }) d.ping = &T::ping;
    if constexpr (requires(Conn& c, const retort_transaction_options& o) { c.begin_ex(o); }) {
      d.begin_ex = &T::begin_ex;
    }
    if constexpr (requires(Stmt& s, const retort_statement_options& o) { s.set_options(o); }) {
      d.statement_set_options = &T::statement_set_options;
    }
    if constexpr (requires(Conn& c) { c.dialect_name(); }) d.dialect_name = &T::dialect_name;
    if constexpr (requires(Conn& c, std::span<const std::string_view> cols) {
                    c.bulk_load(std::string_view(), cols);
                  }) {
      d.bulk_load_begin = &T::bulk_load_begin;
    }
    return d;
  }();
  return driver;
}

/// Reads the URL query and connect options as one list, options last (so they win when a
/// driver takes the last occurrence of a key).
inline std::vector<std::pair<std::string_view, std::string_view>> all_options(
    const retort_connect_params& params) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (size_t i = 0; i < params.query_count; ++i) {
    out.emplace_back(params.query[i].key, params.query[i].value);
  }
  for (size_t i = 0; i < params.option_count; ++i) {
    out.emplace_back(params.options[i].key, params.options[i].value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The plugin
// ---------------------------------------------------------------------------------------------

/// Everything a library provides.  All pointers must outlive the plugin (use statics).
struct PluginSpec {
  const char* name;
  const char* version;
  uint32_t kinds;
  std::span<const retort_dialect* const> dialects;
  std::span<const retort_driver* const> drivers;
  std::span<const retort_type_def* const> types;
};

/// The body of the entry: version negotiation and filling `out`.
inline retort_status init_plugin(const PluginSpec& spec, uint32_t host_version,
                                 const retort_host_api* host, retort_plugin* out,
                                 uint32_t out_capacity, retort_error* error) noexcept {
  if (RETORT_ABI_VERSION_MAJOR(host_version) != RETORT_ABI_MAJOR) {
    return set_error(error, RETORT_NOT_IMPLEMENTED,
                     std::string("plugin '") + spec.name + "' speaks Retort ABI " +
                         std::to_string(RETORT_ABI_MAJOR) + ".x, the host speaks " +
                         std::to_string(RETORT_ABI_VERSION_MAJOR(host_version)) + ".x");
  }
  if (out == nullptr || out_capacity < offsetof(retort_plugin, private_data)) {
    return set_error(error, RETORT_INVALID_ARGUMENT, "retort_plugin capacity too small");
  }
  host_api() = host;
  retort_plugin p{};
  p.struct_size = static_cast<uint32_t>(std::min<size_t>(out_capacity, sizeof p));
  const uint32_t minor = std::min<uint32_t>(RETORT_ABI_VERSION_MINOR(host_version),
                                            RETORT_ABI_MINOR);
  p.abi_version = RETORT_ABI_VERSION(RETORT_ABI_MAJOR, minor);
  p.name = spec.name;
  p.version = spec.version;
  p.kinds = spec.kinds;
  p.dialects = spec.dialects.data();
  p.dialect_count = spec.dialects.size();
  p.drivers = spec.drivers.data();
  p.driver_count = spec.drivers.size();
  p.types = spec.types.data();
  p.type_count = spec.types.size();
  std::memcpy(out, &p, p.struct_size);
  return RETORT_OK;
}

}  // namespace retort::sdk

/**
 * Embeds `metadata` (see RETORT_PLUGIN_METADATA) and exports the entry, which fills the
 * plugin from `spec_fn()`, a function returning `const retort::sdk::PluginSpec&`.  Use once
 * per library, at namespace scope.
 */
#define RETORT_SDK_PLUGIN(metadata, spec_fn)                                                \
  RETORT_PLUGIN_METADATA(metadata);                                                         \
  extern "C" __attribute__((visibility("default"))) retort_status retort_plugin_init_v1(   \
      uint32_t host_abi_version, const retort_host_api* host, retort_plugin* out,          \
      uint32_t out_capacity, retort_error* error) {                                        \
    try {                                                                                   \
      return ::retort::sdk::init_plugin(spec_fn(), host_abi_version, host, out, out_capacity, \
                                        error);                                             \
    } catch (...) {                                                                         \
      return ::retort::sdk::set_error(error, RETORT_INTERNAL, "plugin initialisation threw"); \
    }                                                                                       \
  }

#endif  // RETORT_SDK_PLUGIN_HPP
