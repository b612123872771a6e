// plugins/mariadb/connection.hpp — the `mariadbc` driver's connection (MariaDB Connector/C)
// and its cache of prepared statements.
// SPDX-License-Identifier: MIT
//
// Threading: a Connection, and every Statement made from it, is used by one thread at a time
// (the host serialises access).  Only `cancel()` may be called from another thread while a
// call is running: it touches nothing of the session but its (atomic) thread id, and sends
// KILL QUERY over a connection of its own.
#ifndef RETORT_PLUGINS_MARIADB_CONNECTION_HPP
#define RETORT_PLUGINS_MARIADB_CONNECTION_HPP

#include "conninfo.hpp"
#include "types.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>
#include <retort/sdk/statement_cache.hpp>

#include <mysql.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace retort::mariadb {

class Statement;

/// A statement prepared on the server (COM_STMT_PREPARE), with its description.  Closes it
/// (COM_STMT_CLOSE) when destroyed.  Used by one Statement at a time.
struct PreparedStatement {
  explicit PreparedStatement(MYSQL_STMT* s) noexcept : stmt(s) {}
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;
  ~PreparedStatement() {
    if (stmt != nullptr) mysql_stmt_close(stmt);
  }
  MYSQL_STMT* stmt;
  unsigned param_count = 0;
  /// The result columns as last described (re-read when an execution's metadata differs).
  std::vector<ResultColumn> columns;
  /// STMT_ATTR_ARRAY_SIZE as last set (0: one row per execution).
  unsigned array_size = 0;

  /// A result column's fetch buffer.
  struct Slot {
    int64_t i64 = 0;
    double f64 = 0;
    float f32 = 0;
    MYSQL_TIME time{};
    std::vector<char> bytes;
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
  };
  // Scratch of the Statement using this one, kept here so that executing the same SQL again
  // (a new Statement each time, the cached PreparedStatement) reuses the buffers instead of
  // allocating them for every execute.  Rebound on every execute.
  ParamBinder binder;
  std::vector<retort_value_type> result_types;
  std::vector<MYSQL_BIND> result_binds;
  std::vector<Slot> slots;
};

/// Frees a statement the cache drops.
struct CloseStatement {
  void operator()(std::unique_ptr<PreparedStatement> p) const noexcept { p.reset(); }
};

/// The prepared statements of one connection that no Statement uses now, keyed by SQL text.
using StatementCache = sdk::StatementCache<std::unique_ptr<PreparedStatement>, CloseStatement>;

/**
 * An open MariaDB (or MySQL) session over Connector/C.  See README.md for the URL format
 * and options.
 *
 * Transactions: the session is in autocommit mode until `begin()` (START TRANSACTION).
 * `begin()` inside a transaction fails with RETORT_INVALID_STATE (it would commit the open
 * one); `commit()` and `rollback()` outside one do nothing.  DDL commits implicitly, as the
 * server does.
 */
class Connection {
 public:
  /// Connects (blocking) as `params` say.  Thread-safe.
  static std::unique_ptr<Connection> connect(const retort_connect_params& params);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  /// Closes every cached statement, then the session (the server rolls back).
  ~Connection();

  /// A statement for `sql` (`?` parameters), prepared on the server now or taken from the
  /// cache.  @throws sdk::Error for SQL the server refuses.
  std::unique_ptr<Statement> prepare(std::string_view sql);

  void begin();
  /// START TRANSACTION with an isolation level (SET TRANSACTION ISOLATION LEVEL, which holds
  /// for the next transaction only) and/or READ ONLY.
  void begin_ex(const retort_transaction_options& options);
  void commit();
  void rollback();
  void savepoint(const char* name);
  void release_savepoint(const char* name);
  void rollback_to_savepoint(const char* name);
  /// KILL QUERY <this session's id>, sent over a second connection made with the same
  /// settings.  The running statement fails with RETORT_CANCELLED (1317, SQLSTATE 70100).
  /// Any thread.
  void cancel();
  /// The server's version string, as the server reports it: "10.11.6-MariaDB-0+deb12u1",
  /// "8.0.36".
  std::string server_version();
  /// COM_PING.
  void ping();

  // --- for Statement ------------------------------------------------------------------------

  MYSQL* handle() const noexcept { return mysql_; }
  bool stream_results() const noexcept { return settings_.stream_results; }
  /// The server takes MariaDB's bulk execution (array binding; MariaDB ≥ 10.2).
  bool bulk() const noexcept { return bulk_; }
  /// Returns a statement to the cache (or closes it).
  void give_back(const std::string& sql, std::unique_ptr<PreparedStatement> p) noexcept;
  /// Makes the session idle: a statement still streaming rows reads the rest into memory.
  void make_idle();
  void set_stream(Statement* s) noexcept { stream_ = s; }
  void clear_stream(Statement* s) noexcept {
    if (stream_ == s) stream_ = nullptr;
  }

 private:
  Connection(MYSQL* mysql, ConnectSettings settings);
  /// Runs `sql` as a plain query that returns no rows.
  void query(const std::string& sql);
  std::unique_ptr<PreparedStatement> prepare_on_server(const std::string& sql);

  MYSQL* mysql_;
  ConnectSettings settings_;
  std::atomic<unsigned long> thread_id_;
  bool bulk_ = false;
  Statement* stream_ = nullptr;
  StatementCache cache_;
};

/**
 * Opens a Connector/C session with `settings` (used for the session itself and for the
 * cancelling connection).  @throws sdk::Error (connect_error) on failure.
 */
MYSQL* open_session(const ConnectSettings& settings);

/// The `mariadbc` driver table.  Static; lives as long as the library.
const retort_driver& mariadbc_driver();

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_CONNECTION_HPP
