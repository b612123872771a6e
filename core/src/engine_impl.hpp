// core/src/engine_impl.hpp — private: the state behind Engine, Connection and Result.
#ifndef RETORT_SRC_ENGINE_IMPL_HPP
#define RETORT_SRC_ENGINE_IMPL_HPP

#include "events_impl.hpp"
#include "param_batch.hpp"
#include "plugin_loader.hpp"
#include "pool_impl.hpp"
#include "server_dialect.hpp"
#include "sql/compiled_cache.hpp"

#include <retort/engine.hpp>
#include <retort/plugin_abi.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort::detail {

struct EngineImpl {
  URL url;
  EngineOptions options;
  Resolved resolved;
  std::string dialect_name;
  std::string driver_name;
  std::string dialect_path;
  std::string driver_path;
  std::unique_ptr<CompiledCache> compiled_cache;
  /// The dialect adapted to the server once its version is known (server_dialect.hpp);
  /// made by create_engine.
  std::unique_ptr<ServerDialect> server_dialect;
  std::shared_ptr<EventRegistry> events = std::make_shared<EventRegistry>();
  /// `retort.pool.QueuePool` & co.
  std::string pool_logger;
  /// Last member: destroyed first, while the driver it closes connections with is alive.
  std::unique_ptr<Pool> pool;

  const retort_driver& driver() const noexcept { return resolved.driver.driver; }
  /// The dialect to compile with: the loaded one, then the one adapted to the server.
  const retort_dialect& dialect() const noexcept {
    return server_dialect ? server_dialect->current() : resolved.dialect.dialect;
  }

  /// An error description for a failure the host itself detects.
  DBAPIError::Info info(std::string message, retort_status status) const;
  /// The description of a failed driver call; releases `error`.
  DBAPIError::Info make_info(retort_status status, retort_error& error, std::string statement,
                             std::optional<std::string> parameters = {}) const;
  /// Throws the DBAPIError subclass for a failed driver call and releases `error`.
  [[noreturn]] void raise(retort_status status, retort_error& error, std::string statement,
                          std::optional<std::string> parameters = {}) const;
  /// A new driver connection to `url` (the pool's creator).  Throws the driver's DBAPIError.
  retort_connection* open_driver_connection() const;
  /// Logs to `retort.engine.Engine` when `echo` is on.
  bool echo() const noexcept { return options.echo; }
  void log_engine(std::string message) const noexcept;
};

/// Engine's private parts, for the event and pool code.
struct EngineAccess {
  static const std::shared_ptr<EngineImpl>& impl(const Engine& engine) noexcept {
    return engine.impl_;
  }
};

/// Checks EngineOptions::isolation_level against the dialect (ArgumentError) and
/// normalises it (execution_options.cpp).
void validate_engine_options(EngineImpl& engine);

/// A zero-initialised retort_error with its size set.
inline retort_error make_error() noexcept {
  retort_error e{};
  e.struct_size = sizeof e;
  return e;
}

class ResultSource;

struct ConnectionImpl {
  enum class TxState { none, implicit, explicit_ };

  std::shared_ptr<EngineImpl> engine_impl;
  Engine engine;
  /// The pooled driver connection while checked out; `handle` is `record->handle`.
  std::unique_ptr<PoolRecord> record;
  retort_connection* handle = nullptr;
  /// The driver connection was invalidated: reconnect on next use (after a rollback when a
  /// transaction was open).
  bool invalidated = false;
  TxState tx = TxState::none;
  /// Bumped whenever the outer transaction ends, so stale Transaction objects go inactive.
  std::uint64_t generation = 1;
  std::vector<std::string> savepoints;
  std::uint64_t savepoint_counter = 0;
  /// Results still holding a driver statement; released before the connection closes.
  std::vector<ResultSource*> live_results;
  /// TextClause renderings, keyed by the statement text (the paramstyle is fixed).
  std::unordered_map<std::string, TextClause::Rendered> rendered_cache;
  /// The column names of the last result, shared with the next result whose columns have the
  /// same names (a statement run again: no names to copy, nothing to allocate).
  std::shared_ptr<const struct ResultMeta> last_meta;
  /// Parameter batch buffers reused by every execute (param_batch.hpp); `busy` while a
  /// batch built in them is being executed.
  ParamScratch param_scratch;
  bool param_scratch_busy = false;
  // --- execution options (execution_options.cpp) ---
  /// In effect for this connection: the engine's, overridden by execution_options().
  ExecutionOptions options;
  /// The options of the execute() running now, if it was given some.
  const ExecutionOptions* statement_options = nullptr;
  /// Whether the driver has a transaction open (not so for an AUTOCOMMIT "transaction").
  bool driver_tx = false;

  /// Starts the driver's transaction as the options say (BEGIN, begin_ex, or nothing under
  /// AUTOCOMMIT); `label` names it in errors.
  void begin_driver(const char* label);
  /// Gives a freshly prepared statement the stream options in effect; releases it on error.
  void apply_statement_options(retort_statement* stmt, const std::string& sql);
  /// Rows per fetch across the plugin boundary for results made now.
  std::int64_t fetch_rows() const noexcept;
  /// Back to the engine's options (on close, so nothing outlives the connection).
  void reset_execution_options() noexcept;

  ConnectionImpl(std::shared_ptr<EngineImpl> impl, Engine handle_engine)
      : engine_impl(std::move(impl)), engine(std::move(handle_engine)) {}
  ~ConnectionImpl();

  const retort_driver& driver() const noexcept { return engine_impl->driver(); }
  /// Checks a driver connection out of the pool.
  void checkout();
  /// Discards the driver connection (see Connection::invalidate()).
  void invalidate(const std::exception* error, std::string_view reason, bool whole_pool) noexcept;
  /// As EngineImpl::raise, then: handle_error listeners, and on a disconnect invalidation of
  /// this connection (and, by option, the pool).
  [[noreturn]] void raise(retort_status status, retort_error& error, std::string statement,
                          std::optional<std::string> parameters = {});
  /// Connection::live() found no driver connection: reconnects after an invalidation, or
  /// throws ResourceClosedError / PendingRollbackError.
  void reconnect_or_throw();
  void close() noexcept;
  void autobegin();
  /// Commits or rolls back the outer transaction and forgets its savepoints; the Transaction
  /// objects made in it go inactive.  Throws the driver's error after the bookkeeping.
  void end_transaction(bool commit);
  void run_simple(const std::string& sql);
  void savepoint_op(const std::string& name, int op);
};

/// A Result's link to the driver statement.  Owned by the Result.
class ResultSource {
 public:
  ResultSource(std::shared_ptr<ConnectionImpl> conn, retort_statement* stmt,
               const retort_exec_info& info, std::string sql);
  /// Rows already fetched (and reordered) by the host: serves `batches` in order.  `meta`
  /// holds the keys; `info.column_count` must match them.
  ResultSource(std::shared_ptr<ConnectionImpl> conn, std::shared_ptr<const struct ResultMeta> meta,
               std::vector<std::shared_ptr<const struct BatchHolder>> batches,
               const retort_exec_info& info);
  ~ResultSource();
  ResultSource(const ResultSource&) = delete;
  ResultSource& operator=(const ResultSource&) = delete;

  /// The next non-empty batch, or nullptr at the end (then the statement is released).
  std::shared_ptr<const BatchHolder> next_batch();
  /// Releases the statement now (result closed or exhausted).
  void release_statement() noexcept;
  /// The connection is closing: release the statement; fetching more rows will then throw
  /// ResourceClosedError.
  void orphan() noexcept;

  const std::shared_ptr<const struct ResultMeta>& meta() const noexcept { return meta_; }
  const retort_exec_info& info() const noexcept { return info_; }
  /// The SQL types of the result columns (a compiled select's), which convert each batch;
  /// see type_values.hpp.
  void set_result_types(std::shared_ptr<const struct ResultTypes> types) noexcept {
    types_ = std::move(types);
  }

 private:
  std::weak_ptr<ConnectionImpl> conn_;
  std::shared_ptr<EngineImpl> engine_;
  retort_statement* stmt_ = nullptr;
  retort_exec_info info_;
  std::string sql_;
  std::shared_ptr<const ResultMeta> meta_;
  std::shared_ptr<const struct ResultTypes> types_;
  bool orphaned_ = false;
  std::int64_t fetch_rows_ = 0;  // rows per driver fetch (fetch_batch_rows, yield_per)
  std::vector<std::shared_ptr<const BatchHolder>> buffered_;
  std::size_t next_buffered_ = 0;
};

/// Column names of a result, shared by all its batches and rows.
struct ResultMeta {
  std::vector<std::string> keys;
  /// Appends the next column's name.
  void add(std::string name);
  /// The position of the first column called `name`, or `npos`.
  std::size_t find(std::string_view name) const noexcept;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  // Results up to this many columns are searched by scanning `keys`: as quick as hashing for
  // a handful of names, and no allocation per result (a point select makes one per row).
  static constexpr std::size_t kIndexFrom = 16;
  std::unordered_map<std::string, std::size_t> index_;  // only from kIndexFrom columns on
};

/// One fetched batch; frees the driver's buffers when the last Row using it goes.
struct BatchHolder {
  retort_batch batch{};
  std::shared_ptr<const ResultMeta> meta;
  /// Columns converted by the result types (type_values.hpp): `view` is `batch` with some
  /// columns replaced by `columns`, whose buffers `buffers` own.  Rows read `rows()`.
  retort_batch view{};
  std::vector<retort_column> columns;
  std::vector<std::shared_ptr<void>> buffers;
  const retort_batch* rows() const noexcept { return columns.empty() ? &batch : &view; }
  BatchHolder() = default;
  BatchHolder(const BatchHolder&) = delete;
  BatchHolder& operator=(const BatchHolder&) = delete;
  ~BatchHolder() {
    if (batch.release != nullptr) batch.release(&batch);
  }
};

/// before_execute / after_execute around Connection::execute().  Free when nobody listens.
class ExecuteHooks {
 public:
  ExecuteHooks(Connection& conn, const ConnectionImpl& c, const TextClause* text,
               const Executable* statement, std::span<const Params> params)
      : registry_(*c.engine_impl->events), ctx_{conn, text, statement, params} {
    registry_.fire<BeforeExecuteFn>(EventKind::before_execute, ctx_);
  }
  void done(const Result& result) const {
    registry_.fire<AfterExecuteFn>(EventKind::after_execute, ctx_, result);
  }

 private:
  const EventRegistry& registry_;
  event::ExecuteContext ctx_;
};

/// before_cursor_execute / after_cursor_execute and `echo` around one driver execution.
/// Inactive (no clock, no copy) when nobody listens and echo is off.
class CursorHooks {
 public:
  /// Fires before_cursor_execute (which may change the SQL) and logs the SQL; send `sql()`.
  CursorHooks(Connection& conn, const ConnectionImpl& c, const std::string& sql,
              std::span<const Params> params, std::span<const Value> positional);
  const std::string& sql() const noexcept { return ctx_ ? ctx_->statement : *sql_; }
  /// Whether done() wants the rendered parameters (echo on, parameters not hidden).
  bool wants_parameters() const noexcept { return ctx_ && echo_ && !hide_; }
  /// Fires after_cursor_execute and logs the timing (and `parameters`).
  void done(std::int64_t rowcount, const std::string& parameters = {});

 private:
  const EngineImpl* engine_;
  const std::string* sql_;
  std::optional<event::CursorExecuteContext> ctx_;
  std::chrono::steady_clock::time_point start_{};
  bool echo_ = false;
  bool hide_ = true;
};

}  // namespace retort::detail

#endif  // RETORT_SRC_ENGINE_IMPL_HPP
