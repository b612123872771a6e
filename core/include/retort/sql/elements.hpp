// retort/sql/elements.hpp — SQL expressions: ColumnElement, operators and functions
// (SQLAlchemy's `sqlalchemy.sql.elements` and `func`).
// SPDX-License-Identifier: MIT
//
//   users.c["name"] == "ed"                 users.name = :name_1   (a bound parameter)
//   users.c["id"].in_({1, 2, 3})            users.id IN (__[POSTCOMPILE_id_1])  (expanding)
//   and_(a, b), or_(a, b), !a, a && b       AND / OR / NOT
//   users.c["name"] == nullptr              users.name IS NULL
//   func::count(users.c["id"])              count(users.id)
//
// A ColumnElement is an immutable value (a shared pointer to an immutable node), cheap to
// copy and safe to share between threads.  Comparing with a C++ value never puts the value in
// the SQL: it becomes an anonymous bound parameter typed like the other operand.  Builders
// throw ArgumentError for invalid input (an empty and_(), …).
#ifndef RETORT_SQL_ELEMENTS_HPP
#define RETORT_SQL_ELEMENTS_HPP

#include <retort/sql/types.hpp>
#include <retort/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

namespace detail {
struct Node;
}  // namespace detail

class Compiled;
class SelectBase;

/// An SQL expression with a type.
class ColumnElement {
 public:
  /// For the library's own builders.
  explicit ColumnElement(std::shared_ptr<const detail::Node> node);

  /// The expression's SQL type (NullType when unknown).
  const Type& type() const noexcept;

  /// `self LIKE pattern` / `ILIKE` (on dialects without ILIKE: `lower(self) LIKE
  /// lower(pattern)`).
  ColumnElement like(const Value& pattern) const;
  ColumnElement ilike(const Value& pattern) const;
  /// `self IN (...)` with an expanding bound parameter: the SQL is compiled once with a
  /// marker and expanded to one placeholder per value at execution.  An empty list renders
  /// a condition that is never true (`not_in`: always true).
  ColumnElement in_(std::vector<Value> values) const;
  ColumnElement not_in(std::vector<Value> values) const;
  /// `self IN (SELECT …)` / `NOT IN`, with a select of one column (defined with Select).
  ColumnElement in_(const SelectBase& subquery) const;
  ColumnElement not_in(const SelectBase& subquery) const;
  /// `self BETWEEN low AND high`.
  ColumnElement between(const Value& low, const Value& high) const;
  /// `self IS other` / `IS NOT` (other is usually null(), true_() or false_()).
  ColumnElement is_(const ColumnElement& other) const;
  ColumnElement is_not(const ColumnElement& other) const;
  /// `self AS name` in a select list.
  ColumnElement label(std::string name) const;
  /// ORDER BY modifiers.
  ColumnElement asc() const;
  ColumnElement desc() const;

  const std::shared_ptr<const detail::Node>& node() const noexcept { return node_; }

 private:
  std::shared_ptr<const detail::Node> node_;
};

/// A complete statement that can be compiled and executed: Select, Insert, Update, Delete,
/// CreateTable, DropTable.  Immutable.
class Executable {
 public:
  /// Compiles for the dialect named `dialect` (`default`: a built-in dialect with named
  /// `:name` parameters, for printing; otherwise the dialect plugin is loaded).  Throws
  /// CompileError, or NoSuchModuleError for an unknown dialect.
  Compiled compile(std::string_view dialect = "default") const;
  /// The SQL as compiled by the `default` dialect.
  std::string str() const;

  const std::shared_ptr<const detail::Node>& node() const noexcept { return node_; }

 protected:
  explicit Executable(std::shared_ptr<const detail::Node> node) : node_(std::move(node)) {}
  std::shared_ptr<const detail::Node> node_;
};

// Operators.  A Value operand becomes a bound parameter typed like the other operand;
// `== nullptr` / `!= nullptr` render IS NULL / IS NOT NULL.
ColumnElement operator==(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator==(const ColumnElement& a, const Value& b);
ColumnElement operator==(const Value& a, const ColumnElement& b);
ColumnElement operator!=(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator!=(const ColumnElement& a, const Value& b);
ColumnElement operator!=(const Value& a, const ColumnElement& b);
ColumnElement operator<(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator<(const ColumnElement& a, const Value& b);
ColumnElement operator<(const Value& a, const ColumnElement& b);
ColumnElement operator<=(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator<=(const ColumnElement& a, const Value& b);
ColumnElement operator<=(const Value& a, const ColumnElement& b);
ColumnElement operator>(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator>(const ColumnElement& a, const Value& b);
ColumnElement operator>(const Value& a, const ColumnElement& b);
ColumnElement operator>=(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator>=(const ColumnElement& a, const Value& b);
ColumnElement operator>=(const Value& a, const ColumnElement& b);
ColumnElement operator+(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator+(const ColumnElement& a, const Value& b);
ColumnElement operator+(const Value& a, const ColumnElement& b);
ColumnElement operator-(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator-(const ColumnElement& a, const Value& b);
ColumnElement operator-(const Value& a, const ColumnElement& b);
ColumnElement operator*(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator*(const ColumnElement& a, const Value& b);
ColumnElement operator*(const Value& a, const ColumnElement& b);
ColumnElement operator/(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator/(const ColumnElement& a, const Value& b);
ColumnElement operator/(const Value& a, const ColumnElement& b);
ColumnElement operator%(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator%(const ColumnElement& a, const Value& b);
ColumnElement operator%(const Value& a, const ColumnElement& b);
ColumnElement operator&&(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator||(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator!(const ColumnElement& a);

/// Conjunction / disjunction of one or more conditions (ArgumentError for none).
ColumnElement and_(std::vector<ColumnElement> conditions);
ColumnElement or_(std::vector<ColumnElement> conditions);
template <typename... More>
ColumnElement and_(const ColumnElement& first, const More&... more) {
  return and_(std::vector<ColumnElement>{first, more...});
}
template <typename... More>
ColumnElement or_(const ColumnElement& first, const More&... more) {
  return or_(std::vector<ColumnElement>{first, more...});
}
ColumnElement not_(const ColumnElement& condition);

/// A bound parameter holding `value` (typed from the value, or `type` when given).
ColumnElement literal(const Value& value, Type type = {});
/// Raw SQL text used as a column expression, rendered verbatim (never pass user input).
ColumnElement literal_column(std::string text, Type type = {});
/// NULL, TRUE, FALSE (TRUE/FALSE as 1/0 on dialects without native booleans).
ColumnElement null();
ColumnElement true_();
ColumnElement false_();
/// A named bound parameter whose value is given at execution: `conn.execute(stmt,
/// {{"name", v}})`.
ColumnElement bindparam(std::string name, Type type = {});

namespace detail {
inline ColumnElement to_element(const ColumnElement& e) {
  return e;
}
inline ColumnElement to_element(const Value& v) {
  return literal(v);
}
}  // namespace detail

/// SQL functions (SQLAlchemy's `func`).  Arguments are ColumnElements or values (bound).
namespace func {
/// `name(args…)`, any SQL function, returning `type`.
ColumnElement call(std::string name, std::vector<ColumnElement> args, Type type = {});
/// `count(*)` without arguments.
template <typename... A>
ColumnElement count(const A&... args) {
  return call("count", {detail::to_element(args)...}, Integer());
}
#define RETORT_SQL_FUNC(fname)                              \
  template <typename... A>                                  \
  ColumnElement fname(const A&... args) {                   \
    return call(#fname, {detail::to_element(args)...}, {}); \
  }
// The result type is the first argument's (sum, min, max, coalesce, lower, upper).
RETORT_SQL_FUNC(sum)
RETORT_SQL_FUNC(min)
RETORT_SQL_FUNC(max)
RETORT_SQL_FUNC(coalesce)
RETORT_SQL_FUNC(lower)
RETORT_SQL_FUNC(upper)
#undef RETORT_SQL_FUNC
template <typename... A>
ColumnElement avg(const A&... args) {
  return call("avg", {detail::to_element(args)...}, Numeric());
}
/// The current timestamp, rendered as SQL-standard CURRENT_TIMESTAMP on every dialect.
ColumnElement now();
}  // namespace func

}  // namespace retort

#endif  // RETORT_SQL_ELEMENTS_HPP
