// plugins/mariadb/reserved_words.hpp — MySQL's and MariaDB's reserved words.
// SPDX-License-Identifier: MIT
#ifndef RETORT_PLUGINS_MARIADB_RESERVED_WORDS_HPP
#define RETORT_PLUGINS_MARIADB_RESERVED_WORDS_HPP

namespace retort::mariadb {

/// MySQL 8.0's reserved words, lower case, NULL-terminated.  Static.
extern const char* const kMysqlReservedWords[];
/// MariaDB's reserved words (as of 11.4), lower case, NULL-terminated.  Static.
extern const char* const kMariadbReservedWords[];

}  // namespace retort::mariadb

#endif  // RETORT_PLUGINS_MARIADB_RESERVED_WORDS_HPP
