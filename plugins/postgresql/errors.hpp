// plugins/postgresql/errors.hpp — PostgreSQL errors → retort_status, SQLSTATE and details.
// SPDX-License-Identifier: MIT
//
// Every error the plugin reports goes through this file, so the mapping lives in exactly one
// place (`classify`).  Messages are the server's primary message (no "ERROR:" prefix, no
// plugin prefix: the host adds the dialect) and never contain a password or a bound value.
#ifndef RETORT_PLUGINS_POSTGRESQL_ERRORS_HPP
#define RETORT_PLUGINS_POSTGRESQL_ERRORS_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace retort::postgresql {

/// The plugin name used for log lines.
inline constexpr const char* kPluginName = "postgresql";

/// The retort view of an SQLSTATE.
struct Classification {
  retort_status status;
  /// The value of the `retort.kind` detail ("serialization_failure", "deadlock"), or empty.
  std::string_view kind;
};

/**
 * Maps an SQLSTATE to a status (the complete table is in README.md, "Errors").  `message`
 * is consulted only to tell a statement timeout (57014 "canceling statement due to statement
 * timeout" → RETORT_TIMEOUT) from a cancel (57014 otherwise → RETORT_CANCELLED).
 */
Classification classify(std::string_view sqlstate, std::string_view message = {}) noexcept;

/**
 * The `vendor_code` of an SQLSTATE.  PostgreSQL has no numeric error codes besides the
 * SQLSTATE itself; this is the server's own integer encoding of it (MAKE_SQLSTATE in
 * src/include/utils/elog.h: six bits per character, first character lowest), so it is
 * stable, non-zero for every error and distinct per SQLSTATE.  0 when `sqlstate` is empty.
 */
int32_t vendor_code(std::string_view sqlstate) noexcept;

/**
 * The error for a failed result `res` (which may be NULL) on `conn`.
 *
 * Message: PG_DIAG_MESSAGE_PRIMARY, or libpq's own message when the server sent none.
 * Status: by SQLSTATE; RETORT_DISCONNECTED (SQLSTATE 08006 when the server gave none) whenever
 * the connection is gone (PQstatus CONNECTION_BAD).  Details: every PG_DIAG field present —
 * severity, detail, hint, position, internal_position, internal_query, context, schema_name,
 * table_name, column_name, datatype_name, constraint_name — plus `retort.kind` for
 * serialization failures and deadlocks.
 */
sdk::Error result_error(PGconn* conn, const PGresult* res);

/// The error for a failed libpq call that produced no result (PQerrorMessage of `conn`).
sdk::Error connection_error(PGconn* conn, std::string_view context = {});

/**
 * The error for a failed connection attempt.  `target` names what was tried
 * ("127.0.0.1:5432"); `password` (may be NULL) is removed from the message should libpq ever
 * echo it.  RETORT_UNAUTHENTICATED for authentication failures (28P01 wrong or missing
 * password, 28000 otherwise), RETORT_NOT_FOUND (3D000) for a missing database,
 * RETORT_TIMEOUT for connect_timeout, RETORT_IO (53300) for too many connections, else
 * RETORT_DISCONNECTED (08001).
 */
sdk::Error connect_error(PGconn* conn, std::string_view target, const char* password);

/// An error raised by the plugin itself (bad option, bad argument).
sdk::Error plugin_error(retort_status status, std::string message, std::string_view sqlstate = {});

/// libpq's message for `conn`, trimmed, with its line breaks folded into single spaces.
std::string libpq_message(const char* text);

/// Sends a server notice or warning to the host log (a PQnoticeReceiver).
void log_notice(void* arg, const PGresult* res);

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_ERRORS_HPP
