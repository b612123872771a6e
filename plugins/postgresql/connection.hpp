// plugins/postgresql/connection.hpp — the `libpq` driver's connection and its cache of
// prepared statements.
// SPDX-License-Identifier: MIT
//
// Threading: a Connection, and every Statement made from it, is used by one thread at a time
// (the host serialises access).  Only `cancel()` may be called from another thread while a
// call is running: it uses the PGcancel object made at connect time, and PQcancel is
// thread-safe.
#ifndef RETORT_PLUGINS_POSTGRESQL_CONNECTION_HPP
#define RETORT_PLUGINS_POSTGRESQL_CONNECTION_HPP

#include "types.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>
#include <retort/sdk/statement_cache.hpp>

#include <libpq-fe.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace retort::postgresql {

class Statement;
class BulkLoad;

/// Owns a PGresult.
struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

/// A result column as the server describes it.
struct ResultColumn {
  std::string name;
  Oid type = 0;
  int typmod = -1;
  Decoder decoder = Decoder::kOther;
  std::string declared;
};

/// A statement prepared on the server, with its description.
struct Prepared {
  /// "retort_s<N>", or "" for the unnamed statement (cache disabled).
  std::string name;
  int param_count = 0;
  std::vector<ResultColumn> columns;
  /// The value type of each column (value_type_of its decoder).
  std::vector<retort_value_type> types;
  /// Results are requested in binary when every column has a binary decoder, else in text.
  bool binary = true;
  /// False for a statement with too many parameters to describe (see
  /// kMaxDescribedParameters): `columns` is empty and results come in text, described by
  /// each result itself.
  bool described = true;
};

/// The most parameters whose ParameterDescription (4 bytes each + 6) libpq before 17 accepts:
/// it treats a longer message as lost synchronisation and closes the connection.
inline constexpr size_t kMaxDescribedParameters = (30000 - 6) / 4;

/// Fills `p.columns`, `p.types` and `p.binary` from a result's (or a Describe's) fields.
void describe_columns(Prepared& p, const PGresult* desc);

/// Drops a statement the cache evicts: queues its name for DEALLOCATE, which
/// Connection::flush_deallocations sends when the session is outside a transaction block.
struct DeallocateLater {
  std::vector<std::string>* names;
  void operator()(std::shared_ptr<const Prepared> prepared) const noexcept {
    try {
      names->push_back(prepared->name);
    } catch (...) {
      // Out of memory: the statement stays on the server until the session ends.
    }
  }
};

/// The prepared statements of one connection, keyed by SQL text and parameter type OIDs.
/// Entries are shared (`find`), not checked out: a server-side statement may serve any
/// number of Statement objects.
using StatementCache = sdk::StatementCache<std::shared_ptr<const Prepared>, DeallocateLater>;

/**
 * An open PostgreSQL session.  See README.md for the URL format and options.
 *
 * Transactions: the session is in autocommit mode until `begin()`.  `begin()` inside a
 * transaction and `commit()` outside one fail with RETORT_INVALID_STATE; `rollback()`
 * outside one does nothing.  `commit()` of a transaction that an error aborted rolls it back
 * (as PostgreSQL does) and reports RETORT_TRANSACTION_ROLLBACK with SQLSTATE 25P02.
 */
class Connection {
 public:
  /// Connects (blocking) as `params` say.  Thread-safe.
  static std::unique_ptr<Connection> connect(const retort_connect_params& params);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  /// Closes the session (the server rolls back an open transaction).
  ~Connection();

  /// Makes a statement for `sql` ($n parameters).  Nothing is sent to the server yet: the
  /// statement is prepared (or found in the cache) by its first execute, when the parameter
  /// types are known.
  std::unique_ptr<Statement> prepare(std::string_view sql);

  void begin();
  /// BEGIN [ISOLATION LEVEL …] [READ ONLY] [DEFERRABLE]: the characteristics hold for this
  /// transaction only.  RETORT_INVALID_ARGUMENT for a level PostgreSQL does not have.
  void begin_ex(const retort_transaction_options& options);
  void commit();
  void rollback();
  void savepoint(const char* name);
  void release_savepoint(const char* name);
  void rollback_to_savepoint(const char* name);
  /// Asks the server to cancel what this session runs (RETORT_CANCELLED, SQLSTATE 57014
  /// there).  Any thread.
  void cancel();
  /// PQserverVersion as "15.18" (or "9.6.24" before version 10).
  std::string server_version();
  /// An empty query: a round trip that works even inside a failed transaction.
  void ping();
  /// Starts `COPY table (columns) FROM STDIN` (names quoted by the host); see copy.hpp.
  std::unique_ptr<BulkLoad> bulk_load(std::string_view table,
                                      std::span<const std::string_view> columns);

  // --- for Statement ------------------------------------------------------------------------

  PGconn* handle() const noexcept { return conn_; }
  bool stream_results() const noexcept { return stream_results_; }
  /// The prepared statement for `sql` with parameter types `types`: from the cache, or
  /// prepared and described now (one round trip, pipelined).
  std::shared_ptr<const Prepared> prepared(const std::string& sql, const std::vector<Oid>& types);
  /// Drops a cached statement the server no longer accepts (`exists`: still on the server,
  /// so it is deallocated later).
  void forget(const std::string& sql, const std::vector<Oid>& types, bool exists);
  /// Makes the session idle: a statement still streaming rows reads the rest into memory.
  void make_idle();
  /// The statement whose rows are being streamed (NULL when none).
  void set_stream(Statement* statement) noexcept { stream_ = statement; }
  void clear_stream(Statement* statement) noexcept {
    if (stream_ == statement) stream_ = nullptr;
  }
  /// Counts transaction blocks: it changes whenever one may have ended (or rolled back to a
  /// savepoint), so a cursor declared under another value may be gone.
  uint64_t transaction_serial() const noexcept { return transaction_serial_; }
  /// Call after running a statement: notes a transaction end (status or command tag).
  void observe(const PGresult* result) noexcept;
  /// A new cursor name, "retort_c<N>".
  std::string next_cursor_name() { return "retort_c" + std::to_string(next_cursor_++); }
  /// Throws the error for a failed result and frees it.
  [[noreturn]] void fail(ResultPtr result);

 private:
  Connection(PGconn* conn, bool stream_results, size_t cache_size);
  /// Runs `sql` with the simple protocol; expects PGRES_COMMAND_OK.  Returns the result.
  ResultPtr command(const std::string& sql);
  /// Sends DEALLOCATE for evicted statements, outside transaction blocks only (an error
  /// there cannot abort the caller's transaction).
  void flush_deallocations() noexcept;

  PGconn* conn_;
  PGcancel* cancel_ = nullptr;
  bool stream_results_;
  /// Names of statements to DEALLOCATE; declared before `cache_`, whose deleter appends here
  /// until the cache is destroyed.
  std::vector<std::string> to_deallocate_;
  StatementCache cache_;
  uint64_t next_statement_ = 1;
  Statement* stream_ = nullptr;
  uint64_t transaction_serial_ = 0;
  uint64_t next_cursor_ = 1;
  /// prepared()'s cache key, kept so that building it for every execute reuses the buffer.
  std::string key_;
};

/// The `libpq` driver table.  Static; lives as long as the library.
const retort_driver& libpq_driver();

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_CONNECTION_HPP
