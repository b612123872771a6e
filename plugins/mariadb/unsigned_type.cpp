// plugins/mariadb/unsigned_type.cpp — MySQL's UNSIGNED integers as plugin types.
// SPDX-License-Identifier: MIT
#include "unsigned_type.hpp"

#include <retort/sdk/plugin.hpp>

#include <cstring>

namespace retort::mariadb {
namespace {

template <const char* Native, const char* Wider>
retort_status render_ddl(const char* dialect, char* buffer, size_t* length,
                         retort_error* error) noexcept {
  const bool mysql = dialect != nullptr &&
                     (std::strcmp(dialect, "mysql") == 0 || std::strcmp(dialect, "mariadb") == 0);
  return sdk::copy_out(mysql ? Native : Wider, buffer, length, error);
}

constexpr const char* kDialects[] = {"*", nullptr};

template <const char* Name, const char* Native, const char* Wider>
constexpr retort_type_def make_type() {
  retort_type_def t{};
  t.struct_size = sizeof(retort_type_def);
  t.name = Name;
  t.storage_type = RETORT_TYPE_INT64;
  t.dialects = kDialects;
  t.render_ddl = &render_ddl<Native, Wider>;
  return t;
}

#define RETORT_MY_UNSIGNED(ident, name, native, wider) \
  constexpr char k##ident##Name[] = name;              \
  constexpr char k##ident##Native[] = native;          \
  constexpr char k##ident##Wider[] = wider;            \
  constexpr retort_type_def k##ident =                 \
      make_type<k##ident##Name, k##ident##Native, k##ident##Wider>();
RETORT_MY_UNSIGNED(Tiny, "tinyint_unsigned", "TINYINT UNSIGNED", "SMALLINT")
RETORT_MY_UNSIGNED(Small, "smallint_unsigned", "SMALLINT UNSIGNED", "INTEGER")
RETORT_MY_UNSIGNED(Medium, "mediumint_unsigned", "MEDIUMINT UNSIGNED", "INTEGER")
RETORT_MY_UNSIGNED(Int, "int_unsigned", "INT UNSIGNED", "BIGINT")
RETORT_MY_UNSIGNED(Big, "bigint_unsigned", "BIGINT UNSIGNED", "NUMERIC(20)")
#undef RETORT_MY_UNSIGNED

constexpr const retort_type_def* kTypes[] = {&kTiny, &kSmall, &kMedium, &kInt, &kBig};

}  // namespace

std::span<const retort_type_def* const> unsigned_types() noexcept {
  return kTypes;
}

const char* unsigned_type_for(std::string_view column_type) noexcept {
  if (column_type.find(" unsigned") == std::string_view::npos) return nullptr;
  for (const retort_type_def* t : kTypes) {
    // "int_unsigned" → "int"; the column type starts with it, then `(` or a space.
    const std::string_view base(t->name, std::strlen(t->name) - std::strlen("_unsigned"));
    if (column_type.rfind(base, 0) == 0 && column_type.size() > base.size() &&
        (column_type[base.size()] == '(' || column_type[base.size()] == ' ')) {
      return t->name;
    }
  }
  return nullptr;
}

}  // namespace retort::mariadb
