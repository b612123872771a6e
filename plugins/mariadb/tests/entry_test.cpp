// plugins/mariadb/tests/entry_test.cpp — negotiation and the metadata note.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/entry_tests.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace retort::mariadb::test {
namespace {

constexpr char kExpectedNote[] =
    "abi=1.0\nname=mariadb\nversion=0.1.0\nkinds=dialect,driver,type\ndialects=mysql,mariadb\n"
    "drivers=mariadbc\n"
    "types=tinyint_unsigned,smallint_unsigned,mediumint_unsigned,int_unsigned,bigint_unsigned\n"
    "driver.mariadbc.dialects=mariadb,mysql\n"
    "dialect.mysql.default_driver=mariadbc\ndialect.mariadb.default_driver=mariadbc\n"
    "schemes=mysql,mariadb,mysql+mariadbc,mariadb+mariadbc\npackage=libretort1-plugin-mariadb\n";

// Export list, negotiation, agreement with the metadata note, required fields.
RETORT_SDK_ENTRY_TESTS(PluginEntry, host(), "mariadb");

TEST(PluginEntry, MetadataNoteIsTheExpectedText) {
  EXPECT_EQ(sdk::testing::read_metadata_note(host().path()),
            std::optional<std::string>(kExpectedNote));
}

TEST(PluginEntry, ProvidesTwoDialectsAndTheMariadbcDriverServingBoth) {
  const retort_plugin& p = host().plugin();
  EXPECT_EQ(p.kinds,
            static_cast<uint32_t>(RETORT_KIND_DIALECT | RETORT_KIND_DRIVER | RETORT_KIND_TYPE));
  ASSERT_EQ(p.dialect_count, 2u);
  EXPECT_STREQ(p.dialects[0]->name, "mysql");
  EXPECT_STREQ(p.dialects[1]->name, "mariadb");
  ASSERT_EQ(p.driver_count, 1u);
  ASSERT_EQ(p.type_count, 5u);  // the UNSIGNED integers
  EXPECT_STREQ(p.types[0]->name, "tinyint_unsigned");
  EXPECT_STREQ(p.types[4]->name, "bigint_unsigned");
  const retort_driver& d = host().driver();
  EXPECT_STREQ(d.name, "mariadbc");
  ASSERT_NE(d.dialects, nullptr);
  EXPECT_STREQ(d.dialects[0], "mariadb");
  EXPECT_STREQ(d.dialects[1], "mysql");
  EXPECT_EQ(d.dialects[2], nullptr);
  ASSERT_NE(d.client_version, nullptr);
  EXPECT_EQ(std::string(d.client_version).rfind("3.", 0), 0u) << d.client_version;
  // Every optional slot is implemented.
  EXPECT_NE(d.savepoint, nullptr);
  EXPECT_NE(d.release_savepoint, nullptr);
  EXPECT_NE(d.rollback_to_savepoint, nullptr);
  EXPECT_NE(d.cancel, nullptr);
  EXPECT_NE(d.server_version, nullptr);
  EXPECT_NE(d.ping, nullptr);
}

}  // namespace
}  // namespace retort::mariadb::test
