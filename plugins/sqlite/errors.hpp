// plugins/sqlite/errors.hpp — SQLite result codes → retort_status, SQLSTATE and details.
// SPDX-License-Identifier: MIT
//
// Every error the plugin reports goes through this file, so the mapping lives in exactly one
// place (`classify`).  Messages are SQLite's own text (the host adds "[sqlite]") and never contain
// parameter values: SQLite's own messages name tables, columns and constraints, never bound data.
#ifndef RETORT_PLUGINS_SQLITE_ERRORS_HPP
#define RETORT_PLUGINS_SQLITE_ERRORS_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <sqlite3.h>

#include <string>
#include <string_view>

namespace retort::sqlite {

/// The prefix of every message the plugin produces.

/// Where a failure happened; refines the classification of the generic SQLITE_ERROR (a
/// prepare-time SQLITE_ERROR is an SQL mistake, a step-time one is an operational failure).
enum class Phase { kOpen, kPrepare, kBind, kStep, kOther };

/// The retort view of an SQLite failure.
struct Classification {
  retort_status status;
  /// Five characters; never empty.
  std::string_view sqlstate;
};

/**
 * Maps an SQLite *extended* result code to a status and SQLSTATE.
 *
 * `message` is SQLite's error text; it is consulted only to tell apart the many causes that
 * share SQLITE_ERROR ("no such table", "cannot commit - no transaction is active", …).
 * The complete table is in README.md ("Errors").
 */
Classification classify(int extended_code, std::string_view message, Phase phase) noexcept;

/// The symbolic name of a result code ("SQLITE_CONSTRAINT_UNIQUE"); for a code this build
/// does not know, the name of its primary code, or "SQLITE_UNKNOWN".
std::string_view code_name(int extended_code) noexcept;

/**
 * Builds the error for a failed SQLite call on `db` that returned `rc`.
 *
 * The message is `context` (when given, followed by ": ") + sqlite3_errmsg.
 * Details: always `sqlite_code_name` (symbolic code) and `sqlite_code_text`
 * (sqlite3_errstr); for constraint violations also `constraint_kind` ("unique", "not null",
 * "check", "foreign key", …) and, when SQLite names them, `table_name`, `column_names`
 * (comma-separated) and `constraint_name`.
 *
 * Must be called before anything else runs on `db`, since the message is per connection.
 */
sdk::Error make_error(sqlite3* db, int rc, Phase phase, std::string_view context = {});

/// Throws `make_error(db, rc, phase, context)`.
[[noreturn]] void throw_error(sqlite3* db, int rc, Phase phase, std::string_view context = {});

/// An error raised by the plugin itself (bad option, bad argument): the message as given.
sdk::Error plugin_error(retort_status status, std::string_view message,
                        std::string_view sqlstate = {});

}  // namespace retort::sqlite

#endif  // RETORT_PLUGINS_SQLITE_ERRORS_HPP
