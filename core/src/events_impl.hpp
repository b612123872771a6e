// core/src/events_impl.hpp — private: an engine's listeners.
#ifndef RETORT_SRC_EVENTS_IMPL_HPP
#define RETORT_SRC_EVENTS_IMPL_HPP

#include <retort/events.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

namespace retort::detail {

enum class EventKind : int {
  connect,
  first_connect,
  checkout,
  checkin,
  reset,
  invalidate,
  before_execute,
  after_execute,
  before_cursor_execute,
  after_cursor_execute,
  handle_error,
};
inline constexpr std::size_t kEventKinds = 11;

/// Listeners by kind, copy-on-write: firing takes a snapshot and runs it without a lock, so
/// a listener may register or remove listeners.  `has()` is one relaxed atomic load, which
/// keeps the execute path free when nobody listens.
struct EventRegistry {
  struct Entry {
    std::uint64_t id;
    std::shared_ptr<const void> fn;  // the std::function of the kind's signature
  };
  using Entries = std::vector<Entry>;

  bool has(EventKind k) const noexcept {
    return slots[static_cast<int>(k)].count.load(std::memory_order_acquire) != 0;
  }

  std::uint64_t add(EventKind k, std::shared_ptr<const void> fn);
  void remove(int kind, std::uint64_t id) noexcept;
  bool contains(int kind, std::uint64_t id) const noexcept;
  std::shared_ptr<const Entries> snapshot(EventKind k) const;

  /// Calls every listener of `k` (whose type is `Fn`) with `args`.  Exceptions propagate.
  template <typename Fn, typename... Args>
  void fire(EventKind k, Args&&... args) const {
    if (!has(k)) return;
    const auto entries = snapshot(k);
    for (const Entry& e : *entries) (*static_cast<const Fn*>(e.fn.get()))(args...);
  }

  /// As fire(), but a listener's exception is swallowed (release paths).
  template <typename Fn, typename... Args>
  void fire_noexcept(EventKind k, Args&&... args) const noexcept {
    try {
      fire<Fn>(k, std::forward<Args>(args)...);
    } catch (...) {
      // Documented: checkin/reset/invalidate listeners cannot fail a release.
    }
  }

 private:
  struct Slot {
    std::atomic<std::size_t> count{0};
    std::shared_ptr<const Entries> entries = std::make_shared<const Entries>();
  };
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::array<Slot, kEventKinds> slots;
};

using PoolFn = std::function<void(const PoolConnection&)>;
using ResetFn = std::function<void(const PoolConnection&, const event::ResetState&)>;
using InvalidateFn = std::function<void(const PoolConnection&, const event::InvalidateContext&)>;
using BeforeExecuteFn = std::function<void(const event::ExecuteContext&)>;
using AfterExecuteFn = std::function<void(const event::ExecuteContext&, const Result&)>;
using BeforeCursorFn = std::function<void(event::CursorExecuteContext&)>;
using AfterCursorFn = std::function<void(const event::CursorExecuteContext&)>;
using HandleErrorFn = std::function<void(event::ExceptionContext&)>;

}  // namespace retort::detail

#endif  // RETORT_SRC_EVENTS_IMPL_HPP
