// core/src/events.cpp — listener registration.
#include "engine_impl.hpp"
#include "events_impl.hpp"
#include "pool_impl.hpp"

#include <retort/engine.hpp>
#include <retort/events.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace retort {

namespace detail {

std::uint64_t EventRegistry::add(EventKind k, std::shared_ptr<const void> fn) {
  std::lock_guard lock(mutex_);
  Slot& s = slots[static_cast<int>(k)];
  auto next = std::make_shared<Entries>(*s.entries);
  const std::uint64_t id = next_id_++;
  next->push_back(Entry{id, std::move(fn)});
  s.entries = std::move(next);
  s.count.store(s.entries->size(), std::memory_order_release);
  return id;
}

void EventRegistry::remove(int kind, std::uint64_t id) noexcept {
  if (kind < 0 || static_cast<std::size_t>(kind) >= kEventKinds) return;
  try {
    std::lock_guard lock(mutex_);
    Slot& s = slots[kind];
    auto next = std::make_shared<Entries>(*s.entries);
    next->erase(
        std::remove_if(next->begin(), next->end(), [id](const Entry& e) { return e.id == id; }),
        next->end());
    s.entries = std::move(next);
    s.count.store(s.entries->size(), std::memory_order_release);
  } catch (...) {
    // Out of memory while copying the list: the listener stays; nothing else can be done.
  }
}

bool EventRegistry::contains(int kind, std::uint64_t id) const noexcept {
  if (kind < 0 || static_cast<std::size_t>(kind) >= kEventKinds) return false;
  std::lock_guard lock(mutex_);
  const auto& entries = *slots[kind].entries;
  return std::any_of(entries.begin(), entries.end(), [id](const Entry& e) { return e.id == id; });
}

std::shared_ptr<const EventRegistry::Entries> EventRegistry::snapshot(EventKind k) const {
  std::lock_guard lock(mutex_);
  return slots[static_cast<int>(k)].entries;
}

}  // namespace detail

std::uint64_t PoolConnection::id() const noexcept {
  return record_->id;
}
std::chrono::steady_clock::time_point PoolConnection::created() const noexcept {
  return record_->created;
}
void PoolConnection::exec_driver_sql(std::string_view sql) const {
  if (record_->handle == nullptr) {
    throw ResourceClosedError("This pool connection is closed");
  }
  engine_->pool->exec_simple(record_->handle, sql);
}

namespace event {

void Listener::remove() noexcept {
  if (auto r = registry_.lock()) r->remove(kind_, id_);
  registry_.reset();
}

bool Listener::active() const noexcept {
  auto r = registry_.lock();
  return r != nullptr && r->contains(kind_, id_);
}

namespace {

template <typename Fn>
Listener add(const Engine& engine, detail::EventKind kind, Fn fn) {
  if (!fn) throw ArgumentError("event::listen() was given an empty function");
  const auto& registry = detail::EngineAccess::impl(engine)->events;
  const std::uint64_t id = registry->add(kind, std::make_shared<const Fn>(std::move(fn)));
  return Listener(registry, static_cast<int>(kind), id);
}

}  // namespace

using detail::EventKind;

Listener listen(const Engine& e, connect_t, PoolListener fn) {
  return add(e, EventKind::connect, std::move(fn));
}
Listener listen(const Engine& e, first_connect_t, PoolListener fn) {
  return add(e, EventKind::first_connect, std::move(fn));
}
Listener listen(const Engine& e, checkout_t, PoolListener fn) {
  return add(e, EventKind::checkout, std::move(fn));
}
Listener listen(const Engine& e, checkin_t, PoolListener fn) {
  return add(e, EventKind::checkin, std::move(fn));
}
Listener listen(const Engine& e, reset_t, detail::ResetFn fn) {
  return add(e, EventKind::reset, std::move(fn));
}
Listener listen(const Engine& e, invalidate_t, detail::InvalidateFn fn) {
  return add(e, EventKind::invalidate, std::move(fn));
}
Listener listen(const Engine& e, before_execute_t, detail::BeforeExecuteFn fn) {
  return add(e, EventKind::before_execute, std::move(fn));
}
Listener listen(const Engine& e, after_execute_t, detail::AfterExecuteFn fn) {
  return add(e, EventKind::after_execute, std::move(fn));
}
Listener listen(const Engine& e, before_cursor_execute_t, detail::BeforeCursorFn fn) {
  return add(e, EventKind::before_cursor_execute, std::move(fn));
}
Listener listen(const Engine& e, after_cursor_execute_t, detail::AfterCursorFn fn) {
  return add(e, EventKind::after_cursor_execute, std::move(fn));
}
Listener listen(const Engine& e, handle_error_t, detail::HandleErrorFn fn) {
  return add(e, EventKind::handle_error, std::move(fn));
}

}  // namespace event
}  // namespace retort
