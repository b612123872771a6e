// core/src/sql/compiled_cache.hpp — private: the engine's compiled-statement cache.
//
// Keyed on the statement's structure (cache_key.hpp), the dialect and the execution's
// parameter keys, never on bound values: a hit copies the cached compilation and fills in the
// statement's own values, skipping rendering entirely.  Bounded, least recently used first
// out.  Thread-safe: one mutex, held only for the lookup and the insertion, never while
// compiling.
#ifndef RETORT_SRC_SQL_COMPILED_CACHE_HPP
#define RETORT_SRC_SQL_COMPILED_CACHE_HPP

#include "compiler.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace retort::detail {

class CompiledCache {
 public:
  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t size = 0;
    std::size_t capacity = 0;
  };

  /// `capacity` 0 disables caching (every call compiles).
  explicit CompiledCache(std::size_t capacity) : capacity_(capacity) {}

  /// `statement` compiled for `dialect` (see compile_for), from the cache when it holds a
  /// statement of the same structure.  Throws what compile_for throws; failures are not
  /// cached.
  Compiled get(const Node& statement, const retort_dialect& dialect,
               const std::vector<std::string>* column_keys);

  Stats stats() const;

 private:
  struct Entry {
    std::size_t hash;
    std::string text;  // the statement key
    const retort_dialect* dialect;
    bool has_keys;
    std::vector<std::string> keys;
    Compiled compiled;
    // Per parameter: the index of its value source in the statement key, or -1 when the
    // value is fixed (a schema default) or given at execution.
    std::vector<std::int32_t> slots;
  };

  // The entry for this statement, dialect and keys, or lru_.end().  Needs mutex_.
  std::list<Entry>::iterator find_locked(std::size_t hash, const struct StatementKey& key,
                                         const retort_dialect& dialect,
                                         const std::vector<std::string>* column_keys);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_multimap<std::size_t, std::list<Entry>::iterator> index_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace retort::detail

#endif  // RETORT_SRC_SQL_COMPILED_CACHE_HPP
