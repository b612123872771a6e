// retort/sql/elements.hpp — SQL expressions: ColumnElement, operators and functions
// (SQLAlchemy's `sqlalchemy.sql.elements` and `func`).
// SPDX-License-Identifier: MIT
//
//   users.c["name"] == "ed"                 users.name = :name_1   (a bound parameter)
//   users.c["id"].in_({1, 2, 3})            users.id IN (__[POSTCOMPILE_id_1])  (expanding)
//   and_(a, b), or_(a, b), !a, a && b       AND / OR / NOT
//   users.c["name"] == nullptr              users.name IS NULL
//   func::count(users.c["id"])              count(users.id)
//   users.c["name"] + "!"                   users.name || :name_1
//   users.c["name"].contains("50%", {.autoescape = true})
//                                           users.name LIKE '%' || :name_1 || '%' ESCAPE '/'
//   case_({{users.c["id"] > 5, "big"}}, "small"), cast(users.c["id"], String())
//   func::sum(x).over({.order_by = {y}, .rows = Frame{std::nullopt, 0}})
//                                           sum(x) OVER (ORDER BY y ROWS BETWEEN UNBOUNDED
//                                           PRECEDING AND CURRENT ROW)
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
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort {

namespace detail {
struct Node;
}  // namespace detail

class Compiled;
class ColumnElement;
class Operand;

/// Options of `contains`, `startswith`, `endswith` (and their case-insensitive forms).
struct LikeOptions {
  /// Renders `ESCAPE '<c>'` after the pattern.
  std::optional<char> escape;
  /// Escapes `%`, `_` and the escape character in the (string) value, with `escape` or else
  /// `/` as the escape character, so they match literally.  The operand must be a string
  /// value (ArgumentError otherwise).
  bool autoescape = false;
};

/// A window frame bound pair for `over()`: `std::nullopt` is UNBOUNDED (PRECEDING as the
/// start, FOLLOWING as the end), 0 CURRENT ROW, a negative N `N PRECEDING`, a positive N
/// `N FOLLOWING`, as SQLAlchemy's `rows=(None, 0)`.
struct Frame {
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> end;
};

/// A window frame's EXCLUDE clause (SQL:2011): `EXCLUDE CURRENT ROW`, `EXCLUDE GROUP`,
/// `EXCLUDE TIES`, `EXCLUDE NO OTHERS`.
enum class FrameExclude { current_row, group, ties, no_others };

/// The window of `over()`: `OVER (PARTITION BY … ORDER BY … <frame> [EXCLUDE …])`.  At most
/// one of `rows`, `range`, `groups` (ArgumentError otherwise); `exclude` needs one of them
/// (ArgumentError) and a dialect with RETORT_CAP_WINDOW_FRAME_EXCLUDE (CompileError
/// otherwise: MySQL and MariaDB have no EXCLUDE).
struct Window {
  std::vector<ColumnElement> partition_by;
  std::vector<ColumnElement> order_by;
  std::optional<Frame> rows;
  std::optional<Frame> range;
  std::optional<Frame> groups;
  std::optional<FrameExclude> exclude;
};

/// Options of a custom operator (`ColumnElement::op`), as SQLAlchemy's `Operators.op`.
struct OperatorOptions {
  /// How tightly the operator binds (SQLAlchemy's numbers: 5 comparison, 7 `+`, 8 `*`); an
  /// operand binding less tightly is parenthesised.  0, the default, parenthesises the
  /// operation wherever it is an operand.
  int precedence = 0;
  /// The operator is a comparison: the result is Boolean.
  bool is_comparison = false;
  /// The result's type (default: Boolean for a comparison, else the left operand's).
  std::optional<Type> return_type;
};
class CustomOperator;
class SelectBase;

/// An SQL expression with a type.
class ColumnElement {
 public:
  /// For the library's own builders.
  explicit ColumnElement(std::shared_ptr<const detail::Node> node);

  /// The expression's SQL type (NullType when unknown).
  const Type& type() const noexcept;

  /// `self LIKE pattern [ESCAPE 'c']` / `NOT LIKE`.  `!x.like(p)` is `x NOT LIKE p`.
  ColumnElement like(const Operand& pattern, std::optional<char> escape = std::nullopt) const;
  ColumnElement not_like(const Operand& pattern, std::optional<char> escape = std::nullopt) const;
  /// Case-insensitive LIKE: `self ILIKE pattern` on PostgreSQL, `lower(self) LIKE
  /// lower(pattern)` elsewhere (RETORT_CONSTRUCT_ILIKE).
  ColumnElement ilike(const Operand& pattern, std::optional<char> escape = std::nullopt) const;
  ColumnElement not_ilike(const Operand& pattern, std::optional<char> escape = std::nullopt) const;
  /// `self LIKE '%' || other || '%'` (`other || '%'`, `'%' || other`), as SQLAlchemy renders
  /// them; `i…`: the ILIKE form.  See LikeOptions for escaping.
  ColumnElement contains(const Operand& other, LikeOptions options = {}) const;
  ColumnElement startswith(const Operand& other, LikeOptions options = {}) const;
  ColumnElement endswith(const Operand& other, LikeOptions options = {}) const;
  ColumnElement icontains(const Operand& other, LikeOptions options = {}) const;
  ColumnElement istartswith(const Operand& other, LikeOptions options = {}) const;
  ColumnElement iendswith(const Operand& other, LikeOptions options = {}) const;
  /// String concatenation `self || other` (RETORT_CONSTRUCT_CONCAT; MySQL: `concat(a, b)`).
  /// `+` between string-typed operands is the same.
  ColumnElement concat(const Operand& other) const;
  /// `self IN (...)` with an expanding bound parameter: the SQL is compiled once with a
  /// marker and expanded to one placeholder per value at execution.  An empty list renders
  /// a condition that is never true (`not_in`: always true).
  ColumnElement in_(std::vector<Value> values) const;
  ColumnElement not_in(std::vector<Value> values) const;
  /// `self BETWEEN low AND high`; `symmetric`: `BETWEEN SYMMETRIC` (either order of bounds;
  /// emulated on SQLite, RETORT_CONSTRUCT_BETWEEN_SYMMETRIC).
  ColumnElement between(const Operand& low, const Operand& high, bool symmetric = false) const;
  /// `self IN (SELECT …)` / `NOT IN`, with a select of one column (defined with Select).
  ColumnElement in_(const SelectBase& subquery) const;
  ColumnElement not_in(const SelectBase& subquery) const;
  /// `self IS other` / `IS NOT` (other is usually null(), true_() or false_()).
  ColumnElement is_(const ColumnElement& other) const;
  ColumnElement is_not(const ColumnElement& other) const;
  /// Null-safe comparison: `IS DISTINCT FROM` / `IS NOT DISTINCT FROM` (SQLite: `IS NOT` /
  /// `IS`; RETORT_CONSTRUCT_IS_DISTINCT_FROM).
  ColumnElement is_distinct_from(const Operand& other) const;
  ColumnElement is_not_distinct_from(const Operand& other) const;
  /// `self COLLATE name`; the name is quoted as an identifier when it needs to be
  /// (`"NOCASE"`).  ArgumentError for an empty name.
  ColumnElement collate(std::string collation) const;
  /// Bitwise operators, as SQLAlchemy 2.0's (RETORT_CONSTRUCT_BITWISE): `&`, `|`, xor (`^`;
  /// PostgreSQL `#`; SQLite, which has none, `(a | b) - (a & b)`, which evaluates each operand
  /// twice), `~`, `<<`, `>>`.  Typed like self.
  ColumnElement bitwise_and(const Operand& other) const;
  ColumnElement bitwise_or(const Operand& other) const;
  ColumnElement bitwise_xor(const Operand& other) const;
  ColumnElement bitwise_not() const;
  ColumnElement bitwise_lshift(const Operand& other) const;
  ColumnElement bitwise_rshift(const Operand& other) const;
  /// `self AS name` in a select list.
  ColumnElement label(std::string name) const;
  /// ORDER BY modifiers; `nulls_first` / `nulls_last` apply to an expression or to its
  /// asc()/desc() (RETORT_CONSTRUCT_NULLS_ORDER).
  ColumnElement asc() const;
  ColumnElement desc() const;
  ColumnElement nulls_first() const;
  ColumnElement nulls_last() const;
  /// A window function: `self OVER (…)`.  Self must be a function (func::…), possibly with
  /// filter(); ArgumentError otherwise.  CompileError on a dialect without
  /// RETORT_CAP_WINDOW_FUNCTIONS.
  ColumnElement over(const Window& window = {}) const;
  /// An aggregate's `FILTER (WHERE condition)` (RETORT_CONSTRUCT_AGGREGATE_FILTER).  Self
  /// must be a function; ArgumentError otherwise.
  ColumnElement filter(const ColumnElement& condition) const;

  /// An ordered-set aggregate: `self WITHIN GROUP (ORDER BY …)`, as
  /// `func::call("percentile_cont", {literal(0.5)}).within_group({x})`.  Self must be a
  /// function; ArgumentError otherwise (or for an empty list).  percentile_cont,
  /// percentile_disc and mode take the type of the (first) ORDER BY expression.  Rendered
  /// the same everywhere (a dialect without ordered-set aggregates refuses it at execution).
  ColumnElement within_group(std::vector<ColumnElement> order_by) const;

  /// Regular expressions (RETORT_CONSTRUCT_REGEXP): PostgreSQL `self ~ pattern`, MySQL and
  /// MariaDB `self REGEXP pattern`, SQLite `self REGEXP pattern` (the sqlite plugin registers
  /// regexp() with ECMAScript syntax); `not_regexp_match` negates (`!~`, `NOT REGEXP`).
  /// CompileError on the `default` dialect, which has no such operator.
  ColumnElement regexp_match(const Operand& pattern) const;
  ColumnElement not_regexp_match(const Operand& pattern) const;
  /// `REGEXP_REPLACE(self, pattern, replacement)` on PostgreSQL, MySQL and MariaDB;
  /// CompileError on SQLite and `default`.  Typed like self.
  ColumnElement regexp_replace(const Operand& pattern, const Operand& replacement) const;

  /// A custom binary operator, rendered verbatim between the operands: `x.op("@>")(y)` is
  /// `x @> y` (SQLAlchemy's `op()`).  ArgumentError for an empty operator or one containing
  /// `;`, a quote, `--` or `/*`.  A value operand is bound, typed like self.
  CustomOperator op(std::string opstring, OperatorOptions options = {}) const;

  const std::shared_ptr<const detail::Node>& node() const noexcept { return node_; }

 private:
  std::shared_ptr<const detail::Node> node_;
};

/// The other operand of an operator: an expression, or a C++ value, which becomes a bound
/// parameter typed like the expression it is compared with (a null Value becomes NULL).
/// Implicit from either, so that `x.like("a%")` and `x.like(y)` both work.
class Operand {
 public:
  Operand(const ColumnElement& element) : element_(element) {}  // NOLINT: implicit by design
  template <typename T>
  requires(std::is_constructible_v<Value, T&&> &&
           !std::is_base_of_v<ColumnElement, std::remove_cvref_t<T>>)
      Operand(T&& value)  // NOLINT: implicit by design
      : value_(Value(std::forward<T>(value))) {}

  /// The expression, when the operand is one.
  const std::optional<ColumnElement>& element() const noexcept { return element_; }
  /// The value, when the operand is one.
  const std::optional<Value>& value() const noexcept { return value_; }

 private:
  std::optional<ColumnElement> element_;
  std::optional<Value> value_;
};

/// What `ColumnElement::op` returns: call it with the right operand.
class CustomOperator {
 public:
  CustomOperator(ColumnElement left, std::string opstring, OperatorOptions options)
      : left_(std::move(left)), opstring_(std::move(opstring)), options_(std::move(options)) {}
  ColumnElement operator()(const Operand& right) const;

 private:
  ColumnElement left_;
  std::string opstring_;
  OperatorOptions options_;
};

/// A row value `(a, b, …)` (SQLAlchemy's `tuple_`), comparable with another tuple
/// (`tuple_(a, b) < tuple_(1, 2)`) and testable against a list of rows with in_(): `(a, b) IN
/// ((?, ?), (?, ?))`, on SQLite `(a, b) IN (VALUES (?, ?), (?, ?))`
/// (RETORT_CONSTRUCT_TUPLE_IN_LIST; SQLite ≥ 3.15 has row values).  Each row's values are
/// bound typed like the tuple's element at that position; the rows are not an expanding
/// parameter, so the SQL (and its cache entry) depends on the number of rows.
class Tuple : public ColumnElement {
 public:
  explicit Tuple(std::shared_ptr<const detail::Node> node) : ColumnElement(std::move(node)) {}
  /// ArgumentError for a row whose length is not the tuple's.  An empty list is never true
  /// (`not_in`: always true).
  ColumnElement in_(std::vector<std::vector<Value>> rows) const;
  ColumnElement not_in(std::vector<std::vector<Value>> rows) const;
  /// `(a, b) IN (SELECT x, y …)` (defined with Select).
  ColumnElement in_(const SelectBase& subquery) const;
  ColumnElement not_in(const SelectBase& subquery) const;
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
/// Unary minus: `-x` (a non-atomic operand is parenthesised: `-(a + b)`).
ColumnElement operator-(const ColumnElement& a);

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

/// The searched CASE: `CASE WHEN c1 THEN r1 … [ELSE e] END`:
///   case_({{x > 5, "big"}, {x > 0, "small"}}, "none")
/// Result values become bound parameters; the expression's type is the first result's that
/// has one.  ArgumentError for no `whens`.
ColumnElement case_(std::vector<std::pair<ColumnElement, Operand>> whens,
                    std::optional<Operand> else_ = std::nullopt);
/// The simple CASE: `CASE value WHEN w1 THEN r1 … [ELSE e] END`, `w` compared with `value`
/// (values bound, typed like `value`):  case_(x, {{1, "one"}, {2, "two"}}, "many").
ColumnElement case_(const ColumnElement& value, std::vector<std::pair<Operand, Operand>> whens,
                    std::optional<Operand> else_ = std::nullopt);
/// `CAST(expr AS type)`, the type spelled by the dialect (RETORT_CONSTRUCT_TYPE with the
/// `cast` attribute); the result has `type`.  A value is bound first.  ArgumentError for
/// NullType.
ColumnElement cast(const Operand& expr, Type type);
/// `expr` unchanged in SQL, but typed as `type` (SQLAlchemy's `type_coerce`): a value is
/// bound with that type.
ColumnElement type_coerce(const Operand& expr, Type type);

/// `(a, b, …)`: a tuple of expressions and values (values bound, typed from the value).
/// ArgumentError for no elements.
Tuple tuple_(std::vector<Operand> elements);

/// `EXTRACT(field FROM expr)`, an Integer (SQLAlchemy's `extract`): field is a name such as
/// `year`, `month`, `day`, `hour`, `minute`, `second`, `dow`, `doy`, `week`, `epoch`
/// (letters and `_`, any case, rendered lower case; ArgumentError otherwise).  SQLite has no
/// EXTRACT: there it is `CAST(STRFTIME('%Y', expr) AS INTEGER)` for the fields strftime
/// knows (year, month, day, hour, minute, second, doy, dow, week, epoch), CompileError for
/// others (RETORT_CONSTRUCT_EXTRACT).
ColumnElement extract(std::string field, const ColumnElement& expr);

namespace detail {
inline ColumnElement to_element(const ColumnElement& e) {
  return e;
}
inline ColumnElement to_element(const Value& v) {
  return literal(v);
}
}  // namespace detail

/// SQL functions (SQLAlchemy's `func`).  Arguments are ColumnElements or values (bound).
///
/// Function names are rendered as written, unquoted when they consist of letters, digits, `_`
/// and `$` (reserved words too: `left(x, 2)`), quoted otherwise; `schema.name` is split at
/// dots.  The dialect may rename a function (RETORT_CONSTRUCT_FUNCTION: SQLite spells
/// char_length `length`).
namespace func {
/// `name(args…)`, any SQL function.  Without `type`, the known functions listed below get
/// their return type (by lower-case name, whichever way they are called); others NullType.
/// ArgumentError for an empty name.
ColumnElement call(std::string name, std::vector<ColumnElement> args, Type type = {});

#define RETORT_SQL_FUNC(fname)                          \
  template <typename... A>                              \
  ColumnElement fname(const A&... args) {               \
    return call(#fname, {detail::to_element(args)...}); \
  }
// Integer: `count()` without arguments is `count(*)`.
RETORT_SQL_FUNC(count)
// The type of the first argument (coalesce: the first that has one).
RETORT_SQL_FUNC(sum)
RETORT_SQL_FUNC(min)
RETORT_SQL_FUNC(max)
RETORT_SQL_FUNC(coalesce)
RETORT_SQL_FUNC(abs)
RETORT_SQL_FUNC(round)
// Numeric.
RETORT_SQL_FUNC(avg)
// String.
RETORT_SQL_FUNC(lower)
RETORT_SQL_FUNC(upper)
RETORT_SQL_FUNC(trim)
RETORT_SQL_FUNC(ltrim)
RETORT_SQL_FUNC(rtrim)
RETORT_SQL_FUNC(concat)
RETORT_SQL_FUNC(substr)
RETORT_SQL_FUNC(replace)
// Integer.
RETORT_SQL_FUNC(length)
RETORT_SQL_FUNC(char_length)
// Double (SQLite's random() returns an integer).
RETORT_SQL_FUNC(random)
// Window functions: Integer (row_number, rank, dense_rank, ntile), Double (percent_rank,
// cume_dist), the first argument's type (lag, lead, first_value, last_value, nth_value).
RETORT_SQL_FUNC(row_number)
RETORT_SQL_FUNC(rank)
RETORT_SQL_FUNC(dense_rank)
RETORT_SQL_FUNC(percent_rank)
RETORT_SQL_FUNC(cume_dist)
RETORT_SQL_FUNC(ntile)
RETORT_SQL_FUNC(lag)
RETORT_SQL_FUNC(lead)
RETORT_SQL_FUNC(first_value)
RETORT_SQL_FUNC(last_value)
RETORT_SQL_FUNC(nth_value)
#undef RETORT_SQL_FUNC

/// The current date and time, rendered as the SQL-standard keywords without parentheses:
/// `now()` and `current_timestamp()` as CURRENT_TIMESTAMP (DateTime), `current_date()` as
/// CURRENT_DATE (Date), `current_time()` as CURRENT_TIME (Time).
ColumnElement now();
ColumnElement current_timestamp();
ColumnElement current_date();
ColumnElement current_time();
}  // namespace func

}  // namespace retort

#endif  // RETORT_SQL_ELEMENTS_HPP
