// core/src/engine_pool.cpp — the engine's side of pooling, events and echo: checkout,
// invalidation, handle_error, and the hooks around each execution.
#include "engine_impl.hpp"
#include "logging_impl.hpp"

#include <retort/engine.hpp>

#include <fmt/format.h>

namespace retort {

namespace detail {

void EngineImpl::log_engine(std::string message) const noexcept {
  log_to(options.log_sink, LogLevel::info, "retort.engine.Engine", std::move(message));
}

void ConnectionImpl::checkout() {
  record = engine_impl->pool->checkout();
  handle = record->handle;
  invalidated = false;
  rendered_cache.clear();
}

void ConnectionImpl::invalidate(const std::exception* error, std::string_view reason,
                                bool whole_pool) noexcept {
  if (handle == nullptr) return;
  for (ResultSource* r : std::vector<ResultSource*>(live_results)) r->orphan();
  live_results.clear();
  engine_impl->pool->invalidate(std::move(record), error, reason, whole_pool);
  handle = nullptr;
  invalidated = true;
  // The transaction state stays: the application must roll back (PendingRollbackError), and
  // its Transaction objects stay active so that their rollback does exactly that.
}

void ConnectionImpl::reconnect_or_throw() {
  if (!invalidated) throw ResourceClosedError("This Connection is closed");
  if (tx != TxState::none) {
    throw PendingRollbackError(
        "This Connection's driver connection was invalidated (lost or Connection::invalidate()) "
        "while a transaction was open; call rollback() to end it, then the Connection "
        "reconnects on its next use");
  }
  checkout();
}

void ConnectionImpl::raise(retort_status status, retort_error& error, std::string statement,
                           std::optional<std::string> parameters) {
  DBAPIError::Info info =
      engine_impl->make_info(status, error, std::move(statement), std::move(parameters));
  const std::string failed = info.statement;
  try {
    throw_dbapi_error(std::move(info));
  } catch (const DBAPIError& e) {
    event::ExceptionContext ctx{engine, e, failed, e.connection_invalidated(),
                                engine_impl->options.invalidate_pool_on_disconnect};
    std::exception_ptr replaced;
    try {
      engine_impl->events->fire<HandleErrorFn>(EventKind::handle_error, ctx);
    } catch (...) {
      replaced = std::current_exception();
    }
    if (ctx.is_disconnect) invalidate(&e, "disconnect", ctx.invalidate_pool_on_disconnect);
    if (replaced) std::rethrow_exception(replaced);
    if (ctx.is_disconnect && !e.connection_invalidated()) {
      DBAPIError::Info marked = e.info();
      marked.connection_invalidated = true;
      throw_dbapi_error(std::move(marked));
    }
    throw;
  }
}

CursorHooks::CursorHooks(Connection& conn, const ConnectionImpl& c, const std::string& sql,
                         std::span<const Params> params, std::span<const Value> positional)
    : engine_(c.engine_impl.get()), sql_(&sql) {
  const EventRegistry& events = *engine_->events;
  echo_ = engine_->echo();
  if (!echo_ && !events.has(EventKind::before_cursor_execute) &&
      !events.has(EventKind::after_cursor_execute)) {
    return;
  }
  hide_ = engine_->options.hide_parameters;
  ctx_.emplace(event::CursorExecuteContext{conn, sql, params, positional, params.size() > 1});
  events.fire<BeforeCursorFn>(EventKind::before_cursor_execute, *ctx_);
  if (echo_) engine_->log_engine(ctx_->statement);
  start_ = std::chrono::steady_clock::now();
}

void CursorHooks::done(std::int64_t rowcount, const std::string& parameters) {
  if (!ctx_) return;
  ctx_->rowcount = rowcount;
  ctx_->elapsed = std::chrono::steady_clock::now() - start_;
  if (echo_) {
    const double seconds = std::chrono::duration<double>(ctx_->elapsed).count();
    const std::size_t sets = std::max(ctx_->parameters.size(), std::size_t{1});
    std::string sets_text = sets > 1 ? fmt::format(", {} parameter sets", sets) : "";
    if (hide_) {
      engine_->log_engine(
          fmt::format("[executed in {:.5f}s{}] [SQL parameters hidden due to "
                      "hide_parameters=true]",
                      seconds, sets_text));
    } else {
      engine_->log_engine(fmt::format("[executed in {:.5f}s{}] {}", seconds, sets_text,
                                      parameters.empty() ? "()" : parameters));
    }
  }
  engine_->events->fire<AfterCursorFn>(EventKind::after_cursor_execute, std::as_const(*ctx_));
}

}  // namespace detail

std::string Engine::pool_status() const {
  return impl_->pool->status();
}
PoolStatistics Engine::pool_statistics() const {
  return impl_->pool->statistics();
}
void Engine::dispose() const {
  impl_->pool->dispose();
}

void Connection::invalidate() {
  if (impl_ == nullptr) throw ResourceClosedError("This Connection is closed");
  impl_->invalidate(nullptr, "Connection::invalidate()", false);
}

bool Connection::invalidated() const noexcept {
  return impl_ != nullptr && impl_->invalidated;
}

}  // namespace retort
