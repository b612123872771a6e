// core/src/sql/cache_key.cpp — the structural key walk.
#include "cache_key.hpp"

#include <cstring>
#include <functional>
#include <typeinfo>
#include <unordered_map>

namespace retort::detail {

namespace {

class KeyWriter {
 public:
  explicit KeyWriter(StatementKey& out) : out_(out) {}

  void node(const Node* n) {
    if (n == nullptr) {
      out_.text += '-';
      return;
    }
    // A node reached twice (an alias used by several columns, a CTE referenced twice) is
    // written once and then referred to by number, so the key keeps the tree's sharing.
    auto [it, added] = seen_.emplace(n, seen_.size());
    if (!added) {
      out_.text += 'r';
      number(it->second);
      return;
    }
    out_.text += 'n';
    number(static_cast<std::uint64_t>(n->kind));
    string(n->text);
    number(static_cast<std::uint64_t>(n->precedence));
    out_.text += n->flag ? '1' : '0';
    type(n->type);
    if (n->table) {
      out_.text += 't';
      number(n->table->serial.value);
    } else {
      out_.text += '-';
    }
    if (n->kind == NodeKind::expanding) {
      // Any list length: the list becomes placeholders only at execution.
      out_.sources.push_back(&n->values);
    } else {
      number(n->values.size());
      for (const auto& v : n->values) out_.sources.push_back(&v);
    }
    if (n->value) {
      out_.text += 'v';
      out_.sources.push_back(&*n->value);
    } else {
      out_.text += '-';
    }
    node(n->left.get());
    node(n->right.get());
    node(n->third.get());
    node(n->from.get());
    list(n->items);
    list(n->froms);
    node(n->where.get());
    node(n->having.get());
    node(n->limit.get());
    node(n->offset.get());
    list(n->group_by);
    list(n->order_by);
    number(n->assignments.size());
    for (const auto& [key, value] : n->assignments) {
      string(key);
      out_.sources.push_back(&value);
    }
  }

 private:
  void list(const std::vector<NodePtr>& nodes) {
    number(nodes.size());
    for (const auto& n : nodes) node(n.get());
  }
  void number(std::uint64_t v) {
    do {
      out_.text += static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
      v >>= 7;
    } while (v != 0);
  }
  void string(const std::string& s) {
    number(s.size());
    out_.text += s;
  }
  void type(const Type& t) {
    const TypeEngine& e = *t;
    // The dynamic type tells a user's TypeDecorator apart from the type it wraps.
    const char* name = typeid(e).name();
    out_.text.append(name, std::strlen(name));
    out_.text += ';';
    auto optional = [&](const std::optional<std::int32_t>& v) {
      if (v) {
        out_.text += '+';
        number(static_cast<std::uint32_t>(*v));
      } else {
        out_.text += '-';
      }
    };
    optional(e.length());
    optional(e.precision());
    optional(e.scale());
    out_.text += e.timezone() ? '1' : '0';
    number(e.enum_values().size());
    for (const auto& v : e.enum_values()) string(v);
    string(e.enum_name());
  }

  StatementKey& out_;
  std::unordered_map<const Node*, std::uint64_t> seen_;
};

}  // namespace

std::shared_ptr<const StatementKey> statement_key(const Node& statement) {
  if (auto memo = statement.key_memo.key.load(std::memory_order_acquire)) return memo;
  auto key = std::make_shared<StatementKey>();
  KeyWriter(*key).node(&statement);
  key->hash = std::hash<std::string>{}(key->text);
  // Two threads may both compute it; either result is the same key.
  std::shared_ptr<const StatementKey> out = std::move(key);
  statement.key_memo.key.store(out, std::memory_order_release);
  return out;
}

}  // namespace retort::detail
