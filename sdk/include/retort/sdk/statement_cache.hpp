// retort/sdk/statement_cache.hpp — a per-connection LRU cache of prepared statements.
// SPDX-License-Identifier: MIT
//
// Most drivers want to prepare a statement once per connection and reuse it while the same
// SQL text keeps coming back.  `StatementCache` holds the statements that are not in use,
// keyed by SQL text (or any byte string a driver builds from it, such as the text plus the
// parameter types), bounded in size, least recently used evicted first.  The driver decides
// what a statement *is* (the `Handle`) and how one is freed (the `Deleter`); the cache only
// keeps order and ownership.
//
// Header-only, C++20, standard library only.
#ifndef RETORT_SDK_STATEMENT_CACHE_HPP
#define RETORT_SDK_STATEMENT_CACHE_HPP

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace retort::sdk {

/**
 * Prepared statements of one connection, keyed by SQL text, least recently used first out.
 *
 * Two ways to use it, matching the two kinds of handle a driver may have:
 *
 *   - Exclusive handles (an `sqlite3_stmt*`, which carries bindings and a cursor): `take`
 *     checks a statement *out*, removing it, so two live statements never share a handle;
 *     when a second statement wants the same SQL while the first is out, it finds nothing and
 *     prepares its own.  `give_back` checks it in again as the most recently used entry; when
 *     an entry for that SQL is already cached, the one given back is freed instead.
 *   - Shareable handles (a `std::shared_ptr` to an immutable server-side statement): `find`
 *     looks one up and marks it most recently used, leaving it in the cache; `give_back`
 *     adds a freshly prepared one.
 *
 * Ownership: the cache owns every handle stored in it.  Each handle leaves the cache exactly
 * once, either back to the caller (`take`) or through the deleter (eviction, a
 * duplicate or uncacheable `give_back`, `clear`, the destructor).
 *
 * Size: at most `capacity` entries.  Capacity 0 means "no caching": `give_back` hands every
 * handle straight to the deleter and lookups always miss.
 *
 * Thread-safety: none.  A cache belongs to one connection, which one thread uses at a time
 * (the ABI's threading rule); keep `cancel` paths away from it.
 *
 * @tparam Handle  the statement, moved in and out; its move operations must not throw.
 * @tparam Deleter a callable `void(Handle) noexcept` that frees a handle the cache drops.  It
 *         is stored by value and may carry state (e.g. a pointer to a list of statements to
 *         deallocate later); it must not call back into the cache.
 */
template <typename Handle, typename Deleter>
class StatementCache {
  static_assert(std::is_nothrow_move_constructible_v<Handle> &&
                    std::is_nothrow_move_assignable_v<Handle>,
                "StatementCache needs a Handle whose moves do not throw");
  static_assert(std::is_nothrow_invocable_v<Deleter&, Handle&&>,
                "StatementCache needs a Deleter callable as void(Handle) noexcept");

 public:
  /// An empty cache of at most `capacity` entries (0: no caching) freeing through `deleter`.
  explicit StatementCache(std::size_t capacity, Deleter deleter = Deleter()) noexcept(
      std::is_nothrow_move_constructible_v<Deleter>)
      : capacity_(capacity), deleter_(std::move(deleter)) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  /// Frees every cached handle through the deleter.
  ~StatementCache() { clear(); }

  std::size_t capacity() const noexcept { return capacity_; }
  /// The number of cached handles (checked-out ones are not counted).
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

  /// Checks out the handle cached for `sql`: removes it from the cache, without freeing it,
  /// and returns it, or nullopt when there is none.  The caller owns it from then on (until
  /// `give_back`).  Also the way to drop an entry the caller frees itself, such as a
  /// statement the server no longer accepts.
  std::optional<Handle> take(std::string_view sql) noexcept {
    const auto found = index_.find(sql);
    if (found == index_.end()) return std::nullopt;
    const auto node = found->second;
    std::optional<Handle> handle(std::move(node->handle));
    // The entry's list node (with its key's buffer) and index node are kept as spares for
    // the next give_back: a statement checked out and in again per execute (the common case)
    // then allocates nothing.  A spare's handle is moved-from and never given to the deleter.
    spare_index_ = index_.extract(found);
    spare_.splice(spare_.begin(), entries_, node);
    if (spare_.size() > 1) spare_.pop_back();
    return handle;
  }

  /// The handle cached for `sql`, made the most recently used, or NULL when there is none.
  /// The entry stays cached: only for handles that may be shared.  The pointer is valid until
  /// the next call that changes the cache.
  Handle* find(std::string_view sql) noexcept {
    const auto found = index_.find(sql);
    if (found == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, found->second);
    return &found->second->handle;
  }

  /**
   * Puts `handle`, prepared from `sql`, into the cache as the most recently used entry and
   * evicts least recently used entries through the deleter until the capacity holds.  Takes
   * ownership in every case: when caching is off, when `sql` is already cached (the cached
   * entry stays where it is) or when memory runs out, `handle` goes to the deleter instead.
   * A driver resets the statement (cursor, bindings) before giving it back.
   */
  void give_back(std::string_view sql, Handle handle) noexcept {
    if (capacity_ == 0 || index_.contains(sql)) {
      deleter_(std::move(handle));
      return;
    }
    try {
      if (!spare_.empty()) {
        spare_.front().sql.assign(sql.data(), sql.size());  // may throw: `handle` still here
        spare_.front().handle = std::move(handle);
        entries_.splice(entries_.begin(), spare_, spare_.begin());
      } else {
        std::string key(sql);
        // The node is allocated before `handle` is moved into it, so a throw leaves it here.
        entries_.emplace_front(std::move(key), std::move(handle));
      }
    } catch (...) {
      deleter_(std::move(handle));
      return;
    }
    try {
      if (!spare_index_.empty()) {
        spare_index_.key() = entries_.front().sql;
        spare_index_.mapped() = entries_.begin();
        index_.insert(std::move(spare_index_));
      } else {
        index_.emplace(entries_.front().sql, entries_.begin());
      }
    } catch (...) {
      deleter_(std::move(entries_.front().handle));
      entries_.pop_front();
      return;
    }
    while (entries_.size() > capacity_) {
      Entry& last = entries_.back();
      index_.erase(last.sql);
      deleter_(std::move(last.handle));
      entries_.pop_back();
    }
  }

  /// Frees every cached handle through the deleter, least recently used first.
  void clear() noexcept {
    spare_index_ = {};
    spare_.clear();
    index_.clear();
    while (!entries_.empty()) {
      deleter_(std::move(entries_.back().handle));
      entries_.pop_back();
    }
  }

 private:
  struct Entry {
    Entry(std::string s, Handle h) noexcept : sql(std::move(s)), handle(std::move(h)) {}
    std::string sql;
    Handle handle;
  };

  std::size_t capacity_;
  Deleter deleter_;
  /// Most recently used first.
  std::list<Entry> entries_;
  /// Keys view the `sql` of the list nodes, which never move.
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
  /// At most one list node and one index node left by `take`, reused by `give_back`.
  std::list<Entry> spare_;
  typename std::unordered_map<std::string_view, typename std::list<Entry>::iterator>::node_type
      spare_index_;
};

}  // namespace retort::sdk

#endif  // RETORT_SDK_STATEMENT_CACHE_HPP
