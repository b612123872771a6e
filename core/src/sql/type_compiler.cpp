// core/src/sql/type_compiler.cpp — spellings of types and of the constructs made of them (the
// autoincrement column, CAST targets, the empty IN list): the dialect's render hook first
// (RETORT_CONSTRUCT_*), else the SQL-standard spelling.
#include "compiler.hpp"
#include "reflected_type.hpp"
#include "type_values.hpp"

#include <retort/exceptions.hpp>

#include <fmt/format.h>

#include <string>

namespace retort::detail {

void SQLCompiler::emit_type_attrs(Construct& c, const Type& type) {
  c.ints.emplace_back("type", static_cast<std::int64_t>(type.kind()));
  if (type->length()) c.ints.emplace_back("length", *type->length());
  if (type->precision()) c.ints.emplace_back("precision", *type->precision());
  if (type->scale()) c.ints.emplace_back("scale", *type->scale());
  if (type.kind() == TypeKind::date_time) c.ints.emplace_back("timezone", type->timezone() ? 1 : 0);
  if (type.kind() == TypeKind::enum_) {
    c.strs.emplace_back("name", type->enum_name());
    const auto& values = type->enum_values();
    c.ints.emplace_back("value_count", static_cast<std::int64_t>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) {
      c.strs.emplace_back(fmt::format("value.{}", i), values[i]);
    }
  }
}

namespace {

// A plugin type's DDL comes from its own render_ddl, never from the dialect.
std::string plugin_type_ddl(const PluginType& type, const retort_dialect& dialect) {
  const retort_type_def& def = type.data().def;
  std::string buffer(64, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::size_t length = buffer.size();
    retort_error error{};
    error.struct_size = sizeof error;
    const retort_status st = def.render_ddl(dialect.name, buffer.data(), &length, &error);
    std::string message = error.message != nullptr ? error.message : "";
    if (error.release != nullptr) error.release(&error);
    if (st == RETORT_OK) {
      buffer.resize(std::min(length, buffer.size()));
      // The protocol NUL-terminates; `length` may or may not count it.
      buffer.resize(std::char_traits<char>::length(buffer.c_str()));
      return buffer;
    }
    if (st == RETORT_INVALID_ARGUMENT && length > buffer.size() && attempt == 0) {
      buffer.assign(length, '\0');
      continue;
    }
    if (st == RETORT_NOT_IMPLEMENTED) {
      throw CompileError(
          fmt::format("The '{}' dialect cannot render {}: the plugin has no DDL "
                      "spelling for this dialect{}{}",
                      dialect.name, type.type_name(), message.empty() ? "" : ": ", message));
    }
    throw CompileError(
        fmt::format("The '{}' dialect cannot render {}: render_ddl failed with "
                    "status {}{}{}",
                    dialect.name, type.type_name(), static_cast<int>(st),
                    message.empty() ? "" : ": ", message));
  }
  throw CompileError(
      fmt::format("The '{}' dialect cannot render {}: render_ddl kept asking for "
                  "a larger buffer",
                  dialect.name, type.type_name()));
}

}  // namespace

void SQLCompiler::emit_type(const Type& type, bool cast_target) {
  if (const auto* plugin = dynamic_cast<const PluginType*>(&*type)) {
    emit(plugin_type_ddl(*plugin, dialect()));
    return;
  }
  Construct c{RETORT_CONSTRUCT_TYPE, "", {}, {}, {}};
  const std::string name = fmt::format("type {}", type->type_name());
  c.name = name.c_str();
  emit_type_attrs(c, type);
  if (cast_target) c.ints.emplace_back("cast", 1);
  if (render_hook(c)) return;
  const TypeEngine& t = *type;
  auto with_length = [&](const char* base) {
    emit(base);
    if (t.length()) emit(fmt::format("({})", *t.length()));
  };
  switch (type.kind()) {
    case TypeKind::null:
      // A reflected type with no Retort equivalent carries the database's spelling, which
      // the database it came from (MySQL and MariaDB count as one) takes back verbatim.
      if (const auto* reflected = dynamic_cast<const ReflectedType*>(&t)) {
        auto family = [](std::string_view d) { return d == "mariadb" ? "mysql" : d; };
        if (!reflected->dialect().empty() &&
            family(reflected->dialect()) == family(dialect().name)) {
          emit(t.type_name());
          break;
        }
        throw CompileError(fmt::format(
            "The '{}' dialect cannot render type '{}' in DDL: it has no generic Retort type "
            "(reflected as NullType from a '{}' database, which alone takes it verbatim)",
            dialect().name, t.type_name(), reflected->dialect()));
      }
      if (std::string_view(t.type_name()) != "NullType") {
        throw CompileError(fmt::format(
            "The '{}' dialect cannot render type '{}' in DDL: it has no generic Retort type "
            "(reflected as NullType)",
            dialect().name, t.type_name()));
      }
      throw CompileError(
          fmt::format("The '{}' dialect cannot render type NullType in DDL", dialect().name));
    case TypeKind::integer:
      emit("INTEGER");
      break;
    case TypeKind::small_integer:
      emit("SMALLINT");
      break;
    case TypeKind::big_integer:
      emit("BIGINT");
      break;
    case TypeKind::boolean:
      emit("BOOLEAN");
      break;
    case TypeKind::float_:
      emit("FLOAT");
      if (t.precision()) emit(fmt::format("({})", *t.precision()));
      break;
    case TypeKind::double_:
      emit("DOUBLE PRECISION");
      break;
    case TypeKind::numeric:
      emit("NUMERIC");
      if (t.precision() && t.scale())
        emit(fmt::format("({}, {})", *t.precision(), *t.scale()));
      else if (t.precision())
        emit(fmt::format("({})", *t.precision()));
      break;
    case TypeKind::string:
    case TypeKind::unicode:
    case TypeKind::enum_:
      with_length("VARCHAR");
      break;
    case TypeKind::text:
      emit("TEXT");
      break;
    case TypeKind::date:
      emit("DATE");
      break;
    case TypeKind::time:
      emit("TIME");
      break;
    case TypeKind::date_time:
      emit(t.timezone() ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP");
      break;
    case TypeKind::interval:
      emit("INTERVAL");
      break;
    case TypeKind::large_binary:
      emit("BLOB");
      break;
    case TypeKind::json:
      emit("JSON");
      break;
    case TypeKind::uuid:
      emit("UUID");
      break;
  }
}

void SQLCompiler::emit_autoincrement_column(const Type& type, bool server_default,
                                            const std::function<void()>& rest) {
  Construct c{RETORT_CONSTRUCT_AUTOINCREMENT_COLUMN, "the autoincrement column", {}, {}, {}};
  emit_type_attrs(c, type);
  c.ints.emplace_back("server_default", server_default ? 1 : 0);
  bool rest_emitted = false;
  c.children.push_back([&] { emit_type(type); });
  c.children.push_back([&] {
    rest();
    rest_emitted = true;
  });
  if (!render_hook(c)) emit_type(type);
  // A hook that has nothing to add after NOT NULL leaves the rest to the core.
  if (!rest_emitted) rest();
}

void SQLCompiler::emit_cast_type(const Type& type) {
  Construct c{RETORT_CONSTRUCT_CAST_TYPE, "", {}, {}, {}};
  const std::string name = fmt::format("CAST to type {}", type->type_name());
  c.name = name.c_str();
  emit_type_attrs(c, type);
  c.children.push_back([&] { emit_type(type, true); });
  if (!render_hook(c)) emit_type(type, true);
}

std::string SQLCompiler::empty_set_sql(const Type& type) {
  return capture([&] {
    Construct c{RETORT_CONSTRUCT_EMPTY_SET, "the empty IN list", {}, {}, {}};
    emit_type_attrs(c, type);  // `type` is RETORT_GENERIC_NULL for an untyped list
    auto typed_null = [&] {
      if (type.kind() == TypeKind::null) {
        emit("NULL");
        return;
      }
      emit("CAST(NULL AS ");
      emit_cast_type(type);
      emit(")");
    };
    c.children.push_back(typed_null);
    if (render_hook(c)) return;
    emit("SELECT ");
    typed_null();
    emit(" WHERE 1!=1");
  });
}

}  // namespace retort::detail
