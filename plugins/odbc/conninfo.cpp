// plugins/odbc/conninfo.cpp — a Retort URL's parts → an ODBC connection string.
// SPDX-License-Identifier: MIT
#include "conninfo.hpp"

#include "errors.hpp"

#include <retort/sdk/plugin.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>
#include <vector>

namespace retort::odbc {
namespace {

constexpr const char* kOwnKeys =
    "database, driver, dsn, fetch_array_size, login_timeout, odbc_connect, paramset_size, "
    "port, server";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int64_t parse_count(std::string_view key, std::string_view value, int64_t lo, int64_t hi) {
  int64_t v = 0;
  const auto r = std::from_chars(value.data(), value.data() + value.size(), v);
  if (r.ec != std::errc() || r.ptr != value.data() + value.size() || v < lo || v > hi) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "option '" + std::string(key) + "' must be an integer from " +
                           std::to_string(lo) + " to " + std::to_string(hi) + ", got '" +
                           std::string(value) + "'");
  }
  return v;
}

// An attribute list keyed case-insensitively (ODBC keywords are), in first-seen order.
class Attributes {
 public:
  void set(std::string_view key, std::string value) {
    const std::string k = lower(key);
    for (auto& [name, v] : items_) {
      if (lower(name) == k) {
        v = std::move(value);
        return;
      }
    }
    items_.emplace_back(std::string(key), std::move(value));
  }
  bool has(std::string_view key) const {
    const std::string k = lower(key);
    return std::any_of(items_.begin(), items_.end(),
                       [&](const auto& kv) { return lower(kv.first) == k; });
  }
  std::string render() const {
    std::string out;
    for (const auto& [k, v] : items_) {
      out += k;
      out += '=';
      out += quote_value(v);
      out += ';';
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// The value of `key` in an ODBC connection string (for the password in odbc_connect), or "".
std::string find_attribute(std::string_view cs, std::string_view key) {
  size_t i = 0;
  while (i < cs.size()) {
    const size_t eq = cs.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string_view name = cs.substr(i, eq - i);
    while (!name.empty() && (name.front() == ' ' || name.front() == ';')) name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    std::string value;
    size_t j = eq + 1;
    if (j < cs.size() && cs[j] == '{') {
      for (++j; j < cs.size(); ++j) {
        if (cs[j] == '}') {
          if (j + 1 < cs.size() && cs[j + 1] == '}') {
            value.push_back('}');
            ++j;
            continue;
          }
          ++j;
          break;
        }
        value.push_back(cs[j]);
      }
      const size_t semi = cs.find(';', j);
      i = semi == std::string_view::npos ? cs.size() : semi + 1;
    } else {
      const size_t semi = cs.find(';', j);
      value = std::string(
          cs.substr(j, semi == std::string_view::npos ? std::string_view::npos : semi - j));
      i = semi == std::string_view::npos ? cs.size() : semi + 1;
    }
    if (lower(name) == lower(key)) return value;
  }
  return {};
}

}  // namespace

const char* own_keys() noexcept {
  return kOwnKeys;
}

std::string quote_value(std::string_view value) {
  const bool plain = !value.empty() && value.front() != ' ' && value.back() != ' ' &&
                     value.find_first_of(" ;{}=[](),\t\r\n") == std::string_view::npos;
  if (plain) return std::string(value);
  std::string out = "{";
  for (char c : value) {
    out.push_back(c);
    if (c == '}') out.push_back('}');
  }
  out.push_back('}');
  return out;
}

ConnectSettings connect_settings(const retort_connect_params& params) {
  ConnectSettings s;
  std::string odbc_connect, driver, dsn, server, port, database;
  bool have_odbc_connect = false;
  if (params.host != nullptr) server = params.host;
  if (params.port >= 0) port = std::to_string(params.port);
  if (params.database != nullptr) database = params.database;
  std::vector<std::pair<std::string, std::string>> extra;

  for (const auto& [key, value] : sdk::all_options(params)) {
    const std::string k = lower(key);
    if (k == "odbc_connect") {
      odbc_connect = value;
      have_odbc_connect = true;
    } else if (k == "driver") {
      driver = value;
    } else if (k == "dsn") {
      dsn = value;
    } else if (k == "server") {
      server = value;
    } else if (k == "port") {
      port = std::to_string(parse_count(key, value, 1, 65535));
    } else if (k == "database") {
      database = value;
    } else if (k == "fetch_array_size") {
      s.fetch_array_size = parse_count(key, value, 1, 100000);
    } else if (k == "paramset_size") {
      s.paramset_size = parse_count(key, value, 1, 100000);
    } else if (k == "login_timeout") {
      s.login_timeout = parse_count(key, value, 0, 86400);
    } else {
      extra.emplace_back(key, value);
    }
  }

  if (have_odbc_connect) {
    // Passed through untouched: the user wrote the whole string.
    s.connection_string = odbc_connect;
    s.target = "the ODBC connection string given in odbc_connect";
    s.dsn = find_attribute(odbc_connect, "DSN");
    s.driver = find_attribute(odbc_connect, "DRIVER");
    if (!s.dsn.empty()) {
      s.target = "ODBC data source '" + s.dsn + "'";
    } else if (!s.driver.empty()) {
      s.target = "ODBC driver '" + s.driver + "'";
    }
    s.password = find_attribute(odbc_connect, "PWD");
    if (s.password.empty()) s.password = find_attribute(odbc_connect, "Password");
    return s;
  }

  Attributes a;
  if (!driver.empty()) {
    // DSN-less: the URL host is the server.
    a.set("DRIVER", driver);
    if (!dsn.empty()) a.set("DSN", dsn);
    if (!server.empty()) a.set("SERVER", server);
    if (!port.empty()) a.set("PORT", port);
    s.driver = driver;
    s.target = "ODBC driver '" + driver + "'" +
               (server.empty() ? std::string()
                               : " (server " + server + (port.empty() ? "" : ":" + port) + ")");
  } else {
    if (dsn.empty()) dsn = server;
    if (dsn.empty()) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "an ODBC URL needs a data source name as its host "
                         "(postgresql+odbc://user:pw@MyDSN), a driver (?driver=PostgreSQL "
                         "Unicode&server=…) or a whole connection string (?odbc_connect=…)");
    }
    a.set("DSN", dsn);
    if (!port.empty()) a.set("PORT", port);
    s.dsn = dsn;
    s.target = "ODBC data source '" + dsn + "'";
  }
  if (!database.empty()) a.set("DATABASE", database);
  if (params.username != nullptr && *params.username != '\0') a.set("UID", params.username);
  if (params.password != nullptr) {
    a.set("PWD", params.password);
    s.password = params.password;
  }
  for (auto& [k, v] : extra) a.set(k, std::move(v));
  const std::string_view dialect = params.dialect != nullptr ? params.dialect : "";
  // psqlODBC reports booleans as VARCHAR '1'/'0' unless told otherwise.
  if (dialect == "postgresql" && !a.has("BoolsAsChar")) a.set("BoolsAsChar", "0");
  // psqlODBC's default on an error inside a transaction is its own rollback (of the whole
  // transaction, or of the statement through a savepoint around every statement).  libpq
  // leaves the transaction aborted for the application to roll back, to a savepoint or
  // whole: "-0" does the same, and saves the savepoint round trips.
  if (dialect == "postgresql" && !a.has("Protocol")) a.set("Protocol", "7.4-0");
  // psqlODBC sends a parameter array to the server in batches of BatchSize rows (100 by
  // default): one batch per array is fewer round trips (measured in docs/benchmarks.md).
  if (dialect == "postgresql" && !a.has("BatchSize")) {
    a.set("BatchSize", std::to_string(s.paramset_size));
  }
  s.connection_string = a.render();
  return s;
}

}  // namespace retort::odbc
