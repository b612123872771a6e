// core/src/engine_impl.hpp — private: the state behind Engine, Connection and Result.
#ifndef RETORT_SRC_ENGINE_IMPL_HPP
#define RETORT_SRC_ENGINE_IMPL_HPP

#include <retort/engine.hpp>
#include <retort/plugin_abi.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "plugin_loader.hpp"
#include "sql/compiled_cache.hpp"

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

  const retort_driver& driver() const noexcept { return resolved.driver.driver; }
  const retort_dialect& dialect() const noexcept { return resolved.dialect.dialect; }

  /// An error description for a failure the host itself detects.
  DBAPIError::Info info(std::string message, retort_status status) const;
  /// Throws the DBAPIError subclass for a failed driver call and releases `error`.
  [[noreturn]] void raise(retort_status status, retort_error& error, std::string statement,
                          std::optional<std::string> parameters = {}) const;
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
  retort_connection* handle = nullptr;
  TxState tx = TxState::none;
  /// Bumped whenever the outer transaction ends, so stale Transaction objects go inactive.
  std::uint64_t generation = 1;
  std::vector<std::string> savepoints;
  std::uint64_t savepoint_counter = 0;
  /// Results still holding a driver statement; released before the connection closes.
  std::vector<ResultSource*> live_results;
  /// TextClause renderings, keyed by the statement text (the paramstyle is fixed).
  std::unordered_map<std::string, TextClause::Rendered> rendered_cache;
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
  std::unordered_map<std::string, std::size_t> index;
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

}  // namespace retort::detail

#endif  // RETORT_SRC_ENGINE_IMPL_HPP
