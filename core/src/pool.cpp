// core/src/pool.cpp — QueuePool, NullPool, StaticPool and SingletonThreadPool.
#include "engine_impl.hpp"
#include "events_impl.hpp"
#include "logging_impl.hpp"
#include "pool_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace retort::detail {

namespace {

const char* pool_class_name(PoolClass c) noexcept {
  switch (c) {
    case PoolClass::null:
      return "NullPool";
    case PoolClass::static_:
      return "StaticPool";
    case PoolClass::singleton_thread:
      return "SingletonThreadPool";
    default:
      return "QueuePool";
  }
}

// QueuePool, and StaticPool as a QueuePool of exactly one connection.
class QueuePool final : public Pool {
 public:
  QueuePool(EngineImpl& engine, PoolClass cls, std::size_t size, long max_overflow,
            std::chrono::duration<double> timeout, bool lifo)
      : Pool(engine, cls),
        size_(size),
        max_overflow_(max_overflow),
        timeout_(timeout),
        lifo_(lifo) {}
  ~QueuePool() override {
    for (auto& r : drain()) close_connection(*r, "pool destroyed");
  }

  PoolStatistics statistics() const override {
    std::lock_guard lock(mutex_);
    PoolStatistics s;
    s.pool_class = class_;
    s.size = size_;
    s.checked_in = idle_.size();
    s.checked_out = open_ - idle_.size();
    s.overflow = static_cast<long>(open_) - static_cast<long>(size_);
    return s;
  }

 protected:
  std::unique_ptr<PoolRecord> acquire(Clock::time_point deadline) override {
    std::unique_lock lock(mutex_);
    const auto available = [this] { return !idle_.empty() || has_room(); };
    if (!available() && !cv_.wait_until(lock, deadline, available)) {
      throw TimeoutError(fmt::format(
          "{} limit of size {} overflow {} reached, connection timed out, timeout {:.2f} s: "
          "every connection is checked out.  Close connections sooner (an open Connection "
          "holds its slot), or raise pool_size, max_overflow or pool_timeout",
          name(), size_, max_overflow_, timeout_.count()));
    }
    if (!idle_.empty()) {
      std::unique_ptr<PoolRecord> r;
      if (lifo_) {
        r = std::move(idle_.back());
        idle_.pop_back();
      } else {
        r = std::move(idle_.front());
        idle_.pop_front();
      }
      return r;
    }
    ++open_;
    return std::make_unique<PoolRecord>();
  }

  void release(std::unique_ptr<PoolRecord> record) noexcept override {
    std::unique_ptr<PoolRecord> overflow;
    {
      std::lock_guard lock(mutex_);
      if (record->handle != nullptr && (size_ == 0 || idle_.size() < size_)) {
        idle_.push_back(std::move(record));
      } else {
        overflow = std::move(record);
        --open_;
      }
    }
    cv_.notify_one();
    if (overflow != nullptr && overflow->handle != nullptr) {
      close_connection(*overflow, "overflow connection returned");
    }
  }

  std::vector<std::unique_ptr<PoolRecord>> drain() noexcept override {
    std::vector<std::unique_ptr<PoolRecord>> out;
    {
      std::lock_guard lock(mutex_);
      for (auto& r : idle_) out.push_back(std::move(r));
      open_ -= idle_.size();
      idle_.clear();
    }
    cv_.notify_all();
    return out;
  }

 private:
  bool has_room() const noexcept {
    if (size_ == 0 || max_overflow_ < 0) return true;
    return open_ < size_ + static_cast<std::size_t>(max_overflow_);
  }

  const std::size_t size_;
  const long max_overflow_;
  const std::chrono::duration<double> timeout_;
  const bool lifo_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<PoolRecord>> idle_;
  std::size_t open_ = 0;  // idle + checked out + slots being connected
};

class NullPool final : public Pool {
 public:
  explicit NullPool(EngineImpl& engine) : Pool(engine, PoolClass::null) {}

  PoolStatistics statistics() const override {
    PoolStatistics s;
    s.pool_class = class_;
    s.checked_out = out_.load();
    return s;
  }

 protected:
  std::unique_ptr<PoolRecord> acquire(Clock::time_point) override {
    ++out_;
    return std::make_unique<PoolRecord>();
  }
  void release(std::unique_ptr<PoolRecord> record) noexcept override {
    --out_;
    if (record->handle != nullptr) close_connection(*record, "NullPool checkin");
  }
  std::vector<std::unique_ptr<PoolRecord>> drain() noexcept override { return {}; }

 private:
  std::atomic<std::size_t> out_{0};
};

class SingletonThreadPool final : public Pool {
 public:
  SingletonThreadPool(EngineImpl& engine, std::size_t size)
      : Pool(engine, PoolClass::singleton_thread), size_(size) {}
  ~SingletonThreadPool() override {
    for (auto& r : drain()) close_connection(*r, "pool destroyed");
  }

  PoolStatistics statistics() const override {
    std::lock_guard lock(mutex_);
    PoolStatistics s;
    s.pool_class = class_;
    s.size = size_;
    for (const auto& [thread, slot] : slots_) {
      if (slot.out) {
        ++s.checked_out;
      } else if (slot.record != nullptr) {
        ++s.checked_in;
      }
    }
    return s;
  }

 protected:
  std::unique_ptr<PoolRecord> acquire(Clock::time_point) override {
    const std::thread::id self = std::this_thread::get_id();
    std::vector<std::unique_ptr<PoolRecord>> evicted;
    std::unique_ptr<PoolRecord> record;
    {
      std::lock_guard lock(mutex_);
      Slot& slot = slots_[self];
      if (slot.out) {
        throw InvalidRequestError(
            "SingletonThreadPool: this thread's connection is already checked out (an "
            "in-memory SQLite database lives in one connection per thread).  Close the other "
            "Connection first, or use a file database with the default QueuePool");
      }
      slot.out = true;
      slot.last_use = ++uses_;
      record = slot.record != nullptr ? std::move(slot.record) : std::make_unique<PoolRecord>();
      record->thread = self;
      // Keep connections for at most size_ threads: close the least recently used idle ones.
      while (size_ != 0 && slots_.size() > size_) {
        auto victim = slots_.end();
        for (auto it = slots_.begin(); it != slots_.end(); ++it) {
          if (!it->second.out &&
              (victim == slots_.end() || it->second.last_use < victim->second.last_use)) {
            victim = it;
          }
        }
        if (victim == slots_.end()) break;
        if (victim->second.record != nullptr) evicted.push_back(std::move(victim->second.record));
        slots_.erase(victim);
      }
    }
    for (auto& r : evicted) close_connection(*r, "SingletonThreadPool over pool_size threads");
    return record;
  }

  void release(std::unique_ptr<PoolRecord> record) noexcept override {
    std::unique_ptr<PoolRecord> orphan;
    {
      std::lock_guard lock(mutex_);
      auto it = slots_.find(record->thread);
      if (it == slots_.end()) {
        orphan = std::move(record);
      } else {
        it->second.out = false;
        if (record->handle != nullptr) {
          it->second.record = std::move(record);
        } else {
          slots_.erase(it);
        }
      }
    }
    if (orphan != nullptr && orphan->handle != nullptr)
      close_connection(*orphan, "thread slot gone");
  }

  std::vector<std::unique_ptr<PoolRecord>> drain() noexcept override {
    std::vector<std::unique_ptr<PoolRecord>> out;
    std::lock_guard lock(mutex_);
    for (auto it = slots_.begin(); it != slots_.end();) {
      if (it->second.out) {
        ++it;
        continue;
      }
      if (it->second.record != nullptr) out.push_back(std::move(it->second.record));
      it = slots_.erase(it);
    }
    return out;
  }

 private:
  struct Slot {
    std::unique_ptr<PoolRecord> record;  // idle connection of this thread
    bool out = false;
    std::uint64_t last_use = 0;
  };
  const std::size_t size_;
  mutable std::mutex mutex_;
  std::map<std::thread::id, Slot> slots_;
  std::uint64_t uses_ = 0;
};

bool is_sqlite_memory(const URL& url) {
  if (url.get_backend_name() != "sqlite") return false;
  // Through ODBC (or any driver given a host or DSN) the database is not the URL's path.
  if (url.host() && !url.host()->empty()) return false;
  if (url.query_value("mode") == "memory") return false;  // a named, shareable memory database
  return !url.database() || url.database()->empty() || *url.database() == ":memory:";
}

}  // namespace

Pool::Pool(EngineImpl& engine, PoolClass cls) : engine_(engine), class_(cls) {}

const char* Pool::name() const noexcept {
  return pool_class_name(class_);
}

std::string Pool::status() const {
  const PoolStatistics s = statistics();
  switch (class_) {
    case PoolClass::null:
      return "NullPool";
    case PoolClass::static_:
      return "StaticPool";
    case PoolClass::singleton_thread:
      return fmt::format("SingletonThreadPool size: {}", s.checked_in + s.checked_out);
    default:
      return fmt::format(
          "Pool size: {}  Connections in pool: {} Current Overflow: {} Current Checked out "
          "connections: {}",
          s.size, s.checked_in, s.overflow, s.checked_out);
  }
}

void Pool::log(LogLevel level, std::string message) const noexcept {
  if (!engine_.options.echo_pool) return;
  log_to(engine_.options.log_sink, level, engine_.pool_logger, std::move(message));
}

void Pool::exec_simple(retort_connection* handle, std::string_view sql) const {
  const retort_driver& d = engine_.driver();
  retort_statement* stmt = nullptr;
  retort_error err = make_error();
  retort_status st = d.prepare(handle, sql.data(), sql.size(), &stmt, &err);
  if (st != RETORT_OK) engine_.raise(st, err, std::string(sql));
  retort_exec_info info{};
  info.struct_size = sizeof info;
  st = d.execute(stmt, nullptr, &info, &err);
  d.statement_release(stmt);
  if (st != RETORT_OK) engine_.raise(st, err, std::string(sql));
}

void Pool::close_connection(PoolRecord& record, std::string_view why) noexcept {
  if (record.handle == nullptr) return;
  log(LogLevel::debug, fmt::format("Closing connection {} ({})", record.id, why));
  engine_.driver().connection_release(record.handle);
  record.handle = nullptr;
}

void Pool::connect(PoolRecord& record) {
  record.handle = engine_.open_driver_connection();
  record.id = next_id_.fetch_add(1);
  record.created = Clock::now();
  log(LogLevel::info, fmt::format("Created new connection {}", record.id));
  try {
    const PoolConnection pc(engine_, record);
    if (!first_connect_done_.exchange(true)) {
      engine_.events->fire<PoolFn>(EventKind::first_connect, pc);
    }
    engine_.events->fire<PoolFn>(EventKind::connect, pc);
  } catch (...) {
    close_connection(record, "a connect listener failed");
    throw;
  }
}

bool Pool::stale(const PoolRecord& record) const noexcept {
  if (record.id < invalidate_below_.load()) return true;
  const auto recycle = engine_.options.pool_recycle;
  return recycle.count() >= 0 && Clock::now() - record.created > recycle;
}

bool Pool::ping(PoolRecord& record) {
  const retort_driver& d = engine_.driver();
  try {
    if (d.ping != nullptr) {
      retort_error err = make_error();
      const retort_status st = d.ping(record.handle, &err);
      if (st != RETORT_OK) engine_.raise(st, err, "ping");
    } else {
      exec_simple(record.handle, "SELECT 1");
    }
    return true;
  } catch (const DBAPIError& e) {
    if (!e.connection_invalidated()) throw;
    log(LogLevel::info,
        fmt::format("Pool pre-ping on connection {} failed, will invalidate pool", record.id));
    engine_.events->fire_noexcept<InvalidateFn>(EventKind::invalidate,
                                                PoolConnection(engine_, record),
                                                event::InvalidateContext{&e, "pre-ping failed"});
    if (engine_.options.invalidate_pool_on_disconnect) invalidate_below_.store(next_id_.load());
    return false;
  }
}

std::unique_ptr<PoolRecord> Pool::checkout() {
  const auto timeout = std::chrono::duration_cast<Clock::duration>(engine_.options.pool_timeout);
  std::unique_ptr<PoolRecord> record = acquire(Clock::now() + timeout);
  try {
    if (record->handle != nullptr && stale(*record)) {
      close_connection(*record, record->id < invalidate_below_.load() ? "invalidated"
                                                                      : "older than pool_recycle");
    }
    if (record->handle == nullptr) {
      connect(*record);
    } else if (engine_.options.pool_pre_ping && !ping(*record)) {
      close_connection(*record, "pre-ping failed");
      connect(*record);
    }
    record->generation = generation_.load();
    engine_.events->fire<PoolFn>(EventKind::checkout, PoolConnection(engine_, *record));
    log(LogLevel::debug, fmt::format("Connection {} checked out from pool", record->id));
  } catch (...) {
    release(std::move(record));
    throw;
  }
  return record;
}

void Pool::checkin(std::unique_ptr<PoolRecord> record, bool transaction_open) noexcept {
  if (record->handle != nullptr) {
    const ResetOnReturn mode = engine_.options.pool_reset_on_return;
    if (mode != ResetOnReturn::none) {
      bool ok = true;
      if (transaction_open) {
        const retort_driver& d = engine_.driver();
        retort_error err = make_error();
        const bool commit = mode == ResetOnReturn::commit;
        const retort_status st =
            commit ? d.commit(record->handle, &err) : d.rollback(record->handle, &err);
        if (err.release != nullptr) err.release(&err);
        ok = st == RETORT_OK;
        log(LogLevel::debug,
            fmt::format("Connection {} being returned to pool, {}", record->id,
                        ok ? (commit ? "committed" : "rolled back") : "reset failed: closing it"));
      }
      if (ok) {
        engine_.events->fire_noexcept<ResetFn>(
            EventKind::reset, PoolConnection(engine_, *record),
            event::ResetState{transaction_open, transaction_open && mode == ResetOnReturn::commit});
      } else {
        engine_.events->fire_noexcept<InvalidateFn>(
            EventKind::invalidate, PoolConnection(engine_, *record),
            event::InvalidateContext{nullptr, "reset on return failed"});
        close_connection(*record, "reset on return failed");
      }
    }
  }
  if (record->handle != nullptr) {
    engine_.events->fire_noexcept<PoolFn>(EventKind::checkin, PoolConnection(engine_, *record));
    log(LogLevel::debug, fmt::format("Connection {} returned to pool", record->id));
    if (record->generation != generation_.load()) close_connection(*record, "pool was disposed");
  }
  release(std::move(record));
}

void Pool::invalidate(std::unique_ptr<PoolRecord> record, const std::exception* error,
                      std::string_view reason, bool whole_pool) noexcept {
  if (record->handle != nullptr) {
    engine_.events->fire_noexcept<InvalidateFn>(EventKind::invalidate,
                                                PoolConnection(engine_, *record),
                                                event::InvalidateContext{error, reason});
    log(LogLevel::info,
        fmt::format("Invalidate connection {} (reason: {}{}{})", record->id, reason,
                    error != nullptr ? ": " : "", error != nullptr ? error->what() : ""));
    close_connection(*record, "invalidated");
  }
  if (whole_pool) {
    invalidate_below_.store(next_id_.load());
    log(LogLevel::info, "Every connection made before now will be replaced at its next checkout");
  }
  release(std::move(record));
}

void Pool::dispose() noexcept {
  generation_.fetch_add(1);
  for (auto& r : drain()) close_connection(*r, "dispose");
  log(LogLevel::info, fmt::format("Pool disposed. {}", status()));
}

std::unique_ptr<Pool> make_pool(EngineImpl& engine) {
  const EngineOptions& o = engine.options;
  PoolClass cls = o.poolclass;
  if (cls == PoolClass::automatic) {
    cls = is_sqlite_memory(engine.url) ? PoolClass::singleton_thread : PoolClass::queue;
  }
  switch (cls) {
    case PoolClass::null:
      return std::make_unique<NullPool>(engine);
    case PoolClass::static_:
      return std::make_unique<QueuePool>(engine, cls, 1, 0, o.pool_timeout, false);
    case PoolClass::singleton_thread:
      return std::make_unique<SingletonThreadPool>(engine, o.pool_size);
    default:
      return std::make_unique<QueuePool>(engine, PoolClass::queue, o.pool_size, o.max_overflow,
                                         o.pool_timeout, o.pool_use_lifo);
  }
}

}  // namespace retort::detail
