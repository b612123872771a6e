// plugins/postgresql/tests/entry_test.cpp — negotiation, metadata note, dialect and driver
// tables.  Needs no server.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/entry_tests.hpp>

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace retort::postgresql::test {
namespace {

constexpr char kExpectedNote[] =
    "abi=1.0\nname=postgresql\nversion=0.1.0\nkinds=dialect,driver,type\ndialects=postgresql\n"
    "drivers=libpq\ntypes=int2_array,int4_array,int8_array,float8_array,numeric_array,bool_array,"
    "text_array,varchar_array,uuid_array,date_array,timestamp_array,timestamptz_array,inet_array\n"
    "driver.libpq.dialects=postgresql\ndialect.postgresql.default_driver=libpq\n"
    "schemes=postgresql,postgresql+libpq\npackage=libretort1-plugin-postgresql\n";

// Export list, negotiation, agreement with the metadata note, required slots.
RETORT_SDK_ENTRY_TESTS(PluginEntry, host(), "postgresql");

TEST(PluginEntry, MetadataNoteIsTheExpectedText) {
  EXPECT_EQ(sdk::testing::read_metadata_note(host().path()),
            std::optional<std::string>(kExpectedNote));
}

TEST(PostgresqlDialect, DescribesPostgresqlsFlavour) {
  const retort_dialect& d = host().dialect();
  EXPECT_EQ(d.struct_size, sizeof(retort_dialect));
  EXPECT_STREQ(d.name, "postgresql");
  EXPECT_STREQ(d.default_driver, "libpq");
  EXPECT_EQ(d.paramstyle, static_cast<uint32_t>(RETORT_PARAMSTYLE_DOLLAR));
  EXPECT_STREQ(d.quote_open, "\"");
  EXPECT_STREQ(d.quote_close, "\"");
  EXPECT_EQ(d.max_identifier_length, 63);
  EXPECT_EQ(d.max_parameters, 65535);
  EXPECT_EQ(d.capabilities,
            RETORT_CAP_SAVEPOINTS | RETORT_CAP_TRANSACTIONAL_DDL | RETORT_CAP_NATIVE_BOOLEAN |
                RETORT_CAP_RETURNING | RETORT_CAP_MULTIROW_INSERT | RETORT_CAP_SEQUENCES |
                RETORT_CAP_CTE | RETORT_CAP_WINDOW_FUNCTIONS | RETORT_CAP_NATIVE_DECIMAL |
                RETORT_CAP_NATIVE_UUID | RETORT_CAP_NATIVE_ENUM | RETORT_CAP_ALTER_CONSTRAINTS |
                RETORT_CAP_COMMENTS | RETORT_CAP_ENUM_TYPES | RETORT_CAP_UPDATE_FROM |
                RETORT_CAP_DELETE_USING | RETORT_CAP_INSERT_ON_CONFLICT |
                RETORT_CAP_NATIVE_INTERVAL | RETORT_CAP_WINDOW_FRAME_EXCLUDE |
                RETORT_CAP_READ_ONLY_TRANSACTIONS | RETORT_CAP_DEFERRABLE_TRANSACTIONS |
                RETORT_CAP_IDENTITY_COLUMNS | RETORT_CAP_NAMED_COLUMN_CHECKS |
                RETORT_CAP_PARTIAL_INDEXES);
  ASSERT_NE(d.isolation_levels, nullptr);
  std::vector<std::string> levels;
  for (const char* const* p = d.isolation_levels; *p != nullptr; ++p) levels.emplace_back(*p);
  EXPECT_EQ(levels, (std::vector<std::string>{"READ UNCOMMITTED", "READ COMMITTED",
                                              "REPEATABLE READ", "SERIALIZABLE", "AUTOCOMMIT"}));
  EXPECT_NE(host().driver().begin_ex, nullptr);
  EXPECT_NE(host().driver().statement_set_options, nullptr);
}

TEST(PostgresqlDialect, ReservedWordsArePostgresqlsReservedKeyWordsInLowerCase) {
  std::set<std::string> words;
  for (const char* const* w = host().dialect().reserved_words; *w != nullptr; ++w) {
    for (const char* c = *w; *c != '\0'; ++c) {
      ASSERT_FALSE(std::isupper(static_cast<unsigned char>(*c))) << *w;
    }
    EXPECT_TRUE(words.insert(*w).second) << "duplicate " << *w;
  }
  // pg_get_keywords() of PostgreSQL 15, categories R and T.
  EXPECT_EQ(words.size(), 100u);
  for (const char* expected : {"select", "user", "order", "limit", "returning", "ilike", "left",
                               "verbose", "current_user", "analyse"}) {
    EXPECT_EQ(words.count(expected), 1u) << expected;
  }
  for (const char* unreserved : {"name", "value", "data", "key", "text", "year"}) {
    EXPECT_EQ(words.count(unreserved), 0u) << unreserved;
  }
}

TEST(LibpqDriver, FillsEveryRequiredAndOptionalSlot) {
  const retort_driver& d = driver();
  EXPECT_EQ(d.struct_size, sizeof(retort_driver));
  EXPECT_STREQ(d.name, "libpq");
  ASSERT_NE(d.dialects, nullptr);
  EXPECT_STREQ(d.dialects[0], "postgresql");
  EXPECT_EQ(d.dialects[1], nullptr);
  ASSERT_NE(d.client_version, nullptr);
  // PQlibVersion formatted: "15.18".
  const std::string v = d.client_version;
  ASSERT_NE(v.find('.'), std::string::npos) << v;
  EXPECT_GE(std::stoi(v.substr(0, v.find('.'))), 14) << v;
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

}  // namespace
}  // namespace retort::postgresql::test
