// plugins/postgresql/dialect.hpp — the `postgresql` dialect: PostgreSQL's SQL flavour, as data.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_POSTGRESQL_DIALECT_HPP
#define RETORT_PLUGINS_POSTGRESQL_DIALECT_HPP

#include <retort/plugin_abi.h>

namespace retort::postgresql {

/**
 * The `postgresql` dialect: `$n` parameters, `"` quoting, identifiers of at most 63 bytes
 * (NAMEDATALEN - 1), at most 65535 parameters per statement (the protocol's Int16 count),
 * capabilities SAVEPOINTS | TRANSACTIONAL_DDL | NATIVE_BOOLEAN | RETURNING | MULTIROW_INSERT
 * | SEQUENCES | CTE | WINDOW_FUNCTIONS | NATIVE_DECIMAL | NATIVE_UUID | NATIVE_ENUM, and
 * PostgreSQL's reserved key words (lower case) as reserved words.  Booleans render as
 * true/false.  Its render hook spells TIMESTAMP WITHOUT/WITH TIME ZONE and BYTEA, declares an
 * autoincrementing integer primary key SERIAL (SMALLSERIAL, BIGSERIAL), and refuses Enum
 * (native ENUM needs CREATE TYPE, not supported yet).
 *
 * Static and immutable; lives as long as the library.  Thread-safe.
 */
const retort_dialect& postgresql_dialect() noexcept;

}  // namespace retort::postgresql

#endif  // RETORT_PLUGINS_POSTGRESQL_DIALECT_HPP
