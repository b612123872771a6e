// core/src/sql/compiler_expr.cpp — expressions: the switch over expression node kinds, and the
// render-hook constructs they use (concatenation, ILIKE, IS DISTINCT FROM, bitwise operators,
// FILTER, NULLS FIRST/LAST, function calls, BETWEEN SYMMETRIC).
#include "compiler.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <functional>

namespace retort::detail {

namespace {

using Construct = SQLCompiler::Construct;

// A render-hook child that renders `n` as an operand needing at least `precedence`.
std::function<void()> child(SQLCompiler& c, const Node& n, int precedence = 0) {
  return [&c, &n, precedence] { c.process(n, precedence); };
}

bool legal_function_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '$';
    if (!ok) return false;
  }
  return true;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

// Functions the SQL standard spells as keywords, without parentheses.
const char* keyword_function(std::string_view lower_name) {
  if (lower_name == "now" || lower_name == "current_timestamp") return "CURRENT_TIMESTAMP";
  if (lower_name == "current_date") return "CURRENT_DATE";
  if (lower_name == "current_time") return "CURRENT_TIME";
  if (lower_name == "localtimestamp") return "LOCALTIMESTAMP";
  if (lower_name == "localtime") return "LOCALTIME";
  return nullptr;
}

std::string frame_bound(const std::optional<std::int64_t>& b, bool start) {
  if (!b) return start ? "UNBOUNDED PRECEDING" : "UNBOUNDED FOLLOWING";
  if (*b == 0) return "CURRENT ROW";
  if (*b < 0) return fmt::format("{} PRECEDING", 0 - static_cast<std::uint64_t>(*b));
  return fmt::format("{} FOLLOWING", *b);
}

std::int64_t bitwise_code(const std::string& op) {
  if (op == "&") return RETORT_BITWISE_AND;
  if (op == "|") return RETORT_BITWISE_OR;
  if (op == "^") return RETORT_BITWISE_XOR;
  if (op == "~") return RETORT_BITWISE_NOT;
  if (op == "<<") return RETORT_BITWISE_LSHIFT;
  return RETORT_BITWISE_RSHIFT;
}

}  // namespace

void SQLCompiler::process(const Node& n, int parent_precedence) {
  const bool parens = n.precedence < parent_precedence;
  if (parens) emit("(");
  switch (n.kind) {
    case NodeKind::column:
      if (n.from->kind == NodeKind::excluded) {
        visit_excluded_column(n);
        break;
      }
      // CREATE INDEX renders its expressions without table names, as SQLAlchemy does.
      if (!unqualified_columns_) {
        if (n.from->kind == NodeKind::table) {
          emit_table_name(*n.from->table);
        } else {
          emit_identifier(from_name(*n.from));
        }
        emit(".");
      }
      // A subquery/CTE column named by an anonymous label of its select (count_1).
      emit_identifier(
          n.text.empty() && n.column_index >= 0
              ? result_name(*derived_body(*n.from), static_cast<std::size_t>(n.column_index))
              : n.text);
      break;
    case NodeKind::next_value:
      emit_next_value(*n.sequence);
      break;
    case NodeKind::bind:
      emit_param({anon_name(n.text), n.value, false, {}, {}, n.type}, {},
                 n.value ? &*n.value : nullptr);
      break;
    case NodeKind::bindparam:
      emit_param({n.text, std::nullopt, false, {}, {}, n.type});
      break;
    case NodeKind::expanding: {
      // An empty list becomes an empty subquery of the right type, so that IN is never true
      // and NOT IN always is (SQLAlchemy's "empty set expression").
      std::string empty_set = empty_set_sql(n.type);
      emit_param({anon_name(n.text), std::nullopt, true, n.values, {}, n.type},
                 std::move(empty_set), &n.values);
      break;
    }
    case NodeKind::literal_column:
      emit(n.text);
      break;
    case NodeKind::null:
      emit("NULL");
      break;
    case NodeKind::true_:
    case NodeKind::false_: {
      std::uint32_t style = RETORT_HAS_FIELD(&dialect(), retort_dialect, boolean_literals)
                                ? dialect().boolean_literals
                                : std::uint32_t{RETORT_BOOLEAN_LITERALS_AUTO};
      if (style == RETORT_BOOLEAN_LITERALS_AUTO) {
        style = (dialect().capabilities & RETORT_CAP_NATIVE_BOOLEAN)
                    ? RETORT_BOOLEAN_LITERALS_KEYWORDS
                    : RETORT_BOOLEAN_LITERALS_INTEGERS;
      }
      const bool t = n.kind == NodeKind::true_;
      if (style == RETORT_BOOLEAN_LITERALS_INTEGERS)
        emit(t ? "1" : "0");
      else
        emit(t ? "true" : "false");
      break;
    }
    case NodeKind::binary:
      process(*n.left, n.precedence);
      emit(n.text);
      // The right operand of a non-associative operator binds tighter: a - (b - c).
      process(*n.right, n.precedence + (n.text == " + " || n.text == " * " ? 0 : 1));
      break;
    case NodeKind::boolean_list:
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (i) emit(" " + n.text + " ");
        process(*n.items[i], n.precedence);
      }
      break;
    case NodeKind::unary:
      emit(n.text);
      process(*n.left, kPrecAtom);
      break;
    case NodeKind::postfix:
      process(*n.left, n.precedence);
      emit(n.text);
      break;
    case NodeKind::in:
      if (n.right->kind == NodeKind::tuple_list) {
        visit_tuple_in(n);
        break;
      }
      process(*n.left, n.precedence);
      emit(n.flag ? " NOT IN (" : " IN (");
      if (is_select(*n.right))
        visit_selectable(*n.right, SelectRole::scalar);
      else
        process(*n.right);
      emit(")");
      break;
    case NodeKind::scalar_subquery:
      emit("(");
      visit_selectable(*n.left, SelectRole::scalar);
      emit(")");
      break;
    case NodeKind::exists:
      emit("EXISTS (");
      visit_selectable(*n.left, SelectRole::scalar);
      emit(")");
      break;
    case NodeKind::any_all: {
      Construct c{RETORT_CONSTRUCT_ANY_ALL, n.text == "ALL" ? "ALL" : "ANY", {}, {}, {}};
      c.ints = {{"all", n.text == "ALL" ? 1 : 0}};
      c.children.push_back([&] {
        emit("(");
        visit_selectable(*n.left, SelectRole::scalar);
        emit(")");
      });
      if (!render_hook(c)) {
        emit(n.text + " ");
        c.children[0]();
      }
      break;
    }
    case NodeKind::between:
      if (n.flag) {
        Construct c{RETORT_CONSTRUCT_BETWEEN_SYMMETRIC, "BETWEEN SYMMETRIC", {}, {}, {}};
        c.children = {child(*this, *n.left, n.precedence), child(*this, *n.right, n.precedence + 1),
                      child(*this, *n.third, n.precedence + 1)};
        if (render_hook(c)) break;
      }
      process(*n.left, n.precedence);
      emit(n.flag ? " BETWEEN SYMMETRIC " : " BETWEEN ");
      process(*n.right, n.precedence + 1);
      emit(" AND ");
      process(*n.third, n.precedence + 1);
      break;
    case NodeKind::function:
      visit_function(n);
      break;
    case NodeKind::label:
      process(*n.left);
      break;
    case NodeKind::like:
      process(*n.left, n.precedence);
      emit(n.flag ? " NOT LIKE " : " LIKE ");
      process(*n.right, n.precedence + 1);
      if (!n.text.empty()) {
        emit(" ESCAPE ");
        emit_string_literal(n.text);
      }
      break;
    case NodeKind::ilike: {
      Construct c{RETORT_CONSTRUCT_ILIKE, "ILIKE", {}, {}, {}};
      c.ints = {{"negate", n.flag ? 1 : 0}, {"has_escape", n.text.empty() ? 0 : 1}};
      if (!n.text.empty()) c.strs = {{"escape", n.text}};
      c.children = {child(*this, *n.left, n.precedence), child(*this, *n.right, n.precedence + 1)};
      if (!n.text.empty()) c.children.push_back([&] { emit_string_literal(n.text); });
      if (render_hook(c)) break;
      // Portable case-insensitive LIKE, as SQLAlchemy renders it outside PostgreSQL.
      emit("lower(");
      process(*n.left);
      emit(n.flag ? ") NOT LIKE lower(" : ") LIKE lower(");
      process(*n.right);
      emit(")");
      if (!n.text.empty()) {
        emit(" ESCAPE ");
        emit_string_literal(n.text);
      }
      break;
    }
    case NodeKind::concat: {
      // Operands other than atoms and unary operators are parenthesised: SQLite ranks `||`
      // above every binary operator, PostgreSQL below `+` and `*`, so only explicit
      // parentheses mean the same on both.
      Construct c{RETORT_CONSTRUCT_CONCAT, "string concatenation", {}, {}, {}};
      for (const auto& item : n.items) c.children.push_back(child(*this, *item, kPrecUnary));
      if (render_hook(c)) break;
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (i) emit(" || ");
        process(*n.items[i], kPrecUnary);
      }
      break;
    }
    case NodeKind::is_distinct: {
      Construct c{RETORT_CONSTRUCT_IS_DISTINCT_FROM, "IS DISTINCT FROM", {}, {}, {}};
      c.ints = {{"negate", n.flag ? 1 : 0}};
      c.children = {child(*this, *n.left, n.precedence), child(*this, *n.right, n.precedence + 1)};
      if (render_hook(c)) break;
      process(*n.left, n.precedence);
      emit(n.flag ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
      process(*n.right, n.precedence + 1);
      break;
    }
    case NodeKind::collate:
      process(*n.left, kPrecAtom);
      emit(" COLLATE ");
      emit_identifier(n.text);
      break;
    case NodeKind::bitwise: {
      Construct c{RETORT_CONSTRUCT_BITWISE, "", {}, {}, {}};
      const std::string name = fmt::format("bitwise operator {}", n.text);
      c.name = name.c_str();
      c.ints = {{"operator", bitwise_code(n.text)}};
      if (!n.right) {
        // `~` is parenthesised as an operand of any operator (see bitwise_impl): PostgreSQL
        // gives prefix operators other than `-` a low precedence.
        c.children = {child(*this, *n.left, kPrecAtom)};
        if (render_hook(c)) break;
        emit("~");
        process(*n.left, kPrecAtom);
        break;
      }
      c.children = {child(*this, *n.left, n.precedence), child(*this, *n.right, kPrecAdd)};
      if (render_hook(c)) break;
      process(*n.left, n.precedence);
      emit(" " + n.text + " ");
      process(*n.right, kPrecAdd);
      break;
    }
    case NodeKind::case_:
      emit("CASE ");
      if (n.left) {
        process(*n.left);
        emit(" ");
      }
      for (std::size_t i = 0; i + 1 < n.items.size(); i += 2) {
        emit("WHEN ");
        process(*n.items[i]);
        emit(" THEN ");
        process(*n.items[i + 1]);
        emit(" ");
      }
      if (n.right) {
        emit("ELSE ");
        process(*n.right);
        emit(" ");
      }
      emit("END");
      break;
    case NodeKind::cast:
      emit("CAST(");
      process(*n.left);
      emit(" AS ");
      emit_cast_type(n.type);
      emit(")");
      break;
    case NodeKind::type_coerce:
      // Grouped like its operand already (same precedence).
      process(*n.left);
      break;
    case NodeKind::over:
      visit_over(n);
      break;
    case NodeKind::aggregate_filter: {
      Construct c{RETORT_CONSTRUCT_AGGREGATE_FILTER, "FILTER (WHERE …)", {}, {}, {}};
      c.children = {child(*this, *n.left), child(*this, *n.where)};
      if (render_hook(c)) break;
      process(*n.left);
      emit(" FILTER (WHERE ");
      process(*n.where);
      emit(")");
      break;
    }
    case NodeKind::nulls_order: {
      const Node& ordering = *n.left;
      const bool directed = ordering.kind == NodeKind::postfix &&
                            (ordering.text == " ASC" || ordering.text == " DESC");
      Construct c{RETORT_CONSTRUCT_NULLS_ORDER, n.flag ? "NULLS FIRST" : "NULLS LAST", {}, {}, {}};
      c.ints = {{"nulls_first", n.flag ? 1 : 0},
                {"direction", !directed ? 0 : (ordering.text == " ASC" ? 1 : 2)}};
      c.children = {child(*this, ordering), child(*this, directed ? *ordering.left : ordering)};
      if (render_hook(c)) break;
      process(ordering);
      emit(n.flag ? " NULLS FIRST" : " NULLS LAST");
      break;
    }
    case NodeKind::tuple:
      emit("(");
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (i) emit(", ");
        process(*n.items[i]);
      }
      emit(")");
      break;
    case NodeKind::extract: {
      Construct c{RETORT_CONSTRUCT_EXTRACT, "EXTRACT", {}, {{"field", n.text}}, {}};
      c.children = {child(*this, *n.left)};
      if (render_hook(c)) break;
      emit("EXTRACT(" + n.text + " FROM ");
      process(*n.left);
      emit(")");
      break;
    }
    case NodeKind::regexp: {
      const bool replace = n.text == "replace";
      Construct c{RETORT_CONSTRUCT_REGEXP,
                  replace ? "regexp_replace()" : "regexp_match()",
                  {{"replace", replace ? 1 : 0}, {"negate", n.flag ? 1 : 0}},
                  {},
                  {}};
      if (replace) {
        c.children = {child(*this, *n.left), child(*this, *n.right), child(*this, *n.third)};
      } else {
        c.children = {child(*this, *n.left, kPrecComparison + 1),
                      child(*this, *n.right, kPrecComparison + 1)};
      }
      if (render_hook(c)) break;
      throw CompileError(
          fmt::format("The '{}' dialect cannot render {}: it has no regular expression operator",
                      dialect().name, c.name));
    }
    case NodeKind::within_group:
      process(*n.left);
      emit(" WITHIN GROUP (ORDER BY ");
      for (std::size_t i = 0; i < n.order_by.size(); ++i) {
        if (i) emit(", ");
        process(*n.order_by[i]);
      }
      emit(")");
      break;
    default:
      throw CompileError("a FROM clause or statement cannot be used as a column expression");
  }
  if (parens) emit(")");
}

void SQLCompiler::visit_function(const Node& n) {
  const std::string& name = n.text;
  const bool qualified = name.find('.') != std::string::npos;
  const std::string lower = lower_ascii(name);
  const bool count_star = n.items.empty() && lower == "count";
  if (!qualified) {
    Construct c{RETORT_CONSTRUCT_FUNCTION, "", {}, {}, {}};
    const std::string what = fmt::format("function {}()", name);
    c.name = what.c_str();
    c.strs = {{"name", name}};
    c.ints = {{"count_star", count_star ? 1 : 0}};
    for (const auto& a : n.items) c.children.push_back(child(*this, *a));
    if (render_hook(c)) return;
    if (n.items.empty()) {
      if (const char* keyword = keyword_function(lower)) {
        emit(keyword);
        return;
      }
    }
  }
  // Each dotted part is written as is when it is a plain name (reserved words included, as
  // SQLAlchemy does), else quoted.
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view part =
        std::string_view(name).substr(start, dot == std::string::npos ? dot : dot - start);
    if (legal_function_name(part))
      emit(part);
    else
      emit_identifier(part);
    if (dot == std::string::npos) break;
    emit(".");
    start = dot + 1;
  }
  emit("(");
  if (count_star) emit("*");
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    if (i) emit(", ");
    process(*n.items[i]);
  }
  emit(")");
}

void SQLCompiler::visit_tuple_in(const Node& n) {
  const Node& rows = *n.right;
  if (rows.items.empty()) {
    // No row can match: never true (NOT IN: always), whatever the tuple holds.
    emit(n.flag ? "1 = 1" : "1 != 1");
    return;
  }
  process(*n.left, n.precedence);
  emit(n.flag ? " NOT IN " : " IN ");
  Construct c{RETORT_CONSTRUCT_TUPLE_IN_LIST, "tuple IN list", {}, {}, {}};
  c.children = {[&] {
    for (std::size_t i = 0; i < rows.items.size(); ++i) {
      if (i) emit(", ");
      process(*rows.items[i]);
    }
  }};
  if (render_hook(c)) return;
  emit("(");
  c.children[0]();
  emit(")");
}

void SQLCompiler::visit_over(const Node& n) {
  if ((dialect().capabilities & RETORT_CAP_WINDOW_FUNCTIONS) == 0) {
    throw CompileError(fmt::format(
        "The '{}' dialect cannot render window functions (OVER): it does not support them",
        dialect().name));
  }
  process(*n.left);
  emit(" OVER (");
  const char* sep = "";
  if (!n.items.empty()) {
    emit("PARTITION BY ");
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      if (i) emit(", ");
      process(*n.items[i]);
    }
    sep = " ";
  }
  if (!n.order_by.empty()) {
    emit(sep);
    emit("ORDER BY ");
    for (std::size_t i = 0; i < n.order_by.size(); ++i) {
      if (i) emit(", ");
      const Node& o = *n.order_by[i];
      process(o.kind == NodeKind::label ? *o.left : o);
    }
    sep = " ";
  }
  if (n.frame_mode != kFrameNone) {
    emit(sep);
    emit(n.frame_mode == kFrameRows ? "ROWS" : n.frame_mode == kFrameRange ? "RANGE" : "GROUPS");
    // Frame offsets are integer literals: SQL accepts no parameter there.
    emit(fmt::format(" BETWEEN {} AND {}", frame_bound(n.frame_start, true),
                     frame_bound(n.frame_end, false)));
    if (!n.text.empty()) {
      if (!has_capability(RETORT_CAP_WINDOW_FRAME_EXCLUDE)) {
        throw CompileError(fmt::format(
            "The '{}' dialect cannot render the window frame option EXCLUDE {}: it has no "
            "EXCLUDE clause",
            dialect().name, n.text));
      }
      emit(" EXCLUDE " + n.text);
    }
  }
  emit(")");
}

}  // namespace retort::detail
