// plugins/sqlite/dialect.hpp — the `sqlite` dialect: SQLite's SQL flavour, as data.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_SQLITE_DIALECT_HPP
#define RETORT_PLUGINS_SQLITE_DIALECT_HPP

#include <retort/plugin_abi.h>

namespace retort::sqlite {

/**
 * The `sqlite` dialect: qmark parameters, `"` quoting, no identifier length limit, at most
 * 32766 parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32), capabilities
 * SAVEPOINTS | TRANSACTIONAL_DDL | RETURNING | MULTIROW_INSERT | CTE | WINDOW_FUNCTIONS, and
 * SQLite's full keyword list (lower case) as reserved words.  True and false render as 1
 * and 0.  Its render hook spells DOUBLE, DATETIME (DateTime and Interval) and CHAR(32) (Uuid),
 * and an OFFSET without LIMIT as `LIMIT -1 OFFSET n`; everything else is the core default.
 *
 * Static and immutable; lives as long as the library.  Thread-safe.
 */
const retort_dialect& sqlite_dialect() noexcept;

}  // namespace retort::sqlite

#endif  // RETORT_PLUGINS_SQLITE_DIALECT_HPP
