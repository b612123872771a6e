// retort/events.hpp — listeners for pool and engine events, as SQLAlchemy's `event.listen`.
// SPDX-License-Identifier: MIT
//
//   namespace ev = retort::event;
//   auto engine = retort::create_engine(url);
//   ev::listen(engine, ev::connect, [](const retort::PoolConnection& c) {
//     c.exec_driver_sql("SET application_name = 'billing'");      // every new connection
//   });
//   auto timing = ev::listen(engine, ev::after_cursor_execute,
//                            [](const ev::CursorExecuteContext& c) { record(c.elapsed); });
//   timing.remove();                                               // stop listening
//
// Every event has a tag (`retort::event::checkout`, …) whose `listen` overload fixes the
// listener's signature, so a listener of the wrong shape does not compile.
//
// Pool events (SQLAlchemy's PoolEvents), about a driver connection (`PoolConnection`):
//
//   connect          a new driver connection was made (before its first checkout)
//   first_connect    the first connection the engine ever made (once, before `connect`)
//   checkout         a connection leaves the pool (engine.connect(), or a reconnect after
//                    invalidation)
//   checkin          a live connection returns to the pool (after `reset`)
//   reset            the pool resets a returned connection (`pool_reset_on_return`); tells
//                    whether a transaction was open and has been rolled back / committed
//   invalidate       a connection is invalidated: closed and discarded (a disconnect error,
//                    `Connection::invalidate()`, a failed pre-ping, a failed reset)
//
// Engine events (SQLAlchemy's ConnectionEvents):
//
//   before_execute        Connection::execute() was called, before compilation
//   after_execute         execute() produced its Result (rows not yet fetched)
//   before_cursor_execute the SQL is about to go to the driver; the listener may change
//                         `statement` (e.g. append a `/* comment */` for tracing) but must
//                         keep its placeholders; the parameters are read-only
//   after_cursor_execute  the driver has executed it; `rowcount` and `elapsed` are set
//   handle_error          a driver error is about to be thrown; the listener sees the
//                         DBAPIError and whether it is a disconnect, may change
//                         `is_disconnect` / `invalidate_pool_on_disconnect`, or throw an
//                         exception of its own, which is then thrown instead (the
//                         invalidation still happens)
//
// Listeners run synchronously in the thread doing the work, possibly in several threads at
// once, so they must be thread-safe; they must not use the Connection they are told about
// except as documented (`PoolConnection::exec_driver_sql` in connect/first_connect/checkout).
// An exception thrown by a connect, first_connect, checkout, before_* or after_* listener
// propagates to the caller (a connection whose connect listener failed is closed; after an
// after_* listener throws, the statement has run but its Result is discarded).  Exceptions
// from checkin, reset and invalidate listeners are swallowed, since they run while a
// connection is being released (often in a destructor).
//
// `listen` and `Listener::remove` are thread-safe and may be called at any time; a listener
// added or removed while an event is being fired takes effect from the next event.
#ifndef RETORT_EVENTS_HPP
#define RETORT_EVENTS_HPP

#include <retort/value.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace retort {

class Engine;
class Connection;
class Result;
class TextClause;
class Executable;
class DBAPIError;

namespace detail {
struct PoolRecord;
struct EngineImpl;
struct EventRegistry;
}  // namespace detail

/// A driver connection as a pool event sees it (SQLAlchemy's connection record).  Valid only
/// during the listener call.
class PoolConnection {
 public:
  /// Unique within the engine, counting connections made from 1 in creation order.
  std::uint64_t id() const noexcept;
  /// When the driver connection was made.
  std::chrono::steady_clock::time_point created() const noexcept;
  /// Runs one statement without parameters on this driver connection and discards its rows:
  /// `SET …`, `PRAGMA …`.  For connect, first_connect and checkout listeners.  Throws the
  /// driver's DBAPIError.
  void exec_driver_sql(std::string_view sql) const;

  PoolConnection(const detail::EngineImpl& engine, const detail::PoolRecord& record) noexcept
      : engine_(&engine), record_(&record) {}

 private:
  const detail::EngineImpl* engine_;
  const detail::PoolRecord* record_;
};

namespace event {

/// What the pool did to a returned connection (SQLAlchemy's PoolResetState).
struct ResetState {
  /// A transaction was open when the connection came back, and the pool ended it.
  bool transaction_was_open = false;
  /// It was committed (`pool_reset_on_return = commit`) rather than rolled back.
  bool committed = false;
};

/// Why a connection is invalidated.
struct InvalidateContext {
  /// The error that caused it, or null (`Connection::invalidate()` without one).
  const std::exception* error = nullptr;
  /// What happened, e.g. "disconnect", "Connection::invalidate()", "pre-ping failed".
  std::string_view reason;
};

/// Connection::execute() of a text() or expression-language statement.
struct ExecuteContext {
  Connection& connection;
  /// Exactly one of `text` and `statement` is set.
  const TextClause* text = nullptr;
  const Executable* statement = nullptr;
  std::span<const Params> parameters;
};

/// SQL going to the driver.
struct CursorExecuteContext {
  Connection& connection;
  /// The SQL in the driver's paramstyle.  before_cursor_execute may change it (keeping its
  /// placeholders); later listeners and the driver see the change.
  std::string statement;
  /// Named parameter sets (execute()), or empty.
  std::span<const Params> parameters;
  /// Positional values (exec_driver_sql()), or empty.
  std::span<const Value> positional;
  /// More than one parameter set.
  bool executemany = false;
  /// after_cursor_execute only: rows affected (-1 when unknown) and the time the driver took.
  std::int64_t rowcount = -1;
  std::chrono::nanoseconds elapsed{0};
};

/// A driver error about to be thrown (SQLAlchemy's ExceptionContext).
struct ExceptionContext {
  const Engine& engine;
  const DBAPIError& error;
  /// The statement (or operation: "COMMIT", "ping", …) that failed.
  std::string_view statement;
  /// Whether the connection is treated as lost: invalidated and replaced on next use.
  /// Starts as `error.connection_invalidated()`.  A listener may set it (e.g. for a vendor
  /// code it knows means a lost connection); the error thrown then says so too.
  bool is_disconnect = false;
  /// On a disconnect, also invalidate every connection made before this one (the engine's
  /// `invalidate_pool_on_disconnect`, default true): they are replaced on their next
  /// checkout.
  bool invalidate_pool_on_disconnect = true;
};

struct connect_t {};
struct first_connect_t {};
struct checkout_t {};
struct checkin_t {};
struct reset_t {};
struct invalidate_t {};
struct before_execute_t {};
struct after_execute_t {};
struct before_cursor_execute_t {};
struct after_cursor_execute_t {};
struct handle_error_t {};
inline constexpr connect_t connect{};
inline constexpr first_connect_t first_connect{};
inline constexpr checkout_t checkout{};
inline constexpr checkin_t checkin{};
inline constexpr reset_t reset{};
inline constexpr invalidate_t invalidate{};
inline constexpr before_execute_t before_execute{};
inline constexpr after_execute_t after_execute{};
inline constexpr before_cursor_execute_t before_cursor_execute{};
inline constexpr after_cursor_execute_t after_cursor_execute{};
inline constexpr handle_error_t handle_error{};

/// A registered listener.  Copyable; destroying it leaves the listener registered (so
/// `listen(...)` may be fire-and-forget); `remove()` unregisters it.
class Listener {
 public:
  Listener() = default;
  /// Unregisters the listener (idempotent; a no-op once the engine is gone).  A call already
  /// running in another thread finishes.
  void remove() noexcept;
  /// Still registered.
  bool active() const noexcept;

  Listener(std::weak_ptr<detail::EventRegistry> registry, int kind, std::uint64_t id) noexcept
      : registry_(std::move(registry)), kind_(kind), id_(id) {}

 private:
  std::weak_ptr<detail::EventRegistry> registry_;
  int kind_ = 0;
  std::uint64_t id_ = 0;
};

using PoolListener = std::function<void(const PoolConnection&)>;

Listener listen(const Engine& engine, connect_t, PoolListener fn);
Listener listen(const Engine& engine, first_connect_t, PoolListener fn);
Listener listen(const Engine& engine, checkout_t, PoolListener fn);
Listener listen(const Engine& engine, checkin_t, PoolListener fn);
Listener listen(const Engine& engine, reset_t,
                std::function<void(const PoolConnection&, const ResetState&)> fn);
Listener listen(const Engine& engine, invalidate_t,
                std::function<void(const PoolConnection&, const InvalidateContext&)> fn);
Listener listen(const Engine& engine, before_execute_t,
                std::function<void(const ExecuteContext&)> fn);
Listener listen(const Engine& engine, after_execute_t,
                std::function<void(const ExecuteContext&, const Result&)> fn);
Listener listen(const Engine& engine, before_cursor_execute_t,
                std::function<void(CursorExecuteContext&)> fn);
Listener listen(const Engine& engine, after_cursor_execute_t,
                std::function<void(const CursorExecuteContext&)> fn);
Listener listen(const Engine& engine, handle_error_t, std::function<void(ExceptionContext&)> fn);

}  // namespace event
}  // namespace retort

#endif  // RETORT_EVENTS_HPP
