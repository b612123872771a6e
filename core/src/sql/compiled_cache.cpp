// core/src/sql/compiled_cache.cpp — the compiled-statement cache.
#include "compiled_cache.hpp"

#include "cache_key.hpp"

#include <functional>

namespace retort::detail {

namespace {

std::size_t combine(std::size_t seed, std::size_t h) {
  return seed ^ (h + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}

std::size_t lookup_hash(const StatementKey& key, const retort_dialect& dialect,
                        const std::vector<std::string>* column_keys) {
  std::size_t h = combine(key.hash, std::hash<const void*>{}(&dialect));
  if (column_keys != nullptr) {
    h = combine(h, column_keys->size() + 1);
    for (const auto& k : *column_keys) h = combine(h, std::hash<std::string>{}(k));
  }
  return h;
}

// The cached compilation with `key`'s values in place of the ones it was compiled with.
Compiled with_values(const Compiled& cached, const std::vector<std::int32_t>& slots,
                     const StatementKey& key) {
  Compiled out = cached;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i] < 0) continue;
    BoundParameter& p = out.parameters[i];
    const void* source = key.sources[static_cast<std::size_t>(slots[i])];
    if (p.expanding) {
      p.values = *static_cast<const std::vector<Value>*>(source);
    } else {
      p.value = *static_cast<const Value*>(source);
    }
  }
  return out;
}

}  // namespace

Compiled CompiledCache::get(const Node& statement, const retort_dialect& dialect,
                            const std::vector<std::string>* column_keys) {
  // DDL is not cached: it is rare, and what it renders depends on the MetaData at the time
  // (foreign keys resolve by name; create_all leaves out the constraints of a cycle).
  const bool dml_or_query =
      statement.kind == NodeKind::select || statement.kind == NodeKind::compound_select ||
      statement.kind == NodeKind::textual_select || statement.kind == NodeKind::insert ||
      statement.kind == NodeKind::update || statement.kind == NodeKind::delete_;
  if (capacity_ == 0 || !dml_or_query) return compile_for(statement, dialect, column_keys);
  const std::shared_ptr<const StatementKey> key = statement_key(statement);
  const std::size_t hash = lookup_hash(*key, dialect, column_keys);
  {
    std::lock_guard lock(mutex_);
    if (auto it = find_locked(hash, *key, dialect, column_keys); it != lru_.end()) {
      ++hits_;
      lru_.splice(lru_.begin(), lru_, it);
      return with_values(it->compiled, it->slots, *key);
    }
    ++misses_;
  }

  SQLCompiler compiler(dialect, column_keys);
  Compiled compiled = compiler.compile(statement);
  std::unordered_map<const void*, std::int32_t> ordinal;
  for (std::size_t i = 0; i < key->sources.size(); ++i) {
    ordinal.emplace(key->sources[i], static_cast<std::int32_t>(i));
  }
  std::vector<std::int32_t> slots;
  slots.reserve(compiler.sources().size());
  for (const void* source : compiler.sources()) {
    auto it = source ? ordinal.find(source) : ordinal.end();
    slots.push_back(it == ordinal.end() ? -1 : it->second);
  }

  std::lock_guard lock(mutex_);
  // Another thread may have compiled the same statement meanwhile: keep one entry.
  if (find_locked(hash, *key, dialect, column_keys) != lru_.end()) return compiled;
  lru_.push_front(Entry{hash, key->text, &dialect, column_keys != nullptr,
                        column_keys ? *column_keys : std::vector<std::string>{}, compiled,
                        std::move(slots)});
  index_.emplace(hash, lru_.begin());
  while (lru_.size() > capacity_) {
    auto victim = std::prev(lru_.end());
    auto [first, last] = index_.equal_range(victim->hash);
    for (auto it = first; it != last; ++it) {
      if (it->second == victim) {
        index_.erase(it);
        break;
      }
    }
    lru_.erase(victim);
  }
  return compiled;
}

std::list<CompiledCache::Entry>::iterator CompiledCache::find_locked(
    std::size_t hash, const StatementKey& key, const retort_dialect& dialect,
    const std::vector<std::string>* column_keys) {
  auto [first, last] = index_.equal_range(hash);
  for (auto it = first; it != last; ++it) {
    const Entry& e = *it->second;
    if (e.dialect == &dialect && e.text == key.text && e.has_keys == (column_keys != nullptr) &&
        (column_keys == nullptr || e.keys == *column_keys)) {
      return it->second;
    }
  }
  return lru_.end();
}

CompiledCache::Stats CompiledCache::stats() const {
  std::lock_guard lock(mutex_);
  return Stats{hits_, misses_, lru_.size(), capacity_};
}

}  // namespace retort::detail
