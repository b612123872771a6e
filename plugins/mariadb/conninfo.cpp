// plugins/mariadb/conninfo.cpp — a Retort URL's parts → Connector/C connect options.
// SPDX-License-Identifier: MIT
#include "conninfo.hpp"

#include "errors.hpp"

#include <retort/sdk/plugin.hpp>

#include <cctype>
#include <charconv>
#include <string_view>

namespace retort::mariadb {
namespace {

constexpr const char* kAccepted =
    "charset, client_found_rows, compress, connect_timeout, init_command, read_timeout, "
    "ssl_ca, ssl_capath, ssl_cert, ssl_cipher, ssl_crl, ssl_key, ssl_mode, "
    "ssl_verify_server_cert, statement_cache_size, stream_results, tls_version, unix_socket, "
    "write_timeout";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void bad(std::string_view key, std::string_view value, std::string_view expected) {
  throw plugin_error(RETORT_INVALID_ARGUMENT, "option '" + std::string(key) + "' must be " +
                                                  std::string(expected) + ", got '" +
                                                  std::string(value) + "'");
}

bool parse_bool(std::string_view key, std::string_view value) {
  const std::string v = lower(value);
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  bad(key, value, "true or false (1/0, yes/no, on/off)");
}

unsigned parse_uint(std::string_view key, std::string_view value, unsigned max) {
  unsigned v = 0;
  const auto r = std::from_chars(value.data(), value.data() + value.size(), v);
  if (value.empty() || r.ec != std::errc() || r.ptr != value.data() + value.size() || v > max) {
    bad(key, value, "an integer from 0 to " + std::to_string(max));
  }
  return v;
}

SslMode parse_ssl_mode(std::string_view key, std::string_view value) {
  std::string v = lower(value);
  for (char& c : v) {
    if (c == '-') c = '_';
  }
  if (v == "disabled" || v == "disable") return SslMode::disabled;
  if (v == "preferred" || v == "prefer") return SslMode::preferred;
  if (v == "required" || v == "require") return SslMode::required;
  if (v == "verify_ca") return SslMode::verify_ca;
  if (v == "verify_identity" || v == "verify_full") return SslMode::verify_identity;
  bad(key, value, "one of disabled, preferred, required, verify_ca, verify_identity");
}

}  // namespace

const char* accepted_keys() noexcept {
  return kAccepted;
}

ConnectSettings connect_settings(const retort_connect_params& params) {
  ConnectSettings s;
  if (params.host != nullptr) s.host = params.host;
  if (params.port >= 0) {
    if (params.port < 1 || params.port > 65535) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "bad port " + std::to_string(params.port) + " (expected 1-65535)");
    }
    s.port = static_cast<unsigned>(params.port);
  }
  if (params.username != nullptr) s.user = params.username;
  if (params.password != nullptr) s.password = params.password;
  if (params.database != nullptr) s.database = params.database;
  std::optional<bool> verify_cert;

  for (const auto& [key, value] : sdk::all_options(params)) {
    if (key == "unix_socket") {
      s.unix_socket = value;
    } else if (key == "charset") {
      const std::string v = lower(value);
      if (v != "utf8mb4" && v != "utf8mb3" && v != "utf8") {
        bad(key, value,
            "utf8mb4 (the default), utf8mb3 or utf8: Retort exchanges all text as "
            "UTF-8");
      }
      s.charset = v;
    } else if (key == "init_command") {
      s.init_command = value;
    } else if (key == "connect_timeout") {
      s.connect_timeout = parse_uint(key, value, 31536000);
    } else if (key == "read_timeout") {
      s.read_timeout = parse_uint(key, value, 31536000);
    } else if (key == "write_timeout") {
      s.write_timeout = parse_uint(key, value, 31536000);
    } else if (key == "ssl_mode") {
      s.ssl_mode = parse_ssl_mode(key, value);
    } else if (key == "ssl_verify_server_cert") {
      verify_cert = parse_bool(key, value);
    } else if (key == "ssl_ca") {
      s.ssl_ca = value;
    } else if (key == "ssl_capath") {
      s.ssl_capath = value;
    } else if (key == "ssl_cert") {
      s.ssl_cert = value;
    } else if (key == "ssl_key") {
      s.ssl_key = value;
    } else if (key == "ssl_cipher") {
      s.ssl_cipher = value;
    } else if (key == "ssl_crl") {
      s.ssl_crl = value;
    } else if (key == "tls_version") {
      s.tls_version = value;
    } else if (key == "client_found_rows") {
      s.client_found_rows = parse_bool(key, value);
    } else if (key == "compress") {
      s.compress = parse_bool(key, value);
    } else if (key == "stream_results") {
      s.stream_results = parse_bool(key, value);
    } else if (key == "statement_cache_size") {
      s.statement_cache_size = parse_uint(key, value, 100000);
    } else {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "unknown connect option '" + std::string(key) +
                             "' for mariadb+mariadbc; accepted: " + kAccepted);
    }
  }
  // ssl_verify_server_cert=true is verify_identity (Connector/C checks the chain and the
  // host name together); false weakens a verify_* mode to required.
  if (verify_cert.has_value()) {
    if (*verify_cert) {
      s.ssl_mode = SslMode::verify_identity;
    } else if (s.ssl_mode == SslMode::verify_ca || s.ssl_mode == SslMode::verify_identity) {
      s.ssl_mode = SslMode::required;
    }
  }
  if (s.ssl_mode == SslMode::disabled &&
      !(s.ssl_ca.empty() && s.ssl_capath.empty() && s.ssl_cert.empty() && s.ssl_key.empty())) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "ssl_mode=disabled contradicts the ssl_ca/ssl_capath/ssl_cert/ssl_key "
                       "options given; drop one or the other");
  }
  if (!s.unix_socket.empty()) {
    s.target = "socket " + s.unix_socket;
  } else if (s.host.empty() || s.host == "localhost") {
    s.target = "localhost (the default socket" +
               (s.port != 0 ? ", port " + std::to_string(s.port) : std::string()) + ")";
  } else {
    s.target = s.host + ":" + std::to_string(s.port != 0 ? s.port : 3306);
  }
  return s;
}

}  // namespace retort::mariadb
