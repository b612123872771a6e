// retort/engine.hpp — `create_engine`, `Engine`, `Connection`, `Transaction`.
// SPDX-License-Identifier: MIT
//
//   auto engine = retort::create_engine("sqlite:///app.db");
//   auto conn = engine.connect();
//   {
//     auto tx = conn.begin();                       // BEGIN
//     conn.execute(retort::text("INSERT INTO t (x) VALUES (:x)"),
//                  std::vector<retort::Params>{{{"x", 1}}, {{"x", 2}}});   // executemany
//     tx.commit();                                  // COMMIT; dropped uncommitted: ROLLBACK
//   }
//   for (const auto& row : conn.execute(retort::text("SELECT x FROM t")))
//     std::cout << row.get<int>("x") << "\n";
//   conn.commit();
//
// Transactions are the norm, as in SQLAlchemy 2.0: a Connection begins a transaction by itself
// on the first execute ("autobegin"); `commit()` or `rollback()` ends it, and closing a
// Connection with a transaction still open rolls it back.  `begin()` starts one explicitly
// and returns an RAII Transaction; `begin()` while a Transaction is active, or
// `begin_nested()`, makes a SAVEPOINT.
//
// Connections come from the engine's pool (retort/pool.hpp); closing one returns it there.
// Events (retort/events.hpp) and logging (retort/logging.hpp, `echo`) hook into both.
//
// Thread-safety: an Engine may be shared by any number of threads.  A Connection, and every
// Result and Transaction made from it, is used by one thread at a time.
#ifndef RETORT_ENGINE_HPP
#define RETORT_ENGINE_HPP

#include <retort/events.hpp>
#include <retort/exceptions.hpp>
#include <retort/execution_options.hpp>
#include <retort/logging.hpp>
#include <retort/pool.hpp>
#include <retort/result.hpp>
#include <retort/text.hpp>
#include <retort/url.hpp>
#include <retort/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort {

namespace detail {
struct EngineImpl;
struct ConnectionImpl;
struct EngineAccess;
}  // namespace detail

/// Options for `create_engine`.
struct EngineOptions {
  /// Extra connect options passed to the driver after the URL's query keys
  /// (SQLAlchemy's `connect_args`).
  std::vector<std::pair<std::string, std::string>> connect_args;
  /// Rows per batch fetched across the plugin boundary.
  std::int64_t fetch_batch_rows = 1024;
  /// Keep parameter values out of error messages (and logs).  Default true.
  bool hide_parameters = true;
  /// How many compiled statements the engine keeps (SQLAlchemy's `query_cache_size`): a
  /// statement built again with the same structure, whatever its values, skips compilation.
  /// 0 turns the cache off.
  std::size_t query_cache_size = 500;
  /// Rows per multi-row INSERT when an INSERT … RETURNING runs with several parameter sets
  /// (SQLAlchemy's "insertmanyvalues"); fewer when the dialect's `max_parameters` demands.
  std::int64_t insertmanyvalues_page_size = 1000;

  // Pool (retort/pool.hpp; SQLAlchemy's create_engine arguments of the same names).
  /// Which pool; `automatic` picks SQLAlchemy's default for the URL.
  PoolClass poolclass = PoolClass::automatic;
  /// Idle connections a QueuePool keeps (threads a SingletonThreadPool serves).  0 means no
  /// limit.
  std::size_t pool_size = 5;
  /// Connections a QueuePool may open beyond pool_size; -1 means no limit.
  long max_overflow = 10;
  /// How long a checkout waits for a connection before throwing TimeoutError.
  std::chrono::duration<double> pool_timeout = std::chrono::seconds(30);
  /// Connections older than this are replaced at checkout; negative (default) never.
  std::chrono::duration<double> pool_recycle = std::chrono::seconds(-1);
  /// Ping each connection at checkout and replace it when the ping fails.
  bool pool_pre_ping = false;
  /// QueuePool hands out the most recently returned connection first (default: oldest).
  bool pool_use_lifo = false;
  /// What to do with a transaction still open when a connection is returned.
  ResetOnReturn pool_reset_on_return = ResetOnReturn::rollback;
  /// On a disconnect error, also replace every connection made before the failed one.
  bool invalidate_pool_on_disconnect = true;

  // Logging (retort/logging.hpp).
  /// Log SQL, parameters (unless hide_parameters) and timing to `retort.engine.Engine`.
  bool echo = false;
  /// Log pool activity to `retort.pool.<PoolClass>`.
  bool echo_pool = false;
  /// Where this engine logs; null: the default sink (set_default_log_sink()).
  std::shared_ptr<LogSink> log_sink;

  /// The isolation level of every connection (see ExecutionOptions::isolation_level); empty
  /// for the database's default.  An unknown level is ArgumentError from create_engine.
  std::string isolation_level;
};

/// Counters of an engine's compiled-statement cache.
struct QueryCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::size_t size = 0;      ///< statements held
  std::size_t capacity = 0;  ///< EngineOptions::query_cache_size
};

class Compiled;
class Connection;
class Executable;
class Table;

/// Options for `Connection::bulk_insert`.
struct BulkInsertOptions {
  /// Parameter sets (or source rows) per executemany INSERT when the driver has no bulk
  /// path; the bulk path streams every row through one load whatever this says.
  std::int64_t batch_rows = 10000;
  /// Called after each batch is sent, with the number of rows sent so far (progress bars).
  /// Whatever it throws aborts the load and propagates.
  std::function<void(std::int64_t rows_sent)> on_progress;
};

/// A factory for connections to one database.  Copies share the same engine.
class Engine {
 public:
  /// Checks a connection out of the engine's pool (retort/pool.hpp), opening one when
  /// needed.  Throws OperationalError (and friends) when the driver cannot connect (the
  /// message names the URL with its password masked), TimeoutError when the pool is
  /// exhausted for `pool_timeout`.
  Connection connect() const;
  const URL& url() const noexcept;
  /// The dialect's name (`sqlite`).
  const std::string& dialect_name() const noexcept;
  /// The driver's name (`sqlite3`).
  const std::string& driver_name() const noexcept;
  /// The version of the client library the driver wraps, or empty.
  std::string driver_client_version() const;
  /// The file the dialect plugin was loaded from, and the driver plugin's.
  const std::string& dialect_plugin_path() const noexcept;
  const std::string& driver_plugin_path() const noexcept;
  const EngineOptions& options() const noexcept;

  /// `statement` compiled for this engine's dialect, through the engine's compiled-statement
  /// cache (what execute() uses).  Thread-safe.  Throws CompileError / ArgumentError.
  Compiled compile(const Executable& statement) const;
  /// The cache's counters.  Thread-safe.
  QueryCacheStats query_cache_stats() const;

  /// SQLAlchemy's `pool.status()`: `Pool size: 5  Connections in pool: 1 Current Overflow:
  /// -3 Current Checked out connections: 1` for a QueuePool.  Thread-safe.
  std::string pool_status() const;
  /// The pool's counters.  Thread-safe.
  PoolStatistics pool_statistics() const;
  /// Closes every idle pooled connection; connections checked out now are closed when
  /// returned instead of being pooled.  The engine stays usable: later checkouts open new
  /// connections.  Thread-safe.
  void dispose() const;

 private:
  friend Engine create_engine(const URL&, EngineOptions);
  friend struct detail::EngineAccess;
  explicit Engine(std::shared_ptr<detail::EngineImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<detail::EngineImpl> impl_;
};

/// Creates an engine: resolves the URL's dialect and driver plugins and loads them.  Does
/// not connect.  Throws ArgumentError for a malformed URL, NoSuchModuleError when no plugin
/// serves it, PluginError when the plugin is broken.
Engine create_engine(const URL& url, EngineOptions options = {});
Engine create_engine(std::string_view url, EngineOptions options = {});

/// An explicit transaction, or a SAVEPOINT when nested.  Move-only RAII: destroyed while
/// still active, it rolls back (errors during that rollback are swallowed; call
/// `rollback()` to see them).  It becomes inactive when its connection closes or an enclosing
/// transaction ends; `commit()` on an inactive transaction throws InvalidRequestError.
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  void commit();
  void rollback();
  bool is_active() const noexcept;
  /// True for a SAVEPOINT.
  bool is_nested() const noexcept { return !savepoint_.empty(); }

 private:
  friend class Connection;
  Transaction(std::weak_ptr<detail::ConnectionImpl> conn, std::string savepoint,
              std::uint64_t generation) noexcept
      : conn_(std::move(conn)), savepoint_(std::move(savepoint)), generation_(generation) {}
  void end(bool commit);
  std::weak_ptr<detail::ConnectionImpl> conn_;
  std::string savepoint_;
  std::uint64_t generation_ = 0;
  bool active_ = true;
};

/// A database connection.  Move-only.  Closing (or destroying) it rolls back any open
/// transaction and releases the driver connection.
class Connection {
 public:
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  /// Executes a statement once.  Missing parameters throw ArgumentError naming them.
  Result execute(const TextClause& statement, const Params& params = {});
  /// Executes a statement once per parameter set (executemany), prepared once, with the
  /// parameter sets sent to the driver in one batch.
  Result execute(const TextClause& statement, std::span<const Params> params);
  Result execute(const TextClause& statement, const std::vector<Params>& params) {
    return execute(statement, std::span<const Params>(params));
  }
  Result execute(const TextClause& statement, std::initializer_list<Params> params) {
    return execute(statement, std::span<const Params>(params.begin(), params.size()));
  }
  /// Compiles a statement of the expression language (select(), insert(), update(),
  /// delete_(), CreateTable, …; see retort/sql/) with this connection's dialect and executes
  /// it.  Parameters supply bindparam() values and INSERT/UPDATE column values by key (the
  /// first set's keys choose the columns); values captured in the statement need none.
  /// Throws CompileError, ArgumentError for a missing parameter, or the driver's DBAPIError.
  Result execute(const Executable& statement, const Params& params = {});
  /// Executes a compiled statement once per parameter set (executemany).  An INSERT with
  /// RETURNING and several parameter sets runs as multi-row INSERTs of up to
  /// `EngineOptions::insertmanyvalues_page_size` rows (SQLAlchemy's "insertmanyvalues") and
  /// returns the rows in the order of the parameter sets: sorted by the autoincrement
  /// primary key when the sets do not give it, matched by primary key when they do, and
  /// otherwise one statement per set.  InvalidRequestError when the returned rows cannot be
  /// matched to the sets.
  Result execute(const Executable& statement, std::span<const Params> params);
  Result execute(const Executable& statement, const std::vector<Params>& params) {
    return execute(statement, std::span<const Params>(params));
  }
  Result execute(const Executable& statement, std::initializer_list<Params> params) {
    return execute(statement, std::span<const Params>(params.begin(), params.size()));
  }
  /// Loads rows into `table` as fast as the backend allows (the same rows an executemany of
  /// `insert(table)` would insert): through the driver's bulk path when it has one
  /// (PostgreSQL: one `COPY … FROM STDIN` for all of them), else with executemany INSERTs of
  /// `options.batch_rows` sets each.  The first set's keys choose the columns, as for
  /// executemany; defaults and type conversions apply as for `insert(table)`.  Values are
  /// always sent as data, never spliced into SQL.
  ///
  /// Runs in the connection's transaction (autobegun like execute()); nothing is committed.
  /// Returns the number of rows loaded.  On failure nothing of the load remains after the
  /// transaction is rolled back; on PostgreSQL the transaction is then in the failed state
  /// (as after any SQL error), so roll back (or to a savepoint) before going on.  Throws
  /// ArgumentError for an unknown key or a set lacking one, IntegrityError (with the
  /// constraint's name in `details()`) for a violated constraint, DataError for a value the
  /// column cannot hold, and the driver's other DBAPIErrors.  RETURNING is not available
  /// here: use execute(insert(table).returning(…), params) for that.
  std::int64_t bulk_insert(const Table& table, std::span<const Params> rows,
                           const BulkInsertOptions& options = {});
  std::int64_t bulk_insert(const Table& table, const std::vector<Params>& rows,
                           const BulkInsertOptions& options = {}) {
    return bulk_insert(table, std::span<const Params>(rows), options);
  }
  /// Loads every remaining row of `rows` (a Result of another connection, e.g. a SELECT on
  /// another database) into `table`: result column i goes to the column whose key (else
  /// name) is `rows.keys()[i]`.  On the bulk path the fetched batches go to the driver as
  /// they are (after the Result's type conversion), with no Value per cell; without one, or
  /// when a column the Result lacks has a client-side default, executemany INSERTs of
  /// `options.batch_rows` rows.  Consumes `rows`.  Throws as above, and ArgumentError when a
  /// result column names no column of `table`.
  std::int64_t bulk_insert(const Table& table, Result& rows,
                           const BulkInsertOptions& options = {});

  /// Executes SQL already in the driver's paramstyle with positional parameters.
  Result exec_driver_sql(std::string_view sql, std::span<const Value> params = {});
  /// execute() with options for this execution only: `stream_results`, `max_row_buffer`,
  /// `yield_per` (others are ArgumentError: they belong to the connection).
  Result execute(const TextClause& statement, const Params& params,
                 const ExecutionOptions& options);
  Result execute(const Executable& statement, const Params& params,
                 const ExecutionOptions& options);

  /// Sets options for the rest of this connection's life (SQLAlchemy 2.0's
  /// Connection.execution_options): the fields given replace the current ones.  A changed
  /// isolation level applies from the next transaction; closing the connection resets it.
  /// Throws as documented in ExecutionOptions.
  Connection& execution_options(const ExecutionOptions& options);
  /// The options in effect (the engine's, overridden by the connection's).
  ExecutionOptions get_execution_options() const;

  /// Starts a transaction (or a SAVEPOINT if a Transaction is active).  Throws
  /// InvalidRequestError when an autobegun transaction is in progress.
  Transaction begin();
  /// Starts a SAVEPOINT, beginning a transaction first if none is active.
  Transaction begin_nested();
  /// Commits the current transaction, if any (including an autobegun one).
  void commit();
  /// Rolls back the current transaction, if any.
  void rollback();
  bool in_transaction() const noexcept;

  /// The server's version string (for SQLite, the library version).
  std::string server_version();
  /// A round trip to the server; throws OperationalError when the connection is dead.
  void ping();
  /// Cancels the statement running on this connection.  May be called from another
  /// thread.
  void cancel();

  /// Closes and discards the driver connection (SQLAlchemy's `Connection.invalidate()`): the
  /// pool does not get it back.  An open transaction is lost; this Connection then needs
  /// `rollback()` (PendingRollbackError otherwise) and reconnects on its next use.
  void invalidate();
  /// The driver connection was invalidated (by invalidate() or a disconnect) and not yet
  /// replaced.
  bool invalidated() const noexcept;

  /// Returns the driver connection to the pool (rolling back an open transaction).
  void close();
  bool closed() const noexcept { return impl_ == nullptr; }
  const Engine& engine() const;

 private:
  friend class Engine;
  explicit Connection(std::shared_ptr<detail::ConnectionImpl> impl);
  detail::ConnectionImpl& live() const;
  // Prepares `sql` (in the driver's paramstyle) and runs it once per parameter set;
  // `placeholders[i]` is the index into `names` of placeholder i; `column_flags[i]`, when
  // given, its RETORT_COLUMN_* hints.  Shared by every execute().
  Result execute_rendered(const std::string& sql, const std::vector<std::string>& names,
                          const std::vector<std::uint32_t>& placeholders,
                          std::span<const Params> params,
                          std::span<const std::uint32_t> column_flags = {});
  // execute() of an INSERT … RETURNING with several parameter sets (insertmanyvalues.cpp).
  Result insert_many_returning(const Executable& statement, std::span<const Params> params);
  std::shared_ptr<detail::ConnectionImpl> impl_;
};

}  // namespace retort

#endif  // RETORT_ENGINE_HPP
