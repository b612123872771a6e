// plugins/odbc/conninfo.hpp — a Retort URL's parts → an ODBC connection string.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_ODBC_CONNINFO_HPP
#define RETORT_PLUGINS_ODBC_CONNINFO_HPP

#include <retort/plugin_abi.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace retort::odbc {

/// What `connect` needs: the connection string plus the driver's own settings.
struct ConnectSettings {
  /// The string for SQLDriverConnect (contains the password: never put it in a message).
  std::string connection_string;
  /// What is being connected to, for messages: "ODBC data source 'pg'", "ODBC driver
  /// 'PostgreSQL Unicode'", "the ODBC connection string given in odbc_connect".
  std::string target;
  /// The DSN named, or empty.
  std::string dsn;
  /// The driver named (`driver=`), or empty.
  std::string driver;
  /// The password (URL or PWD in odbc_connect), scrubbed from every message.
  std::string password;
  /// Rows per block-cursor fetch (SQL_ATTR_ROW_ARRAY_SIZE).
  int64_t fetch_array_size = 1024;
  /// Largest parameter array sent in one SQLExecute (SQL_ATTR_PARAMSET_SIZE).
  int64_t paramset_size = 1024;
  /// Seconds SQLDriverConnect may take (SQL_ATTR_LOGIN_TIMEOUT); 0: the driver's default.
  int64_t login_timeout = 0;
};

/// The query / option keys the plugin itself interprets, comma-separated (for messages).
const char* own_keys() noexcept;

/**
 * Quotes `value` for an ODBC connection string: as is when it is safe, else in braces with
 * every `}` doubled (ODBC's rule), so that `;`, `{`, `}`, `=` and edge spaces survive.
 */
std::string quote_value(std::string_view value);

/**
 * Builds the settings from the URL and connect options (options win; the last occurrence of
 * a key wins).  See README.md, "Connecting":
 *   - `odbc_connect=<string>`: the string is used as is (plus nothing else);
 *   - `driver=<name>`: DSN-less, `DRIVER={name};SERVER=host;PORT=port;DATABASE=db;UID;PWD`;
 *   - otherwise the URL host is a DSN: `DSN=host;UID;PWD` (and DATABASE when given);
 * any other key that is not one of own_keys() is passed through as an attribute.  The dialect
 * adds driver defaults the plugin needs (PostgreSQL: `BoolsAsChar=0`), unless given.
 * @throws sdk::Error RETORT_INVALID_ARGUMENT for a bad value or when neither a DSN, a driver
 *         nor odbc_connect is given.
 */
ConnectSettings connect_settings(const retort_connect_params& params);

}  // namespace retort::odbc

#endif  // RETORT_PLUGINS_ODBC_CONNINFO_HPP
