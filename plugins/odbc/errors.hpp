// plugins/odbc/errors.hpp — ODBC diagnostics → retort_status, SQLSTATE, native code, details.
// SPDX-License-Identifier: MIT
//
// Every error the plugin reports goes through this file, so the mapping lives in one place
// (`classify`).  A message never contains a password: each is scrubbed of the connection's
// password and of any `PWD=`/`Password=` attribute a driver may echo.
#ifndef RETORT_PLUGINS_ODBC_ERRORS_HPP
#define RETORT_PLUGINS_ODBC_ERRORS_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <sql.h>
#include <sqlext.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace retort::odbc {

/// The plugin name used for log lines.
inline constexpr const char* kPluginName = "odbc";

/// One diagnostic record (SQLGetDiagRec).
struct DiagRecord {
  std::string sqlstate;
  int32_t native = 0;
  /// The message without the `[vendor][component]` prefixes the driver manager adds.
  std::string message;
  /// Those prefixes, as reported ("[unixODBC][Driver Manager]").
  std::string origin;
};

/// Every diagnostic record of `handle` (of `type`, SQL_HANDLE_*), in order.
std::vector<DiagRecord> diagnostics(SQLSMALLINT type, SQLHANDLE handle);

/// The retort status of an SQLSTATE (the complete table is in README.md, "Errors").
/// `message` breaks ties the SQLSTATE leaves open (authentication inside 08001).
retort_status classify(std::string_view sqlstate, std::string_view message = {}) noexcept;

/// Removes `secret` and every `PWD=…`/`Password=…` attribute value from `text`.
void scrub(std::string& text, std::string_view secret);

/**
 * The error for a failed ODBC call on `handle`: the first record gives the SQLSTATE, native
 * code, message and status; every record is a detail (`diag.<n>` = "SQLSTATE native
 * message").  `context`, when not empty, prefixes the message ("executing", "connecting to
 * ODBC data source 'pg'").  `secret` is scrubbed.  `rc` is the return code (SQL_INVALID_HANDLE
 * and records-less failures get a message of their own).
 */
sdk::Error odbc_error(SQLSMALLINT type, SQLHANDLE handle, SQLRETURN rc,
                      std::string_view context = {}, std::string_view secret = {});

/// Throws odbc_error when `rc` is not SQL_SUCCESS / SQL_SUCCESS_WITH_INFO / SQL_NO_DATA.
inline void check(SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle, std::string_view context = {}) {
  if (rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO || rc == SQL_NO_DATA) return;
  throw odbc_error(type, handle, rc, context);
}

/// An error raised by the plugin itself (bad option, bad argument).
sdk::Error plugin_error(retort_status status, std::string message, std::string_view sqlstate = {});

}  // namespace retort::odbc

#endif  // RETORT_PLUGINS_ODBC_ERRORS_HPP
