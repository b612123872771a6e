// core/src/sql/reflected_type.hpp — the type of a reflected column with no Retort equivalent.
#ifndef RETORT_CORE_SQL_REFLECTED_TYPE_HPP
#define RETORT_CORE_SQL_REFLECTED_TYPE_HPP

#include <retort/sql/types.hpp>

#include <string>

namespace retort::detail {

// A NullType named as the database spells the type (`tsvector`, `int4range`), remembering
// the dialect it was reflected from: DDL for that dialect writes the spelling verbatim (the
// schema round-trips); any other dialect raises CompileError naming it.
class ReflectedType : public TypeEngine {
 public:
  ReflectedType(std::string name, std::string dialect)
      : TypeEngine(TypeKind::null), name_(std::move(name)), dialect_(std::move(dialect)) {}
  const char* type_name() const noexcept override { return name_.c_str(); }
  const std::string& dialect() const noexcept { return dialect_; }

 private:
  std::string name_;
  std::string dialect_;
};

}  // namespace retort::detail

#endif  // RETORT_CORE_SQL_REFLECTED_TYPE_HPP
