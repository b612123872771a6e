// plugins/postgresql/reflection.hpp — the `postgresql` dialect's side of reflection.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_POSTGRESQL_REFLECTION_HPP
#define RETORT_PLUGINS_POSTGRESQL_REFLECTION_HPP

#include <retort/sdk/reflection.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace retort::postgresql {

/**
 * Answers one RETORT_REFLECT_* request from pg_catalog (PostgreSQL ≥ 10): names bound as
 * parameters, `schema` NULL meaning current_schema().  Identity and serial columns are
 * autoincrement (a serial's nextval default is not reported); named ENUM types come with
 * their values; comments from col_description / obj_description; index elements from
 * pg_get_indexdef (expressions included); CHECK conditions from pg_get_constraintdef.
 * Arrays, domains, ranges and the other types with no generic equivalent are reported as
 * RETORT_GENERIC_NULL with their format_type() spelling.  Stateless; runs over any driver.
 */
void reflect(sdk::Reflector& r, uint32_t what, const char* schema, const char* name);

/// A format_type() spelling mapped to a generic type.  Exposed for unit tests.
struct PgType {
  int32_t generic = RETORT_GENERIC_NULL;
  int64_t length = -1;
  int64_t precision = -1;
  int64_t scale = -1;
  bool timezone = false;
};
PgType map_type(std::string_view format_type);

/// A column default as pg_get_expr reports it, with the cast of a plain literal removed
/// (`'abc'::character varying` → `'abc'`), so that other dialects can render it.
std::string normalize_default(std::string_view expr);

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_REFLECTION_HPP
