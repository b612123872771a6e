// core/src/sql/nodes.hpp — private: the immutable nodes behind every SQL construct.
//
// One Node struct with a kind tag rather than a class per construct: the compiler switches
// over NodeKind (see compiler.hpp), and generative methods copy a node and change a field.
// Nodes are created once and never modified after being wrapped in shared_ptr<const Node>.
#ifndef RETORT_SRC_SQL_NODES_HPP
#define RETORT_SRC_SQL_NODES_HPP

#include <retort/sql/schema.hpp>
#include <retort/sql/types.hpp>
#include <retort/text.hpp>
#include <retort/value.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace retort::detail {

struct Node;
using NodePtr = std::shared_ptr<const Node>;
struct StatementKey;

/// A process-wide unique number, fresh for every object and every copy: the cache key's
/// identity of a table definition (an address could be reused after the table is freed).
struct Serial {
  Serial() noexcept : value(next()) {}
  Serial(const Serial&) noexcept : value(next()) {}
  Serial& operator=(const Serial&) noexcept {
    value = next();
    return *this;
  }
  static std::uint64_t next() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
  }
  std::uint64_t value;
};

/// A statement's cache key, computed on first use (cache_key.hpp).  A copied node starts
/// without one: generative methods copy a node and change it.
struct KeyMemo {
  KeyMemo() noexcept = default;
  KeyMemo(const KeyMemo&) noexcept {}
  KeyMemo& operator=(const KeyMemo&) noexcept { return *this; }
  mutable std::atomic<std::shared_ptr<const StatementKey>> key;
};

enum class NodeKind {
  // Expressions.
  column,          // from: the FROM node (table, alias, subquery, cte); text: column name
                   // ("" for a subquery/CTE column whose name is an anonymous label);
                   // column_index: for a subquery/CTE column, the position of the select-list item
  bind,            // text: base name; value (anonymous, captured)
  bindparam,       // text: name; value given at execution
  expanding,       // text: base name; values
  literal_column,  // text: verbatim SQL
  null,
  true_,
  false_,
  binary,            // text: operator; left, right; precedence
  boolean_list,      // text: "AND"/"OR"; items
  unary,             // text: prefix operator ("NOT "); left
  postfix,           // text: suffix (" ASC", " DESC"); left
  in,                // left; right: expanding, or a select/compound_select; flag: NOT IN
  between,           // left, right (low), third (high); flag: SYMMETRIC
  function,          // text: name; items: arguments (none: count(*))
  label,             // text: name; left
  like,              // left LIKE right; flag: NOT LIKE; text: escape character (empty: none)
  ilike,             // as like, case-insensitive (RETORT_CONSTRUCT_ILIKE)
  concat,            // items: the operands (flattened), `a || b || c`
  is_distinct,       // left IS DISTINCT FROM right; flag: IS NOT DISTINCT FROM
  collate,           // left COLLATE text
  bitwise,           // text: "&", "|", "^", "~" (left only), "<<", ">>"; left, right
  case_,             // items: when, then, when, then…; left: the value (simple CASE); right: else
  cast,              // CAST(left AS type)
  type_coerce,       // left, rendered unchanged; type
  over,              // left: function (or aggregate_filter, within_group); items: PARTITION
                     // BY; order_by; frame_mode, frame_start, frame_end; text: the frame's
                     // EXCLUDE option ("CURRENT ROW", "GROUP", "TIES", "NO OTHERS") or empty
  aggregate_filter,  // left: function; where: the FILTER condition
  nulls_order,       // left: ordering; flag: NULLS FIRST (else LAST)
  scalar_subquery,   // left: the select; type: its one column's
  exists,            // left: the select or compound_select
  any_all,           // text: "ANY" / "ALL"; left: the select or compound_select
  tuple,             // items: the elements, `(a, b)`
  tuple_list,        // items: tuple nodes of binds, the right side of a tuple IN
  extract,           // text: the field (lower case); left: the expression
  regexp,            // text: "match" / "replace"; left, right (pattern), third (replacement);
                     // flag: negated match
  within_group,      // left: the function; order_by: the WITHIN GROUP ordering
  // FROM clauses.
  table,     // table
  alias,     // text: alias name; left: the table node
  join,      // left, right; third: ON; flag: outer; text: "FULL" for FULL OUTER JOIN
  subquery,  // left: the select or compound_select; text: name ("": anon_N); flag: LATERAL
  cte,       // left: the body; text: name ("": anon_N); flag: RECURSIVE; right: the CTE this
             // one restates (cte.union_all), which is the same CTE for naming and FROM identity
  excluded,  // left: the table node; the proposed row of an upsert (`excluded.col`)
  // Statements.
  select,
  compound_select,  // text: "UNION", "UNION ALL", "INTERSECT", …; items: the members;
                    // order_by, limit, offset apply to the whole
  textual_select,   // text_clause: the SQL; items: literal_column nodes (name, type)
  insert,
  update,
  delete_,
  create_table,        // table; flag: if not exists; omitted_foreign_keys: left for ALTER TABLE
  drop_table,          // table; flag: if exists
  create_index,        // index; flag: if not exists
  drop_index,          // index; flag: if exists
  create_sequence,     // sequence; flag: if not exists
  drop_sequence,       // sequence; flag: if exists
  next_value,          // sequence (an expression)
  set_table_comment,   // table
  set_column_comment,  // table; text: column name
  add_foreign_key,     // table; foreign_key (ALTER TABLE … ADD [CONSTRAINT …] FOREIGN KEY)
  drop_constraint,     // table; text: constraint name; flag: if exists
  create_enum_type,    // type: the Enum; flag: if not exists
  drop_enum_type,      // type: the Enum; flag: if exists
  // Parts of statements.
  on_conflict,       // items: index elements (column nodes or expressions); text: constraint name;
                     // third: index WHERE; flag: DO UPDATE; assignments: SET; where
  on_duplicate_key,  // assignments: the ON DUPLICATE KEY UPDATE list
};

/// Operator precedence, as SQLAlchemy's: a child binding less tightly than its parent is
/// parenthesised.
enum Precedence : int {
  kPrecOr = 2,
  kPrecAnd = 3,
  kPrecNot = 4,
  kPrecComparison = 5,
  // Concatenation and the bitwise operators sit between comparison and arithmetic; their
  // operands are parenthesised more eagerly than precedence alone requires (see
  // compiler_expr.cpp), since SQLite and PostgreSQL rank them differently.
  kPrecBitwise = 6,
  kPrecAdd = 7,
  kPrecMul = 8,
  kPrecUnary = 9,     // -x (~x: see bitwise_impl in elements.cpp)
  kPrecCollate = 15,  // x COLLATE y binds tighter than any operator
  kPrecAtom = 100,
};

/// Node::frame_mode of an `over` node.
enum FrameMode : int { kFrameNone = 0, kFrameRows = 1, kFrameRange = 2, kFrameGroups = 3 };

struct ColumnData {
  std::string name;
  std::string key;
  Type type;
  ColumnOptions options;
  bool nullable() const { return options.nullable.value_or(!options.primary_key); }
};

// A foreign key of a table: a table-level ForeignKeyConstraint, or a column's ForeignKey.
struct ForeignKeyData {
  std::vector<std::string> columns;  // local column names
  std::vector<std::string> targets;  // "[schema.]table.column", one per column
  ForeignKeyOptions options;
};

struct TableData;

// One element of an index: a column name, or an expression of the table's columns.
struct IndexElementData {
  std::string column;
  NodePtr expression;
};

struct IndexData {
  std::string name;  // empty: from the "ix" naming convention
  bool unique = false;
  std::string where;  // a partial index's condition (SQL text); empty: none
  std::vector<IndexElementData> elements;
  // Weak: the TableData owns its indexes (or the MetaData does); set once when attached.
  std::weak_ptr<const TableData> table;
  bool attached = false;
};

struct TableData {
  std::string name;
  std::string schema;
  std::string comment;
  std::vector<ColumnData> columns;
  std::vector<std::string> primary_key;  // column names
  std::string primary_key_name;
  std::vector<UniqueConstraint> uniques;
  std::vector<std::shared_ptr<const ForeignKeyData>> foreign_keys;  // in definition order
  std::vector<CheckConstraint> checks;                              // table level
  std::vector<std::shared_ptr<IndexData>> indexes;                  // defined with the table
  std::weak_ptr<MetaDataImpl> metadata;
  Serial serial;

  // "schema.name", the key in the MetaData.
  std::string fullname() const { return schema.empty() ? name : schema + "." + name; }

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
  MetaDataOptions options;
  std::vector<std::shared_ptr<const TableData>> tables;
  // Indexes built after their table, from its columns (Index on expressions).
  std::vector<std::shared_ptr<const IndexData>> indexes;
  // By "schema.name".
  std::shared_ptr<const TableData> find(std::string_view fullname) const {
    for (const auto& t : tables)
      if (t->fullname() == fullname) return t;
    return nullptr;
  }
};

/// SELECT … FOR UPDATE options (Select::with_for_update).
struct ForUpdateData {
  bool read = false;
  bool nowait = false;
  bool skip_locked = false;
  bool key_share = false;
  std::vector<NodePtr> of;  // FROM nodes (tables, aliases)
};

/// How a select correlates with enclosing selects (Select::correlate…).
enum class Correlate { automatic, only, except };

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
  // over: the frame.  FrameMode; bounds: nullopt UNBOUNDED, 0 CURRENT ROW, <0 PRECEDING,
  // >0 FOLLOWING.
  int frame_mode = 0;
  std::optional<std::int64_t> frame_start, frame_end;
  std::vector<NodePtr> distinct_on;  // DISTINCT ON expressions
  std::optional<ForUpdateData> for_update;
  Correlate correlate_mode = Correlate::automatic;
  std::vector<NodePtr> correlate;                 // FROM nodes for Correlate::only / except
  int column_index = -1;                          // column: see NodeKind::column
  std::shared_ptr<const TextClause> text_clause;  // textual_select
  // insert / update: values by column key, in order given (on_conflict /
  // on_duplicate_key: the SET list)
  std::vector<DmlValue> assignments;
  // insert: multi-row VALUES, one Params per row (the keys of the first row are the columns)
  std::vector<Params> multi_values;
  // insert: the SQL expressions of a multi-row VALUES, one list per row (empty, or as many
  // rows as multi_values); a row's keys are those of both
  std::vector<std::vector<DmlValue>> multi_value_exprs;
  // insert: INSERT … SELECT (the select node; `names`: the column keys)
  NodePtr from_select;
  std::vector<std::string> names;
  // insert / update / delete: RETURNING items
  std::vector<NodePtr> returning;
  // insert: an on_conflict or on_duplicate_key node
  NodePtr upsert;
  // DDL
  std::shared_ptr<const IndexData> index;
  std::optional<Sequence> sequence;
  std::shared_ptr<const ForeignKeyData> foreign_key;
  std::vector<std::shared_ptr<const ForeignKeyData>> omitted_foreign_keys;
  // select / compound_select / insert / update / delete: CTEs given with add_cte(), rendered
  // in the WITH clause whether or not the statement refers to them
  std::vector<NodePtr> ctes;
  // cte: nesting=true, its WITH goes in front of the (sub)statement referring to it
  bool nesting = false;
  // Every field above that a cached statement kind can use must be covered by the cache key
  // walk (cache_key.cpp).
  KeyMemo key_memo;
};

inline NodePtr make_node(Node n) {
  return std::make_shared<const Node>(std::move(n));
}

/// The TableData a FROM node (table or alias of one) refers to; nullptr for a subquery, a
/// CTE or an alias of a CTE.
inline const TableData* table_of(const Node& from) {
  if (from.kind == NodeKind::table) return from.table.get();
  if (from.kind == NodeKind::alias || from.kind == NodeKind::excluded) {
    return from.left->table.get();
  }
  return nullptr;
}

/// The CTE a cte node restates (through cte.union_all), followed to the first one: the
/// identity of the CTE.
inline const Node* cte_root(const Node& cte) {
  const Node* n = &cte;
  while (n->right) n = n->right.get();
  return n;
}

/// A SELECT of any form: select, compound_select, textual_select.
inline bool is_select(const Node& n) {
  return n.kind == NodeKind::select || n.kind == NodeKind::compound_select ||
         n.kind == NodeKind::textual_select;
}

/// The select a subquery, a CTE or an alias of a CTE takes its columns from; nullptr for a
/// table or an alias of one.
inline const Node* derived_body(const Node& from) {
  if (from.kind == NodeKind::subquery || from.kind == NodeKind::cte) return from.left.get();
  if (from.kind == NodeKind::alias && from.left->kind == NodeKind::cte)
    return from.left->left.get();
  return nullptr;
}

/// A column a select (or compound select: its first member's) exports to a subquery or
/// CTE of it: `key` for `.c[key]`, `name` as it is rendered ("" when it is an anonymous
/// label given at compile time, as for an unlabelled function), its type.
struct ExportedColumn {
  std::string key;
  std::string name;
  Type type;
};
std::vector<ExportedColumn> exported_columns(const Node& selectable);

/// A column node of `from` for column `c`.
NodePtr column_node(const NodePtr& from, const ColumnData& c);

/// Resolves `"table.column"` in `table`'s MetaData.  Throws ArgumentError.
std::pair<std::shared_ptr<const TableData>, const ColumnData*> resolve_foreign_key(
    const TableData& table, const ColumnData& column);

/// The referred table and columns of `fk` of `table`.  Throws ArgumentError naming the table,
/// the columns and what could not be resolved.
struct ResolvedForeignKey {
  std::shared_ptr<const TableData> table;
  std::vector<const ColumnData*> columns;
};
ResolvedForeignKey resolve(const TableData& table, const ForeignKeyData& fk);

}  // namespace retort::detail

#endif  // RETORT_SRC_SQL_NODES_HPP
