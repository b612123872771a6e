// retort/sdk/testing/plugin_host.hpp — a minimal host for testing a plugin through its C ABI.
// SPDX-License-Identifier: MIT
//
// Unit tests of a plugin should see it as Retort does: a shared library with one entry,
// `retort_plugin_init_v1`, and tables of C functions behind it.  This header is that host,
// cut down for tests:
//
//   - `PluginHost` dlopens the built plugin file, negotiates the current ABI version with a
//     host API that records what the plugin logs, and exposes the dialect and driver tables;
//   - `ErrorBox`, `Connection`, `Statement` and `Batch` own the ABI objects the plugin hands
//     out (errors, connections, statements, fetched batches) and release each exactly once;
//   - `ParamBatch` builds parameter batches the way the host does (one column per parameter,
//     borrowed by the plugin for the call);
//   - `connect`, `Connection::exec`, `query`, `scalar`, … are shortcuts that fail the running
//     GoogleTest test (EXPECT_*) when a call does not return RETORT_OK.
//
// Nothing here knows the plugin's C++ classes or the Retort core library: it depends only on
// retort/plugin_abi.h, the standard library, <dlfcn.h> and GoogleTest.  See
// retort/sdk/testing/entry_tests.hpp for ready-made negotiation tests, and
// docs/writing-a-plugin.md ("Testing your plugin through the C ABI") for a walk-through.
//
// Threading: `PluginHost` is safe to share between threads once constructed (its tables are
// immutable and its log is locked; see `negotiate` for the one exception).  Every other object here follows the ABI's rule for the
// handle it wraps: one thread at a time per connection and the statements made from it.
//
// Header-only; link ${CMAKE_DL_LIBS} and GTest::gtest.
#ifndef RETORT_SDK_TESTING_PLUGIN_HOST_HPP
#define RETORT_SDK_TESTING_PLUGIN_HOST_HPP

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort::sdk::testing {

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * A host-side `retort_error`: zero-initialised with `struct_size` set, as the ABI requires
 * before every fallible call, and released (through the plugin's `release`) exactly once.
 * Reuse one for several calls only after `reset()`.
 */
class ErrorBox {
 public:
  ErrorBox() { reset(); }
  ErrorBox(const ErrorBox&) = delete;
  ErrorBox& operator=(const ErrorBox&) = delete;
  ~ErrorBox() { clear(); }

  /// The error to pass to a call.  Owned by this box.
  retort_error* get() { return &e_; }
  /// Releases what the plugin filled in and zero-initialises the error again.
  void reset() {
    clear();
    e_ = retort_error{};
    e_.struct_size = sizeof e_;
  }
  retort_status status() const { return e_.status; }
  std::string sqlstate() const { return std::string(e_.sqlstate); }
  std::string message() const { return e_.message != nullptr ? e_.message : ""; }
  int32_t vendor_code() const { return e_.vendor_code; }
  /// The value of detail `key`, or nullopt.
  std::optional<std::string> detail(std::string_view key) const {
    for (size_t i = 0; i < e_.detail_count; ++i) {
      if (key == e_.details[i].key) return std::string(e_.details[i].value);
    }
    return std::nullopt;
  }
  /// Every detail as "key=value; …" (for failure messages).
  std::string details() const {
    std::string out;
    for (size_t i = 0; i < e_.detail_count; ++i) {
      out += std::string(e_.details[i].key) + "=" + e_.details[i].value + "; ";
    }
    return out;
  }

 private:
  void clear() {
    if (e_.release != nullptr) e_.release(&e_);
  }
  retort_error e_{};
};

// ---------------------------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------------------------

/**
 * A parameter batch as the host builds it: `rows` rows, one column per parameter, added in
 * order.  The batch owns every buffer; `get()` lends it to the plugin for one call (its
 * `release` is NULL, ownership rule 4).  Every column must have `rows` values.
 */
class ParamBatch {
 public:
  explicit ParamBatch(int64_t rows) : rows_(rows) {}

  ParamBatch& int64s(const std::vector<std::optional<int64_t>>& values) {
    return fixed(RETORT_TYPE_INT64, values);
  }
  ParamBatch& doubles(const std::vector<std::optional<double>>& values) {
    return fixed(RETORT_TYPE_DOUBLE, values);
  }
  ParamBatch& bools(const std::vector<std::optional<uint8_t>>& values) {
    return fixed(RETORT_TYPE_BOOL, values);
  }
  /// Days since 1970-01-01.
  ParamBatch& dates(const std::vector<std::optional<int32_t>>& values) {
    return fixed(RETORT_TYPE_DATE, values);
  }
  /// TIME, TIMESTAMP or TIMESTAMPTZ, in microseconds.
  ParamBatch& micros(retort_value_type type, const std::vector<std::optional<int64_t>>& values) {
    return fixed(type, values);
  }
  ParamBatch& uuids(const std::vector<std::optional<std::array<uint8_t, 16>>>& values) {
    return fixed(RETORT_TYPE_UUID, values);
  }
  ParamBatch& intervals(const std::vector<std::optional<retort_interval>>& values) {
    return fixed(RETORT_TYPE_INTERVAL, values);
  }
  /// TEXT, BYTES, DECIMAL or JSON.
  ParamBatch& strings(retort_value_type type,
                      const std::vector<std::optional<std::string>>& values) {
    auto owned = std::make_unique<Owned>();
    owned->offsets.push_back(0);
    for (const auto& v : values) {
      owned->nulls.push_back(v ? 0 : 1);
      if (v) owned->data += *v;
      owned->offsets.push_back(static_cast<int64_t>(owned->data.size()));
    }
    retort_column c{};
    c.type = type;
    c.nulls = owned->nulls.data();
    c.offsets = owned->offsets.data();
    c.data = owned->data.data();
    return add(c, std::move(owned));
  }
  /// Sets the RETORT_COLUMN_* hints of the column added last.
  ParamBatch& flags(uint32_t hints) {
    columns_.back().flags = hints;
    return *this;
  }
  /// A column of RETORT_TYPE_NULL: every row NULL, no buffers.
  ParamBatch& nulls() {
    retort_column c{};
    c.type = RETORT_TYPE_NULL;
    return add(c, std::make_unique<Owned>());
  }

  /// The batch, valid until this object changes or dies.
  const retort_batch* get() {
    batch_ = retort_batch{};
    batch_.struct_size = sizeof batch_;
    batch_.column_count = static_cast<int32_t>(columns_.size());
    batch_.row_count = rows_;
    batch_.columns = columns_.data();
    return &batch_;
  }

 private:
  struct Owned {
    std::vector<uint8_t> nulls;
    std::vector<uint8_t> fixed;
    std::vector<int64_t> offsets;
    std::string data;
  };
  template <typename T>
  ParamBatch& fixed(retort_value_type type, const std::vector<std::optional<T>>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    auto owned = std::make_unique<Owned>();
    for (const auto& v : values) {
      owned->nulls.push_back(v ? 0 : 1);
      const T value = v.value_or(T{});
      const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
      owned->fixed.insert(owned->fixed.end(), bytes, bytes + sizeof(T));
    }
    retort_column c{};
    c.type = type;
    c.nulls = owned->nulls.data();
    c.values = owned->fixed.data();
    return add(c, std::move(owned));
  }
  ParamBatch& add(const retort_column& column, std::unique_ptr<Owned> owned) {
    columns_.push_back(column);
    owned_.push_back(std::move(owned));
    return *this;
  }
  int64_t rows_;
  std::vector<retort_column> columns_;
  std::vector<std::unique_ptr<Owned>> owned_;
  retort_batch batch_{};
};

/**
 * A batch filled by `fetch`.  From then on it belongs to the host (ownership rule 4): it
 * stays readable after its statement is released, and is released through its own `release`
 * exactly once, when this object dies.  Readers take a column index and a row index and do
 * no bounds or type checks.
 */
class Batch {
 public:
  Batch() { b_.struct_size = sizeof b_; }
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  Batch(Batch&& other) noexcept : b_(std::exchange(other.b_, retort_batch{})) {}
  Batch& operator=(Batch&& other) noexcept {
    if (this != &other) {
      release();
      b_ = std::exchange(other.b_, retort_batch{});
    }
    return *this;
  }
  ~Batch() { release(); }

  /// The batch to pass to `fetch`.
  retort_batch* get() { return &b_; }
  int64_t rows() const { return b_.row_count; }
  int32_t columns() const { return b_.column_count; }
  uint32_t type(int c) const { return b_.columns[c].type; }
  bool is_null(int c, int64_t r) const {
    const retort_column& col = b_.columns[c];
    return col.type == RETORT_TYPE_NULL || (col.nulls != nullptr && col.nulls[r] != 0);
  }
  /// A fixed-width value (INT64, DOUBLE, DATE, …) read as `T`.
  template <typename T>
  T fixed(int c, int64_t r) const {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, static_cast<const uint8_t*>(b_.columns[c].values) + r * sizeof(T), sizeof v);
    return v;
  }
  int64_t i64(int c, int64_t r) const { return fixed<int64_t>(c, r); }
  double f64(int c, int64_t r) const { return fixed<double>(c, r); }
  /// A variable-width value (TEXT, BYTES, DECIMAL, JSON).
  std::string str(int c, int64_t r) const {
    const retort_column& col = b_.columns[c];
    return std::string(col.data + col.offsets[r],
                       static_cast<size_t>(col.offsets[r + 1] - col.offsets[r]));
  }
  std::array<uint8_t, 16> uuid(int c, int64_t r) const {
    return fixed<std::array<uint8_t, 16>>(c, r);
  }

 private:
  void release() {
    if (b_.release != nullptr) b_.release(&b_);
    b_ = retort_batch{};
  }
  retort_batch b_{};
};

// ---------------------------------------------------------------------------------------------
// Statements and connections
// ---------------------------------------------------------------------------------------------

namespace detail {

/// Owns a `T*` made by a driver and releases it once through the driver's `Release` slot
/// (on destruction, move-assignment or `release()`).  Movable, not copyable.
template <typename T, void (*retort_driver::*Release)(T*)>
class DriverHandle {
 public:
  DriverHandle() = default;
  DriverHandle(const retort_driver& driver, T* handle) : driver_(&driver), handle_(handle) {}
  DriverHandle(DriverHandle&& o) noexcept
      : driver_(o.driver_), handle_(std::exchange(o.handle_, nullptr)) {}
  DriverHandle& operator=(DriverHandle&& o) noexcept {
    if (this != &o) {
      release();
      driver_ = o.driver_;
      handle_ = std::exchange(o.handle_, nullptr);
    }
    return *this;
  }
  ~DriverHandle() { release(); }

  T* get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }
  void release() {
    if (handle_ != nullptr) (driver_->*Release)(std::exchange(handle_, nullptr));
  }

 protected:
  const retort_driver* driver_ = nullptr;
  T* handle_ = nullptr;
};

}  // namespace detail

/**
 * Owns a `retort_statement*` made by `driver`, released once through its
 * `statement_release` (on destruction, move-assignment or `release()`).  Must be released
 * before the connection it came from (the ABI's order), which declaring it after its
 * `Connection` gives.  The driver table must outlive it (a loaded plugin's tables do).
 */
class Statement : public detail::DriverHandle<retort_statement, &retort_driver::statement_release> {
 public:
  using DriverHandle::DriverHandle;

  /// Calls `execute` with `params` (NULL: no parameters), initialising `info` first.
  retort_status execute(ParamBatch* params, retort_exec_info& info, ErrorBox& error) {
    info = retort_exec_info{};
    info.struct_size = sizeof info;
    return driver_->execute(handle_, params != nullptr ? params->get() : nullptr, &info,
                            error.get());
  }
  /// Calls `fetch` into `out`, which should be a fresh Batch.
  retort_status fetch(int64_t max_rows, Batch& out, ErrorBox& error) {
    return driver_->fetch(handle_, max_rows, out.get(), error.get());
  }
  /// Calls `describe`, initialising `out` first.
  retort_status describe(int32_t index, retort_column_desc& out, ErrorBox& error) {
    out = retort_column_desc{};
    out.struct_size = sizeof out;
    return driver_->describe(handle_, index, &out, error.get());
  }
  /// Fetches batches until the empty one, which is not returned; fails the test on an error.
  std::vector<Batch> fetch_all(int64_t max_rows = 1024) {
    std::vector<Batch> batches;
    for (;;) {
      Batch batch;
      ErrorBox error;
      const retort_status st = fetch(max_rows, batch, error);
      EXPECT_EQ(st, RETORT_OK) << error.message();
      if (st != RETORT_OK || batch.rows() == 0) break;
      batches.push_back(std::move(batch));
    }
    return batches;
  }
};

/**
 * Owns a `retort_connection*` made by `driver`, released once through its
 * `connection_release`.  Release every Statement made from it first.  The driver table must
 * outlive it.
 */
class Connection
    : public detail::DriverHandle<retort_connection, &retort_driver::connection_release> {
 public:
  using DriverHandle::DriverHandle;

  /// Calls `prepare`; `out` receives the statement (empty on failure).
  retort_status prepare(std::string_view sql, Statement& out, ErrorBox& error) {
    retort_statement* s = nullptr;
    const retort_status st = driver_->prepare(handle_, sql.data(), sql.size(), &s, error.get());
    out = Statement(*driver_, s);
    return st;
  }
  /// Prepares `sql`; fails the test on an error (and returns an empty Statement).
  Statement prepare(std::string_view sql) {
    Statement s;
    ErrorBox error;
    EXPECT_EQ(prepare(sql, s, error), RETORT_OK) << sql << ": " << error.message();
    return s;
  }
  /// Prepares and executes `sql`; fails the test on an error.
  retort_exec_info exec(std::string_view sql, ParamBatch* params = nullptr) {
    Statement s = prepare(sql);
    retort_exec_info info{};
    ErrorBox error;
    if (s) {
      EXPECT_EQ(s.execute(params, info, error), RETORT_OK) << sql << ": " << error.message();
    }
    return info;
  }
  /// Prepares and executes `sql`, returning the status and filling `error`.
  retort_status try_exec(std::string_view sql, ParamBatch* params, ErrorBox& error) {
    Statement s;
    const retort_status st = prepare(sql, s, error);
    if (st != RETORT_OK) return st;
    retort_exec_info info{};
    return s.execute(params, info, error);
  }
  /// Runs a query and returns all its batches; fails the test on an error.
  std::vector<Batch> query(std::string_view sql, ParamBatch* params = nullptr,
                           int64_t max_rows = 1024) {
    Statement s = prepare(sql);
    if (!s) return {};
    retort_exec_info info{};
    ErrorBox error;
    EXPECT_EQ(s.execute(params, info, error), RETORT_OK) << sql << ": " << error.message();
    return s.fetch_all(max_rows);
  }
  /// The single INT64 value of a one-row, one-column query; fails the test otherwise.
  int64_t scalar(std::string_view sql, ParamBatch* params = nullptr) {
    auto batches = query(sql, params);
    EXPECT_EQ(batches.size(), 1u) << sql;
    if (batches.empty()) return INT64_MIN;
    EXPECT_EQ(batches[0].type(0), static_cast<uint32_t>(RETORT_TYPE_INT64)) << sql;
    return batches[0].i64(0, 0);
  }
  /// The single variable-width value (TEXT, …) of a one-row, one-column query.
  std::string text(std::string_view sql, ParamBatch* params = nullptr) {
    auto batches = query(sql, params);
    EXPECT_EQ(batches.size(), 1u) << sql;
    if (batches.empty()) return {};
    return batches[0].str(0, 0);
  }
  /// Calls a connection slot of the driver table (`begin`, `commit`, `ping`, …).
  retort_status call(retort_status (*slot)(retort_connection*, retort_error*), ErrorBox& e) {
    return slot(handle_, e.get());
  }
  /// Calls a named connection slot (`savepoint`, `release_savepoint`, …).
  retort_status call(retort_status (*slot)(retort_connection*, const char*, retort_error*),
                     const char* name, ErrorBox& e) {
    return slot(handle_, name, e.get());
  }
};

/// What to connect to, with owned strings: the fields of `retort_connect_params`.
struct ConnectSpec {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  /// Empty: the first dialect the driver serves.
  std::string dialect;
  /// Empty: the driver's own name.
  std::string driver;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> host;
  int32_t port = -1;
  std::optional<std::string> database;
  /// The URL query, in order.
  Pairs query;
  /// Connect options given in code, after the query.
  Pairs options;
};

/// Calls `driver.connect` with `spec`; `out` receives the connection (empty on failure).
inline retort_status connect(const retort_driver& driver, const ConnectSpec& spec, Connection& out,
                             ErrorBox& error) {
  std::vector<retort_option> query;
  std::vector<retort_option> options;
  for (const auto& [k, v] : spec.query) query.push_back({k.c_str(), v.c_str()});
  for (const auto& [k, v] : spec.options) options.push_back({k.c_str(), v.c_str()});
  const auto or_null = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
  retort_connect_params p{};
  p.struct_size = sizeof p;
  const char* dialect = spec.dialect.empty() ? nullptr : spec.dialect.c_str();
  if (dialect == nullptr && driver.dialects != nullptr) dialect = driver.dialects[0];
  p.dialect = dialect != nullptr ? dialect : "";
  p.driver = !spec.driver.empty() ? spec.driver.c_str() : driver.name;
  p.username = or_null(spec.username);
  p.password = or_null(spec.password);
  p.host = or_null(spec.host);
  p.port = spec.port;
  p.database = or_null(spec.database);
  p.query = query.data();
  p.query_count = query.size();
  p.options = options.data();
  p.option_count = options.size();
  retort_connection* c = nullptr;
  const retort_status st = driver.connect(&p, &c, error.get());
  out = Connection(driver, c);
  return st;
}

/// Connects; fails the test on an error (and returns an empty Connection).
inline Connection connect(const retort_driver& driver, const ConnectSpec& spec) {
  Connection c;
  ErrorBox error;
  EXPECT_EQ(connect(driver, spec, c, error), RETORT_OK) << error.message();
  return c;
}

// ---------------------------------------------------------------------------------------------
// The host
// ---------------------------------------------------------------------------------------------

/// One message the plugin logged through `retort_host_api.log`.
struct LogLine {
  int32_t level = 0;
  std::string plugin;
  std::string message;
};

/**
 * A plugin loaded and initialised as the Retort host does it: `dlopen(path, RTLD_NOW |
 * RTLD_LOCAL)`, then the entry `retort_plugin_init_v1` with RETORT_ABI_VERSION_CURRENT, a
 * host API whose `log` records into `log_lines()`, and a full-size `retort_plugin`.
 *
 * Lifetime: the library is never unloaded and `retort_plugin.release` is never called (the
 * production host does not unload either, and a function-local static would otherwise run
 * plugin code during exit).  The host API lives inside this object, which the plugin keeps
 * a pointer to, so a PluginHost cannot be copied or moved; make it a function-local static:
 *
 *     inline retort::sdk::testing::PluginHost& host() {
 *       static retort::sdk::testing::PluginHost h(MYDB_PLUGIN_PATH);
 *       return h;
 *     }
 *
 * Thread-safety: every member may be called from any thread, except `negotiate`, which
 * calls the entry and so must not run concurrently with itself or with other calls into the
 * plugin (the ABI calls the entry under the host's loader lock).
 */
class PluginHost {
 public:
  /// Loads and initialises the plugin at `path`.
  /// @throws std::runtime_error when the file does not load, lacks the entry, or the entry
  ///         fails (the message says which, with the plugin's own message).
  explicit PluginHost(std::string path) : path_(std::move(path)) {
    api_.struct_size = sizeof api_;
    api_.abi_version = RETORT_ABI_VERSION_CURRENT;
    api_.host_ctx = this;
    api_.log = &PluginHost::record;
    handle_ = dlopen(path_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
      const char* why = dlerror();
      throw std::runtime_error("dlopen " + path_ + ": " + (why != nullptr ? why : "failed"));
    }
    entry_ = reinterpret_cast<retort_plugin_init_fn>(dlsym(handle_, RETORT_PLUGIN_ENTRY_V1));
    if (entry_ == nullptr) throw std::runtime_error(path_ + " exports no " RETORT_PLUGIN_ENTRY_V1);
    ErrorBox error;
    if (negotiate(RETORT_ABI_VERSION_CURRENT, &plugin_, sizeof plugin_, error) != RETORT_OK) {
      throw std::runtime_error(path_ + ": " RETORT_PLUGIN_ENTRY_V1 " failed: " + error.message());
    }
  }
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  /// The file this host loaded.
  const std::string& path() const { return path_; }
  /// The `dlopen` handle.
  void* library() const { return handle_; }
  /// The entry, for tests that call it themselves (prefer `negotiate`).
  retort_plugin_init_fn entry() const { return entry_; }
  /// The host API passed to the entry.  Lives as long as this object.
  const retort_host_api& host_api() const { return api_; }
  /// What the entry filled at load.
  const retort_plugin& plugin() const { return plugin_; }

  /**
   * Calls the entry again with this host's API, as a host offering `host_version` and
   * `capacity` bytes at `out` (which the caller zero-initialises) would.  The ABI calls the
   * entry once per process; plugins built with RETORT_SDK_PLUGIN accept repeated calls with
   * the same host API, which is what the negotiation tests rely on.
   */
  retort_status negotiate(uint32_t host_version, retort_plugin* out, uint32_t capacity,
                          ErrorBox& error) const {
    return entry_(host_version, &api_, out, capacity, error.get());
  }

  /// The driver called `name`, or the first one when `name` is empty.
  /// @throws std::out_of_range when there is no such driver.
  const retort_driver& driver(std::string_view name = {}) const {
    return find(plugin_.drivers, plugin_.driver_count, name, "driver");
  }
  /// The dialect called `name`, or the first one when `name` is empty.
  /// @throws std::out_of_range when there is no such dialect.
  const retort_dialect& dialect(std::string_view name = {}) const {
    return find(plugin_.dialects, plugin_.dialect_count, name, "dialect");
  }

  /// A copy of everything the plugin logged so far, oldest first.
  std::vector<LogLine> log_lines() const {
    std::lock_guard<std::mutex> lock(log_mutex_);
    return log_;
  }
  /// Forgets the log recorded so far.
  void clear_log() const {
    std::lock_guard<std::mutex> lock(log_mutex_);
    log_.clear();
  }

 private:
  // Called by the plugin from any thread; nothing may escape into its C frames.
  static void record(void* ctx, int32_t level, const char* plugin, const char* message) noexcept {
    const auto* self = static_cast<const PluginHost*>(ctx);
    try {
      std::lock_guard<std::mutex> lock(self->log_mutex_);
      self->log_.push_back(
          {level, plugin != nullptr ? plugin : "", message != nullptr ? message : ""});
    } catch (...) {
      // Out of memory: the line is lost, as a real host's logger might lose it.
    }
  }
  template <typename T>
  const T& find(const T* const* tables, size_t count, std::string_view name,
                const char* what) const {
    for (size_t i = 0; i < count; ++i) {
      if (tables[i] != nullptr && (name.empty() || name == tables[i]->name)) return *tables[i];
    }
    throw std::out_of_range(path_ + " provides no " + what +
                            (name.empty() ? std::string() : " '" + std::string(name) + "'"));
  }

  std::string path_;
  retort_host_api api_{};
  void* handle_ = nullptr;
  retort_plugin_init_fn entry_ = nullptr;
  retort_plugin plugin_{};
  mutable std::mutex log_mutex_;
  mutable std::vector<LogLine> log_;
};

}  // namespace retort::sdk::testing

#endif  // RETORT_SDK_TESTING_PLUGIN_HOST_HPP
