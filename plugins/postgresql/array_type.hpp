// plugins/postgresql/array_type.hpp — PostgreSQL arrays as plugin types, used as JSON arrays.
// SPDX-License-Identifier: MIT
//
// `plugin_type("int8_array")` is a `BIGINT[]` column whose values users bind and read as JSON
// arrays (`[1, null, 3]`, nested for more dimensions).  On the wire they are PostgreSQL's
// array text (`{1,NULL,3}`): bind_batch and result_batch convert a column at a time.  Types:
// int2_array, int4_array, int8_array, float8_array, numeric_array, bool_array, text_array,
// varchar_array, uuid_array, date_array, timestamp_array, timestamptz_array, inet_array.
#ifndef RETORT_PLUGINS_POSTGRESQL_ARRAY_TYPE_HPP
#define RETORT_PLUGINS_POSTGRESQL_ARRAY_TYPE_HPP

#include <retort/plugin_abi.h>

#include <span>
#include <string>
#include <string_view>

namespace retort::postgresql {

/// How an array's elements are written in JSON.
enum class ElementKind {
  kNumber,  ///< JSON numbers (NaN and ±Infinity, which JSON lacks, as strings)
  kBool,    ///< true / false
  kString,  ///< JSON strings (text, dates, UUIDs, … in PostgreSQL's text form)
};

/// PostgreSQL array text → JSON array.  Throws sdk::Error (RETORT_INVALID_DATA) for text that
/// is not an array literal.
std::string pg_array_to_json(std::string_view text, ElementKind kind);
/// JSON array → PostgreSQL array text.  Throws sdk::Error (RETORT_INVALID_DATA) for JSON that
/// is not an array of scalars and arrays, or has objects; the server checks the rest (ragged
/// dimensions, element syntax).
std::string json_to_pg_array(std::string_view json);

/// The array type definitions (static).
std::span<const retort_type_def* const> array_types() noexcept;

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_ARRAY_TYPE_HPP
