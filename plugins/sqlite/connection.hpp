// plugins/sqlite/connection.hpp — the `sqlite3` driver's connection and statement cache.
// SPDX-License-Identifier: MIT
//
// Threading: a Connection, and every Statement made from it, is used by one thread at a
// time (the host serialises access).  Only `cancel()` may be called from another thread
// while a call is running; it uses sqlite3_interrupt, which is thread-safe.  Connections are
// opened with SQLITE_OPEN_NOMUTEX for that reason: SQLite's own per-connection mutex would
// only add cost.
#ifndef RETORT_PLUGINS_SQLITE_CONNECTION_HPP
#define RETORT_PLUGINS_SQLITE_CONNECTION_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/statement_cache.hpp>

#include <sqlite3.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace retort::sqlite {

class Statement;

/// Frees a statement the cache drops.
struct FinalizeStatement {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};

/**
 * Prepared statements of one connection that are not in use, keyed by SQL text.  A statement
 * is checked out while a Statement object uses it, so two live Statement objects never share
 * one sqlite3_stmt; the second one simply prepares its own, and when both come back the
 * duplicate is finalized.
 */
using StatementCache = sdk::StatementCache<sqlite3_stmt*, FinalizeStatement>;

/**
 * An open SQLite database.  See README.md for the URL format and options.
 *
 * Transactions: SQLite is in autocommit mode until `begin()`.  `commit()` without a
 * transaction fails with RETORT_INVALID_STATE; `rollback()` without one does nothing, so a
 * pool may always roll back a connection it takes back.
 */
class Connection {
 public:
  /// Opens the database named by `params` (see README.md).  Thread-safe.
  /// @throws sdk::Error RETORT_INVALID_ARGUMENT for a bad URL or option; RETORT_NOT_FOUND
  ///         when mode=ro|rw names a missing file; RETORT_IO for other open failures.
  static std::unique_ptr<Connection> connect(const retort_connect_params& params);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  /// Finalizes cached statements and closes the database, rolling back an open transaction.
  ~Connection();

  /// Prepares one SQL statement (qmark parameters), reusing a cached one when possible.
  /// @throws sdk::Error RETORT_SYNTAX for invalid SQL or more than one statement.
  std::unique_ptr<Statement> prepare(std::string_view sql);

  void begin();
  /// BEGIN with an isolation level: SERIALIZABLE (what SQLite always is) or READ UNCOMMITTED
  /// (PRAGMA read_uncommitted = 1 for this transaction, reset when it ends).  READ ONLY and
  /// DEFERRABLE are RETORT_NOT_IMPLEMENTED.
  void begin_ex(const retort_transaction_options& options);
  void commit();
  void rollback();
  void savepoint(const char* name);
  void release_savepoint(const char* name);
  void rollback_to_savepoint(const char* name);
  /// Interrupts the statement running on this connection (RETORT_CANCELLED there).  Any
  /// thread.
  void cancel();
  /// sqlite3_libversion() of the library actually loaded.
  std::string server_version();
  /// Runs "SELECT 1".
  void ping();

  // --- for Statement ------------------------------------------------------------------------

  sqlite3* handle() const noexcept { return db_; }
  /// A prepared statement for `sql`, from the cache or freshly prepared; owned by the caller
  /// until `check_in`.
  sqlite3_stmt* check_out(std::string_view sql);
  /// Returns a statement obtained from `check_out(sql)`.
  void check_in(std::string_view sql, sqlite3_stmt* stmt) noexcept;
  /// Runs `sql` (no parameters) to completion, discarding any rows.
  void run(std::string_view sql);

 private:
  Connection(sqlite3* db, size_t cache_size, std::string begin_sql);
  void open_settings(int busy_timeout_ms, bool foreign_keys, const std::string& journal_mode);

  sqlite3* db_;
  StatementCache cache_;
  void end_of_transaction() noexcept;

  std::string begin_sql_;
  bool read_uncommitted_ = false;  // PRAGMA read_uncommitted set by begin_ex
};

/// The `sqlite3` driver table.  Static; lives as long as the library.
const retort_driver& sqlite3_driver();

}  // namespace retort::sqlite

#endif  // RETORT_PLUGINS_SQLITE_CONNECTION_HPP
