// plugins/postgresql/statement.cpp — the `libpq` driver's statement.
// SPDX-License-Identifier: MIT
#include "statement.hpp"

#include "errors.hpp"

#include <poll.h>

#ifndef LIBPQ_HAS_PIPELINING
#error "the libpq driver needs libpq 14 or newer (pipeline mode)"
#endif

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>
#include <utility>

namespace retort::postgresql {
namespace {

// The count of a command tag ("INSERT 0 5" → 5), or -1 when it has none (DDL).
int64_t tag_count(const PGresult* r) {
  const char* s = PQcmdTuples(const_cast<PGresult*>(r));
  if (s == nullptr || *s == '\0') return -1;
  int64_t v = -1;
  std::from_chars(s, s + std::strlen(s), v);
  return v;
}

// Whether DECLARE … CURSOR FOR takes the statement: a plain query (SELECT, VALUES, TABLE),
// as SQLAlchemy's server-side cursors are for SELECTs only.  A WITH may hold an INSERT,
// which DECLARE refuses after aborting the transaction, so it streams in single-row mode.
bool cursor_accepts(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() &&
         (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r' || sql[i] == '(')) {
    ++i;
  }
  size_t end = i;
  while (end < sql.size() && ((sql[end] | 0x20) >= 'a' && (sql[end] | 0x20) <= 'z')) ++end;
  std::string word(sql.substr(i, end - i));
  for (char& c : word) c = static_cast<char>(c | 0x20);
  return word == "select" || word == "values" || word == "table";
}

bool is_stale_statement(const sdk::Error& e) {
  const std::string_view state = e.sqlstate();
  return state == "26000" || (state == "0A000" && std::string_view(e.what()).find("cached plan") !=
                                                      std::string_view::npos);
}

}  // namespace

Statement::Statement(Connection& connection, std::string sql)
    : conn_(connection), sql_(std::move(sql)) {}

Statement::~Statement() {
  reset();
}

void Statement::set_options(const retort_statement_options& options) {
  if (options.max_row_buffer < 0) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "max_row_buffer must not be negative");
  }
  stream_option_ = options.stream_results != 0;
  chunk_rows_ = options.max_row_buffer;
}

void Statement::reset() noexcept {
  close_cursor();
  cursor_mode_ = false;
  cursor_done_ = false;
  if (live_) {
    // Read and discard the rest of the stream so the session is usable again.
    while (live_) PQclear(read_live());
  }
  conn_.clear_stream(this);
  for (PGresult* r : queued_) PQclear(r);
  queued_.clear();
  result_.reset();
  next_row_ = 0;
  streaming_ = false;
  finished_ = false;
  deferred_.reset();
}

void Statement::execute(const retort_batch* params, retort_exec_info& info) {
  reset();
  conn_.make_idle();
  ParamEncoder encoder(params);
  encoder.validate();
  for (int attempt = 0;; ++attempt) {
    try {
      execute_once(encoder, info);
      return;
    } catch (const sdk::Error& e) {
      if (!is_stale_statement(e)) throw;
      // The cached statement no longer fits (DEALLOCATE ALL / DISCARD ALL ran, or the tables
      // under `SELECT *` changed): forget it, and outside a transaction block try once more.
      conn_.forget(sql_, encoder.types(), e.sqlstate() != std::string_view("26000"));
      if (attempt > 0 || PQtransactionStatus(conn_.handle()) != PQTRANS_IDLE) throw;
    }
  }
}

void Statement::execute_once(ParamEncoder& params, retort_exec_info& info) {
  prepared_ = conn_.prepared(sql_, params.types());
  const Prepared* p = prepared_.get();
  if (p->param_count != params.count()) {
    throw plugin_error(RETORT_INVALID_ARGUMENT,
                       "the statement has " + std::to_string(p->param_count) + " parameters but " +
                           std::to_string(params.count()) +
                           (params.count() == 1 ? " value was" : " values were") + " bound",
                       "07001");
  }
  if (!p->described) {
    execute_undescribed(params, info);
    return;
  }
  const std::vector<ResultColumn>& columns = p->columns;
  binary_ = p->binary;
  const int64_t rows = params.rows();
  info.rows_affected = -1;
  info.column_count = static_cast<int32_t>(columns.size());
  if (!columns.empty()) {
    if (rows > 1) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         "a statement that returns rows runs for at most one parameter row, got " +
                             std::to_string(rows));
    }
    if (rows == 0) {
      finished_ = true;
      return;
    }
    if (!binary_) {
      PGconn* pg = conn_.handle();
      const char* datestyle = PQparameterStatus(pg, "DateStyle");
      const char* intervalstyle = PQparameterStatus(pg, "IntervalStyle");
      for (const ResultColumn& c : columns) {
        if (!depends_on_datestyle(c.decoder)) continue;
        if (datestyle == nullptr || std::strncmp(datestyle, "ISO", 3) != 0 ||
            (c.decoder == Decoder::kInterval &&
             (intervalstyle == nullptr || std::strcmp(intervalstyle, "postgres") != 0))) {
          throw plugin_error(RETORT_INVALID_STATE,
                             "column '" + c.name +
                                 "' arrives as text and needs DateStyle ISO and IntervalStyle "
                                 "postgres; the session has changed them");
        }
      }
    }
    params.encode(0);
    if (stream_option_ || conn_.stream_results()) {
      if (PQtransactionStatus(conn_.handle()) == PQTRANS_INTRANS && cursor_accepts(sql_)) {
        start_cursor(params);
      } else {
        start_stream(*p, params);
      }
    } else {
      run_query(*p, params, info);
    }
    return;
  }
  if (rows == 1) {
    params.encode(0);
    run_command(*p, params, info);
  } else if (rows > 1) {
    run_pipeline(*p, params, info);
  } else {
    info.rows_affected = 0;
  }
}

// A statement with too many parameters to describe: its result (text) describes itself.
// Not streamed: the columns are only known once the result is there.
void Statement::execute_undescribed(ParamEncoder& params, retort_exec_info& info) {
  const Prepared& p = *prepared_;
  binary_ = false;
  info.rows_affected = -1;
  info.column_count = 0;
  const int64_t rows = params.rows();
  if (rows > 1) {
    run_pipeline(p, params, info);
    return;
  }
  if (rows == 0) {
    info.rows_affected = 0;
    return;
  }
  params.encode(0);
  run_query(p, params, info);
  if (PQnfields(result_.get()) == 0) {
    result_.reset();
    return;
  }
  auto described = std::make_shared<Prepared>(p);
  describe_columns(*described, result_.get());
  described->binary = false;
  prepared_ = std::move(described);
  info.column_count = static_cast<int32_t>(prepared_->columns.size());
}

void Statement::run_query(const Prepared& p, ParamEncoder& params, retort_exec_info& info) {
  PGconn* pg = conn_.handle();
  ResultPtr r(PQexecPrepared(pg, p.name.c_str(), params.count(), params.values(), params.lengths(),
                             params.formats(), binary_ ? 1 : 0));
  if (r == nullptr) throw connection_error(pg);
  const ExecStatusType st = PQresultStatus(r.get());
  if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
    r.reset();
    reject_copy(st);
  }
  conn_.observe(r.get());
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) conn_.fail(std::move(r));
  info.rows_affected = tag_count(r.get());
  result_ = std::move(r);
}

// A server-side cursor: bounded memory on both sides, a round trip per chunk, and the
// session stays free for other statements between fetches.
void Statement::start_cursor(ParamEncoder& params) {
  PGconn* pg = conn_.handle();
  std::string name = conn_.next_cursor_name();
  const std::string declare = "DECLARE \"" + name + "\" NO SCROLL CURSOR FOR " + sql_;
  ResultPtr r(PQexecParams(pg, declare.c_str(), params.count(), params.types().data(),
                           params.values(), params.lengths(), params.formats(), 0));
  if (r == nullptr) throw connection_error(pg);
  conn_.observe(r.get());
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) conn_.fail(std::move(r));
  cursor_ = std::move(name);
  cursor_tx_ = conn_.transaction_serial();
  cursor_mode_ = true;
  cursor_done_ = false;
}

bool Statement::load_chunk() {
  result_.reset();
  next_row_ = 0;
  if (cursor_done_ || cursor_.empty()) return false;
  PGconn* pg = conn_.handle();
  conn_.make_idle();
  const int64_t chunk = chunk_rows_ > 0 ? chunk_rows_ : 2000;
  const std::string sql = "FETCH FORWARD " + std::to_string(chunk) + " FROM \"" + cursor_ + "\"";
  ResultPtr r(
      PQexecParams(pg, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, binary_ ? 1 : 0));
  if (r == nullptr) throw connection_error(pg);
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    cursor_done_ = true;
    cursor_.clear();  // an error aborted the transaction block: nothing to close
    conn_.fail(std::move(r));
  }
  const int n = PQntuples(r.get());
  if (n < chunk) {
    // A short chunk is the last one: close now, saving the empty FETCH.
    cursor_done_ = true;
    close_cursor();
  }
  if (n == 0) return false;
  result_ = std::move(r);
  return true;
}

void Statement::close_cursor() noexcept {
  if (cursor_.empty()) return;
  const std::string name = std::exchange(cursor_, std::string());
  PGconn* pg = conn_.handle();
  // Only while its transaction block is certainly still there: a CLOSE of a cursor that is
  // gone would abort the caller's transaction.  Otherwise it died with its transaction.
  if (PQstatus(pg) != CONNECTION_OK || PQtransactionStatus(pg) != PQTRANS_INTRANS ||
      conn_.transaction_serial() != cursor_tx_) {
    return;
  }
  try {
    conn_.make_idle();
    const std::string sql = "CLOSE \"" + name + "\"";
    PQclear(PQexec(pg, sql.c_str()));
  } catch (...) {
    // Out of memory: the cursor lives until the transaction ends.
  }
}

void Statement::start_stream(const Prepared& p, ParamEncoder& params) {
  PGconn* pg = conn_.handle();
  if (PQsendQueryPrepared(pg, p.name.c_str(), params.count(), params.values(), params.lengths(),
                          params.formats(), binary_ ? 1 : 0) != 1) {
    throw connection_error(pg);
  }
  PQsetSingleRowMode(pg);
  streaming_ = true;
  live_ = true;
  conn_.set_stream(this);
  // The first result tells whether the query started well; errors surface here.
  ResultPtr first(read_live());
  const ExecStatusType st = first != nullptr ? PQresultStatus(first.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
    first.reset();
    reject_copy(st);
  }
  if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK) {
    finished_ = true;
    if (first == nullptr) throw connection_error(pg);
    conn_.fail(std::move(first));
  }
  queued_.push_back(first.release());
}

void Statement::run_command(const Prepared& p, ParamEncoder& params, retort_exec_info& info) {
  PGconn* pg = conn_.handle();
  ResultPtr r(PQexecPrepared(pg, p.name.c_str(), params.count(), params.values(), params.lengths(),
                             params.formats(), 0));
  if (r == nullptr) throw connection_error(pg);
  const ExecStatusType st = PQresultStatus(r.get());
  if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
    r.reset();
    reject_copy(st);
  }
  conn_.observe(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
    conn_.fail(std::move(r));
  }
  info.rows_affected = tag_count(r.get());
}

// executemany: every row in one pipeline with one Sync.  Sending and reading interleave
// (non-blocking socket), so a batch of any size never deadlocks on full socket buffers and
// libpq's output buffer stays bounded.
void Statement::run_pipeline(const Prepared& p, ParamEncoder& params, retort_exec_info& info) {
  PGconn* pg = conn_.handle();
  const int64_t rows = params.rows();
  if (PQenterPipelineMode(pg) != 1) throw connection_error(pg, "entering pipeline mode");
  PQsetnonblocking(pg, 1);

  int64_t sent = 0;
  int64_t done = 0;            // commands whose result and NULL separator were read
  bool awaiting_null = false;  // the result of command `done` was read, its NULL not yet
  bool synced = false;
  int64_t affected = 0;
  bool unknown_count = false;
  std::optional<sdk::Error> error;

  auto handle = [&](PGresult* r) {
    if (awaiting_null) {
      if (r == nullptr) {
        awaiting_null = false;
        ++done;
      } else {
        PQclear(r);
      }
      return;
    }
    if (r == nullptr) return;
    ResultPtr owned(r);
    awaiting_null = true;
    switch (PQresultStatus(r)) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY: {
        const int64_t n = tag_count(r);
        if (n < 0) unknown_count = true;
        affected += std::max<int64_t>(n, 0);
        break;
      }
      case PGRES_PIPELINE_ABORTED:
        break;
      default:
        if (!error) {
          error = result_error(pg, r);
          error->detail("parameter_row", std::to_string(done));
        }
        break;
    }
  };
  // Reads whatever has arrived, without blocking.
  auto pump = [&]() {
    if (PQconsumeInput(pg) == 0) throw connection_error(pg);
    while (done < sent && !PQisBusy(pg)) {
      PGresult* r = PQgetResult(pg);
      if (r == nullptr && !awaiting_null) break;
      handle(r);
    }
  };
  // Flushes the output; with `wait`, until all is sent, reading meanwhile.
  auto drive = [&](bool wait) {
    for (;;) {
      const int f = PQflush(pg);
      if (f < 0) throw connection_error(pg);
      pump();
      if (f == 0 || !wait) return;
      pollfd fd{PQsocket(pg), POLLIN | POLLOUT, 0};
      if (poll(&fd, 1, -1) < 0 && errno != EINTR) throw connection_error(pg, "poll");
    }
  };
  auto finish = [&]() noexcept {
    // Leave the pipeline in a clean state whatever happened.
    try {
      if (PQstatus(pg) == CONNECTION_OK) {
        if (!synced && PQpipelineSync(pg) == 1) synced = true;
        if (synced) {
          drive(true);
          while (done < sent && PQstatus(pg) == CONNECTION_OK) {
            PGresult* r = PQgetResult(pg);
            if (r == nullptr && !awaiting_null) break;
            handle(r);
          }
          for (int guard = 0; guard < 4; ++guard) {
            PGresult* r = PQgetResult(pg);
            if (r == nullptr) continue;
            const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
            PQclear(r);
            if (sync) break;
          }
        }
      }
    } catch (...) {
    }
    PQexitPipelineMode(pg);
    PQsetnonblocking(pg, 0);
  };

  try {
    // Once a row has failed the rest would only be skipped by the server: stop sending.
    for (int64_t row = 0; row < rows && !error; ++row) {
      params.encode(row);
      if (PQsendQueryPrepared(pg, p.name.c_str(), params.count(), params.values(), params.lengths(),
                              params.formats(), 0) != 1) {
        throw connection_error(pg);
      }
      ++sent;
      if ((sent & 1023) == 0) {
        drive(true);
      } else if ((sent & 63) == 0) {
        drive(false);
      }
    }
    if (PQpipelineSync(pg) != 1) throw connection_error(pg);
    synced = true;
  } catch (...) {
    finish();
    throw;
  }
  finish();
  conn_.observe(nullptr);
  if (PQstatus(pg) != CONNECTION_OK && !error) error = connection_error(pg);
  if (error) throw std::move(*error);
  info.rows_affected = unknown_count ? -1 : affected;
}

void Statement::reject_copy(ExecStatusType status) {
  PGconn* pg = conn_.handle();
  if (status == PGRES_COPY_IN || status == PGRES_COPY_BOTH) {
    PQputCopyEnd(pg, "COPY FROM STDIN is not supported through execute");
  }
  if (status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
    char* buffer = nullptr;
    while (PQgetCopyData(pg, &buffer, 0) > 0) PQfreemem(buffer);
  }
  while (PGresult* r = PQgetResult(pg)) PQclear(r);
  live_ = false;
  conn_.clear_stream(this);
  throw plugin_error(RETORT_NOT_IMPLEMENTED,
                     "COPY ... FROM STDIN / TO STDOUT is not supported by the libpq driver's "
                     "execute; use INSERT (executemany is pipelined) or COPY with a server file",
                     "0A000");
}

void Statement::describe(int32_t index, retort_column_desc& out) {
  const size_t n = prepared_ != nullptr ? prepared_->columns.size() : 0;
  if (index < 0 || static_cast<size_t>(index) >= n) {
    throw plugin_error(RETORT_INVALID_ARGUMENT, "column index " + std::to_string(index) +
                                                    " is out of range (" + std::to_string(n) +
                                                    " columns)");
  }
  const ResultColumn& c = prepared_->columns[static_cast<size_t>(index)];
  out.type = prepared_->types[static_cast<size_t>(index)];
  out.name = c.name.c_str();
  out.name_length = c.name.size();
  out.declared_type = c.declared.empty() ? nullptr : c.declared.c_str();
  out.nullable = -1;
}

void Statement::fetch(int64_t max_rows, retort_batch& out) {
  if (deferred_) {
    sdk::Error e = std::move(*deferred_);
    deferred_.reset();
    throw e;
  }
  max_rows = std::max<int64_t>(max_rows, 1);
  if (streaming_) {
    fetch_stream(max_rows, out);
  } else if (cursor_mode_) {
    if (result_ == nullptr && !load_chunk()) {
      sdk::BatchBuilder::finish_empty(&out);
      return;
    }
    fetch_buffered(max_rows, out);
  } else {
    fetch_buffered(max_rows, out);
  }
}

void Statement::fetch_buffered(int64_t max_rows, retort_batch& out) {
  if (result_ == nullptr) {
    sdk::BatchBuilder::finish_empty(&out);
    return;
  }
  const int total = PQntuples(result_.get());
  const int begin = next_row_;
  const int end = static_cast<int>(std::min<int64_t>(total, begin + max_rows));
  if (begin >= end) {
    result_.reset();
    sdk::BatchBuilder::finish_empty(&out);
    return;
  }
  const std::vector<ResultColumn>& columns = prepared_->columns;
  builder_.reset(prepared_->types);
  for (size_t c = 0; c < columns.size(); ++c) {
    sdk::ColumnBuffer& col = builder_.column(c);
    col.reserve(end - begin);
    decode_column(columns[c].decoder, binary_, result_.get(), static_cast<int>(c), begin, end, col);
  }
  next_row_ = end;
  if (end == total) result_.reset();  // the batch holds copies; free the result early
  builder_.finish(&out);
}

void Statement::fetch_stream(int64_t max_rows, retort_batch& out) {
  if (finished_) {
    sdk::BatchBuilder::finish_empty(&out);
    return;
  }
  const std::vector<ResultColumn>& columns = prepared_->columns;
  builder_.reset(prepared_->types);
  int64_t rows = 0;
  while (rows < max_rows) {
    ResultPtr r(next_stream_result());
    if (r == nullptr) {
      finished_ = true;
      break;
    }
    const ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_SINGLE_TUPLE) {
      for (size_t c = 0; c < columns.size(); ++c) {
        decode_column(columns[c].decoder, binary_, r.get(), static_cast<int>(c), 0, 1,
                      builder_.column(c));
      }
      ++rows;
      continue;
    }
    finished_ = true;
    if (st == PGRES_TUPLES_OK) break;
    sdk::Error e = result_error(conn_.handle(), r.get());
    if (rows == 0) throw e;
    deferred_ = std::move(e);
    break;
  }
  if (rows == 0) {
    sdk::BatchBuilder::finish_empty(&out);
    return;
  }
  builder_.finish(&out);
}

PGresult* Statement::next_stream_result() {
  if (!queued_.empty()) {
    PGresult* r = queued_.front();
    queued_.pop_front();
    return r;
  }
  return live_ ? read_live() : nullptr;
}

PGresult* Statement::read_live() {
  PGconn* pg = conn_.handle();
  PGresult* r = PQgetResult(pg);
  if (r == nullptr || PQresultStatus(r) != PGRES_SINGLE_TUPLE) {
    // The last result (or none): read up to the NULL that ends the query.
    if (r != nullptr) {
      while (PGresult* extra = PQgetResult(pg)) PQclear(extra);
    }
    live_ = false;
    conn_.clear_stream(this);
  }
  return r;
}

void Statement::materialize() {
  while (live_) {
    PGresult* r = read_live();
    if (r != nullptr) queued_.push_back(r);
  }
}

}  // namespace retort::postgresql
