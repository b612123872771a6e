// plugins/postgresql/tests/plugin_fixture.hpp — drives the built plugin through the C ABI.
// SPDX-License-Identifier: MIT
//
// The tests dlopen retort_plugin_postgresql.so and call it exactly as the host does:
// negotiate with retort_plugin_init_v1, then use the driver and dialect tables.  Nothing here
// knows the plugin's C++ classes.  The helpers own ABI objects (errors, connections,
// statements, batches) and release them exactly once.
//
// The server comes from RETORT_TEST_POSTGRESQL_URL (a Retort URL,
// postgresql://user:password@host:port/database?key=value); tests that need it skip with a
// message when it is unset.  `eval "$(scripts/pg-server.sh start)"` provides one.
#ifndef RETORT_PLUGINS_POSTGRESQL_TESTS_PLUGIN_FIXTURE_HPP
#define RETORT_PLUGINS_POSTGRESQL_TESTS_PLUGIN_FIXTURE_HPP

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::postgresql::test {

/// The plugin, loaded once per process and never unloaded (as the host does).
struct LoadedPlugin {
  void* handle = nullptr;
  retort_plugin_init_fn init = nullptr;
  retort_plugin plugin{};
  const retort_driver* driver = nullptr;
  const retort_dialect* dialect = nullptr;
};

/// Log lines the plugin sent to the host (server notices).
struct LogLine {
  int32_t level;
  std::string plugin;
  std::string message;
};

inline std::mutex& log_mutex() {
  static std::mutex m;
  return m;
}
inline std::vector<LogLine>& log_lines() {
  static std::vector<LogLine> lines;
  return lines;
}

inline void host_log(void*, int32_t level, const char* plugin, const char* message) {
  std::lock_guard<std::mutex> lock(log_mutex());
  log_lines().push_back({level, plugin != nullptr ? plugin : "", message != nullptr ? message : ""});
}

inline const retort_host_api& host_api() {
  static const retort_host_api api = {sizeof(retort_host_api), RETORT_ABI_VERSION_CURRENT,
                                      nullptr, &host_log};
  return api;
}

inline const LoadedPlugin& loaded_plugin() {
  static const LoadedPlugin loaded = [] {
    LoadedPlugin p;
    p.handle = dlopen(RETORT_POSTGRESQL_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    if (p.handle == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    p.init = reinterpret_cast<retort_plugin_init_fn>(dlsym(p.handle, RETORT_PLUGIN_ENTRY_V1));
    if (p.init == nullptr) throw std::runtime_error("no retort_plugin_init_v1");
    retort_error error{};
    error.struct_size = sizeof error;
    if (p.init(RETORT_ABI_VERSION_CURRENT, &host_api(), &p.plugin, sizeof p.plugin, &error) !=
        RETORT_OK) {
      throw std::runtime_error(std::string("init failed: ") + error.message);
    }
    p.driver = p.plugin.drivers[0];
    p.dialect = p.plugin.dialects[0];
    return p;
  }();
  return loaded;
}

inline const retort_driver& driver() {
  return *loaded_plugin().driver;
}

/// A host-side retort_error: zero-initialised, released once.
class ErrorBox {
 public:
  ErrorBox() { reset(); }
  ErrorBox(const ErrorBox&) = delete;
  ErrorBox& operator=(const ErrorBox&) = delete;
  ~ErrorBox() { clear(); }
  retort_error* get() { return &e_; }
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

/// A parameter batch built by the host: one column per parameter, borrowed by the plugin.
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
  ParamBatch& dates(const std::vector<std::optional<int32_t>>& values) {
    return fixed(RETORT_TYPE_DATE, values);
  }
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
  ParamBatch& nulls() {
    retort_column c{};
    c.type = RETORT_TYPE_NULL;
    return add(c, std::make_unique<Owned>());
  }

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

/// A result batch the host owns; released once.
class Batch {
 public:
  Batch() { b_.struct_size = sizeof b_; }
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  Batch(Batch&& other) noexcept : b_(other.b_) { other.b_ = retort_batch{}; }
  ~Batch() {
    if (b_.release != nullptr) b_.release(&b_);
  }
  retort_batch* get() { return &b_; }
  int64_t rows() const { return b_.row_count; }
  int32_t columns() const { return b_.column_count; }
  uint32_t type(int c) const { return b_.columns[c].type; }
  bool is_null(int c, int64_t r) const {
    const retort_column& col = b_.columns[c];
    return col.type == RETORT_TYPE_NULL || (col.nulls != nullptr && col.nulls[r] != 0);
  }
  template <typename T>
  T fixed(int c, int64_t r) const {
    T v;
    std::memcpy(&v, static_cast<const uint8_t*>(b_.columns[c].values) + r * sizeof(T), sizeof v);
    return v;
  }
  int64_t i64(int c, int64_t r) const { return fixed<int64_t>(c, r); }
  double f64(int c, int64_t r) const { return fixed<double>(c, r); }
  std::string str(int c, int64_t r) const {
    const retort_column& col = b_.columns[c];
    return std::string(col.data + col.offsets[r],
                       static_cast<size_t>(col.offsets[r + 1] - col.offsets[r]));
  }

 private:
  retort_batch b_{};
};

/// A statement handle; released once.
class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(retort_statement* s) : s_(s) {}
  Stmt(Stmt&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Stmt& operator=(Stmt&& o) noexcept {
    release();
    s_ = std::exchange(o.s_, nullptr);
    return *this;
  }
  ~Stmt() { release(); }
  retort_statement* get() const { return s_; }
  void release() {
    if (s_ != nullptr) driver().statement_release(std::exchange(s_, nullptr));
  }

  retort_status execute(ParamBatch* params, retort_exec_info& info, ErrorBox& error) {
    info = retort_exec_info{};
    info.struct_size = sizeof info;
    return driver().execute(s_, params != nullptr ? params->get() : nullptr, &info, error.get());
  }
  retort_status fetch(int64_t max_rows, Batch& out, ErrorBox& error) {
    return driver().fetch(s_, max_rows, out.get(), error.get());
  }
  retort_status describe(int32_t index, retort_column_desc& out, ErrorBox& error) {
    out = retort_column_desc{};
    out.struct_size = sizeof out;
    return driver().describe(s_, index, &out, error.get());
  }
  /// Fetches batches until the empty one; fails the test on an error.
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

 private:
  retort_statement* s_ = nullptr;
};

/// A connection handle; released once.
class Conn {
 public:
  Conn() = default;
  explicit Conn(retort_connection* c) : c_(c) {}
  Conn(Conn&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
  Conn& operator=(Conn&& o) noexcept {
    release();
    c_ = std::exchange(o.c_, nullptr);
    return *this;
  }
  ~Conn() { release(); }
  retort_connection* get() const { return c_; }
  explicit operator bool() const { return c_ != nullptr; }
  void release() {
    if (c_ != nullptr) driver().connection_release(std::exchange(c_, nullptr));
  }

  retort_status prepare(std::string_view sql, Stmt& out, ErrorBox& error) {
    retort_statement* s = nullptr;
    const retort_status st = driver().prepare(c_, sql.data(), sql.size(), &s, error.get());
    out = Stmt(s);
    return st;
  }
  /// Prepares `sql`; fails the test on an error.
  Stmt prepare(std::string_view sql) {
    Stmt s;
    ErrorBox error;
    EXPECT_EQ(prepare(sql, s, error), RETORT_OK) << sql << ": " << error.message();
    return s;
  }
  /// Prepares and executes `sql`; fails the test on an error.
  retort_exec_info exec(std::string_view sql, ParamBatch* params = nullptr) {
    Stmt s = prepare(sql);
    retort_exec_info info{};
    ErrorBox error;
    if (s.get() != nullptr) {
      EXPECT_EQ(s.execute(params, info, error), RETORT_OK) << sql << ": " << error.message();
    }
    return info;
  }
  /// Prepares and executes `sql`, returning the status and filling `error`.
  retort_status try_exec(std::string_view sql, ParamBatch* params, ErrorBox& error) {
    Stmt s;
    const retort_status st = prepare(sql, s, error);
    if (st != RETORT_OK) return st;
    retort_exec_info info{};
    return s.execute(params, info, error);
  }
  /// Runs a query and returns all its batches.
  std::vector<Batch> query(std::string_view sql, ParamBatch* params = nullptr,
                           int64_t max_rows = 1024) {
    Stmt s = prepare(sql);
    if (s.get() == nullptr) return {};
    retort_exec_info info{};
    ErrorBox error;
    EXPECT_EQ(s.execute(params, info, error), RETORT_OK) << sql << ": " << error.message();
    return s.fetch_all(max_rows);
  }
  /// The single INT64 value of a one-row, one-column query.
  int64_t scalar(std::string_view sql, ParamBatch* params = nullptr) {
    auto batches = query(sql, params);
    EXPECT_EQ(batches.size(), 1u) << sql;
    if (batches.empty()) return INT64_MIN;
    EXPECT_EQ(batches[0].type(0), static_cast<uint32_t>(RETORT_TYPE_INT64)) << sql;
    return batches[0].i64(0, 0);
  }
  /// The single TEXT-like value of a one-row, one-column query.
  std::string text(std::string_view sql, ParamBatch* params = nullptr) {
    auto batches = query(sql, params);
    EXPECT_EQ(batches.size(), 1u) << sql;
    if (batches.empty()) return {};
    return batches[0].str(0, 0);
  }
  retort_status call(retort_status (*slot)(retort_connection*, retort_error*), ErrorBox& e) {
    return slot(c_, e.get());
  }
  retort_status call(retort_status (*slot)(retort_connection*, const char*, retort_error*),
                     const char* name, ErrorBox& e) {
    return slot(c_, name, e.get());
  }

 private:
  retort_connection* c_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/// Connect parameters with owned strings.
struct ConnectSpec {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> host;
  int32_t port = -1;
  std::optional<std::string> database;
  Pairs query;
  Pairs options;
};

inline std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

/// Parses a Retort URL postgresql[+libpq]://user:password@host:port/database?k=v&… — just
/// enough for the test server's URL.
inline ConnectSpec parse_url(std::string_view url) {
  ConnectSpec spec;
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) throw std::runtime_error("not a URL: no ://");
  std::string_view rest = url.substr(scheme + 3);
  if (const size_t q = rest.find('?'); q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    rest = rest.substr(0, q);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view item = query.substr(0, amp);
      const size_t eq = item.find('=');
      spec.query.emplace_back(percent_decode(item.substr(0, eq)),
                              eq == std::string_view::npos ? "" : percent_decode(item.substr(eq + 1)));
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
  }
  std::string_view authority = rest;
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    if (slash + 1 < rest.size()) spec.database = percent_decode(rest.substr(slash + 1));
  }
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const size_t colon = userinfo.find(':');
    spec.username = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) spec.password = percent_decode(userinfo.substr(colon + 1));
  }
  if (const size_t colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    spec.port = std::stoi(std::string(authority.substr(colon + 1)));
    authority = authority.substr(0, colon);
  }
  if (!authority.empty()) spec.host = percent_decode(authority);
  return spec;
}

/// The test server's URL, or nullopt.
inline std::optional<std::string> server_url() {
  const char* v = std::getenv("RETORT_TEST_POSTGRESQL_URL");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

/// The test server's connect parameters (call after RETORT_PG_REQUIRE_SERVER).
inline ConnectSpec server_spec() {
  return parse_url(*server_url());
}

/// Skips the test when no server is configured.
#define RETORT_PG_REQUIRE_SERVER()                                                           \
  do {                                                                                       \
    if (!::retort::postgresql::test::server_url()) {                                         \
      GTEST_SKIP() << "no PostgreSQL server: set RETORT_TEST_POSTGRESQL_URL (e.g. run "      \
                      "eval \"$(scripts/pg-server.sh start)\")";                            \
    }                                                                                        \
  } while (0)

inline retort_status connect(const ConnectSpec& spec, Conn& out, ErrorBox& error) {
  std::vector<retort_option> query;
  std::vector<retort_option> options;
  for (const auto& [k, v] : spec.query) query.push_back({k.c_str(), v.c_str()});
  for (const auto& [k, v] : spec.options) options.push_back({k.c_str(), v.c_str()});
  retort_connect_params p{};
  p.struct_size = sizeof p;
  p.dialect = "postgresql";
  p.driver = "libpq";
  p.username = spec.username ? spec.username->c_str() : nullptr;
  p.password = spec.password ? spec.password->c_str() : nullptr;
  p.host = spec.host ? spec.host->c_str() : nullptr;
  p.port = spec.port;
  p.database = spec.database ? spec.database->c_str() : nullptr;
  p.query = query.data();
  p.query_count = query.size();
  p.options = options.data();
  p.option_count = options.size();
  retort_connection* c = nullptr;
  const retort_status st = driver().connect(&p, &c, error.get());
  out = Conn(c);
  return st;
}

/// Connects; fails the test on an error.
inline Conn connect(const ConnectSpec& spec) {
  Conn c;
  ErrorBox error;
  EXPECT_EQ(connect(spec, c, error), RETORT_OK) << error.message();
  return c;
}

/// Connects to the test server with extra connect options.
inline Conn connect_server(ConnectSpec::Pairs options = {}) {
  ConnectSpec spec = server_spec();
  spec.options = std::move(options);
  return connect(spec);
}

/// A table name unique to this process, so test programs can run in parallel on one server.
inline std::string table_name(std::string_view base) {
  return "rt_" + std::string(base) + "_" + std::to_string(getpid());
}

/// Creates `table` (dropping a leftover) and drops it at the end of the test.
class ScratchTable {
 public:
  ScratchTable(std::string_view base, const std::string& columns) : name_(table_name(base)) {
    Conn c = connect_server();
    c.exec("DROP TABLE IF EXISTS " + name_);
    c.exec("CREATE TABLE " + name_ + " (" + columns + ")");
  }
  ~ScratchTable() {
    Conn c = connect_server();
    c.exec("DROP TABLE IF EXISTS " + name_);
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

}  // namespace retort::postgresql::test

#endif  // RETORT_PLUGINS_POSTGRESQL_TESTS_PLUGIN_FIXTURE_HPP
