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
//   auto counts = select(addresses.c["user_id"], func::count().label("n"))
//                     .group_by(addresses.c["user_id"]).subquery("counts");
//   select(users.c["name"], counts.c["n"]).join(counts, users.c["id"] == counts.c["user_id"]);
//   select(users.c["name"]).where(exists(select(addresses.c["id"])
//                                            .where(addresses.c["user_id"] == users.c["id"])));
//   auto n = select(literal(1).label("n")).cte("n", true);
//   n = n.union_all(select((n.c["n"] + 1).label("n")).where(n.c["n"] < 10));
//   // WITH RECURSIVE n(n) AS (SELECT ? AS n UNION ALL SELECT n.n + ? AS n FROM n WHERE …) …
//
// Select is immutable and generative: every method returns a new Select, the original is
// unchanged.  All of these types are cheap to copy and safe to share between threads.
#ifndef RETORT_SQL_SELECTABLE_HPP
#define RETORT_SQL_SELECTABLE_HPP

#include <retort/sql/elements.hpp>
#include <retort/text.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

/// The columns of a FROM clause (table, alias, join, subquery, CTE), by key; or, from
/// SelectBase::selected_columns(), the select-list expressions by the key a subquery of the
/// select would give them.
class ColumnCollection {
 public:
  explicit ColumnCollection(std::shared_ptr<const detail::Node> from) : from_(std::move(from)) {}
  /// The column whose key is `key`.  Throws ArgumentError naming the FROM clause and the key.
  ColumnElement operator[](std::string_view key) const;
  /// Every column, in order.
  std::vector<ColumnElement> all() const;

 private:
  std::shared_ptr<const detail::Node> from_;
};

/// Options of a join: `isouter` for LEFT OUTER JOIN, `full` for FULL OUTER JOIN (SQLAlchemy's
/// `join(…, isouter=, full=)`).
struct JoinOptions {
  bool isouter = false;
  bool full = false;
};

/// Something that can appear in FROM: a table, an alias of one, a join, a subquery (derived
/// table, possibly LATERAL) or a CTE.
class FromClause {
 public:
  explicit FromClause(std::shared_ptr<const detail::Node> node) : c(node), node_(std::move(node)) {}

  /// `<table> AS name`; its columns render as `name.column`.  A table, a CTE (`cte AS name`)
  /// or a subquery (the same SELECT under another name) can be aliased; ArgumentError else.
  FromClause alias(std::string name) const;
  /// `self JOIN other ON onclause`; without an onclause, inferred from the one foreign key
  /// between them (ArgumentError when there is none, or more than one; always for subqueries
  /// and CTEs, which have no foreign keys).  `options`: LEFT / FULL OUTER JOIN.
  FromClause join(const FromClause& other, std::optional<ColumnElement> onclause = std::nullopt,
                  JoinOptions options = {}) const;
  /// `self LEFT OUTER JOIN other ON …` (`full`: FULL OUTER JOIN).
  FromClause outerjoin(const FromClause& other,
                       std::optional<ColumnElement> onclause = std::nullopt,
                       bool full = false) const;

  /// The columns (for a join: those of both sides; for a subquery or CTE: the select's, by
  /// their label or column key).
  ColumnCollection c;

  const std::shared_ptr<const detail::Node>& node() const noexcept { return node_; }

 protected:
  std::shared_ptr<const detail::Node> node_;
};

class SelectBase;

/// A common table expression (SelectBase::cte): a FromClause rendered by name, whose
/// definition goes to the WITH clause in front of the outermost statement, once however often
/// it is referenced.
class CTE : public FromClause {
 public:
  explicit CTE(std::shared_ptr<const detail::Node> node) : FromClause(std::move(node)) {}
  /// The recursive form: this CTE's SELECT `UNION ALL` / `UNION` `other`, which may refer to
  /// this CTE's columns.  The result is the same CTE (same name) with the longer definition.
  CTE union_all(const SelectBase& other) const;
  CTE union_(const SelectBase& other) const;
};

class CompoundSelect;

/// `FOR UPDATE` options of Select::with_for_update, as SQLAlchemy's: `read` → FOR SHARE,
/// `key_share` → FOR NO KEY UPDATE (FOR KEY SHARE with `read`), `of` → `OF tables`, `nowait`,
/// `skip_locked`.  Dialects without row locks (SQLite) render nothing.
struct ForUpdate {
  bool nowait = false;
  bool read = false;
  bool skip_locked = false;
  bool key_share = false;
  std::vector<FromClause> of;
};

/// What Select and CompoundSelect share: turning them into subqueries, CTEs and set
/// operations.
class SelectBase : public Executable {
 public:
  /// A derived table `(SELECT …) AS name` (`anon_1`, `anon_2`… when unnamed, numbered per
  /// compilation).  Its `.c[key]` are the select's columns by label or column key;
  /// unlabelled functions are keyed by the function name (`count`).
  FromClause subquery(std::string name = {}) const;
  /// `LATERAL (SELECT …) AS name`, which may refer to the FROM items before it (correlates
  /// like a scalar subquery).  Dialects without LATERAL (SQLite) raise CompileError.
  FromClause lateral(std::string name = {}) const;
  /// A common table expression; `recursive` makes the WITH clause `WITH RECURSIVE` and
  /// renders the column list (`WITH RECURSIVE name(a, b) AS (…)`).  `nesting` (SQLAlchemy's
  /// `nesting=True`): the WITH clause goes in front of the innermost (sub)statement that
  /// refers to the CTE (or add_cte()s it) rather than in front of the outermost statement,
  /// so that two CTEs of the same name can live at different levels.
  CTE cte(std::string name = {}, bool recursive = false, bool nesting = false) const;
  /// `(SELECT …)` as a column expression of the select's one column's type; correlated
  /// automatically with the enclosing SELECT (see docs/sql.md).  ArgumentError unless the
  /// select has exactly one column.
  ColumnElement scalar_subquery() const;
  /// `EXISTS (SELECT …)`.
  ColumnElement exists() const;
  /// The select-list expressions, by the key a subquery would give them (for a compound:
  /// the first member's).
  ColumnCollection selected_columns() const;

  CompoundSelect union_(const SelectBase& other) const;
  CompoundSelect union_all(const SelectBase& other) const;
  CompoundSelect intersect(const SelectBase& other) const;
  CompoundSelect intersect_all(const SelectBase& other) const;
  CompoundSelect except_(const SelectBase& other) const;
  CompoundSelect except_all(const SelectBase& other) const;

 protected:
  explicit SelectBase(std::shared_ptr<const detail::Node> node) : Executable(std::move(node)) {}
};

/// A SELECT statement.
class Select : public SelectBase {
 public:
  /// Builds from select-list items (columns, expressions, or whole FROM clauses, which
  /// contribute all their columns).  Use `select(…)`.
  explicit Select(std::vector<std::shared_ptr<const detail::Node>> items);

  /// Adds WHERE conditions; several conditions and several calls are joined with AND.
  Select where(const ColumnElement& condition) const;
  template <typename... More>
  Select where(const ColumnElement& first, const ColumnElement& second, const More&... more) const {
    return where(and_(first, second, more...));
  }
  /// Joins `target` to the leftmost FROM (the first select_from, else the first table of
  /// the select list).  ON as in FromClause::join.
  Select join(const FromClause& target, std::optional<ColumnElement> onclause = std::nullopt,
              JoinOptions options = {}) const;
  Select outerjoin(const FromClause& target, std::optional<ColumnElement> onclause = std::nullopt,
                   bool full = false) const;
  /// Joins `target` to `from` explicitly (SQLAlchemy's `join_from`): the ON clause, when not
  /// given, is inferred between `from` and `target` only.  When `from` already is in the
  /// FROM list (alone or inside a join), that entry is extended; otherwise `from JOIN
  /// target` is added as a new FROM item.
  Select join_from(const FromClause& from, const FromClause& target,
                   std::optional<ColumnElement> onclause = std::nullopt,
                   JoinOptions options = {}) const;
  /// Renders `cte` in this statement's WITH clause even when nothing refers to it
  /// (SQLAlchemy's `add_cte`); a nesting CTE goes in front of this select however deep it is.
  Select add_cte(const CTE& cte) const;
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
  /// `SELECT DISTINCT ON (expressions…)` (PostgreSQL; CompileError on dialects without it).
  Select distinct_on(std::vector<ColumnElement> expressions) const;
  template <typename... More>
  Select distinct_on(const ColumnElement& first, const More&... more) const {
    return distinct_on(std::vector<ColumnElement>{first, more...});
  }
  /// Appends select-list items (columns, expressions, FROM clauses), or replaces them all.
  Select add_columns(std::vector<std::shared_ptr<const detail::Node>> items) const;
  Select with_only_columns(std::vector<std::shared_ptr<const detail::Node>> items) const;
  template <typename... Items>
  Select add_columns(const Items&... items) const;
  template <typename... Items>
  Select with_only_columns(const Items&... items) const;
  /// Correlation, used when this select is a scalar subquery, EXISTS, IN or LATERAL inside
  /// another: by default, when it has several FROM items, those also in the immediately
  /// enclosing SELECT's FROM are omitted.  `correlate(froms)`: omit exactly these (from any
  /// enclosing level), an empty list turns correlation off; `correlate_except(froms)`: omit
  /// every enclosing FROM but these.
  Select correlate(std::vector<FromClause> froms) const;
  Select correlate_except(std::vector<FromClause> froms) const;
  /// `FOR UPDATE` and its variants (see ForUpdate).
  Select with_for_update(ForUpdate options = {}) const;

 private:
  explicit Select(std::shared_ptr<const detail::Node> node) : SelectBase(std::move(node)) {}
  Select join_impl(const FromClause& target, std::optional<ColumnElement> on,
                   JoinOptions options) const;
  friend class SelectBase;
};

/// `a UNION b …` and the other set operations (use `union_(…)` and friends).  ORDER BY,
/// LIMIT and OFFSET apply to the whole; ORDER BY terms that are result columns render as
/// their names (`ORDER BY name`), as SQL requires.  Members with their own ORDER BY / LIMIT
/// / OFFSET, and nested set operations, are parenthesised (on SQLite, which refuses
/// parentheses there: `SELECT * FROM (…)`).
class CompoundSelect : public SelectBase {
 public:
  /// The operator ("UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT",
  /// "EXCEPT ALL") and two or more members with the same number of columns (ArgumentError
  /// else).
  CompoundSelect(std::string op, std::vector<std::shared_ptr<const detail::Node>> members);

  CompoundSelect order_by(std::vector<ColumnElement> columns) const;
  template <typename... More>
  CompoundSelect order_by(const ColumnElement& first, const More&... more) const {
    return order_by(std::vector<ColumnElement>{first, more...});
  }
  CompoundSelect limit(std::int64_t count) const;
  CompoundSelect offset(std::int64_t count) const;

 private:
  explicit CompoundSelect(std::shared_ptr<const detail::Node> node) : SelectBase(std::move(node)) {}
};

/// A textual SELECT with declared columns: `text("SELECT id, name FROM t WHERE x > :x")
/// .columns({{"id", Integer()}, {"name", String()}})`.  Usable as a Select is in subqueries,
/// CTEs, set operations and IN; its `:name` parameters get their values at execution.
class TextualSelect : public SelectBase {
 public:
  /// For TextClause::columns.
  explicit TextualSelect(std::shared_ptr<const detail::Node> node) : SelectBase(std::move(node)) {}
};

namespace detail {
inline std::shared_ptr<const Node> select_item(const ColumnElement& e) {
  return e.node();
}
inline std::shared_ptr<const Node> select_item(const FromClause& f) {
  return f.node();
}
}  // namespace detail

/// `SELECT items…`; each item is a ColumnElement or a FromClause (Table, subquery, CTE).
template <typename... Items>
Select select(const Items&... items) {
  return Select(std::vector<std::shared_ptr<const detail::Node>>{detail::select_item(items)...});
}

template <typename... Items>
Select Select::add_columns(const Items&... items) const {
  return add_columns(
      std::vector<std::shared_ptr<const detail::Node>>{detail::select_item(items)...});
}
template <typename... Items>
Select Select::with_only_columns(const Items&... items) const {
  return with_only_columns(
      std::vector<std::shared_ptr<const detail::Node>>{detail::select_item(items)...});
}

/// Set operations of two or more selects (SQLAlchemy's `union()`, `union_all()`, …;
/// `union` and `except` are C++ keywords, hence the trailing underscore).
#define RETORT_SQL_SET_OP(fname, keyword)                                                        \
  template <typename... More>                                                                    \
  CompoundSelect fname(const SelectBase& a, const SelectBase& b, const More&... more) {          \
    return CompoundSelect(keyword,                                                               \
                          {a.node(), b.node(), static_cast<const SelectBase&>(more).node()...}); \
  }
RETORT_SQL_SET_OP(union_, "UNION")
RETORT_SQL_SET_OP(union_all, "UNION ALL")
RETORT_SQL_SET_OP(intersect, "INTERSECT")
RETORT_SQL_SET_OP(intersect_all, "INTERSECT ALL")
RETORT_SQL_SET_OP(except_, "EXCEPT")
RETORT_SQL_SET_OP(except_all, "EXCEPT ALL")
#undef RETORT_SQL_SET_OP

/// `EXISTS (SELECT …)`; `!exists(s)` / `not_(exists(s))` is `NOT (EXISTS (…))`.
ColumnElement exists(const SelectBase& select);
/// `ANY (SELECT …)` / `ALL (SELECT …)` as the right operand of a comparison:
/// `users.c["score"] > all_(select(…))`.  CompileError on dialects without them (SQLite).
ColumnElement any_(const SelectBase& select);
ColumnElement all_(const SelectBase& select);

}  // namespace retort

#endif  // RETORT_SQL_SELECTABLE_HPP
