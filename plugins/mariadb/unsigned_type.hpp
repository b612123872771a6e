// plugins/mariadb/unsigned_type.hpp — MySQL's UNSIGNED integers as plugin types.
// SPDX-License-Identifier: MIT
//
// `plugin_type("int_unsigned")` is an `INT UNSIGNED` column on MySQL and MariaDB; reflection
// reports unsigned integer columns as these types so that `UNSIGNED` survives a round trip.
// Types: tinyint_unsigned, smallint_unsigned, mediumint_unsigned, int_unsigned,
// bigint_unsigned.  Values are int64 (no conversion).  Other dialects get the next wider
// signed type that holds every value (TINYINT UNSIGNED → SMALLINT, SMALLINT and MEDIUMINT
// UNSIGNED → INTEGER, INT UNSIGNED → BIGINT, BIGINT UNSIGNED → NUMERIC(20)); values above
// 2^63 - 1 of a BIGINT UNSIGNED do not fit the int64 they travel as.
#ifndef RETORT_PLUGINS_MARIADB_UNSIGNED_TYPE_HPP
#define RETORT_PLUGINS_MARIADB_UNSIGNED_TYPE_HPP

#include <retort/plugin_abi.h>

#include <span>
#include <string_view>

namespace retort::mariadb {

/// The type definitions (static).
std::span<const retort_type_def* const> unsigned_types() noexcept;

/// The plugin type name for a column declared `column_type` (information_schema's
/// COLUMN_TYPE, lower case: `int(10) unsigned`, `bigint unsigned zerofill`), or nullptr when it
/// is not an unsigned integer.
const char* unsigned_type_for(std::string_view column_type) noexcept;

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_UNSIGNED_TYPE_HPP
