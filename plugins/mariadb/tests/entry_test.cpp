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
    "abi=1.0\nname=mariadb\nversion=0.1.0\nkinds=dialect\ndialects=mysql,mariadb\n"
    "dialect.mysql.default_driver=mariadbc\ndialect.mariadb.default_driver=mariadbc\n"
    "schemes=mysql,mariadb\npackage=libretort1-plugin-mariadb\n";

// Export list, negotiation, agreement with the metadata note, required fields.
RETORT_SDK_ENTRY_TESTS(PluginEntry, host(), "mariadb");

TEST(PluginEntry, MetadataNoteIsTheExpectedText) {
  EXPECT_EQ(sdk::testing::read_metadata_note(host().path()),
            std::optional<std::string>(kExpectedNote));
}

TEST(PluginEntry, ProvidesTwoDialectsAndNoDriverYet) {
  const retort_plugin& p = host().plugin();
  EXPECT_EQ(p.kinds, static_cast<uint32_t>(RETORT_KIND_DIALECT));
  ASSERT_EQ(p.dialect_count, 2u);
  EXPECT_STREQ(p.dialects[0]->name, "mysql");
  EXPECT_STREQ(p.dialects[1]->name, "mariadb");
  EXPECT_EQ(p.driver_count, 0u);
  EXPECT_EQ(p.type_count, 0u);
  EXPECT_THROW((void)host().driver(), std::out_of_range);
}

}  // namespace
}  // namespace retort::mariadb::test
