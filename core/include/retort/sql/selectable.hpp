// retort/sql/selectable.hpp — FROM clauses and SELECT (SQLAlchemy's `select()`).
// SPDX-License-Identifier: MIT
//
//   auto stmt = select(users.c["id"], users.c["name"])
//                   .where(users.c["name"].like("e%"))
//                   .order_by(users.c["id"].desc())
//                   .limit(10);
//   // SELECT users.id, users.name FROM users WHERE users.name LIKE ? ORDER BY users.id DESC
//   // LIMIT ?                                                        (sqlite)
//
// Select is immutable and generative: every method returns a new Select, the original is
// unchanged.  All of these types are cheap to copy and safe to share between threads.
#ifndef RETORT_SQL_SELECTABLE_HPP
#define RETORT_SQL_SELECTABLE_HPP

#include <retort/sql/elements.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

/// The columns of a FROM clause, by key.
class ColumnCollection {
 public:
  explicit ColumnCollection(std::shared_ptr<const detail::Node> from) : from_(std::move(from)) {}
  /// The column whose key is `key`.  Throws ArgumentError naming the table and the key.
  ColumnElement operator[](std::string_view key) const;
  /// Every column, in table order.
  std::vector<ColumnElement> all() const;

 private:
  std::shared_ptr<const detail::Node> from_;
};

/// Something that can appear in FROM: a table, an alias of one, or a join.
class FromClause {
 public:
  explicit FromClause(std::shared_ptr<const detail::Node> node) : c(node), node_(std::move(node)) {}

  /// `<table> AS name`; its columns render as `name.column`.  Only tables can be aliased.
  FromClause alias(std::string name) const;
  /// `self JOIN other ON onclause`; without an onclause, inferred from the one foreign key
  /// between them (ArgumentError when there is none, or more than one).
  FromClause join(const FromClause& other,
                  std::optional<ColumnElement> onclause = std::nullopt) const;
  /// `self LEFT OUTER JOIN other ON …`.
  FromClause outerjoin(const FromClause& other,
                       std::optional<ColumnElement> onclause = std::nullopt) const;

  /// The columns (for a join: those of both sides).
  ColumnCollection c;

  const std::shared_ptr<const detail::Node>& node() const noexcept { return node_; }

 protected:
  std::shared_ptr<const detail::Node> node_;
};

/// A SELECT statement.
class Select : public Executable {
 public:
  /// Builds from select-list items (columns, expressions, or whole FROM clauses, which
  /// contribute all their columns).  Use `select(…)`.
  explicit Select(std::vector<std::shared_ptr<const detail::Node>> items);

  /// Adds a WHERE condition; several calls are joined with AND.
  Select where(const ColumnElement& condition) const;
  /// Joins `target` to the leftmost FROM (the first select_from, else the first table of
  /// the select list).  ON as in FromClause::join.
  Select join(const FromClause& target, std::optional<ColumnElement> onclause = std::nullopt) const;
  Select outerjoin(const FromClause& target,
                   std::optional<ColumnElement> onclause = std::nullopt) const;
  /// Adds an explicit FROM item (tables used by the columns are added implicitly).
  Select select_from(const FromClause& from) const;
  Select group_by(std::vector<ColumnElement> columns) const;
  Select having(const ColumnElement& condition) const;
  Select order_by(std::vector<ColumnElement> columns) const;
  template <typename... More>
  Select group_by(const ColumnElement& first, const More&... more) const {
    return group_by(std::vector<ColumnElement>{first, more...});
  }
  template <typename... More>
  Select order_by(const ColumnElement& first, const More&... more) const {
    return order_by(std::vector<ColumnElement>{first, more...});
  }
  /// LIMIT and OFFSET, rendered as bound parameters.
  Select limit(std::int64_t count) const;
  Select offset(std::int64_t count) const;
  /// SELECT DISTINCT.
  Select distinct() const;

 private:
  explicit Select(std::shared_ptr<const detail::Node> node) : Executable(std::move(node)) {}
  Select join_impl(const FromClause& target, std::optional<ColumnElement> on, bool outer) const;
};

namespace detail {
inline std::shared_ptr<const Node> select_item(const ColumnElement& e) {
  return e.node();
}
inline std::shared_ptr<const Node> select_item(const FromClause& f) {
  return f.node();
}
}  // namespace detail

/// `SELECT items…`; each item is a ColumnElement or a FromClause (Table).
template <typename... Items>
Select select(const Items&... items) {
  return Select(std::vector<std::shared_ptr<const detail::Node>>{detail::select_item(items)...});
}

}  // namespace retort

#endif  // RETORT_SQL_SELECTABLE_HPP
