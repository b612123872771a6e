// plugins/mariadb/errors.hpp — MariaDB / MySQL errors → retort_status, SQLSTATE and details.
// SPDX-License-Identifier: MIT
//
// Every error the driver reports goes through this file, so the mapping lives in one place
// (`classify`; the table is in README.md, "Errors").  Messages are the server's or
// Connector/C's own text and never contain a password or a bound value.
#ifndef RETORT_PLUGINS_MARIADB_ERRORS_HPP
#define RETORT_PLUGINS_MARIADB_ERRORS_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <mysql.h>

#include <string>
#include <string_view>

namespace retort::mariadb {

/// The plugin name used for log lines.
inline constexpr const char* kPluginName = "mariadb";

/// The retort view of a native error.
struct Classification {
  retort_status status;
  /// The value of the `retort.kind` detail ("deadlock", "lock_wait_timeout", …), or empty.
  std::string_view kind;
};

/**
 * Maps a native error number (with its SQLSTATE, consulted for numbers the table does not
 * list) to a status.  2006/2013/2055/1927/4031/1053 and every client-side connection error
 * are RETORT_DISCONNECTED; 1213 is RETORT_TRANSACTION_ROLLBACK with kind "deadlock"; 1205
 * is RETORT_TIMEOUT with kind "lock_wait_timeout"; 1062/1451/1452/1048/… are
 * RETORT_INTEGRITY.
 */
Classification classify(unsigned error_number, std::string_view sqlstate) noexcept;

/// The error Connector/C reports for `mysql` (mysql_errno, mysql_sqlstate, mysql_error).
sdk::Error connection_error(MYSQL* mysql, std::string_view context = {});
/// The error Connector/C reports for `stmt`.
sdk::Error statement_error(MYSQL_STMT* stmt);
/**
 * The error of a failed connection attempt: the message names `target` and never contains
 * `password` (removed should it ever be echoed).  1045 → RETORT_UNAUTHENTICATED (28000),
 * 1049 → RETORT_NOT_FOUND (42000), 1044 → RETORT_UNAUTHORIZED, 1040 → RETORT_IO, client
 * errors (2002, 2003, 2005, …) → RETORT_DISCONNECTED (08001).
 */
sdk::Error connect_error(MYSQL* mysql, std::string_view target, const char* password);
/// An error raised by the plugin itself (bad option, bad argument).
sdk::Error plugin_error(retort_status status, std::string message, std::string_view sqlstate = {});

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_ERRORS_HPP
