// tests/plugins/test_plugin.hpp — a tiny in-memory driver shared by the test plugins.
//
// Every connection succeeds; every statement returns the same two-column, three-row result
// (id INT64, label TEXT: 1 "one", 2 "two", 3 "three"), except SQL starting with "FAIL", which
// fails to prepare with a syntax error.  Built only from the SDK headers, as a third-party
// plugin would be.  Each test plugin is its own library with hidden visibility, so these
// classes never clash between plugins.
#ifndef RETORT_TESTS_PLUGINS_TEST_PLUGIN_HPP
#define RETORT_TESTS_PLUGINS_TEST_PLUGIN_HPP

#include <retort/sdk/plugin.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace retort_test {

class Statement {
 public:
  void execute(const retort_batch* /*params*/, retort_exec_info& info) {
    info.column_count = 2;
    fetched_ = false;
  }
  void describe(int32_t index, retort_column_desc& out) {
    static constexpr std::string_view kNames[] = {"id", "label"};
    if (index < 0 || index > 1) {
      throw retort::sdk::Error(RETORT_INVALID_ARGUMENT, "test driver: no such column");
    }
    out.type = index == 0 ? RETORT_TYPE_INT64 : RETORT_TYPE_TEXT;
    out.name = kNames[index].data();
    out.name_length = kNames[index].size();
    out.nullable = 0;
  }
  void fetch(int64_t /*max_rows*/, retort_batch& out) {
    if (fetched_) {
      retort::sdk::BatchBuilder::finish_empty(&out);
      return;
    }
    static constexpr retort_value_type kTypes[] = {RETORT_TYPE_INT64, RETORT_TYPE_TEXT};
    static constexpr std::string_view kLabels[] = {"one", "two", "three"};
    retort::sdk::BatchBuilder batch;
    batch.reset(kTypes);
    for (int64_t i = 0; i < 3; ++i) {
      batch.column(0).append<int64_t>(i + 1);
      batch.column(1).append_bytes(kLabels[i].data(), kLabels[i].size());
    }
    batch.finish(&out);
    fetched_ = true;
  }

 private:
  bool fetched_ = true;
};

class Connection {
 public:
  static std::unique_ptr<Connection> connect(const retort_connect_params& /*params*/) {
    return std::make_unique<Connection>();
  }
  std::unique_ptr<Statement> prepare(std::string_view sql) {
    if (sql.starts_with("FAIL")) {
      throw retort::sdk::Error(RETORT_SYNTAX, "test driver: syntax error near 'FAIL'", "42601");
    }
    return std::make_unique<Statement>();
  }
  void begin() {}
  void commit() {}
  void rollback() {}
};

/// A minimal dialect: qmark parameters, double-quoted identifiers.
inline retort_dialect make_dialect(const char* name, const char* default_driver) {
  retort_dialect d{};
  d.struct_size = sizeof d;
  d.name = name;
  d.default_driver = default_driver;
  d.paramstyle = RETORT_PARAMSTYLE_QMARK;
  d.quote_open = "\"";
  d.quote_close = "\"";
  d.capabilities = RETORT_CAP_SAVEPOINTS;
  return d;
}

/// The test driver under `name`, serving `dialects` (NULL-terminated, static).
inline const retort_driver& make_driver(const char* name, const char* const* dialects) {
  return retort::sdk::make_driver<Connection, Statement>({name, dialects, "test-1.0"});
}

}  // namespace retort_test

/// Defines `spec()` for a plugin with one dialect and one driver of the test driver.
#define RETORT_TEST_DIALECT_DRIVER_SPEC(plugin_name, dialect_name, driver_name)                 \
  namespace {                                                                                   \
  const retort::sdk::PluginSpec& spec() {                                                       \
    static const char* const served[] = {dialect_name, nullptr};                                \
    static const retort_dialect dialect = retort_test::make_dialect(dialect_name, driver_name); \
    static const retort_dialect* const dialects[] = {&dialect};                                 \
    static const retort_driver* const drivers[] = {                                             \
        &retort_test::make_driver(driver_name, served)};                                        \
    static const retort::sdk::PluginSpec s{                                                     \
        plugin_name, "1.0.0", RETORT_KIND_DIALECT | RETORT_KIND_DRIVER, dialects, drivers, {}}; \
    return s;                                                                                   \
  }                                                                                             \
  }

#endif  // RETORT_TESTS_PLUGINS_TEST_PLUGIN_HPP
