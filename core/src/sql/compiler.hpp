// core/src/sql/compiler.hpp — private: the one SQL compiler.
//
// SQLCompiler walks a statement's nodes with a switch over NodeKind (compiler_expr.cpp for
// expressions, compiler_select.cpp, compiler_dml.cpp, compiler_ddl.cpp for statements,
// type_compiler.cpp for types) and writes SQL text split at bound parameters, so the
// paramstyle and the expansion of IN lists are applied last (Compiled::expand).  Everything
// a dialect spells differently goes through the retort_dialect table: paramstyle, quoting,
// reserved words, boolean literals and the `render` hook.
#ifndef RETORT_SRC_SQL_COMPILER_HPP
#define RETORT_SRC_SQL_COMPILER_HPP

#include "nodes.hpp"

#include <retort/plugin_abi.h>
#include <retort/sql/compiler.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace retort::detail {

/// Paramstyle of the built-in `default` dialect: `:name`.  Not an ABI value.
inline constexpr std::uint32_t kParamstyleNamed = 0x10000;

/// The built-in `default` dialect.
const retort_dialect& default_dialect() noexcept;

/// Compiles `statement` for `dialect`.  `column_keys`: the keys of the first parameter set
/// when compiling for execution (INSERT/UPDATE columns), nullptr when compiling on its own.
Compiled compile_for(const Node& statement, const retort_dialect& dialect,
                     const std::vector<std::string>* column_keys);

/// What the engine runs: the expanded SQL, the distinct parameter names, for each
/// placeholder the index into names, and one parameter row per given set with every name
/// filled (from the set, else the value captured in the statement).  Throws ArgumentError
/// naming a parameter without a value.
struct PreparedExecution {
  std::string sql;
  std::vector<std::string> names;
  std::vector<Type> types;  // of each name: the first parameter of that name's
  std::vector<std::uint32_t> placeholders;
  std::vector<Params> rows;
  /// For each placeholder, the RETORT_COLUMN_* hints of its declared type (filled by
  /// process_bind_parameters; empty means none).
  std::vector<std::uint32_t> column_flags;
};
PreparedExecution prepare_execution(const Compiled& compiled, std::span<const Params> params);

class SQLCompiler {
 public:
  SQLCompiler(const retort_dialect& dialect, const std::vector<std::string>* column_keys);
  Compiled compile(const Node& statement);
  /// After compile(): each parameter's value source (see emit_param).
  const std::vector<const void*>& sources() const noexcept { return sources_; }

  // Output.
  void emit(std::string_view text) { cur_ += text; }
  void emit_identifier(std::string_view name);
  /// A placeholder for `param`; `empty_set`: for an expanding one, the SQL of an empty list.
  /// `source`: where the statement holds the value (a `const Value*`, or for an expanding
  /// parameter the `const std::vector<Value>*`), so a cached compilation can take another
  /// statement's values (cache_key.hpp); nullptr for a value fixed by the schema.
  void emit_param(BoundParameter param, std::string empty_set = {}, const void* source = nullptr);
  /// Emits an SQL string literal ('…' with quotes doubled); DDL only.
  void emit_string_literal(std::string_view text);
  /// Runs `render` and returns what it emitted instead of keeping it (no parameters).
  std::string capture(const std::function<void()>& render);

  // Expressions (compiler_expr.cpp): the switch over node kinds.  `parent_precedence`: the
  // operator the expression is an operand of; a looser expression is parenthesised.
  void process(const Node& node, int parent_precedence = 0);
  void visit_function(const Node& node);  // compiler_expr.cpp
  void visit_over(const Node& node);
  void visit_tuple_in(const Node& node);  // (a, b) IN ((…), (…)): right is a tuple_list
  // Statements.
  void visit_select(const Node& node);  // compiler_select.cpp: a top-level SELECT or compound
  /// Where a SELECT is rendered, which decides its labels and correlation: the statement
  /// itself; a derived table or CTE body (`from`: every column labelled, no correlation); a
  /// scalar subquery, EXISTS, IN or ANY/ALL operand (`scalar`) or a LATERAL derived table
  /// (`lateral`), both correlated with the enclosing SELECT.
  enum class SelectRole { top, from, scalar, lateral };
  void visit_selectable(const Node& node, SelectRole role);  // select or compound_select
  void visit_selectable_body(const Node& node, SelectRole role);
  /// One FROM item: table, alias, join, subquery, CTE reference.
  void emit_from(const Node& from);
  /// The name of result column `index` of a select (or compound select): its label, column
  /// name or anonymous label (`count_1`, `anon_2`), the same however often it is asked for.
  std::string result_name(const Node& selectable, std::size_t index);
  /// A reference to a CTE: its name; its definition is rendered (once) for the WITH clause
  /// (compiler_cte.cpp).
  void emit_cte_reference(const Node& cte);
  /// Renders a CTE's definition (once) for the WITH clause it belongs to: the outermost
  /// statement's, or for a nesting CTE the innermost enclosing (sub)statement's.
  void define_cte(const Node& cte);
  void visit_insert(const Node& node);  // compiler_dml.cpp
  void visit_update(const Node& node);
  void visit_delete(const Node& node);
  void visit_returning(const Node& node, int statement);  // compiler_dml.cpp
  void visit_upsert(const Node& insert);
  void visit_excluded_column(const Node& column);
  void visit_create_table(const Node& node);  // compiler_ddl.cpp
  void visit_drop_table(const Node& node);
  void visit_create_index(const Node& node);  // compiler_ddl_objects.cpp
  void visit_schema_ddl(const Node& node);    // the other DDL statements
  void emit_next_value(const Sequence& sequence);
  /// `schema.name`, or `name`.
  void emit_table_name(const TableData& table);
  bool has_capability(std::uint64_t cap) const noexcept {
    return (dialect_.capabilities & cap) != 0;
  }
  // Types (type_compiler.cpp).
  /// `cast_target`: the type of a CAST (the hook's `cast` attribute), else DDL.
  void emit_type(const Type& type, bool cast_target = false);
  /// The autoincrement column's type and `rest` (its DEFAULT and NOT NULL), through
  /// RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN.
  void emit_autoincrement_column(const Type& type, bool server_default,
                                 const std::function<void()>& rest);
  /// A CAST target (RETORT_CONSTRUCT_CAST_TYPE).
  void emit_cast_type(const Type& type);
  /// The SQL an expanding IN renders for an empty list (RETORT_CONSTRUCT_EMPTY_SET).
  std::string empty_set_sql(const Type& type);

  /// A render-hook invocation: attributes and children of one construct.
  struct Construct {
    std::uint32_t id;
    const char* name;  // for CompileError
    std::vector<std::pair<std::string, std::int64_t>> ints;
    std::vector<std::pair<std::string, std::string>> strs;
    std::vector<std::function<void()>> children;  // empty function: absent child
  };
  /// Asks the dialect's render hook; false when it is absent or declines.  Throws
  /// CompileError when the dialect reports it cannot express the construct.
  bool render_hook(const Construct& construct);
  void emit_type_attrs(Construct& c, const Type& type);

  const retort_dialect& dialect() const noexcept { return dialect_; }
  std::string anon_name(const std::string& base);
  /// The name a FROM node's columns are qualified with (anonymous ones get `anon_N`).
  std::string from_name(const Node& from);
  std::size_t params_count() const noexcept { return params_.size(); }

  /// SQL text with its bound parameters, cut out of the output (for the WITH clause).
  struct Segment {
    std::vector<std::string> pieces;  // text before each parameter
    std::vector<BoundParameter> params;
    std::vector<std::string> empty_sets;
    std::vector<const void*> sources;  // see emit_param
    std::string tail;
  };
  /// Runs `render` into a fresh segment and returns it; the output so far is kept.
  Segment render_segment(const std::function<void()>& render);
  void append_segment(const Segment& segment);

 private:
  /// Prefixes the statement rendered so far with the WITH clause of the CTEs it referenced
  /// (compiler_cte.cpp).
  void emit_with_prefix();
  Segment take_segment();

  // The FROM items of each SELECT being rendered, innermost last, for correlation: `froms`
  // the identities (see from_key in compiler_select.cpp) of its own FROM list, `all` those
  // of it and every enclosing one.
  struct SelectFrame {
    std::vector<const void*> froms;
    std::vector<const void*> all;
  };
  std::vector<SelectFrame> frames_;
  std::map<std::pair<const Node*, std::size_t>, std::string> result_names_;
  std::map<const Node*, std::string> anon_froms_;
  struct CteEntry {
    const Node* root;
    bool recursive;
    Segment definition;  // `name[(columns)] AS (…)`
  };
  std::vector<CteEntry> ctes_;  // dependencies first
  std::set<const Node*> ctes_seen_;
  // The WITH clauses of nesting CTEs: one scope per (sub)statement being rendered.
  struct CteScope {
    std::vector<CteEntry> entries;
    std::set<const Node*> seen;
    bool outermost = false;  // the statement itself: its CTEs go to the statement's WITH
  };
  std::vector<CteScope> cte_scopes_;
  bool compound_member_ = false;  // the next visit_selectable is a set operation's member
  // A position in the output, to insert a WITH clause at once its CTEs are known.
  struct Mark {
    std::size_t params;
    std::size_t offset;
  };
  Mark mark() const noexcept { return {params_.size(), cur_.size()}; }
  void insert_at(const Mark& at, const Segment& segment);
  Segment with_clause(const std::vector<CteEntry>& entries);

  const retort_dialect& dialect_;
  const std::vector<std::string>* column_keys_;
  std::string cur_;
  std::vector<std::string> pieces_;
  std::vector<BoundParameter> params_;
  std::vector<std::string> empty_sets_;
  std::vector<const void*> sources_;
  std::map<std::string, int> anon_counters_;

 public:
  /// Columns render without their table (CREATE INDEX expressions).
  bool unqualified_columns_ = false;
  // Inside an upsert's SET/WHERE: 1 ON CONFLICT, 2 ON DUPLICATE KEY UPDATE (where excluded
  // columns may appear); 0 elsewhere.
  int upsert_context_ = 0;
};

}  // namespace retort::detail

#endif  // RETORT_SRC_SQL_COMPILER_HPP
