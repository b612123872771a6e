// core/src/sql/cache_key.hpp — private: the structural key of a statement, for the compiled-
// statement cache.
//
// Two statements with the same key compile to the same SQL: the key covers every part of the
// node tree that affects rendering (kinds, operators, names, types, tables, the shape of
// shared nodes) and none of the bound values.  The walk also lists the value sources — the
// places in the tree holding bound values — in a fixed order, so that a compiled statement
// cached for one statement can be given the values of another with the same key.
//
// Rule for node authors: a value stored in `Node::value`, `Node::values` or
// `Node::assignments` is only ever rendered as a bound parameter.  Anything that changes the
// SQL text must live in a field the key covers (see cache_key.cpp).
#ifndef RETORT_SRC_SQL_CACHE_KEY_HPP
#define RETORT_SRC_SQL_CACHE_KEY_HPP

#include "nodes.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace retort::detail {

struct StatementKey {
  std::string text;
  std::size_t hash = 0;
  /// Value sources in walk order: a `const Value*` for a single bound value, a
  /// `const std::vector<Value>*` for an expanding list (the compiled parameter says which).
  std::vector<const void*> sources;
};

/// The key of `statement`, computed once per statement node and then reused (statements are
/// immutable).  Thread-safe.
std::shared_ptr<const StatementKey> statement_key(const Node& statement);

}  // namespace retort::detail

#endif  // RETORT_SRC_SQL_CACHE_KEY_HPP
