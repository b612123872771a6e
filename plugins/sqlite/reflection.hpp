// plugins/sqlite/reflection.hpp — the `sqlite` dialect's side of reflection.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_SQLITE_REFLECTION_HPP
#define RETORT_PLUGINS_SQLITE_REFLECTION_HPP

#include <retort/sdk/reflection.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace retort::sqlite {

/**
 * Answers one RETORT_REFLECT_* request from sqlite_master and the table-valued pragmas
 * (pragma_table_xinfo, pragma_foreign_key_list, pragma_index_list, pragma_index_xinfo), every
 * name bound as a parameter; constraint names, CHECK conditions and index expressions, which
 * no pragma reports, are read from the CREATE statement SQLite keeps.  `schema` is the name of
 * an attached database (`main` when NULL).  Table comments and sequences: not implemented
 * (SQLite has neither).  Stateless; any thread.
 */
void reflect(sdk::Reflector& r, uint32_t what, const char* schema, const char* name);

/// A declared column type (`VARCHAR(20)`, `DOUBLE PRECISION`) mapped as SQLAlchemy's SQLite
/// dialect does: known names first, then SQLite's affinity rules.  Exposed for unit tests.
struct SqliteType {
  int32_t generic = RETORT_GENERIC_NULL;
  int64_t length = -1;     ///< -1: none
  int64_t precision = -1;  ///< -1: none
  int64_t scale = -1;      ///< -1: none
};
SqliteType map_type(std::string_view declared);

/// What the CREATE TABLE statement says that the pragmas do not.  Exposed for unit tests.
struct CreateTableInfo {
  std::string primary_key_name;
  struct Named {
    std::string name;
    std::vector<std::string> columns;
  };
  std::vector<Named> uniques;       ///< named UNIQUE (…) constraints
  std::vector<Named> foreign_keys;  ///< named FOREIGN KEY (…) constraints
  struct Check {
    std::string name;
    std::string sqltext;
  };
  std::vector<Check> checks;  ///< table- and column-level, in order
};
CreateTableInfo parse_create_table(std::string_view sql);

/// The element list of `CREATE INDEX … ON t (a, lower(b) DESC)`, split at top-level commas,
/// with trailing ASC/DESC removed.
std::vector<std::string> parse_index_elements(std::string_view sql);
/// The condition of a partial index's CREATE INDEX statement (after WHERE), or empty.
std::string parse_index_where(std::string_view sql);

}  // namespace retort::sqlite

#endif  // RETORT_PLUGINS_SQLITE_REFLECTION_HPP
