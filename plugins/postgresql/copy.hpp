// plugins/postgresql/copy.hpp — bulk loading with COPY … FROM STDIN (retort_bulk_load).
// SPDX-License-Identifier: MIT
//
// The rows go in COPY's text format: each value is written as the text PostgreSQL's input
// function of the target column reads (the same work `psql \copy` asks of the server), so a
// batch column of any value type loads into any column that accepts its text — which is what
// sources with dynamic typing (SQLite) need, where one column may bring integers, text and
// NULLs in the same table.  Values never enter the SQL: they travel as CopyData messages.
//
// Threading: a BulkLoad belongs to its Connection and is used by the thread using it; while
// it is open the connection runs nothing else (the host guarantees it).
#ifndef RETORT_PLUGINS_POSTGRESQL_COPY_HPP
#define RETORT_PLUGINS_POSTGRESQL_COPY_HPP

#include <retort/plugin_abi.h>

#include <libpq-fe.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace retort::postgresql {

class Connection;

/// One COPY in progress.  Made by Connection::bulk_load; see retort_bulk_load in
/// plugin_abi.h for the contract.  Destroyed unfinished, it aborts the COPY.
class BulkLoad {
 public:
  /// Sends `COPY table (columns) FROM STDIN` (names already quoted by the host) and waits for
  /// the server to accept it.  Throws the server's error (unknown table or column, …).
  BulkLoad(Connection& conn, std::string_view table, std::span<const std::string_view> columns);
  BulkLoad(const BulkLoad&) = delete;
  BulkLoad& operator=(const BulkLoad&) = delete;
  ~BulkLoad();

  /// Encodes the rows of `rows` and sends them in large CopyData messages.  Throws
  /// RETORT_INVALID_ARGUMENT for a wrong column count, RETORT_INVALID_DATA for a value text
  /// cannot carry (a NUL character) — after aborting the COPY.
  void write(const retort_batch& rows);
  /// Sends the rest and CopyDone and waits for the result: the rows loaded.  Throws the
  /// server's error (a constraint violation, a value the column's type rejects).
  int64_t finish();
  /// Abandons the COPY (CopyFail); the server discards its rows.  Never throws.
  void abort() noexcept;

 private:
  void flush();
  [[noreturn]] void fail_and_abort(std::string message, std::string_view sqlstate,
                                   retort_status status = RETORT_INVALID_DATA);
  /// Reads results up to the end of the COPY; throws the first error.
  int64_t drain();

  Connection& conn_;
  PGconn* pg_;
  int32_t column_count_;
  std::string buffer_;
  bool open_ = true;
};

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_COPY_HPP
