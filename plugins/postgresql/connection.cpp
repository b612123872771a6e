// plugins/postgresql/connection.cpp — the `libpq` driver's connection.
// SPDX-License-Identifier: MIT
#include "connection.hpp"

#include "conninfo.hpp"
#include "copy.hpp"
#include "errors.hpp"
#include "statement.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

namespace retort::postgresql {
namespace {

// "15.18" from 150018; "9.6.24" from 90624.
std::string format_version(int v) {
  if (v <= 0) return "unknown";
  if (v >= 100000) return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." +
         std::to_string(v % 100);
}

// A quoted identifier: "name" with embedded quotes doubled.
std::string quote_identifier(const char* name) {
  std::string out = "\"";
  for (const char* p = name; *p != '\0'; ++p) {
    if (*p == '"') out.push_back('"');
    out.push_back(*p);
  }
  out.push_back('"');
  return out;
}

// The SQL text, a NUL, then the parameter types' bytes, written into `key`.
void build_cache_key(std::string& key, const std::string& sql, const std::vector<Oid>& types) {
  key.assign(sql);
  key.push_back('\0');
  key.append(reinterpret_cast<const char*>(types.data()), types.size() * sizeof(Oid));
}

std::string cache_key(const std::string& sql, const std::vector<Oid>& types) {
  std::string key;
  build_cache_key(key, sql, types);
  return key;
}

}  // namespace

// --- Connection ---------------------------------------------------------------------------------

std::unique_ptr<Connection> Connection::connect(const retort_connect_params& params) {
  const ConnectSettings settings = connect_settings(params);
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : settings.keywords) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/0);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    sdk::Error error = connect_error(conn, settings.target, params.password);
    PQfinish(conn);
    throw error;
  }
  const char* encoding = PQparameterStatus(conn, "client_encoding");
  if (encoding == nullptr || std::strcmp(encoding, "UTF8") != 0) {
    PQfinish(conn);
    throw plugin_error(RETORT_INVALID_STATE,
                       std::string("the server did not accept client_encoding UTF8 (it reports ") +
                           (encoding != nullptr ? encoding : "nothing") + ")");
  }
  PQsetNoticeReceiver(conn, &log_notice, nullptr);
  return std::unique_ptr<Connection>(
      new Connection(conn, settings.stream_results, settings.statement_cache_size));
}

Connection::Connection(PGconn* conn, bool stream_results, size_t cache_size)
    : conn_(conn),
      stream_results_(stream_results),
      cache_(cache_size, DeallocateLater{&to_deallocate_}) {
  cancel_ = PQgetCancel(conn_);
}

Connection::~Connection() {
  // Statements were released before (ABI contract), so no stream is left.
  if (cancel_ != nullptr) PQfreeCancel(cancel_);
  PQfinish(conn_);
}

std::unique_ptr<Statement> Connection::prepare(std::string_view sql) {
  return std::make_unique<Statement>(*this, std::string(sql));
}

void Connection::fail(ResultPtr result) {
  throw result_error(conn_, result.get());
}

ResultPtr Connection::command(const std::string& sql) {
  make_idle();
  ResultPtr r(PQexec(conn_, sql.c_str()));
  if (r == nullptr) throw connection_error(conn_);
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(std::move(r));
  return r;
}

void Connection::make_idle() {
  if (stream_ == nullptr) return;
  Statement* s = std::exchange(stream_, nullptr);
  s->materialize();
}

void Connection::begin() {
  retort_transaction_options defaults{};
  defaults.struct_size = sizeof defaults;
  begin_ex(defaults);
}

void Connection::begin_ex(const retort_transaction_options& options) {
  // Spliced into SQL, so only the levels PostgreSQL knows are accepted.
  std::string sql = "BEGIN";
  if (options.isolation_level != nullptr) {
    const char* level = sdk::standard_isolation_level(options.isolation_level);
    if (level == nullptr) {
      throw plugin_error(RETORT_INVALID_ARGUMENT,
                         std::string("unknown isolation level '") + options.isolation_level +
                             "'; PostgreSQL has READ UNCOMMITTED, READ COMMITTED, REPEATABLE "
                             "READ and SERIALIZABLE");
    }
    sql += " ISOLATION LEVEL ";
    sql += level;
  }
  if (options.read_only != 0) sql += " READ ONLY";
  if (options.deferrable != 0) sql += " DEFERRABLE";
  make_idle();
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE && PQstatus(conn_) == CONNECTION_OK) {
    throw plugin_error(RETORT_INVALID_STATE, "a transaction is already in progress", "25001");
  }
  command(sql);
}

void Connection::commit() {
  make_idle();
  const PGTransactionStatusType st = PQtransactionStatus(conn_);
  if (st == PQTRANS_IDLE) {
    throw plugin_error(RETORT_INVALID_STATE, "there is no transaction in progress to commit",
                       "25000");
  }
  ResultPtr r = command("COMMIT");
  ++transaction_serial_;
  flush_deallocations();
  if (std::strcmp(PQcmdStatus(r.get()), "ROLLBACK") == 0) {
    throw plugin_error(RETORT_TRANSACTION_ROLLBACK,
                       "the transaction was rolled back instead of committed, because a "
                       "statement in it failed",
                       "25P02");
  }
}

void Connection::rollback() {
  make_idle();
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
  command("ROLLBACK");
  ++transaction_serial_;
  flush_deallocations();
}

void Connection::savepoint(const char* name) {
  command("SAVEPOINT " + quote_identifier(name));
}

void Connection::release_savepoint(const char* name) {
  command("RELEASE SAVEPOINT " + quote_identifier(name));
}

void Connection::rollback_to_savepoint(const char* name) {
  ++transaction_serial_;  // cursors declared after the savepoint are gone
  command("ROLLBACK TO SAVEPOINT " + quote_identifier(name));
}

void Connection::observe(const PGresult* result) noexcept {
  if (PQtransactionStatus(conn_) != PQTRANS_INTRANS) {
    ++transaction_serial_;
    return;
  }
  // ROLLBACK TO SAVEPOINT and CLOSE run by the application may drop cursors too.
  const char* tag = result != nullptr ? PQcmdStatus(const_cast<PGresult*>(result)) : "";
  if (std::strncmp(tag, "ROLLBACK", 8) == 0 || std::strncmp(tag, "CLOSE", 5) == 0) {
    ++transaction_serial_;
  }
}

void Connection::cancel() {
  if (cancel_ == nullptr) {
    throw plugin_error(RETORT_INVALID_STATE, "this connection has no cancel key");
  }
  char message[256] = {};
  if (PQcancel(cancel_, message, sizeof message) == 0) {
    throw plugin_error(RETORT_IO, "could not send the cancel request: " + libpq_message(message),
                       "08006");
  }
}

std::string Connection::server_version() {
  return format_version(PQserverVersion(conn_));
}

void Connection::ping() {
  make_idle();
  ResultPtr r(PQexec(conn_, ""));
  if (r == nullptr) throw connection_error(conn_);
  if (PQresultStatus(r.get()) != PGRES_EMPTY_QUERY) fail(std::move(r));
}

std::unique_ptr<BulkLoad> Connection::bulk_load(std::string_view table,
                                                std::span<const std::string_view> columns) {
  return std::make_unique<BulkLoad>(*this, table, columns);
}

std::shared_ptr<const Prepared> Connection::prepared(const std::string& sql,
                                                     const std::vector<Oid>& types) {
  if (cache_.capacity() > 0) {
    build_cache_key(key_, sql, types);
    if (const auto* hit = cache_.find(key_)) return *hit;
  }
  // key_ is only scratch for the lookup (a hit must not allocate); a miss keeps a copy.
  const std::string key = cache_.capacity() > 0 ? key_ : std::string();
  make_idle();
  flush_deallocations();
  auto p = std::make_shared<Prepared>();
  if (cache_.capacity() > 0) p->name = "retort_s" + std::to_string(next_statement_++);
  // libpq before 17 drops the connection on a ParameterDescription over 30000 bytes (more
  // than 7498 parameters).  Such a statement is not described: every parameter has a type
  // here (0 lets the server infer it), and its result columns come with each result.
  p->described = PQlibVersion() >= 170000 || types.size() <= kMaxDescribedParameters;
  const int expected = p->described ? 2 : 1;

  // Parse and Describe in one round trip.
  if (PQenterPipelineMode(conn_) != 1) throw connection_error(conn_, "entering pipeline mode");
  const bool sent = PQsendPrepare(conn_, p->name.c_str(), sql.c_str(),
                                  static_cast<int>(types.size()), types.data()) == 1 &&
                    (!p->described || PQsendDescribePrepared(conn_, p->name.c_str()) == 1) &&
                    PQpipelineSync(conn_) == 1;
  if (!sent) {
    sdk::Error error = connection_error(conn_, "sending Parse");
    PQexitPipelineMode(conn_);
    throw error;
  }
  ResultPtr results[2];
  int got = 0;
  for (int nulls = 0;;) {
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) {
      if (PQstatus(conn_) == CONNECTION_BAD || ++nulls > 8) break;
      continue;
    }
    if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    if (got < expected) {
      results[got++].reset(r);
    } else {
      PQclear(r);
    }
  }
  PQexitPipelineMode(conn_);
  if (got < 1 || PQresultStatus(results[0].get()) != PGRES_COMMAND_OK) {
    if (got < 1) throw connection_error(conn_);
    fail(std::move(results[0]));
  }
  if (!p->described) {
    p->param_count = static_cast<int>(types.size());
    p->binary = false;
  } else {
    if (got < 2 || PQresultStatus(results[1].get()) != PGRES_COMMAND_OK) {
      if (got < 2) throw connection_error(conn_);
      fail(std::move(results[1]));
    }
    p->param_count = PQnparams(results[1].get());
    describe_columns(*p, results[1].get());
  }
  if (cache_.capacity() > 0) cache_.give_back(key, p);
  return p;
}

void describe_columns(Prepared& p, const PGresult* desc) {
  const int n = PQnfields(desc);
  p.columns.clear();
  p.types.clear();
  p.columns.resize(static_cast<size_t>(n));
  p.binary = true;
  for (int i = 0; i < n; ++i) {
    ResultColumn& c = p.columns[static_cast<size_t>(i)];
    c.name = PQfname(desc, i);
    c.type = PQftype(desc, i);
    c.typmod = PQfmod(desc, i);
    c.decoder = decoder_for(c.type);
    c.declared = declared_type(c.type, c.typmod);
    p.types.push_back(value_type_of(c.decoder));
    if (!has_binary_decoder(c.decoder)) p.binary = false;
  }
}

void Connection::forget(const std::string& sql, const std::vector<Oid>& types, bool exists) {
  const auto cached = cache_.take(cache_key(sql, types));
  if (exists && cached && !(*cached)->name.empty()) to_deallocate_.push_back((*cached)->name);
}

void Connection::flush_deallocations() noexcept {
  if (to_deallocate_.empty() || PQtransactionStatus(conn_) != PQTRANS_IDLE) return;
  std::string sql;
  for (const std::string& name : to_deallocate_) {
    sql += "DEALLOCATE \"" + name + "\";";
  }
  to_deallocate_.clear();
  // Best effort: a statement the server already dropped only leaves the others in place.
  PQclear(PQexec(conn_, sql.c_str()));
}

// --- the driver table --------------------------------------------------------------------------

const retort_driver& libpq_driver() {
  static const char* const dialects[] = {"postgresql", nullptr};
  static const std::string client_version = format_version(PQlibVersion());
  static const sdk::DriverInfo info{"libpq", dialects, client_version.c_str()};
  return sdk::make_driver<Connection, Statement>(info);
}

}  // namespace retort::postgresql
