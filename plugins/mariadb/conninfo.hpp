// plugins/mariadb/conninfo.hpp — a Retort URL's parts → Connector/C connect options.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_MARIADB_CONNINFO_HPP
#define RETORT_PLUGINS_MARIADB_CONNINFO_HPP

#include <retort/plugin_abi.h>

#include <cstddef>
#include <optional>
#include <string>

namespace retort::mariadb {

/// How strictly TLS is used (`ssl_mode`).
enum class SslMode { preferred, disabled, required, verify_ca, verify_identity };

/**
 * Everything `connect` needs, parsed and checked.  Holds the password (to open the second
 * connection that cancels a running statement); it never appears in a message.
 */
struct ConnectSettings {
  /// NULL-able pieces are empty when absent; Connector/C then uses its defaults.
  std::string host;
  unsigned port = 0;  // 0: the default (3306)
  std::string unix_socket;
  std::string user;
  std::optional<std::string> password;
  std::string database;
  std::string charset = "utf8mb4";
  std::string init_command;
  unsigned connect_timeout = 0;  // seconds; 0: Connector/C's default
  unsigned read_timeout = 0;
  unsigned write_timeout = 0;
  SslMode ssl_mode = SslMode::preferred;
  std::string ssl_ca, ssl_capath, ssl_cert, ssl_key, ssl_cipher, ssl_crl, tls_version;
  /// rows_affected counts the rows an UPDATE matched (CLIENT_FOUND_ROWS), as SQLAlchemy's
  /// MySQL dialects do; false: the rows it changed.
  bool client_found_rows = true;
  bool compress = false;
  /// Read results row by row from the server (unbuffered) instead of storing them whole.
  bool stream_results = false;
  /// Prepared statements kept per connection; 0 closes each after use.
  size_t statement_cache_size = 256;
  /// What is being connected to, for messages: "127.0.0.1:3306", "socket /run/mysqld.sock".
  std::string target;
};

/// The query / option keys accepted, sorted, comma-separated (for messages and docs).
const char* accepted_keys() noexcept;

/**
 * Builds the settings from the URL (host, port, username, password, database), its query
 * and the connect options (options after the query; the last occurrence of a key wins).
 * See README.md, "Connecting".
 * @throws sdk::Error RETORT_INVALID_ARGUMENT for an unknown key (naming it and listing the
 *         accepted ones) or a bad value (naming the key; never echoing a password).
 */
ConnectSettings connect_settings(const retort_connect_params& params);

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_CONNINFO_HPP
