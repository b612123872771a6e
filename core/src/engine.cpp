// core/src/engine.cpp — Engine, Connection and Transaction over a driver plugin.
#include "dialect_detect.hpp"
#include "engine_impl.hpp"
#include "param_batch.hpp"
#include "sql/compiler.hpp"
#include "sql/type_values.hpp"

#include <retort/engine.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace retort {

namespace detail {

DBAPIError::Info EngineImpl::info(std::string message, retort_status status) const {
  DBAPIError::Info i;
  i.message = std::move(message);
  i.status = status;
  i.dialect = dialect_name;
  i.driver = driver_name;
  return i;
}

DBAPIError::Info EngineImpl::make_info(retort_status status, retort_error& error,
                                       std::string statement,
                                       std::optional<std::string> parameters) const {
  DBAPIError::Info info;
  info.status = status;
  if (error.message != nullptr) info.message = error.message;
  if (info.message.empty())
    info.message = fmt::format("{} failed with status {}", driver_name, status);
  info.sqlstate.assign(error.sqlstate, strnlen(error.sqlstate, 5));
  info.vendor_code = error.vendor_code;
  for (std::size_t i = 0; i < error.detail_count; ++i) {
    const auto& d = error.details[i];
    info.details.emplace_back(d.key ? d.key : "", d.value ? d.value : "");
  }
  if (error.release != nullptr) error.release(&error);
  info.dialect = dialect_name;
  info.driver = driver_name;
  info.statement = std::move(statement);
  if (!options.hide_parameters) info.parameters = std::move(parameters);
  return info;
}

void EngineImpl::raise(retort_status status, retort_error& error, std::string statement,
                       std::optional<std::string> parameters) const {
  throw_dbapi_error(make_info(status, error, std::move(statement), std::move(parameters)));
}

ConnectionImpl::~ConnectionImpl() {
  close();
}

void ConnectionImpl::close() noexcept {
  invalidated = false;
  if (handle == nullptr) return;
  // Statements first: a driver may not release a connection with live statements.
  for (ResultSource* r : std::vector<ResultSource*>(live_results)) r->orphan();
  live_results.clear();
  // The pool rolls back an open transaction (pool_reset_on_return) and keeps or closes it.
  // Under AUTOCOMMIT a Transaction may be open with nothing begun on the server: only a
  // transaction the driver began needs the reset.
  if (driver_tx && engine_impl->echo()) engine_impl->log_engine("ROLLBACK (reset on return)");
  engine_impl->pool->checkin(std::move(record), driver_tx);
  handle = nullptr;
  tx = TxState::none;
  driver_tx = false;
  // Nothing the connection was set to outlives it (begin_ex characteristics are per
  // transaction, so the driver connection itself needs no reset).
  reset_execution_options();
  savepoints.clear();
  ++generation;
}

void ConnectionImpl::autobegin() {
  if (tx != TxState::none) return;
  begin_driver("BEGIN (implicit)");
  tx = TxState::implicit;
}

void ConnectionImpl::end_transaction(bool commit) {
  if (handle == nullptr) {  // invalidated: the transaction died with the driver connection
    tx = TxState::none;
    savepoints.clear();
    ++generation;
    if (commit) {
      throw PendingRollbackError(
          "Can't commit: the connection was invalidated inside this transaction, whose work "
          "is lost (the server rolled it back); the transaction is now ended");
    }
    return;
  }
  if (engine_impl->echo()) engine_impl->log_engine(commit ? "COMMIT" : "ROLLBACK");
  retort_error err = make_error();
  retort_status st = RETORT_OK;
  if (driver_tx) st = commit ? driver().commit(handle, &err) : driver().rollback(handle, &err);
  driver_tx = false;
  tx = TxState::none;
  savepoints.clear();
  ++generation;
  if (st != RETORT_OK) raise(st, err, commit ? "COMMIT" : "ROLLBACK");
}

void ConnectionImpl::run_simple(const std::string& sql) {
  const retort_driver& d = driver();
  retort_statement* stmt = nullptr;
  retort_error err = make_error();
  if (engine_impl->echo()) engine_impl->log_engine(sql);
  retort_status st = d.prepare(handle, sql.data(), sql.size(), &stmt, &err);
  if (st != RETORT_OK) raise(st, err, sql);
  retort_exec_info info{};
  info.struct_size = sizeof info;
  st = d.execute(stmt, nullptr, &info, &err);
  d.statement_release(stmt);
  if (st != RETORT_OK) raise(st, err, sql);
}

// op: 0 create, 1 release, 2 rollback to.
void ConnectionImpl::savepoint_op(const std::string& name, int op) {
  const retort_driver& d = driver();
  using Slot = retort_status (*)(retort_connection*, const char*, retort_error*);
  const Slot slot = op == 0 ? d.savepoint : op == 1 ? d.release_savepoint : d.rollback_to_savepoint;
  static constexpr const char* kSql[] = {"SAVEPOINT ", "RELEASE SAVEPOINT ",
                                         "ROLLBACK TO SAVEPOINT "};
  const std::string sql = kSql[op] + name;
  if (handle == nullptr) {
    throw PendingRollbackError(
        "The connection was invalidated inside this transaction; roll back the transaction "
        "(not only the savepoint) before using it again");
  }
  if (slot == nullptr) {
    run_simple(sql);
    return;
  }
  if (engine_impl->echo()) engine_impl->log_engine(sql);
  retort_error err = make_error();
  const retort_status st = slot(handle, name.c_str(), &err);
  if (st != RETORT_OK) raise(st, err, sql);
}

}  // namespace detail

using detail::ConnectionImpl;
using detail::EngineImpl;
using detail::make_error;

// ---------------------------------------------------------------------------------------------
// Engine
// ---------------------------------------------------------------------------------------------

Engine create_engine(const URL& url, EngineOptions options) {
  if (options.fetch_batch_rows < 1) {
    throw ArgumentError(
        fmt::format("fetch_batch_rows must be at least 1, got {}", options.fetch_batch_rows));
  }
  if (options.insertmanyvalues_page_size < 1) {
    throw ArgumentError(fmt::format("insertmanyvalues_page_size must be at least 1, got {}",
                                    options.insertmanyvalues_page_size));
  }
  detail::Resolved resolved = detail::resolve_engine(url, options);  // dialect_detect.hpp
  auto impl = std::make_shared<EngineImpl>(
      EngineImpl{url, std::move(options), std::move(resolved), {}, {}, {}, {}});
  impl->dialect_name = impl->resolved.dialect.dialect.name;
  impl->driver_name = impl->resolved.driver.driver.name;
  impl->dialect_path = impl->resolved.dialect.plugin->info.path;
  impl->driver_path = impl->resolved.driver.plugin->info.path;
  impl->compiled_cache = std::make_unique<detail::CompiledCache>(impl->options.query_cache_size);
  impl->server_dialect = std::make_unique<detail::ServerDialect>(impl->resolved.dialect.dialect);
  impl->pool = detail::make_pool(*impl);
  impl->pool_logger = std::string("retort.pool.") + impl->pool->name();
  detail::validate_engine_options(*impl);
  return Engine(std::move(impl));
}

Engine create_engine(std::string_view url, EngineOptions options) {
  return create_engine(make_url(url), std::move(options));
}

const URL& Engine::url() const noexcept {
  return impl_->url;
}

Compiled Engine::compile(const Executable& statement) const {
  return impl_->compiled_cache->get(*statement.node(), impl_->dialect(), nullptr);
}

QueryCacheStats Engine::query_cache_stats() const {
  const auto s = impl_->compiled_cache->stats();
  return QueryCacheStats{s.hits, s.misses, s.size, s.capacity};
}
const std::string& Engine::dialect_name() const noexcept {
  return impl_->dialect_name;
}
const std::string& Engine::driver_name() const noexcept {
  return impl_->driver_name;
}
const std::string& Engine::dialect_plugin_path() const noexcept {
  return impl_->dialect_path;
}
const std::string& Engine::driver_plugin_path() const noexcept {
  return impl_->driver_path;
}
const EngineOptions& Engine::options() const noexcept {
  return impl_->options;
}
std::string Engine::driver_client_version() const {
  const char* v = impl_->driver().client_version;
  return v != nullptr ? v : "";
}

Connection Engine::connect() const {
  auto conn = std::make_shared<ConnectionImpl>(impl_, *this);
  conn->reset_execution_options();
  conn->checkout();
  return Connection(std::move(conn));
}

namespace detail {

retort_connection* EngineImpl::open_driver_connection() const {
  const URL& u = url;
  std::vector<retort_option> query;
  query.reserve(u.query().size());
  for (const auto& [k, v] : u.query()) query.push_back({k.c_str(), v.c_str()});
  std::vector<retort_option> opts;
  for (const auto& [k, v] : options.connect_args) opts.push_back({k.c_str(), v.c_str()});

  retort_connect_params p{};
  p.struct_size = sizeof p;
  p.dialect = dialect_name.c_str();
  p.driver = driver_name.c_str();
  p.username = u.username() ? u.username()->c_str() : nullptr;
  p.password = u.password() ? u.password()->c_str() : nullptr;
  p.host = u.host() ? u.host()->c_str() : nullptr;
  p.port = u.port() ? *u.port() : -1;
  p.database = u.database() ? u.database()->c_str() : nullptr;
  p.query = query.data();
  p.query_count = query.size();
  p.options = opts.data();
  p.option_count = opts.size();

  retort_connection* handle = nullptr;
  retort_error err = make_error();
  const retort_status st = driver().connect(&p, &handle, &err);
  if (st != RETORT_OK) raise(st, err, fmt::format("connect to {}", u.render_as_string(true)));
  // The first connection tells the dialect which server it renders for (server_dialect.hpp).
  server_dialect->learn(driver(), handle);
  return handle;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------------------------

Connection::Connection(std::shared_ptr<ConnectionImpl> impl) : impl_(std::move(impl)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();
    impl_ = std::move(other.impl_);
  }
  return *this;
}
Connection::~Connection() {
  close();
}

void Connection::close() {
  if (impl_ == nullptr) return;
  impl_->close();
  impl_.reset();
}

ConnectionImpl& Connection::live() const {
  if (impl_ == nullptr) throw ResourceClosedError("This Connection is closed");
  if (impl_->handle == nullptr) impl_->reconnect_or_throw();
  return *impl_;
}

const Engine& Connection::engine() const {
  return live().engine;
}

bool Connection::in_transaction() const noexcept {
  return impl_ != nullptr && impl_->tx != ConnectionImpl::TxState::none;
}

namespace {

std::string render_params(std::span<const Params> params) {
  std::string out = "[";
  const std::size_t shown = std::min<std::size_t>(params.size(), 10);
  for (std::size_t r = 0; r < shown; ++r) {
    if (r > 0) out += ", ";
    out += "{";
    bool first = true;
    for (const auto& [k, v] : params[r].items()) {
      out += fmt::format("{}'{}': {}", first ? "" : ", ", k, v.repr());
      first = false;
    }
    out += "}";
  }
  if (params.size() > shown) out += fmt::format(" ... {} parameter sets in total", params.size());
  return out + "]";
}

std::string render_values(std::span<const Value> values) {
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i ? ", " : "") + values[i].repr();
  }
  return out + ")";
}

}  // namespace

Result Connection::execute(const TextClause& statement, const Params& params) {
  return execute(statement, std::span<const Params>(&params, 1));
}

Result Connection::execute(const TextClause& statement, std::span<const Params> params) {
  ConnectionImpl& c = live();
  auto cached = c.rendered_cache.find(statement.text());
  if (cached == c.rendered_cache.end()) {
    if (c.rendered_cache.size() >= 512) c.rendered_cache.clear();
    cached = c.rendered_cache
                 .emplace(statement.text(), statement.render(c.engine_impl->dialect().paramstyle))
                 .first;
  }
  const TextClause::Rendered& rendered = cached->second;
  if (params.empty()) {
    throw ArgumentError("execute() was given an empty list of parameter sets");
  }
  const detail::ExecuteHooks hooks(*this, c, &statement, nullptr, params);
  Result result =
      execute_rendered(rendered.sql, statement.bind_names(), rendered.placeholder_params, params);
  hooks.done(result);
  return result;
}

Result Connection::execute(const Executable& statement, const Params& params) {
  return execute(statement, std::span<const Params>(&params, 1));
}

Result Connection::execute(const Executable& statement, std::span<const Params> params) {
  ConnectionImpl& c = live();
  if (params.empty()) {
    throw ArgumentError("execute() was given an empty list of parameter sets");
  }
  const detail::ExecuteHooks hooks(*this, c, nullptr, &statement, params);
  const detail::Node& node = *statement.node();
  if (params.size() > 1 && node.kind == detail::NodeKind::insert && !node.returning.empty()) {
    Result result = insert_many_returning(statement, params);
    hooks.done(result);
    return result;
  }
  std::vector<std::string> keys;
  for (const auto& [k, v] : params.front().items()) keys.push_back(k);
  const Compiled compiled =
      c.engine_impl->compiled_cache->get(*statement.node(), c.engine_impl->dialect(), &keys);
  detail::PreparedExecution prepared = detail::prepare_execution(compiled, params);
  detail::process_bind_parameters(prepared, c.engine_impl->dialect());
  Result result =
      execute_rendered(prepared.sql, prepared.names, prepared.placeholders, prepared.rows,
                       prepared.column_flags);
  if (result.source_)
    result.source_->set_result_types(
        detail::result_types(*statement.node(), c.engine_impl->dialect()));
  hooks.done(result);
  return result;
}

Result Connection::execute_rendered(const std::string& rendered_sql,
                                    const std::vector<std::string>& names,
                                    const std::vector<std::uint32_t>& placeholders,
                                    std::span<const Params> params,
                                    std::span<const std::uint32_t> column_flags) {
  ConnectionImpl& c = live();
  c.autobegin();
  detail::CursorHooks hooks(*this, c, rendered_sql, params, {});
  const std::string& sql = hooks.sql();

  const retort_driver& d = c.driver();
  retort_statement* stmt = nullptr;
  retort_error err = make_error();
  retort_status st = d.prepare(c.handle, sql.data(), sql.size(), &stmt, &err);
  if (st != RETORT_OK) c.raise(st, err, sql, render_params(params));
  c.apply_statement_options(stmt, sql);

  retort_exec_info total{};
  total.struct_size = sizeof total;
  bool any_unknown = false;
  try {
    // The connection's scratch buffers, unless a run is using them already (an execute from
    // inside a driver call cannot happen today, but a local scratch costs nothing to allow).
    std::optional<detail::ParamScratch> own;
    detail::ParamScratch& scratch = c.param_scratch_busy ? own.emplace() : c.param_scratch;
    c.param_scratch_busy = true;
    struct Release {
      bool& busy;
      bool mine;
      ~Release() {
        if (mine) busy = false;
      }
    } const release{c.param_scratch_busy, !own.has_value()};
    detail::ParamBatcher batcher(names, placeholders, scratch, column_flags);
    batcher.run(params, [&](const retort_batch& batch, std::size_t first) {
      retort_exec_info info{};
      info.struct_size = sizeof info;
      retort_error e = make_error();
      const retort_status s = d.execute(stmt, batch.column_count ? &batch : nullptr, &info, &e);
      if (s != RETORT_OK) {
        d.statement_release(stmt);
        stmt = nullptr;
        const std::size_t n = batch.row_count > 0 ? static_cast<std::size_t>(batch.row_count) : 1;
        c.raise(s, e, sql,
                render_params(params.subspan(first, std::min(n, params.size() - first))));
      }
      if (info.rows_affected < 0) any_unknown = true;
      total.rows_affected += std::max<int64_t>(info.rows_affected, 0);
      total.column_count = info.column_count;
      if (info.has_last_insert_id) {
        total.has_last_insert_id = 1;
        total.last_insert_id = info.last_insert_id;
      }
    });
  } catch (...) {
    if (stmt != nullptr) d.statement_release(stmt);
    throw;
  }
  if (any_unknown) total.rows_affected = -1;
  Result result(std::make_unique<detail::ResultSource>(impl_, stmt, total, sql));
  hooks.done(total.rows_affected, hooks.wants_parameters() ? render_params(params) : std::string());
  return result;
}

Result Connection::exec_driver_sql(std::string_view driver_sql, std::span<const Value> params) {
  ConnectionImpl& c = live();
  c.autobegin();
  const std::string original(driver_sql);
  detail::CursorHooks hooks(*this, c, original, {}, params);
  const std::string_view sql = hooks.sql();
  const retort_driver& d = c.driver();
  retort_statement* stmt = nullptr;
  retort_error err = make_error();
  retort_status st = d.prepare(c.handle, sql.data(), sql.size(), &stmt, &err);
  if (st != RETORT_OK) c.raise(st, err, std::string(sql), render_values(params));
  c.apply_statement_options(stmt, std::string(sql));
  retort_exec_info info{};
  info.struct_size = sizeof info;
  detail::ParamBatcher::run_positional(params, [&](const retort_batch& batch) {
    st = d.execute(stmt, batch.column_count ? &batch : nullptr, &info, &err);
  });
  if (st != RETORT_OK) {
    d.statement_release(stmt);
    c.raise(st, err, std::string(sql), render_values(params));
  }
  Result result(std::make_unique<detail::ResultSource>(impl_, stmt, info, std::string(sql)));
  hooks.done(info.rows_affected, hooks.wants_parameters() ? render_values(params) : std::string());
  return result;
}

Transaction Connection::begin() {
  ConnectionImpl& c = live();
  using S = ConnectionImpl::TxState;
  if (c.tx == S::explicit_) return begin_nested();
  if (c.tx == S::implicit) {
    throw InvalidRequestError(
        "A transaction was already begun implicitly by execute(); call commit() or rollback() "
        "before begin(), or use begin_nested() for a SAVEPOINT");
  }
  c.begin_driver("BEGIN");
  c.tx = S::explicit_;
  return Transaction(impl_, "", c.generation);
}

Transaction Connection::begin_nested() {
  ConnectionImpl& c = live();
  c.autobegin();
  std::string name = fmt::format("retort_savepoint_{}", ++c.savepoint_counter);
  c.savepoint_op(name, 0);
  c.savepoints.push_back(name);
  return Transaction(impl_, std::move(name), c.generation);
}

void Connection::commit() {
  if (impl_ != nullptr && impl_->invalidated) {  // PendingRollbackError when a transaction died
    if (impl_->tx != ConnectionImpl::TxState::none) impl_->end_transaction(true);
    return;
  }
  ConnectionImpl& c = live();
  if (c.tx != ConnectionImpl::TxState::none) c.end_transaction(true);
}

void Connection::rollback() {
  if (impl_ != nullptr && impl_->invalidated) {
    impl_->end_transaction(false);  // nothing to send: the driver connection is gone
    return;
  }
  ConnectionImpl& c = live();
  if (c.tx != ConnectionImpl::TxState::none) c.end_transaction(false);
}

std::string Connection::server_version() {
  ConnectionImpl& c = live();
  const retort_driver& d = c.driver();
  if (d.server_version == nullptr) {
    throw NotSupportedError(c.engine_impl->info(
        fmt::format("driver '{}' does not report a server version", c.engine_impl->driver_name),
        RETORT_NOT_IMPLEMENTED));
  }
  std::string buf(64, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::size_t len = buf.size();
    retort_error err = make_error();
    const retort_status st = d.server_version(c.handle, buf.data(), &len, &err);
    if (st == RETORT_OK) {
      buf.resize(strnlen(buf.data(), len));
      return buf;
    }
    if (st == RETORT_INVALID_ARGUMENT && len > buf.size() && attempt == 0) {
      if (err.release) err.release(&err);
      buf.assign(len, '\0');
      continue;
    }
    c.raise(st, err, "server_version");
  }
  return buf;
}

void Connection::ping() {
  ConnectionImpl& c = live();
  const retort_driver& d = c.driver();
  if (d.ping == nullptr) {
    c.run_simple("SELECT 1");
    return;
  }
  retort_error err = make_error();
  const retort_status st = d.ping(c.handle, &err);
  if (st != RETORT_OK) c.raise(st, err, "ping");
}

void Connection::cancel() {
  ConnectionImpl& c = live();
  const retort_driver& d = c.driver();
  if (d.cancel == nullptr) {
    throw NotSupportedError(c.engine_impl->info(
        fmt::format("driver '{}' cannot cancel a running statement", c.engine_impl->driver_name),
        RETORT_NOT_IMPLEMENTED));
  }
  retort_error err = make_error();
  const retort_status st = d.cancel(c.handle, &err);
  if (st != RETORT_OK) c.engine_impl->raise(st, err, "cancel");
}

// ---------------------------------------------------------------------------------------------
// Transaction
// ---------------------------------------------------------------------------------------------

Transaction::Transaction(Transaction&& other) noexcept
    : conn_(std::move(other.conn_)),
      savepoint_(std::move(other.savepoint_)),
      generation_(other.generation_),
      active_(other.active_) {
  other.active_ = false;
}

Transaction::~Transaction() {
  if (!is_active()) return;
  try {
    end(false);
  } catch (...) {
    // A destructor must not throw; the rollback error is lost by design (see header).
  }
}

bool Transaction::is_active() const noexcept {
  if (!active_) return false;
  auto c = conn_.lock();
  if (c == nullptr || (c->handle == nullptr && !c->invalidated) || c->generation != generation_) {
    return false;
  }
  if (savepoint_.empty()) return c->tx == ConnectionImpl::TxState::explicit_;
  return std::find(c->savepoints.begin(), c->savepoints.end(), savepoint_) != c->savepoints.end();
}

void Transaction::commit() {
  end(true);
}
void Transaction::rollback() {
  end(false);
}

void Transaction::end(bool commit) {
  if (!is_active()) {
    active_ = false;
    throw InvalidRequestError(
        "This transaction is inactive (already committed or rolled back, ended by an enclosing "
        "transaction, or its connection is closed)");
  }
  active_ = false;
  auto c = conn_.lock();
  if (savepoint_.empty()) {
    c->end_transaction(commit);
    return;
  }
  // Ending a savepoint also ends every savepoint opened after it.
  auto it = std::find(c->savepoints.begin(), c->savepoints.end(), savepoint_);
  c->savepoints.erase(it, c->savepoints.end());
  if (!commit) c->savepoint_op(savepoint_, 2);
  c->savepoint_op(savepoint_, 1);
}

}  // namespace retort
