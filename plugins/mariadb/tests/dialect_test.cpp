// plugins/mariadb/tests/dialect_test.cpp — the dialect tables' data.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace retort::mariadb::test {
namespace {

std::set<std::string> reserved(const retort_dialect& d) {
  std::set<std::string> words;
  for (const char* const* w = d.reserved_words; *w != nullptr; ++w) {
    for (const char* c = *w; *c != '\0'; ++c) {
      EXPECT_FALSE(std::isupper(static_cast<unsigned char>(*c))) << *w;
    }
    EXPECT_TRUE(words.insert(*w).second) << "duplicate " << *w;
  }
  return words;
}

TEST(MysqlDialect, DescribesMysqlsFlavour) {
  const retort_dialect& d = mysql();
  EXPECT_EQ(d.struct_size, sizeof(retort_dialect));
  EXPECT_STREQ(d.name, "mysql");
  EXPECT_STREQ(d.default_driver, "mariadbc");
  EXPECT_EQ(d.paramstyle, static_cast<uint32_t>(RETORT_PARAMSTYLE_QMARK));
  EXPECT_STREQ(d.quote_open, "`");
  EXPECT_STREQ(d.quote_close, "`");
  EXPECT_EQ(d.max_identifier_length, 64);
  EXPECT_EQ(d.max_parameters, 65535);
  EXPECT_EQ(d.boolean_literals, static_cast<uint32_t>(RETORT_BOOLEAN_LITERALS_KEYWORDS));
  EXPECT_NE(d.render, nullptr);
  EXPECT_EQ(d.capabilities, RETORT_CAP_SAVEPOINTS | RETORT_CAP_MULTIROW_INSERT | RETORT_CAP_CTE |
                                RETORT_CAP_WINDOW_FUNCTIONS | RETORT_CAP_NATIVE_DECIMAL |
                                RETORT_CAP_NATIVE_ENUM | RETORT_CAP_ALTER_CONSTRAINTS |
                                RETORT_CAP_READ_ONLY_TRANSACTIONS |
                                RETORT_CAP_NAMED_COLUMN_CHECKS);
  EXPECT_EQ(d.backslash_escapes, 1u);
  ASSERT_NE(d.isolation_levels, nullptr);
  EXPECT_STREQ(d.isolation_levels[3], "SERIALIZABLE");
  EXPECT_STREQ(d.isolation_levels[4], "AUTOCOMMIT");
  EXPECT_EQ(d.isolation_levels[5], nullptr);
  EXPECT_NE(d.capabilities_for, nullptr);
  EXPECT_EQ(d.server_version, nullptr);
}

TEST(MariadbDialect, IsMysqlWithReturningSequencesAndUuid) {
  const retort_dialect& d = mariadb();
  EXPECT_EQ(d.struct_size, sizeof(retort_dialect));
  EXPECT_STREQ(d.name, "mariadb");
  EXPECT_STREQ(d.default_driver, "mariadbc");
  EXPECT_EQ(d.paramstyle, static_cast<uint32_t>(RETORT_PARAMSTYLE_QMARK));
  EXPECT_STREQ(d.quote_open, "`");
  EXPECT_STREQ(d.quote_close, "`");
  EXPECT_EQ(d.max_identifier_length, 64);
  EXPECT_EQ(d.max_parameters, 65535);
  EXPECT_EQ(d.boolean_literals, static_cast<uint32_t>(RETORT_BOOLEAN_LITERALS_KEYWORDS));
  EXPECT_NE(d.render, nullptr);
  // MariaDB takes no named CHECK inline in a column definition.
  EXPECT_EQ(d.capabilities, (mysql().capabilities & ~RETORT_CAP_NAMED_COLUMN_CHECKS) |
                                RETORT_CAP_RETURNING | RETORT_CAP_SEQUENCES |
                                RETORT_CAP_NATIVE_UUID);
  EXPECT_EQ(d.capabilities & RETORT_CAP_TRANSACTIONAL_DDL, 0u);
}

TEST(MysqlDialect, ReservedWordsAreMysql80sLowerCaseList) {
  const std::set<std::string> words = reserved(mysql());
  EXPECT_EQ(words.size(), 263u);
  // Reserved since 8.0: window functions, LATERAL, MEMBER, SYSTEM, EMPTY, INTERSECT.
  for (const char* w :
       {"select", "order", "key", "interval", "window", "rank", "row", "rows", "groups", "lateral",
        "member", "system", "empty", "intersect", "json_table", "dual", "div", "xor", "zerofill"}) {
    EXPECT_EQ(words.count(w), 1u) << w;
  }
  // Keywords MySQL does not reserve stay unquoted.
  for (const char* w : {"offset", "returning", "status", "user", "name", "text", "date"}) {
    EXPECT_EQ(words.count(w), 0u) << w;
  }
}

TEST(MariadbDialect, ReservedWordsAreMariadbsLowerCaseList) {
  const std::set<std::string> words = reserved(mariadb());
  EXPECT_EQ(words.size(), 250u);
  for (const char* w :
       {"select", "order", "key", "interval", "window", "offset", "returning", "current_role",
        "delete_domain_id", "page_checksum", "stats_persistent", "over", "rows", "intersect"}) {
    EXPECT_EQ(words.count(w), 1u) << w;
  }
  // MySQL 8.0's window-function and JSON words are not reserved by MariaDB.
  for (const char* w : {"rank", "lateral", "json_table", "member", "system", "empty", "status"}) {
    EXPECT_EQ(words.count(w), 0u) << w;
  }
}

}  // namespace
}  // namespace retort::mariadb::test
