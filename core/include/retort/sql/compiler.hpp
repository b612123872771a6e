// retort/sql/compiler.hpp — compiling statements to SQL text for a dialect.
// SPDX-License-Identifier: MIT
//
//   auto c = select(users.c["id"]).where(users.c["id"] == 5).compile("postgresql");
//   c.sql                 // "SELECT users.id FROM users WHERE users.id = $1"
//   c.parameters[0].name  // "id_1", value 5
//
// One compiler in core renders every construct; the dialect (a plugin, through the C ABI)
// decides paramstyle, identifier quoting, boolean literals, and, through its `render` hook,
// type names, LIMIT/OFFSET and the autoincrement column.  The `default` dialect is built in:
// named `:name` parameters, `"` quoting, SQL-standard spellings; it is what `str()` uses.
//
// A construct a dialect cannot express raises CompileError naming the construct and the
// dialect.  Compiling is thread-safe.
#ifndef RETORT_SQL_COMPILER_HPP
#define RETORT_SQL_COMPILER_HPP

#include <retort/sql/elements.hpp>
#include <retort/value.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

/// One bound parameter of a compiled statement, in placeholder order.
struct BoundParameter {
  /// The parameter's name: a column key (insert/update), a bindparam name, or an anonymous
  /// name made unique within the statement (`id_1`, `param_1`).
  std::string name;
  /// The value captured in the expression (a comparison with a C++ value, literal(),
  /// limit/offset, values()), or none when it must be given at execution.
  std::optional<Value> value;
  /// True for an expanding IN list: `values` holds the list, and the placeholder becomes one
  /// placeholder per value at execution.
  bool expanding = false;
  std::vector<Value> values;
  /// A callable client-side default (ColumnOptions::default_ / onupdate): evaluated at
  /// execution, once per parameter set that gives no value for this parameter.  Empty
  /// otherwise.
  std::function<Value()> callable;
  /// The SQL type of the parameter (the column's, for a comparison with a column or an
  /// insert/update value): execution converts each value with it (see types.hpp).
  Type type;
};

namespace detail {
class SQLCompiler;
struct CompiledAccess;
}  // namespace detail

/// A compiled statement: its SQL text and its parameters.  A value.
class Compiled {
 public:
  /// The SQL in the dialect's paramstyle.  Expanding parameters appear as the marker
  /// `__[POSTCOMPILE_<name>]`.
  std::string sql;
  /// One entry per placeholder, in order (expanding: one entry for the whole list).
  std::vector<BoundParameter> parameters;
  /// The dialect's name.
  std::string dialect;

  /// The SQL with every expanding parameter replaced by one placeholder per value (an empty
  /// list by an empty subquery), and the parameters flattened to match (an expanding entry
  /// becomes entries `<name>_1`, `<name>_2`, … with their values).  What execution runs.
  struct Expanded {
    std::string sql;
    std::vector<BoundParameter> parameters;
  };
  Expanded expand() const;

 private:
  friend class detail::SQLCompiler;
  friend struct detail::CompiledAccess;
  // The text between placeholders (`pieces_.size() == parameters.size() + 1`), the
  // paramstyle, and for each expanding parameter the SQL of an empty list.
  std::vector<std::string> pieces_;
  std::uint32_t paramstyle_ = 0;
  std::vector<std::string> empty_sets_;
};

/// Compiles `statement` for the dialect named `dialect` (see Executable::compile).
/// `column_keys`, for INSERT/UPDATE without values(): the columns to set (as when executing
/// with parameter sets having these keys).
Compiled compile(const Executable& statement, std::string_view dialect = "default",
                 const std::vector<std::string>& column_keys = {});

}  // namespace retort

#endif  // RETORT_SQL_COMPILER_HPP
