// core/src/pool_impl.hpp — private: the connection pools behind Engine::connect().
#ifndef RETORT_SRC_POOL_IMPL_HPP
#define RETORT_SRC_POOL_IMPL_HPP

#include <retort/exceptions.hpp>
#include <retort/logging.hpp>
#include <retort/plugin_abi.h>
#include <retort/pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace retort::detail {

struct EngineImpl;

/// One driver connection and its bookkeeping (SQLAlchemy's _ConnectionRecord).  A record is
/// owned by the pool while idle and by a ConnectionImpl while checked out.  A record whose
/// `handle` is null stands for a reserved slot without a connection.
struct PoolRecord {
  retort_connection* handle = nullptr;
  std::uint64_t id = 0;
  std::chrono::steady_clock::time_point created{};
  /// Pool::generation_ when checked out; a dispose() since then closes it at checkin.
  std::uint64_t generation = 0;
  /// SingletonThreadPool: the thread it belongs to.
  std::thread::id thread{};
};

/// The common part of every pool: making, checking, resetting and closing driver
/// connections, events and echo_pool logging.  Subclasses decide only which record a
/// checkout gets and what happens to a returned one (acquire / release).  Thread-safe.
class Pool {
 public:
  Pool(EngineImpl& engine, PoolClass cls);
  virtual ~Pool() = default;
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// A record with a live, checked, reset connection.  Throws TimeoutError, the driver's
  /// DBAPIError when connecting fails, a listener's exception, InvalidRequestError
  /// (SingletonThreadPool re-entry).
  std::unique_ptr<PoolRecord> checkout();
  /// Takes a record back: ends a transaction still open (`transaction_open`) as
  /// pool_reset_on_return says, fires reset and checkin, and keeps or closes it.
  void checkin(std::unique_ptr<PoolRecord> record, bool transaction_open) noexcept;
  /// Closes a checked-out record's connection and frees its slot; with `whole_pool`, every
  /// connection made before it is replaced at its next checkout.
  void invalidate(std::unique_ptr<PoolRecord> record, const std::exception* error,
                  std::string_view reason, bool whole_pool) noexcept;
  /// Closes idle connections; checked-out ones close at checkin.
  void dispose() noexcept;

  virtual PoolStatistics statistics() const = 0;
  std::string status() const;
  /// "QueuePool", "NullPool", "StaticPool", "SingletonThreadPool".
  const char* name() const noexcept;

  /// Runs `sql` without parameters on `handle`, discarding rows.  Throws DBAPIError.
  void exec_simple(retort_connection* handle, std::string_view sql) const;

 protected:
  using Clock = std::chrono::steady_clock;
  /// A record to check out: an idle one (handle set) or a reserved empty slot.  Throws
  /// TimeoutError at `deadline`.
  virtual std::unique_ptr<PoolRecord> acquire(Clock::time_point deadline) = 0;
  /// Takes a record back: with a handle, to keep or close; without one, frees its slot.
  virtual void release(std::unique_ptr<PoolRecord> record) noexcept = 0;
  /// Removes and returns the idle records (dispose()).
  virtual std::vector<std::unique_ptr<PoolRecord>> drain() noexcept = 0;

  /// Closes a record's driver connection (logging it); the record stays.
  void close_connection(PoolRecord& record, std::string_view why) noexcept;
  void log(LogLevel level, std::string message) const noexcept;

  EngineImpl& engine_;
  const PoolClass class_;

 private:
  void connect(PoolRecord& record);
  bool stale(const PoolRecord& record) const noexcept;
  // Pings; false when the connection is lost (a disconnect), rethrows other errors.
  bool ping(PoolRecord& record);

  std::atomic<std::uint64_t> next_id_{1};
  /// Records with an id below this are replaced at checkout (pool-wide invalidation).
  std::atomic<std::uint64_t> invalidate_below_{0};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> first_connect_done_{false};
};

/// The pool `options.poolclass` (or the URL's default) calls for.
std::unique_ptr<Pool> make_pool(EngineImpl& engine);

}  // namespace retort::detail

#endif  // RETORT_SRC_POOL_IMPL_HPP
