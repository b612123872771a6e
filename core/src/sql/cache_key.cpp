// core/src/sql/cache_key.cpp — the structural key walk.
#include "cache_key.hpp"

#include <retort/text.hpp>

#include <cstring>
#include <functional>
#include <typeinfo>

namespace retort::detail {

namespace {

// The key is a compact byte string: per node a kind byte, a presence mask, then only what is
// present.  It is built for every statement that is not already memoized, so it is cheap by
// design: no allocation per node, few appends.
class KeyWriter {
 public:
  explicit KeyWriter(StatementKey& out) : out_(out) {
    out_.text.reserve(1024);
    out_.sources.reserve(16);
    seen_.reserve(8);
  }

  void node(const Node* n) {
    if (n == nullptr) {
      out_.text += '\0';
      return;
    }
    // FROM items keep their identity: two aliases of the same name are two FROM entries, one
    // alias used by several columns is one.  They are written once and then referred to by
    // number.  Expressions render the same wherever they are shared, so they are just walked.
    // Subqueries and CTEs too: an anonymous one is numbered (anon_1) by identity.
    const bool identity = n->table != nullptr || n->kind == NodeKind::alias ||
                          n->kind == NodeKind::join || n->kind == NodeKind::subquery ||
                          n->kind == NodeKind::cte;
    if (identity) {
      for (std::size_t i = 0; i < seen_.size(); ++i) {
        if (seen_[i] == n) {
          out_.text += '\1';
          number(i);
          return;
        }
      }
      seen_.push_back(n);
    }
    const bool expanding = n->kind == NodeKind::expanding;
    unsigned char head[4] = {
        static_cast<unsigned char>(static_cast<unsigned>(n->kind) + 2),
        static_cast<unsigned char>(n->precedence),
        static_cast<unsigned char>(
            (n->flag ? 1 : 0) | (!n->text.empty() ? 2 : 0) | (n->table ? 4 : 0) |
            (n->value ? 8 : 0) | (!n->values.empty() && !expanding ? 16 : 0) |
            (!n->assignments.empty() ? 32 : 0) | (n->type.kind() != TypeKind::null ? 64 : 0)),
        static_cast<unsigned char>((n->left ? 1 : 0) | (n->right ? 2 : 0) | (n->third ? 4 : 0) |
                                   (n->from ? 8 : 0) | (n->where ? 16 : 0) | (n->having ? 32 : 0) |
                                   (n->limit ? 64 : 0) | (n->offset ? 128 : 0)),
    };
    out_.text.append(reinterpret_cast<const char*>(head), sizeof head);
    if (!n->text.empty()) string(n->text);
    if (n->table) raw(n->table->serial.value);
    if (n->type.kind() != TypeKind::null) type(n->type);
    if (expanding) {
      // Any list length: the list becomes placeholders only at execution.
      out_.sources.push_back(&n->values);
    } else if (!n->values.empty()) {
      number(n->values.size());
      for (const auto& v : n->values) out_.sources.push_back(&v);
    }
    if (n->value) out_.sources.push_back(&*n->value);
    if (n->kind == NodeKind::over) {
      number(static_cast<std::uint64_t>(n->frame_mode));
      for (const auto& bound : {n->frame_start, n->frame_end}) {
        // Frame offsets are literals in the SQL (as SQL requires), hence part of the key.
        out_.text += bound ? '+' : '-';
        if (bound) raw(*bound);
      }
    }
    // SELECT-only parts.
    list(n->distinct_on);
    if (n->for_update) {
      const ForUpdateData& f = *n->for_update;
      out_.text += static_cast<char>(1 | (f.read ? 2 : 0) | (f.nowait ? 4 : 0) |
                                     (f.skip_locked ? 8 : 0) | (f.key_share ? 16 : 0));
      list(f.of);
    } else {
      out_.text += '\0';
    }
    out_.text += static_cast<char>(n->correlate_mode);
    list(n->correlate);
    number(static_cast<std::uint64_t>(n->column_index + 1));
    if (n->text_clause) string(n->text_clause->text());
    if (n->sequence) {
      // next_value(): only the names render.
      string(n->sequence->name());
      string(n->sequence->options().schema);
    }
    if (n->left) node(n->left.get());
    if (n->right) node(n->right.get());
    if (n->third) node(n->third.get());
    if (n->from) node(n->from.get());
    if (n->where) node(n->where.get());
    if (n->having) node(n->having.get());
    if (n->limit) node(n->limit.get());
    if (n->offset) node(n->offset.get());
    list(n->items);
    list(n->froms);
    list(n->group_by);
    list(n->order_by);
    if (!n->assignments.empty()) {
      number(n->assignments.size());
      for (const auto& a : n->assignments) {
        string(a.key);
        if (a.value) {
          out_.text += 'v';
          out_.sources.push_back(&*a.value);
        } else {
          node(a.expr.get());
        }
      }
    }
    // DML parts.
    number(n->multi_values.size());
    for (const auto& row : n->multi_values) {
      // The rows' key sets shape the SQL (columns, defaults); their values are bound.
      number(row.items().size());
      for (const auto& [key, value] : row.items()) {
        string(key);
        out_.sources.push_back(&value);
      }
    }
    number(n->multi_value_exprs.size());
    for (const auto& row : n->multi_value_exprs) {
      number(row.size());
      for (const auto& e : row) {
        string(e.key);
        node(e.expr.get());
      }
    }
    node(n->from_select.get());
    number(n->names.size());
    for (const auto& name : n->names) string(name);
    list(n->returning);
    node(n->upsert.get());
    list(n->ctes);
    out_.text += n->nesting ? '\1' : '\0';
  }

 private:
  void list(const std::vector<NodePtr>& nodes) {
    number(nodes.size());
    for (const auto& n : nodes) node(n.get());
  }
  void number(std::uint64_t v) {
    char buf[10];
    std::size_t len = 0;
    do {
      buf[len++] = static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
      v >>= 7;
    } while (v != 0);
    out_.text.append(buf, len);
  }
  template <typename T>
  void raw(const T& v) {
    out_.text.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void string(const std::string& s) {
    number(s.size());
    out_.text += s;
  }
  void type(const Type& t) {
    const TypeEngine& e = *t;
    // The dynamic type tells a user's TypeDecorator apart from the type it wraps; type_info
    // objects live as long as the program.
    raw(&typeid(e));
    const unsigned char mask = static_cast<unsigned char>(
        (e.length() ? 1 : 0) | (e.precision() ? 2 : 0) | (e.scale() ? 4 : 0) |
        (e.timezone() ? 8 : 0) | (!e.enum_values().empty() ? 16 : 0) |
        (!e.enum_name().empty() ? 32 : 0));
    out_.text += static_cast<char>(mask);
    if (e.length()) raw(*e.length());
    if (e.precision()) raw(*e.precision());
    if (e.scale()) raw(*e.scale());
    if (!e.enum_values().empty()) {
      number(e.enum_values().size());
      for (const auto& v : e.enum_values()) string(v);
    }
    if (!e.enum_name().empty()) string(e.enum_name());
  }

  StatementKey& out_;
  std::vector<const Node*> seen_;
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
