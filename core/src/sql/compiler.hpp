// core/src/sql/compiler.hpp — private: the one SQL compiler.
//
// SQLCompiler walks a statement's nodes with a switch over NodeKind (compiler.cpp for
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
};
PreparedExecution prepare_execution(const Compiled& compiled, std::span<const Params> params);

class SQLCompiler {
 public:
  SQLCompiler(const retort_dialect& dialect, const std::vector<std::string>* column_keys);
  Compiled compile(const Node& statement);

  // Output.
  void emit(std::string_view text) { cur_ += text; }
  void emit_identifier(std::string_view name);
  /// A placeholder for `param`; `empty_set`: for an expanding one, the SQL of an empty list.
  void emit_param(BoundParameter param, std::string empty_set = {});
  /// Emits an SQL string literal ('…' with quotes doubled); DDL only.
  void emit_string_literal(std::string_view text);
  /// Runs `render` and returns what it emitted instead of keeping it (no parameters).
  std::string capture(const std::function<void()>& render);

  // Expressions (compiler.cpp): the switch over node kinds.  `parent_precedence`: the
  // operator the expression is an operand of; a looser expression is parenthesised.
  void process(const Node& node, int parent_precedence = 0);
  // Statements.
  void visit_select(const Node& node);  // compiler_select.cpp
  void visit_insert(const Node& node);  // compiler_dml.cpp
  void visit_update(const Node& node);
  void visit_delete(const Node& node);
  void visit_create_table(const Node& node);  // compiler_ddl.cpp
  void visit_drop_table(const Node& node);
  void visit_create_index(const Node& node);
  // Types (type_compiler.cpp).
  void emit_type(const Type& type);
  void emit_autoincrement_type(const Type& type);

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
  const std::string& from_name(const Node& from) const;

 private:
  const retort_dialect& dialect_;
  const std::vector<std::string>* column_keys_;
  std::string cur_;
  std::vector<std::string> pieces_;
  std::vector<BoundParameter> params_;
  std::vector<std::string> empty_sets_;
  std::map<std::string, int> anon_counters_;
};

}  // namespace retort::detail

#endif  // RETORT_SRC_SQL_COMPILER_HPP
