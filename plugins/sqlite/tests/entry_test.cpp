// plugins/sqlite/tests/entry_test.cpp — negotiation, metadata note, dialect and driver tables.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/entry_tests.hpp>

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <set>
#include <string>

namespace retort::sqlite::test {
namespace {

constexpr char kExpectedNote[] =
    "abi=1.0\nname=sqlite\nversion=0.1.0\nkinds=dialect,driver\ndialects=sqlite\n"
    "drivers=sqlite3\ndriver.sqlite3.dialects=sqlite\ndialect.sqlite.default_driver=sqlite3\n"
    "schemes=sqlite,sqlite+sqlite3\npackage=libretort1-plugin-sqlite\n";

// Export list, negotiation, agreement with the metadata note, required slots.
RETORT_SDK_ENTRY_TESTS(PluginEntry, host(), "sqlite");

TEST(PluginEntry, MetadataNoteIsTheExpectedText) {
  EXPECT_EQ(sdk::testing::read_metadata_note(host().path()),
            std::optional<std::string>(kExpectedNote));
}

TEST(SqliteDialect, DescribesSqlitesFlavour) {
  const retort_dialect& d = host().dialect();
  EXPECT_EQ(d.struct_size, sizeof(retort_dialect));
  EXPECT_STREQ(d.name, "sqlite");
  EXPECT_STREQ(d.default_driver, "sqlite3");
  EXPECT_EQ(d.paramstyle, static_cast<uint32_t>(RETORT_PARAMSTYLE_QMARK));
  EXPECT_STREQ(d.quote_open, "\"");
  EXPECT_STREQ(d.quote_close, "\"");
  EXPECT_EQ(d.max_identifier_length, 0);
  EXPECT_EQ(d.max_parameters, 32766);
  EXPECT_EQ(d.capabilities, RETORT_CAP_SAVEPOINTS | RETORT_CAP_TRANSACTIONAL_DDL |
                                RETORT_CAP_RETURNING | RETORT_CAP_MULTIROW_INSERT | RETORT_CAP_CTE |
                                RETORT_CAP_WINDOW_FUNCTIONS | RETORT_CAP_UPDATE_FROM |
                                RETORT_CAP_INSERT_ON_CONFLICT | RETORT_CAP_WINDOW_FRAME_EXCLUDE |
                                RETORT_CAP_NAMED_COLUMN_CHECKS | RETORT_CAP_PARTIAL_INDEXES);
  ASSERT_NE(d.isolation_levels, nullptr);
  EXPECT_STREQ(d.isolation_levels[0], "READ UNCOMMITTED");
  EXPECT_STREQ(d.isolation_levels[1], "SERIALIZABLE");
  EXPECT_STREQ(d.isolation_levels[2], "AUTOCOMMIT");
  EXPECT_EQ(d.isolation_levels[3], nullptr);
  EXPECT_NE(host().driver().begin_ex, nullptr);
}

TEST(SqliteDialect, ReservedWordsAreSqlitesFullLowerCaseKeywordList) {
  std::set<std::string> words;
  for (const char* const* w = host().dialect().reserved_words; *w != nullptr; ++w) {
    for (const char* c = *w; *c != '\0'; ++c) {
      ASSERT_FALSE(std::isupper(static_cast<unsigned char>(*c))) << *w;
    }
    EXPECT_TRUE(words.insert(*w).second) << "duplicate " << *w;
  }
  EXPECT_EQ(words.size(), 147u);  // SQLite 3.40's keyword count
  for (const char* expected : {"select", "returning", "without", "materialized", "nulls",
                               "current_timestamp", "autoincrement", "window", "ties"}) {
    EXPECT_EQ(words.count(expected), 1u) << expected;
  }
}

TEST(Sqlite3Driver, FillsEveryRequiredAndOptionalSlot) {
  const retort_driver& d = driver();
  EXPECT_EQ(d.struct_size, sizeof(retort_driver));
  EXPECT_STREQ(d.name, "sqlite3");
  ASSERT_NE(d.dialects, nullptr);
  EXPECT_STREQ(d.dialects[0], "sqlite");
  EXPECT_EQ(d.dialects[1], nullptr);
  ASSERT_NE(d.client_version, nullptr);
  EXPECT_EQ(std::string(d.client_version).substr(0, 2), "3.");
  for (const void* slot :
       {(const void*)d.connect, (const void*)d.connection_release, (const void*)d.prepare,
        (const void*)d.execute, (const void*)d.describe, (const void*)d.fetch,
        (const void*)d.statement_release, (const void*)d.begin, (const void*)d.commit,
        (const void*)d.rollback, (const void*)d.savepoint, (const void*)d.release_savepoint,
        (const void*)d.rollback_to_savepoint, (const void*)d.cancel, (const void*)d.server_version,
        (const void*)d.ping}) {
    EXPECT_NE(slot, nullptr);
  }
}

TEST(Sqlite3Driver, ServerVersionUsesTheBufferProtocol) {
  Conn c = connect();
  size_t length = 2;
  char tiny[2];
  ErrorBox error;
  EXPECT_EQ(driver().server_version(c.get(), tiny, &length, error.get()), RETORT_INVALID_ARGUMENT);
  ASSERT_GT(length, 2u);
  std::string buffer(length, '\0');
  ErrorBox again;
  ASSERT_EQ(driver().server_version(c.get(), buffer.data(), &length, again.get()), RETORT_OK);
  EXPECT_EQ(buffer.substr(0, 2), "3.");
}

TEST(Sqlite3Driver, PingSucceedsOnAnOpenConnection) {
  Conn c = connect();
  ErrorBox error;
  EXPECT_EQ(driver().ping(c.get(), error.get()), RETORT_OK) << error.message();
}

}  // namespace
}  // namespace retort::sqlite::test
