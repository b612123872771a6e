// core/src/sql/compiler.cpp — the compiler's core: entry points, output, quoting, the render
// hook bridge, and expansion of the compiled form for execution (expressions:
// compiler_expr.cpp).
#include "compiler.hpp"

#include "../plugin_loader.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <exception>

// The host side of a render-hook call (declared opaque in plugin_abi.h).
struct retort_render_ctx {
  retort::detail::SQLCompiler* compiler;
  const retort::detail::SQLCompiler::Construct* construct;
  // An exception thrown while rendering a child: kept until the hook has returned, since no
  // C++ exception may cross the plugin boundary.
  std::exception_ptr failure;
};

namespace retort {
namespace detail {

namespace {

// SQL:2016 reserved words a printed statement is most likely to meet.
constexpr const char* kDefaultReservedWords[] = {
    "all",        "and",        "as",     "asc",   "between", "by",      "case",   "check",
    "column",     "constraint", "create", "cross", "current", "default", "delete", "desc",
    "distinct",   "drop",       "else",   "end",   "except",  "exists",  "false",  "for",
    "foreign",    "from",       "full",   "group", "having",  "in",      "inner",  "insert",
    "intersect",  "into",       "is",     "join",  "left",    "like",    "limit",  "natural",
    "not",        "null",       "offset", "on",    "or",      "order",   "outer",  "primary",
    "references", "right",      "select", "set",   "table",   "then",    "to",     "true",
    "union",      "unique",     "update", "user",  "using",   "values",  "when",   "where",
    "with",       nullptr,
};

constexpr retort_dialect kDefaultDialect = {
    .struct_size = sizeof(retort_dialect),
    .name = "default",
    .default_driver = nullptr,
    .paramstyle = kParamstyleNamed,
    .max_identifier_length = 0,
    .quote_open = "\"",
    .quote_close = "\"",
    // SQLAlchemy's default dialect: sequences, ALTER TABLE constraints and comments in
    // standard SQL.
    .capabilities = RETORT_CAP_NATIVE_BOOLEAN | RETORT_CAP_SEQUENCES |
                    RETORT_CAP_ALTER_CONSTRAINTS | RETORT_CAP_COMMENTS |
                    RETORT_CAP_WINDOW_FUNCTIONS | RETORT_CAP_CTE | RETORT_CAP_RETURNING |
                    RETORT_CAP_UPDATE_FROM | RETORT_CAP_DELETE_USING |
                    RETORT_CAP_INSERT_ON_CONFLICT | RETORT_CAP_WINDOW_FRAME_EXCLUDE |
                    RETORT_CAP_NAMED_COLUMN_CHECKS,
    .reserved_words = kDefaultReservedWords,
    .max_parameters = 0,
    .boolean_literals = RETORT_BOOLEAN_LITERALS_KEYWORDS,
    .render = nullptr,
};

// --- The retort_render_api callbacks ---------------------------------------------------------

void api_emit(retort_render_ctx* ctx, const char* text, size_t length) {
  ctx->compiler->emit(std::string_view(text, length));
}
void api_emit_identifier(retort_render_ctx* ctx, const char* name, size_t length) {
  ctx->compiler->emit_identifier(std::string_view(name, length));
}
int32_t api_child_count(retort_render_ctx* ctx) {
  return static_cast<int32_t>(ctx->construct->children.size());
}
retort_status api_emit_child(retort_render_ctx* ctx, int32_t index) {
  const auto& children = ctx->construct->children;
  if (index < 0 || static_cast<std::size_t>(index) >= children.size() || !children[index]) {
    return RETORT_INVALID_ARGUMENT;
  }
  try {
    children[index]();
    return RETORT_OK;
  } catch (...) {
    ctx->failure = std::current_exception();
    return RETORT_INTERNAL;
  }
}
int64_t api_int_attr(retort_render_ctx* ctx, const char* key, int32_t* present) {
  for (const auto& [k, v] : ctx->construct->ints) {
    if (k == key) {
      if (present) *present = 1;
      return v;
    }
  }
  if (present) *present = 0;
  return 0;
}
const char* api_str_attr(retort_render_ctx* ctx, const char* key, size_t* length) {
  for (const auto& [k, v] : ctx->construct->strs) {
    if (k == key) {
      if (length) *length = v.size();
      return v.data();
    }
  }
  if (length) *length = 0;
  return nullptr;
}

const char* api_server_version(retort_render_ctx* ctx, size_t* length) {
  const retort_dialect& d = ctx->compiler->dialect();
  const char* v =
      d.struct_size >= offsetof(retort_dialect, server_version) + sizeof d.server_version
          ? d.server_version
          : nullptr;
  if (length) *length = v != nullptr ? std::strlen(v) : 0;
  return v;
}

constexpr retort_render_api kRenderApi = {
    .struct_size = sizeof(retort_render_api),
    .emit = api_emit,
    .emit_identifier = api_emit_identifier,
    .child_count = api_child_count,
    .emit_child = api_emit_child,
    .int_attr = api_int_attr,
    .str_attr = api_str_attr,
    .server_version = api_server_version,
};

std::string placeholder(std::uint32_t paramstyle, std::size_t number, const std::string& name) {
  switch (paramstyle) {
    case RETORT_PARAMSTYLE_QMARK:
      return "?";
    case RETORT_PARAMSTYLE_NUMERIC:
      return fmt::format(":{}", number);
    case RETORT_PARAMSTYLE_DOLLAR:
      return fmt::format("${}", number);
    case RETORT_PARAMSTYLE_FORMAT:
      return "%s";
    case kParamstyleNamed:
      return ":" + name;
    default:
      throw CompileError(fmt::format("unknown paramstyle {}", paramstyle));
  }
}

// Literal text for the paramstyle: `%` is doubled for the `%s` style.
std::string literal_text(std::uint32_t paramstyle, const std::string& text) {
  if (paramstyle != RETORT_PARAMSTYLE_FORMAT) return text;
  std::string out;
  for (char ch : text) {
    out += ch;
    if (ch == '%') out += '%';
  }
  return out;
}

bool is_reserved(const retort_dialect& d, std::string_view name) {
  if (d.reserved_words == nullptr) return false;
  for (const char* const* w = d.reserved_words; *w != nullptr; ++w) {
    if (name == *w) return true;
  }
  return false;
}

}  // namespace

const retort_dialect& default_dialect() noexcept {
  return kDefaultDialect;
}

SQLCompiler::SQLCompiler(const retort_dialect& dialect, const std::vector<std::string>* column_keys)
    : dialect_(dialect), column_keys_(column_keys) {}

Compiled SQLCompiler::compile(const Node& statement) {
  if (statement.kind == NodeKind::insert || statement.kind == NodeKind::update ||
      statement.kind == NodeKind::delete_) {
    for (const auto& c : statement.ctes) define_cte(*c);
  }
  switch (statement.kind) {
    case NodeKind::select:
    case NodeKind::compound_select:
    case NodeKind::textual_select:
      visit_select(statement);
      break;
    case NodeKind::insert:
      visit_insert(statement);
      break;
    case NodeKind::update:
    case NodeKind::delete_:
      // Subqueries in the WHERE correlate with the target table, as in SQLAlchemy.
      if (statement.from) {
        const void* key = statement.from->table.get();
        frames_.push_back({{key}, {key}});
      }
      if (statement.kind == NodeKind::update)
        visit_update(statement);
      else
        visit_delete(statement);
      frames_.clear();
      break;
    case NodeKind::create_table:
      visit_create_table(statement);
      break;
    case NodeKind::drop_table:
      visit_drop_table(statement);
      break;
    case NodeKind::create_index:
      visit_create_index(statement);
      break;
    case NodeKind::drop_index:
    case NodeKind::create_sequence:
    case NodeKind::drop_sequence:
    case NodeKind::set_table_comment:
    case NodeKind::set_column_comment:
    case NodeKind::add_foreign_key:
    case NodeKind::drop_constraint:
    case NodeKind::create_enum_type:
    case NodeKind::drop_enum_type:
      visit_schema_ddl(statement);
      break;
    default:
      throw CompileError("not an executable statement");
  }
  // CTEs referenced anywhere in the statement, whatever its kind, go in front of it.
  if (!ctes_.empty()) emit_with_prefix();
  Compiled out;
  out.dialect = dialect_.name;
  out.paramstyle_ = dialect_.paramstyle;
  pieces_.push_back(std::move(cur_));
  out.pieces_ = std::move(pieces_);
  out.parameters = std::move(params_);
  out.empty_sets_ = std::move(empty_sets_);
  std::size_t expanding = 0;
  for (std::size_t i = 0; i < out.parameters.size(); ++i) {
    const auto& p = out.parameters[i];
    out.sql += literal_text(out.paramstyle_, out.pieces_[i]);
    out.sql += p.expanding ? "__[POSTCOMPILE_" + p.name + "]"
                           : placeholder(out.paramstyle_, i + 1 - expanding, p.name);
    if (p.expanding) ++expanding;
  }
  out.sql += literal_text(out.paramstyle_, out.pieces_.back());
  return out;
}

void SQLCompiler::emit_identifier(std::string_view name) {
  if (dialect_.max_identifier_length > 0 &&
      name.size() > static_cast<std::size_t>(dialect_.max_identifier_length)) {
    // PostgreSQL would truncate it silently, so two long names could become one.
    throw IdentifierError(fmt::format(
        "Identifier '{}' exceeds the maximum identifier length of the '{}' dialect, {} (it "
        "has {} bytes); choose a shorter name",
        name, dialect_.name, dialect_.max_identifier_length, name.size()));
  }
  bool quote = name.empty() || (name.front() >= '0' && name.front() <= '9');
  for (char ch : name) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) quote = true;
  }
  if (!quote && !is_reserved(dialect_, name)) {
    cur_ += name;
    return;
  }
  const std::string_view close = dialect_.quote_close ? dialect_.quote_close : "\"";
  cur_ += dialect_.quote_open ? dialect_.quote_open : "\"";
  for (std::size_t i = 0; i < name.size(); ++i) {
    // A closing quote inside the name is doubled.
    if (name.substr(i, close.size()) == close) cur_ += close;
    cur_ += name[i];
  }
  cur_ += close;
}

void SQLCompiler::emit_param(BoundParameter param, std::string empty_set, const void* source) {
  pieces_.push_back(std::move(cur_));
  cur_.clear();
  params_.push_back(std::move(param));
  empty_sets_.push_back(std::move(empty_set));
  sources_.push_back(source);
}

void SQLCompiler::emit_string_literal(std::string_view text) {
  const bool backslashes =
      dialect_.struct_size >=
          offsetof(retort_dialect, backslash_escapes) + sizeof dialect_.backslash_escapes &&
      dialect_.backslash_escapes != 0;
  cur_ += '\'';
  for (char ch : text) {
    if (ch == '\'' || (ch == '\\' && backslashes)) cur_ += ch;
    cur_ += ch;
  }
  cur_ += '\'';
}

std::string SQLCompiler::capture(const std::function<void()>& render) {
  const std::size_t mark = cur_.size();
  const std::size_t params = params_.size();
  render();
  if (params_.size() != params) throw CompileError("internal: bound parameter in captured SQL");
  std::string out = cur_.substr(mark);
  cur_.resize(mark);
  return out;
}

std::string SQLCompiler::anon_name(const std::string& base) {
  return fmt::format("{}_{}", base, ++anon_counters_[base]);
}

void SQLCompiler::emit_table_name(const TableData& table) {
  if (!table.schema.empty()) {
    emit_identifier(table.schema);
    emit(".");
  }
  emit_identifier(table.name);
}

std::string SQLCompiler::from_name(const Node& from) {
  switch (from.kind) {
    case NodeKind::alias:
      return from.text;
    case NodeKind::subquery:
    case NodeKind::cte: {
      const Node* identity = from.kind == NodeKind::cte ? cte_root(from) : &from;
      if (!identity->text.empty()) return identity->text;
      // Numbered in order of first use, in the `anon` sequence of anonymous labels.
      auto it = anon_froms_.find(identity);
      if (it == anon_froms_.end()) it = anon_froms_.emplace(identity, anon_name("anon")).first;
      return it->second;
    }
    default:
      return table_of(from)->name;
  }
}

bool SQLCompiler::render_hook(const Construct& construct) {
  if (!RETORT_HAS_FIELD(&dialect_, retort_dialect, render)) return false;
  retort_render_ctx ctx{this, &construct, nullptr};
  retort_error error{};
  error.struct_size = sizeof error;
  const retort_status st = dialect_.render(&kRenderApi, &ctx, construct.id, &error);
  std::string message = error.message ? error.message : "";
  if (error.release) error.release(&error);
  if (ctx.failure) std::rethrow_exception(ctx.failure);
  if (st == RETORT_OK) return true;
  if (st == RETORT_NOT_IMPLEMENTED) return false;
  throw CompileError(fmt::format("The '{}' dialect cannot render {}{}{}", dialect_.name,
                                 construct.name, message.empty() ? "" : ": ", message));
}

Compiled compile_for(const Node& statement, const retort_dialect& dialect,
                     const std::vector<std::string>* column_keys) {
  return SQLCompiler(dialect, column_keys).compile(statement);
}

// --- Execution --------------------------------------------------------------------------------

PreparedExecution prepare_execution(const Compiled& compiled, std::span<const Params> params) {
  const Compiled::Expanded e = compiled.expand();
  PreparedExecution out;
  out.sql = e.sql;
  std::map<std::string, std::uint32_t> index;
  // For each name, its first parameter (the value or callable used when a set lacks it).
  std::vector<const BoundParameter*> first;
  for (const auto& p : e.parameters) {
    auto [it, added] = index.emplace(p.name, static_cast<std::uint32_t>(out.names.size()));
    if (added) {
      out.names.push_back(p.name);
      first.push_back(&p);
      out.types.push_back(p.type);
    }
    out.placeholders.push_back(it->second);
  }
  for (std::size_t r = 0; r < params.size(); ++r) {
    Params row;
    for (std::size_t i = 0; i < out.names.size(); ++i) {
      const std::string& name = out.names[i];
      if (const Value* v = params[r].find(name)) {
        row.append(name, *v);
        continue;
      }
      const BoundParameter& p = *first[i];
      if (p.callable) {
        row.append(name, p.callable());
        continue;
      }
      if (!p.value) {
        throw ArgumentError(fmt::format(
            "A value is required for bind parameter '{}'{}", name,
            params.size() > 1 ? fmt::format(", in parameter group {}", r) : std::string()));
      }
      row.append(name, *p.value);
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace detail

Compiled::Expanded Compiled::expand() const {
  Expanded out;
  std::size_t number = 0;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const BoundParameter& p = parameters[i];
    out.sql += detail::literal_text(paramstyle_, pieces_[i]);
    if (!p.expanding) {
      out.sql += detail::placeholder(paramstyle_, ++number, p.name);
      out.parameters.push_back(p);
      continue;
    }
    if (p.values.empty()) {
      out.sql += detail::literal_text(paramstyle_, empty_sets_[i]);
      continue;
    }
    for (std::size_t v = 0; v < p.values.size(); ++v) {
      std::string name = fmt::format("{}_{}", p.name, v + 1);
      if (v) out.sql += ", ";
      out.sql += detail::placeholder(paramstyle_, ++number, name);
      out.parameters.push_back({std::move(name), p.values[v], false, {}, {}, p.type});
    }
  }
  out.sql += detail::literal_text(paramstyle_, pieces_.back());
  return out;
}

Compiled compile(const Executable& statement, std::string_view dialect,
                 const std::vector<std::string>& column_keys) {
  const std::vector<std::string>* keys = column_keys.empty() ? nullptr : &column_keys;
  if (dialect == "default") {
    return detail::compile_for(*statement.node(), detail::default_dialect(), keys);
  }
  const detail::DialectHandle handle = detail::load_dialect(std::string(dialect));
  return detail::compile_for(*statement.node(), handle.dialect, keys);
}

}  // namespace retort
