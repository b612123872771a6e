// plugins/mariadb/reflection.hpp — the `mysql` and `mariadb` dialects' side of reflection.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_MARIADB_REFLECTION_HPP
#define RETORT_PLUGINS_MARIADB_REFLECTION_HPP

#include <retort/sdk/reflection.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace retort::mariadb {

/**
 * Answers one RETORT_REFLECT_* request from information_schema, for both dialects: whether
 * the server is MariaDB is read from its version string, not from the dialect's name (a
 * `mysql://` URL may reach a MariaDB server).  `schema` is a database name (NULL:
 * DATABASE()).  TINYINT(1) is Boolean; a MariaDB LONGTEXT column with its `json_valid()` CHECK
 * is JSON (and that CHECK is not reported); ENUM values come from COLUMN_TYPE; unique
 * indexes on plain columns are reported as unique constraints (MySQL's unique constraints
 * are such indexes); primary keys are unnamed (MySQL names every one PRIMARY); the ON
 * DELETE / ON UPDATE rules RESTRICT and NO ACTION, the same in InnoDB, are both the default.
 * Identifiers quoted with backticks inside CHECK conditions and index expressions are
 * unquoted when they need no quoting, so other dialects can render them.  Sequences: MariaDB
 * only.  Stateless; runs over any driver.
 */
void reflect(sdk::Reflector& r, uint32_t what, const char* schema, const char* name);

/// The values of `enum('a','b''c')` (COLUMN_TYPE), unescaped.  Exposed for unit tests.
std::vector<std::string> parse_enum_values(std::string_view column_type);

/// `(`a` > 0)` → `a > 0`: outer parentheses removed, backticks dropped around identifiers
/// that need none.  Exposed for unit tests.
std::string portable_sql(std::string_view sql);

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_REFLECTION_HPP
