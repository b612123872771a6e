// core/src/sql/nodes.hpp — private: the immutable nodes behind every SQL construct.
//
// One Node struct with a kind tag rather than a class per construct: the compiler switches
// over NodeKind (see compiler.hpp), and generative methods copy a node and change a field.
// Nodes are created once and never modified after being wrapped in shared_ptr<const Node>.
#ifndef RETORT_SRC_SQL_NODES_HPP
#define RETORT_SRC_SQL_NODES_HPP

#include <retort/sql/schema.hpp>
#include <retort/sql/types.hpp>
#include <retort/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace retort::detail {

struct Node;
using NodePtr = std::shared_ptr<const Node>;

enum class NodeKind {
  // Expressions.
  column,          // from: the FROM node (table or alias); text: column name
  bind,            // text: base name; value (anonymous, captured)
  bindparam,       // text: name; value given at execution
  expanding,       // text: base name; values
  literal_column,  // text: verbatim SQL
  null,
  true_,
  false_,
  binary,        // text: operator; left, right; precedence
  boolean_list,  // text: "AND"/"OR"; items
  unary,         // text: prefix operator ("NOT "); left
  postfix,       // text: suffix (" ASC", " DESC"); left
  in,            // left; right: expanding; flag: NOT IN
  between,       // left, right (low), third (high)
  function,      // text: name; items: arguments (none: count(*))
  label,         // text: name; left
  // FROM clauses.
  table,     // table
  alias,     // text: alias name; left: the table node
  join,      // left, right; third: ON; flag: outer
  excluded,  // left: the table node; the proposed row of an upsert (`excluded.col`)
  // Statements.
  select,
  insert,
  update,
  delete_,
  create_table,  // table; flag: if not exists
  drop_table,    // table; flag: if exists
  // Parts of statements.
  on_conflict,       // names: index elements (column names); text: constraint name;
                     // third: index WHERE; flag: DO UPDATE; assignments: SET; where
  on_duplicate_key,  // assignments: the ON DUPLICATE KEY UPDATE list
  create_index,      // table; text: column name; flag: if not exists
};

/// Operator precedence, as SQLAlchemy's: a child binding less tightly than its parent is
/// parenthesised.
enum Precedence : int {
  kPrecOr = 2,
  kPrecAnd = 3,
  kPrecNot = 4,
  kPrecComparison = 5,
  kPrecAdd = 7,
  kPrecMul = 8,
  kPrecAtom = 100,
};

struct ColumnData {
  std::string name;
  std::string key;
  Type type;
  ColumnOptions options;
  bool nullable() const { return options.nullable.value_or(!options.primary_key); }
};

struct TableData {
  std::string name;
  std::vector<ColumnData> columns;
  std::vector<std::string> primary_key;  // column names
  std::vector<UniqueConstraint> uniques;
  std::weak_ptr<MetaDataImpl> metadata;

  const ColumnData* find_key(std::string_view key) const {
    for (const auto& c : columns)
      if (c.key == key) return &c;
    return nullptr;
  }
  const ColumnData* find_name(std::string_view name) const {
    for (const auto& c : columns)
      if (c.name == name) return &c;
    return nullptr;
  }
};

struct MetaDataImpl {
  std::vector<std::shared_ptr<const TableData>> tables;
  std::shared_ptr<const TableData> find(std::string_view name) const {
    for (const auto& t : tables)
      if (t->name == name) return t;
    return nullptr;
  }
};

/// One value of an INSERT/UPDATE (or of an upsert's SET list): a Value, bound as a parameter
/// named by the column key, or an SQL expression.
struct DmlValue {
  std::string key;
  std::optional<Value> value;
  NodePtr expr;  // set when `value` is not
};

struct Node {
  explicit Node(NodeKind k) noexcept : kind(k) {}
  NodeKind kind;
  std::string text;
  Type type;
  int precedence = kPrecAtom;
  bool flag = false;
  NodePtr left, right, third;
  std::vector<NodePtr> items;
  std::optional<Value> value;
  std::vector<Value> values;
  std::shared_ptr<const TableData> table;
  NodePtr from;  // column: its FROM node
  // select
  std::vector<NodePtr> froms;  // explicit select_from / joins
  NodePtr where, having, limit, offset;
  std::vector<NodePtr> group_by, order_by;
  // insert / update: values by column key, in order given (on_conflict /
  // on_duplicate_key: the SET list)
  std::vector<DmlValue> assignments;
  // insert: multi-row VALUES, one Params per row (the keys of the first row are the columns)
  std::vector<Params> multi_values;
  // insert: INSERT … SELECT (the select node; `names`: the column keys)
  NodePtr from_select;
  std::vector<std::string> names;
  // insert / update / delete: RETURNING items
  std::vector<NodePtr> returning;
  // insert: an on_conflict or on_duplicate_key node
  NodePtr upsert;
};

inline NodePtr make_node(Node n) {
  return std::make_shared<const Node>(std::move(n));
}

/// The TableData a FROM node (table or alias) refers to.
inline const TableData* table_of(const Node& from) {
  if (from.kind == NodeKind::table) return from.table.get();
  if (from.kind == NodeKind::alias || from.kind == NodeKind::excluded) {
    return from.left->table.get();
  }
  return nullptr;
}

/// A column node of `from` for column `c`.
NodePtr column_node(const NodePtr& from, const ColumnData& c);

/// Resolves `"table.column"` in `table`'s MetaData.  Throws ArgumentError.
std::pair<std::shared_ptr<const TableData>, const ColumnData*> resolve_foreign_key(
    const TableData& table, const ColumnData& column);

}  // namespace retort::detail

#endif  // RETORT_SRC_SQL_NODES_HPP
