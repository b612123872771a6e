// plugins/sqlite/tests/plugin_fixture.hpp — drives the built plugin through the C ABI only.
// SPDX-License-Identifier: MIT
//
// The tests dlopen retort_plugin_sqlite.so and call it exactly as the host does, through the
// SDK's test host (retort/sdk/testing/plugin_host.hpp): negotiate with retort_plugin_init_v1,
// then use the driver and dialect tables.  Nothing here knows the plugin's C++ classes.  This
// file adds what is SQLite's own: connect parameters and scratch directories.
#ifndef RETORT_PLUGINS_SQLITE_TESTS_PLUGIN_FIXTURE_HPP
#define RETORT_PLUGINS_SQLITE_TESTS_PLUGIN_FIXTURE_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/plugin_host.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace retort::sqlite::test {

using sdk::testing::Batch;
using sdk::testing::ErrorBox;
using sdk::testing::ParamBatch;
using Conn = sdk::testing::Connection;
using Stmt = sdk::testing::Statement;

/// The plugin, loaded once per process and never unloaded (as the host does).
inline sdk::testing::PluginHost& host() {
  static sdk::testing::PluginHost loaded(RETORT_SQLITE_PLUGIN_PATH);
  return loaded;
}

inline const retort_driver& driver() {
  return host().driver();
}

/// Connect parameters with owned strings, in the order the tests write them.
struct ConnectSpec {
  using Pairs = sdk::testing::ConnectSpec::Pairs;
  ConnectSpec() = default;
  ConnectSpec(std::optional<std::string> db, Pairs q = {}, Pairs o = {},
              std::optional<std::string> h = {})
      : database(std::move(db)), query(std::move(q)), options(std::move(o)), host(std::move(h)) {}
  std::optional<std::string> database;
  Pairs query;
  Pairs options;
  std::optional<std::string> host;
};

/// The ABI connect parameters for `spec`.
inline sdk::testing::ConnectSpec params(const ConnectSpec& spec) {
  sdk::testing::ConnectSpec p;
  p.database = spec.database;
  p.query = spec.query;
  p.options = spec.options;
  p.host = spec.host;
  return p;
}

inline retort_status connect(const ConnectSpec& spec, Conn& out, ErrorBox& error) {
  return sdk::testing::connect(driver(), params(spec), out, error);
}

/// Connects; fails the test on an error.
inline Conn connect(const ConnectSpec& spec = {}) {
  return sdk::testing::connect(driver(), params(spec));
}

/// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "retort-sqlite-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace retort::sqlite::test

#endif  // RETORT_PLUGINS_SQLITE_TESTS_PLUGIN_FIXTURE_HPP
