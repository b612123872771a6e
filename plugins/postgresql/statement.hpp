// plugins/postgresql/statement.hpp — the `libpq` driver's statement.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_POSTGRESQL_STATEMENT_HPP
#define RETORT_PLUGINS_POSTGRESQL_STATEMENT_HPP

#include "connection.hpp"
#include "types.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <libpq-fe.h>

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <vector>

namespace retort::postgresql {

/**
 * One SQL statement of a connection.  Its first execute prepares it on the server (or finds
 * it in the connection's cache), keyed by SQL text and parameter types.
 *
 * Execution (extended protocol, README.md "Execution"):
 *   - With result columns: at most one parameter row.  By default the whole result is read
 *     at once (PQexecPrepared) and served in batches; with `stream_results=true` rows come
 *     one at a time (single-row mode), so memory stays bounded.  rows_affected is the count
 *     PostgreSQL reports (rows selected or returned), -1 when streaming.
 *   - Without result columns: one parameter row runs with PQexecPrepared; several run in one
 *     pipeline (one round trip, one Sync: atomic outside a transaction block).  An error in
 *     row k is reported with the detail `parameter_row` = k.  rows_affected is the sum of
 *     the command tags' counts, -1 when a command reports none (DDL).
 *
 * Streaming (the execution option, or the connect option `stream_results`): inside a
 * transaction block a SELECT (VALUES, TABLE) runs as a server-side cursor (DECLARE … NO SCROLL
 * CURSOR, then FETCH FORWARD `max_row_buffer` rows per round trip), so other statements may run on
 * the connection meanwhile; the cursor is closed when the result is exhausted or the statement
 * re-executed or released, and dies with its transaction (fetching after commit() fails with
 * 34000).  Outside a transaction block (AUTOCOMMIT), and for other statements (WITH,
 * INSERT … RETURNING, SHOW), rows come in single-row mode:
 *
 * While a statement streams in single-row mode, the session is busy: any other command on the
 * connection first reads the rest of the stream into memory (nothing is lost, but memory is no
 * longer bounded); releasing a statement that is still streaming reads and discards the rest.
 */
class Statement {
 public:
  Statement(Connection& connection, std::string sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void execute(const retort_batch* params, retort_exec_info& info);
  /// Name, value type (fixed per column) and declared type of result column `index`.
  void describe(int32_t index, retort_column_desc& out);
  /// Fills `out` with up to `max_rows` rows; an empty batch at the end.  An error met while
  /// streaming after some rows were read is reported by the next fetch, after those rows.
  void fetch(int64_t max_rows, retort_batch& out);
  /// Execution options: `stream_results` streams this statement's rows (see the class
  /// comment), `max_row_buffer` rows per FETCH from a cursor (default 2000).
  void set_options(const retort_statement_options& options);

  /// For Connection::make_idle: reads the remaining stream into memory.
  void materialize();

 private:
  void reset() noexcept;
  void execute_once(ParamEncoder& params, retort_exec_info& info);
  void execute_undescribed(ParamEncoder& params, retort_exec_info& info);
  void run_query(const Prepared& p, ParamEncoder& params, retort_exec_info& info);
  void start_stream(const Prepared& p, ParamEncoder& params);
  void start_cursor(ParamEncoder& params);
  /// Makes `result_` the cursor's next chunk; false at the end (the cursor is then closed).
  bool load_chunk();
  void close_cursor() noexcept;
  void run_command(const Prepared& p, ParamEncoder& params, retort_exec_info& info);
  void run_pipeline(const Prepared& p, ParamEncoder& params, retort_exec_info& info);
  /// The next result of the stream (queued first, then from the connection); NULL at the end.
  PGresult* next_stream_result();
  /// Reads one result from the connection; after the last one, drains and ends the stream.
  PGresult* read_live();
  void fetch_buffered(int64_t max_rows, retort_batch& out);
  void fetch_stream(int64_t max_rows, retort_batch& out);
  /// Leaves COPY state and throws RETORT_NOT_IMPLEMENTED.
  [[noreturn]] void reject_copy(ExecStatusType status);

  Connection& conn_;
  std::string sql_;
  /// What the last execute ran; kept alive here (column names, decoders) even if the
  /// connection's cache drops it meanwhile.
  std::shared_ptr<const Prepared> prepared_;
  bool binary_ = true;
  // Whole result.
  ResultPtr result_;
  int next_row_ = 0;
  // Stream.
  bool streaming_ = false;
  bool live_ = false;      // the connection still holds results of this statement
  bool finished_ = false;  // the end of the stream was seen
  // A list, not a deque: libstdc++'s deque allocates when it is constructed, and a
  // statement is made for every execute while results are queued only when streaming.
  std::list<PGresult*> queued_;
  std::optional<sdk::Error> deferred_;
  // Execution options and the server-side cursor.
  bool stream_option_ = false;
  int64_t chunk_rows_ = 0;
  bool cursor_mode_ = false;
  std::string cursor_;      // the open cursor's name; empty when none is open
  uint64_t cursor_tx_ = 0;  // Connection::transaction_serial() when it was declared
  bool cursor_done_ = false;
  sdk::BatchBuilder builder_;
};

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_STATEMENT_HPP
