// plugins/mariadb/dialect.hpp — the `mysql` and `mariadb` dialects: MySQL's and MariaDB's SQL
// flavours, as data and a render hook.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_MARIADB_DIALECT_HPP
#define RETORT_PLUGINS_MARIADB_DIALECT_HPP

#include <retort/plugin_abi.h>

namespace retort::mariadb {

/**
 * The `mysql` dialect (MySQL 8.0): qmark parameters (Connector/C's prepared statements), `` ` ``
 * quoting, identifiers of at most 64 bytes, at most 65535 parameters per statement, MySQL 8.0's
 * reserved words, `true`/`false` literals, capabilities SAVEPOINTS | MULTIROW_INSERT | CTE |
 * WINDOW_FUNCTIONS | NATIVE_DECIMAL | NATIVE_ENUM.  Its render hook spells types, CAST targets,
 * the autoincrement column, LIMIT/OFFSET, the empty IN list, concat(), `<=>`, NULLS FIRST/LAST,
 * row locks, multi-table UPDATE/DELETE, ON DUPLICATE KEY UPDATE and inline comments as
 * SQLAlchemy's MySQL dialect does, and refuses what MySQL lacks (FILTER, FULL JOIN,
 * RETURNING) with a CompileError message; README.md has the table.  Default driver:
 * `mariadbc`.
 *
 * Static and immutable; lives as long as the library.  Thread-safe.
 */
const retort_dialect& mysql_dialect() noexcept;

/**
 * The `mariadb` dialect (MariaDB ≥ 10.7): as `mysql`, with MariaDB's reserved words and the
 * capabilities RETURNING (MariaDB ≥ 10.5; INSERT and DELETE only, the hook refuses UPDATE),
 * SEQUENCES (≥ 10.3, `nextval(seq)`) and NATIVE_UUID (the UUID type, ≥ 10.7); shared locks
 * are LOCK IN SHARE MODE, and LATERAL and FOR UPDATE OF are refused.
 *
 * Static and immutable; lives as long as the library.  Thread-safe.
 */
const retort_dialect& mariadb_dialect() noexcept;

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_DIALECT_HPP
