// retort/execution_options.hpp — `ExecutionOptions`: isolation levels and result streaming.
// SPDX-License-Identifier: MIT
//
//   auto conn = engine.connect();
//   conn.execution_options({.isolation_level = "SERIALIZABLE",
//                           .postgresql_readonly = true,
//                           .postgresql_deferrable = true});
//   // BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE on the first execute
//
//   for (const auto& row : conn.execute(text("SELECT * FROM big"), {},
//                                       {.yield_per = 1000}))   // streamed in chunks of 1000
//     …
//
// The options mirror SQLAlchemy 2.0's execution options of the same names.  Each field left
// empty keeps the value already in effect (the engine's, then the connection's).
#ifndef RETORT_EXECUTION_OPTIONS_HPP
#define RETORT_EXECUTION_OPTIONS_HPP

#include <cstdint>
#include <optional>
#include <string>

namespace retort {

/// Options of a connection (`Connection::execution_options`) or of one execution
/// (`Connection::execute(…, options)`).
struct ExecutionOptions {
  /// The isolation level of the transactions the connection begins: one of the dialect's
  /// levels (PostgreSQL: READ UNCOMMITTED, READ COMMITTED, REPEATABLE READ, SERIALIZABLE;
  /// SQLite: READ UNCOMMITTED, SERIALIZABLE), or AUTOCOMMIT: no transaction at all, every
  /// statement commits by itself and commit()/rollback() do nothing.  Case and `_` for a
  /// space do not matter.  Connection (and engine) only; ArgumentError for an unknown level
  /// (the message lists the dialect's), InvalidRequestError while a transaction is open.
  std::optional<std::string> isolation_level;
  /// READ ONLY transactions (SQLAlchemy's `postgresql_readonly`).  NotSupportedError on a
  /// dialect without them.  Connection only; applies to transactions, so it cannot be
  /// combined with AUTOCOMMIT (ArgumentError).
  std::optional<bool> postgresql_readonly;
  /// DEFERRABLE transactions (SQLAlchemy's `postgresql_deferrable`): with SERIALIZABLE and
  /// READ ONLY, the transaction waits for a snapshot that can never fail with a
  /// serialization error.  Connection only.
  std::optional<bool> postgresql_deferrable;
  /// Stream the rows from the server in chunks as they are fetched, in bounded memory,
  /// instead of reading the whole result first.  Drivers without server-side streaming
  /// ignore it (SQLite's results are always read step by step).
  std::optional<bool> stream_results;
  /// Rows per chunk while streaming (and per fetch across the plugin boundary).
  std::optional<std::int64_t> max_row_buffer;
  /// `stream_results` with chunks of this many rows (SQLAlchemy's yield_per).
  std::optional<std::int64_t> yield_per;
};

}  // namespace retort

#endif  // RETORT_EXECUTION_OPTIONS_HPP
