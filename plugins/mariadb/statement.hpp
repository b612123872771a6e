// plugins/mariadb/statement.hpp — the `mariadbc` driver's statement.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_MARIADB_STATEMENT_HPP
#define RETORT_PLUGINS_MARIADB_STATEMENT_HPP

#include "connection.hpp"
#include "types.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <mysql.h>

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace retort::mariadb {

/**
 * One prepared statement of a connection (binary protocol), taken from the connection's
 * cache or prepared when made, and given back when released.
 *
 * Execution (README.md, "Execution"):
 *   - With result columns: at most one parameter row.  By default the whole result is
 *     stored on the client (mysql_stmt_store_result) and served in batches; with
 *     `stream_results=true` rows are read from the server as they are fetched (unbuffered).
 *     rows_affected is the number of rows stored, -1 when streaming.
 *   - Without result columns: one parameter row is one COM_STMT_EXECUTE; several are sent
 *     with MariaDB's array binding (STMT_ATTR_ARRAY_SIZE, one round trip per page of
 *     about 4 MiB), or row by row on a MySQL server.  rows_affected is the sum of the rows
 *     matched (CLIENT_FOUND_ROWS, the default) or changed; the last insert id is reported
 *     for a single row.
 *
 * While a statement streams, the session is busy: any other command on the connection first
 * reads the rest of the stream into memory; executing again or releasing the statement
 * discards the rest.
 */
class Statement {
 public:
  Statement(Connection& connection, std::string sql, std::unique_ptr<PreparedStatement> p);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void execute(const retort_batch* params, retort_exec_info& info);
  void describe(int32_t index, retort_column_desc& out);
  /// Up to `max_rows` rows; an empty batch at the end.  An error met while streaming after
  /// some rows were read is reported by the next fetch, after those rows.
  void fetch(int64_t max_rows, retort_batch& out);
  /// For Connection::make_idle: reads the rest of the stream into memory.
  void materialize();

 private:
  void discard_result() noexcept;
  void set_array_size(unsigned n);
  void run(MYSQL_BIND* binds);
  void execute_many(retort_exec_info& info);
  /// Re-describes the columns when the server sent other metadata than cached.
  void refresh_columns();
  void bind_result(bool stored);
  /// Appends up to `max_rows` rows to builder_; returns how many.
  int64_t read_rows(int64_t max_rows);
  void end_of_rows() noexcept;

  Connection& conn_;
  std::string sql_;
  std::unique_ptr<PreparedStatement> p_;
  // Parameter and fetch buffers: p_->binder, result_types, result_binds, slots.
  bool has_result_ = false;  // a result set is open on the server or stored
  bool streaming_ = false;
  // A list, not a deque: libstdc++'s deque allocates when it is constructed, and a
  // statement is made for every execute while batches are set aside only when streaming.
  std::list<retort_batch> materialized_;
  std::optional<sdk::Error> deferred_;
  sdk::BatchBuilder builder_;
};

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_STATEMENT_HPP
