// retort/pool.hpp — connection pool choices for `EngineOptions` (SQLAlchemy's `poolclass`).
// SPDX-License-Identifier: MIT
//
//   auto engine = retort::create_engine(url, {.pool_size = 10, .max_overflow = 20,
//                                             .pool_timeout = std::chrono::seconds(5),
//                                             .pool_pre_ping = true});
//   std::cout << engine.pool_status() << "\n";
//   // Pool size: 10  Connections in pool: 3 Current Overflow: -7 Current Checked out connections:
//   0
//
// Every engine owns one pool.  `engine.connect()` checks a driver connection out of it and
// `Connection::close()` (or the destructor) checks it back in, after rolling back a
// transaction still open ("reset on return").  The pools are SQLAlchemy's:
//
//   queue             QueuePool: keeps up to `pool_size` idle connections; opens up to
//                     `max_overflow` more under load, closed again when returned; a checkout
//                     when all `pool_size + max_overflow` are out waits up to `pool_timeout`,
//                     then throws TimeoutError.  `pool_use_lifo` reuses the most recently
//                     returned connection first (lets idle ones expire server-side); FIFO by
//                     default.  The default for every URL but SQLite's in-memory ones.
//   null              NullPool: opens a connection at every checkout, closes it at checkin.
//   static_           StaticPool: exactly one connection, reused for ever; a checkout while
//                     it is checked out waits up to `pool_timeout` for its return (SQLAlchemy
//                     would hand the same connection to both, which is unsafe).
//   singleton_thread  SingletonThreadPool: one connection per thread, kept for that thread
//                     (up to `pool_size` threads; the oldest others are closed).  The default
//                     for `sqlite://` and `sqlite:///:memory:`, whose database lives in the
//                     connection: each thread sees its own.  A second checkout in a thread
//                     whose connection is still checked out throws InvalidRequestError.
//
// Checkout also (in this order) replaces a connection that was invalidated or is older than
// `pool_recycle`, and, with `pool_pre_ping`, pings it and reconnects when the ping fails.
// A driver error classified as a disconnect (DBAPIError::connection_invalidated()) invalidates
// the connection it happened on — the driver connection is closed, and the Connection
// reconnects on its next use once its transaction is rolled back — and, with
// `invalidate_pool_on_disconnect`, marks every connection made before it to be replaced at
// its next checkout.  `Engine::dispose()` closes the idle connections and makes the
// checked-out ones close when returned.
//
// Thread-safety: engines and their pools may be used from any number of threads.  A
// Connection is used by one thread at a time.
#ifndef RETORT_POOL_HPP
#define RETORT_POOL_HPP

#include <cstddef>

namespace retort {

/// The pool implementation (SQLAlchemy's `poolclass`).
enum class PoolClass {
  /// SingletonThreadPool for SQLite in-memory URLs, QueuePool otherwise (SQLAlchemy 2.0's
  /// defaults).
  automatic,
  queue,
  null,
  static_,
  singleton_thread,
};

/// What the pool does to a connection returned with a transaction open (SQLAlchemy's
/// `reset_on_return`).
enum class ResetOnReturn { rollback, commit, none };

/// Counters of an engine's pool, the numbers `Engine::pool_status()` prints.
struct PoolStatistics {
  /// `queue`, `null`, `static_` or `singleton_thread`.
  PoolClass pool_class = PoolClass::queue;
  std::size_t size = 0;         ///< pool_size (1 for StaticPool, 0 for NullPool)
  std::size_t checked_in = 0;   ///< idle connections in the pool
  std::size_t checked_out = 0;  ///< connections in use
  /// Connections open beyond `size` (negative while fewer than `size` exist), as
  /// SQLAlchemy's `overflow()`.
  long overflow = 0;
};

}  // namespace retort

#endif  // RETORT_POOL_HPP
