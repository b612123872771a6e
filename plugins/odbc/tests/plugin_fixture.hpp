// plugins/odbc/tests/plugin_fixture.hpp — drives the built odbc plugin through the C ABI.
// SPDX-License-Identifier: MIT
//
// The tests dlopen retort_plugin_odbc.so and call it as the host does (the SDK's test host).
// Databases come from the URLs scripts/odbc-config.sh prints (RETORT_TEST_ODBC_POSTGRESQL_URL,
// RETORT_TEST_ODBC_MARIADB_URL, RETORT_TEST_ODBC_SQLITE_URL: `dialect+odbc://user:pw@DSN`);
// a test needing one skips, saying which variable to set, when it is unset.
#ifndef RETORT_PLUGINS_ODBC_TESTS_PLUGIN_FIXTURE_HPP
#define RETORT_PLUGINS_ODBC_TESTS_PLUGIN_FIXTURE_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/plugin_host.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace retort::odbc::test {

using sdk::testing::Batch;
using sdk::testing::ConnectSpec;
using sdk::testing::ErrorBox;
using sdk::testing::ParamBatch;
using Conn = sdk::testing::Connection;
using Stmt = sdk::testing::Statement;

inline sdk::testing::PluginHost& host() {
  static sdk::testing::PluginHost loaded(RETORT_ODBC_PLUGIN_PATH);
  return loaded;
}

inline const retort_driver& driver() {
  return host().driver();
}

/// A test database reached through ODBC.
struct Backend {
  std::string name;  // "postgresql", "mariadb", "sqlite"
  std::string env;   // the variable holding its URL
  friend void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }
};

/// `dialect+odbc://user:password@DSN` → connect parameters (test URLs need no decoding).
inline ConnectSpec parse_url(std::string_view url) {
  ConnectSpec spec;
  const size_t scheme = url.find("://");
  const std::string_view name = url.substr(0, scheme);
  spec.dialect = std::string(name.substr(0, name.find('+')));
  std::string_view rest = url.substr(scheme + 3);
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view user = rest.substr(0, at);
    const size_t colon = user.find(':');
    spec.username = std::string(user.substr(0, colon));
    if (colon != std::string_view::npos) spec.password = std::string(user.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  if (!rest.empty()) spec.host = std::string(rest);
  return spec;
}

inline std::optional<ConnectSpec> backend_spec(const Backend& b) {
  const char* v = std::getenv(b.env.c_str());
  if (v == nullptr || *v == '\0') return std::nullopt;
  return parse_url(v);
}

/// Connects to `spec`; fails the test on an error.
inline Conn open(const ConnectSpec& spec) {
  Conn c;
  ErrorBox error;
  EXPECT_EQ(sdk::testing::connect(driver(), spec, c, error), RETORT_OK) << error.message();
  return c;
}

#define RETORT_ODBC_REQUIRE(spec_var, backend)                                              \
  const auto spec_var##_opt = ::retort::odbc::test::backend_spec(backend);                  \
  if (!spec_var##_opt) {                                                                    \
    GTEST_SKIP() << (backend).name << " through ODBC not configured: set " << (backend).env \
                 << " (eval \"$(scripts/odbc-config.sh start)\")";                          \
  }                                                                                         \
  const ::retort::sdk::testing::ConnectSpec& spec_var = *spec_var##_opt

inline const Backend kPostgresql{"postgresql", "RETORT_TEST_ODBC_POSTGRESQL_URL"};
inline const Backend kMariadb{"mariadb", "RETORT_TEST_ODBC_MARIADB_URL"};
inline const Backend kSqlite{"sqlite", "RETORT_TEST_ODBC_SQLITE_URL"};

}  // namespace retort::odbc::test

#endif  // RETORT_PLUGINS_ODBC_TESTS_PLUGIN_FIXTURE_HPP
