// plugins/postgresql/conninfo.hpp — a Retort URL's parts → libpq connection keywords.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_POSTGRESQL_CONNINFO_HPP
#define RETORT_PLUGINS_POSTGRESQL_CONNINFO_HPP

#include <retort/plugin_abi.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace retort::postgresql {

/// What `connect` needs: libpq keywords plus the driver's own settings.
struct ConnectSettings {
  /// Keyword/value pairs for PQconnectdbParams (expand_dbname = 0), in order.
  std::vector<std::pair<std::string, std::string>> keywords;
  /// What is being connected to, for messages: "127.0.0.1:5432", "h1:5432,h2:5433",
  /// "/run/postgresql:5432", "the default socket".
  std::string target;
  /// Fetch results row by row (single-row mode) instead of whole.
  bool stream_results = false;
  /// Prepared statements kept per connection; 0 uses the unnamed statement every time.
  size_t statement_cache_size = 256;
};

/// The query / option keys accepted, sorted, comma-separated (for messages and docs).
const char* accepted_keys() noexcept;

/**
 * Builds the settings from the URL (host, port, username, password, database), its query
 * and the connect options (options win over the query; the last occurrence of a key wins,
 * except `host`, whose occurrences add hosts).  See README.md, "Connecting".
 * @throws sdk::Error RETORT_INVALID_ARGUMENT for an unknown key (naming it and listing the
 *         accepted ones) or a bad value.
 */
ConnectSettings connect_settings(const retort_connect_params& params);

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_CONNINFO_HPP
