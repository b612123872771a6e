// plugins/mariadb/tests/driver_fixture.hpp — drives the built driver through the C ABI.
// SPDX-License-Identifier: MIT
//
// Through the SDK's test host (retort/sdk/testing/plugin_host.hpp), as plugin_fixture.hpp:
// nothing here knows the plugin's C++ classes.  This file adds the test server.
//
// The server comes from RETORT_TEST_MARIADB_URL (a Retort URL,
// mariadb://user:password@host:port/database?key=value); tests that need it skip with a
// message when it is unset.  `eval "$(scripts/mariadb-server.sh start)"` provides one.
#ifndef RETORT_PLUGINS_MARIADB_TESTS_DRIVER_FIXTURE_HPP
#define RETORT_PLUGINS_MARIADB_TESTS_DRIVER_FIXTURE_HPP

#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/plugin_host.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace retort::mariadb::test {

using sdk::testing::Batch;
using sdk::testing::ConnectSpec;
using sdk::testing::ErrorBox;
using sdk::testing::LogLine;
using sdk::testing::ParamBatch;
using Conn = sdk::testing::Connection;
using Stmt = sdk::testing::Statement;

inline const retort_driver& driver() {
  return host().driver();
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

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

/// Parses a Retort URL mariadb[+mariadbc]://user:password@host:port/database?k=v&… — just
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
      spec.query.emplace_back(
          percent_decode(item.substr(0, eq)),
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
  const char* v = std::getenv("RETORT_TEST_MARIADB_URL");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

/// The test server's connect parameters (call after RETORT_MARIADB_REQUIRE_SERVER).
inline ConnectSpec server_spec() {
  return parse_url(*server_url());
}

inline retort_status connect(const ConnectSpec& spec, Conn& out, ErrorBox& error);

/// Why the configured server cannot be reached (one connection attempt per process), or
/// nullopt when it answers.
inline const std::optional<std::string>& server_unreachable() {
  static const std::optional<std::string> reason = []() -> std::optional<std::string> {
    Conn c;
    ErrorBox error;
    if (connect(server_spec(), c, error) == RETORT_OK) return std::nullopt;
    return error.message();
  }();
  return reason;
}

/// Skips the test when no server is configured, and fails it (instead of going on with a
/// dead connection) when the configured server does not answer.
#define RETORT_MARIADB_REQUIRE_SERVER()                                                          \
  do {                                                                                           \
    if (!::retort::mariadb::test::server_url()) {                                                \
      GTEST_SKIP() << "no MariaDB server: set RETORT_TEST_MARIADB_URL (e.g. run "                \
                      "eval \"$(scripts/mariadb-server.sh start)\")";                            \
    }                                                                                            \
    if (const auto& why = ::retort::mariadb::test::server_unreachable()) {                       \
      GTEST_FAIL() << "RETORT_TEST_MARIADB_URL is set but the server does not answer: " << *why; \
    }                                                                                            \
  } while (0)

inline retort_status connect(const ConnectSpec& spec, Conn& out, ErrorBox& error) {
  return sdk::testing::connect(driver(), spec, out, error);
}

/// Connects; fails the test on an error.
inline Conn connect(const ConnectSpec& spec) {
  return sdk::testing::connect(driver(), spec);
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

}  // namespace retort::mariadb::test

#endif  // RETORT_PLUGINS_MARIADB_TESTS_DRIVER_FIXTURE_HPP
