// plugins/postgresql/conninfo.cpp — a Retort URL's parts → libpq connection keywords.
// SPDX-License-Identifier: MIT
#include "conninfo.hpp"

#include "errors.hpp"

#include <retort/sdk/plugin.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace retort::postgresql {
namespace {

// libpq keywords passed through unchanged.
constexpr std::string_view kPassThrough[] = {
    "channel_binding", "connect_timeout", "keepalives", "keepalives_count", "keepalives_idle",
    "keepalives_interval", "options", "passfile", "sslcert", "sslcrl", "sslkey", "sslmode",
    "sslpassword", "sslrootcert", "target_session_attrs", "tcp_user_timeout",
};

constexpr const char* kAccepted =
    "application_name, channel_binding, client_encoding, connect_timeout, host, keepalives, "
    "keepalives_count, keepalives_idle, keepalives_interval, options, passfile, sslcert, sslcrl, "
    "sslkey, sslmode, sslpassword, sslrootcert, statement_cache_size, stream_results, "
    "target_session_attrs, tcp_user_timeout";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool parse_bool(std::string_view key, std::string_view value) {
  const std::string v = lower(value);
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  throw plugin_error(RETORT_INVALID_ARGUMENT, "option '" + std::string(key) + "' must be true or "
                                              "false (1/0, yes/no, on/off), got '" +
                                              std::string(value) + "'");
}

struct HostPort {
  std::string host;
  std::string port;  // empty: the default (or the URL's port)
};

// One `host` query entry: "name", "name:port", "[v6]:port", "/socket/dir", "@abstract".
HostPort split_host(std::string_view entry) {
  if (entry.empty() || entry[0] == '/' || entry[0] == '@') return {std::string(entry), {}};
  if (entry[0] == '[') {
    const size_t close = entry.find(']');
    if (close == std::string_view::npos) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "host '" + std::string(entry) + "' has an unclosed '['");
    }
    std::string host(entry.substr(1, close - 1));
    std::string_view rest = entry.substr(close + 1);
    if (rest.empty()) return {host, {}};
    if (rest[0] != ':') {
      throw plugin_error(RETORT_INVALID_ARGUMENT, "bad host '" + std::string(entry) + "'");
    }
    return {host, std::string(rest.substr(1))};
  }
  const size_t colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    return {std::string(entry.substr(0, colon)), std::string(entry.substr(colon + 1))};
  }
  return {std::string(entry), {}};  // a name, or a bare IPv6 address
}

void check_port(const std::string& port) {
  if (port.empty()) return;
  int v = 0;
  const auto r = std::from_chars(port.data(), port.data() + port.size(), v);
  if (r.ec != std::errc() || r.ptr != port.data() + port.size() || v < 1 || v > 65535) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "bad port '" + port + "' (expected 1-65535)");
  }
}

}  // namespace

const char* accepted_keys() noexcept {
  return kAccepted;
}

ConnectSettings connect_settings(const retort_connect_params& params) {
  ConnectSettings s;
  std::vector<std::pair<std::string, std::string>> passed;  // last occurrence wins
  std::vector<HostPort> hosts;
  const std::string url_port = params.port >= 0 ? std::to_string(params.port) : "";
  if (params.host != nullptr && *params.host != '\0') hosts.push_back({params.host, url_port});
  std::string application_name = "retort";

  for (const auto& [key, value] : sdk::all_options(params)) {
    if (key == "host") {
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        if (comma == std::string_view::npos) comma = value.size();
        const std::string_view entry = value.substr(start, comma - start);
        if (!entry.empty()) hosts.push_back(split_host(entry));
        start = comma + 1;
      }
    } else if (key == "client_encoding") {
      const std::string v = lower(value);
      if (v != "utf8" && v != "utf-8" && v != "unicode") {
        throw plugin_error(RETORT_INVALID_ARGUMENT,
                           "client_encoding must be UTF8 (Retort exchanges all text as UTF-8), "
                           "got '" + std::string(value) + "'");
      }
    } else if (key == "stream_results") {
      s.stream_results = parse_bool(key, value);
    } else if (key == "statement_cache_size") {
      size_t v = 0;
      const auto r = std::from_chars(value.data(), value.data() + value.size(), v);
      if (r.ec != std::errc() || r.ptr != value.data() + value.size() || v > 100000) {
        throw plugin_error(RETORT_INVALID_ARGUMENT,
                           "statement_cache_size must be an integer from 0 to 100000, got '" +
                               std::string(value) + "'");
      }
      s.statement_cache_size = v;
    } else if (key == "application_name") {
      application_name = value;
    } else if (std::find(std::begin(kPassThrough), std::end(kPassThrough), key) !=
               std::end(kPassThrough)) {
      auto it = std::find_if(passed.begin(), passed.end(),
                             [&](const auto& kv) { return kv.first == key; });
      if (it != passed.end()) {
        it->second = value;
      } else {
        passed.emplace_back(key, value);
      }
    } else {
      throw plugin_error(RETORT_INVALID_ARGUMENT, "unknown connect option '" + std::string(key) +
                                                      "' for postgresql+libpq; accepted: " +
                                                      kAccepted);
    }
  }

  // Hosts given without a port take the URL's port (it names the socket file, too).
  std::string host_list, port_list, target;
  bool any_port = false;
  for (size_t i = 0; i < hosts.size(); ++i) {
    HostPort& h = hosts[i];
    if (h.port.empty()) h.port = url_port;
    check_port(h.port);
    any_port = any_port || !h.port.empty();
    if (i > 0) {
      host_list += ',';
      port_list += ',';
      target += ',';
    }
    host_list += h.host;
    port_list += h.port;
    target += h.host + ":" + (h.port.empty() ? "5432" : h.port);
  }
  if (hosts.empty()) {
    check_port(url_port);
    any_port = !url_port.empty();
    port_list = url_port;
    target = "the default socket" + (url_port.empty() ? std::string() : " (port " + url_port + ")");
  }

  auto add = [&](const char* k, std::string v) { s.keywords.emplace_back(k, std::move(v)); };
  if (!host_list.empty()) add("host", host_list);
  if (any_port) add("port", port_list);
  if (params.username != nullptr && *params.username != '\0') add("user", params.username);
  if (params.password != nullptr) add("password", params.password);
  if (params.database != nullptr && *params.database != '\0') add("dbname", params.database);
  add("client_encoding", "UTF8");
  add("application_name", application_name);
  for (auto& [k, v] : passed) s.keywords.emplace_back(std::move(k), std::move(v));
  s.target = std::move(target);
  return s;
}

}  // namespace retort::postgresql
