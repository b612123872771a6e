// Tests for the metadata note parser (core/src/plugin_metadata.*).
#include "plugin_metadata.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace retort::detail {
namespace {

using Status = MetadataParseResult::Status;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kSqliteNote =
    "abi=1.0\n"
    "name=sqlite\n"
    "version=0.1.0\n"
    "kinds=dialect,driver\n"
    "dialects=sqlite\n"
    "drivers=sqlite3\n"
    "driver.sqlite3.dialects=sqlite\n"
    "dialect.sqlite.default_driver=sqlite3\n"
    "package=libretort1-plugin-sqlite\n";

MetadataParseResult parse_ok(const std::string& text) {
  MetadataParseResult r = parse_plugin_metadata(text);
  EXPECT_TRUE(r.ok()) << r.error;
  return r;
}

std::string error_of(const std::string& text) {
  const MetadataParseResult r = parse_plugin_metadata(text);
  EXPECT_EQ(r.status, Status::kMalformed) << text;
  return r.error;
}

TEST(PluginMetadata, ParsesEveryKeyOfACompleteNote) {
  const PluginMetadata m = parse_ok(kSqliteNote).metadata;
  EXPECT_EQ(m.info.name, "sqlite");
  EXPECT_EQ(m.info.version, "0.1.0");
  EXPECT_EQ(m.info.abi, "1.0");
  EXPECT_EQ(m.abi_major, 1u);
  EXPECT_EQ(m.abi_minor, 0u);
  EXPECT_THAT(m.info.kinds, ElementsAre("dialect", "driver"));
  EXPECT_EQ(m.kind_bits, uint32_t{RETORT_KIND_DIALECT | RETORT_KIND_DRIVER});
  EXPECT_THAT(m.info.dialects, ElementsAre("sqlite"));
  EXPECT_THAT(m.info.drivers, ElementsAre("sqlite3"));
  EXPECT_THAT(m.info.schemes, ElementsAre("sqlite", "sqlite+sqlite3"));
  EXPECT_EQ(m.info.package, "libretort1-plugin-sqlite");
  EXPECT_THAT(m.driver_dialects.at("sqlite3"), ElementsAre("sqlite"));
  EXPECT_EQ(m.default_drivers.at("sqlite"), "sqlite3");
  EXPECT_THAT(m.explicit_default_drivers, ElementsAre("sqlite"));
  EXPECT_TRUE(m.provides_dialect("sqlite"));
  EXPECT_TRUE(m.provides_driver_for("sqlite3", "sqlite"));
  EXPECT_FALSE(m.provides_driver_for("sqlite3", "postgresql"));
}

TEST(PluginMetadata, IgnoresCommentsBlankLinesSpacesCarriageReturnsAndUnknownKeys) {
  const PluginMetadata m = parse_ok(
                               "# a comment\r\n"
                               "\r\n"
                               "  abi = 1.0 \r\n"
                               "name=pg\r\n"
                               "version=1.2.3\r\n"
                               "kinds = dialect , driver\r\n"
                               "dialects= postgresql\r\n"
                               "drivers=libpq , pgx\r\n"
                               "arch=x86_64-linux-gnu\r\n"
                               "driver.libpq.future_key=whatever\r\n")
                               .metadata;
  EXPECT_EQ(m.info.name, "pg");
  EXPECT_THAT(m.info.drivers, ElementsAre("libpq", "pgx"));
  EXPECT_THAT(m.info.schemes, ElementsAre("postgresql", "postgresql+libpq", "postgresql+pgx"));
}

TEST(PluginMetadata, InfersDriverDialectsAndTheDefaultDriver) {
  const PluginMetadata m = parse_ok(
                               "abi=1.0\nname=my\nversion=1\nkinds=dialect,driver\n"
                               "dialects=mysql,mariadb\ndrivers=mariadbc\n")
                               .metadata;
  EXPECT_THAT(m.driver_dialects.at("mariadbc"), ElementsAre("mysql", "mariadb"));
  EXPECT_EQ(m.default_drivers.at("mysql"), "mariadbc");
  EXPECT_EQ(m.default_drivers.at("mariadb"), "mariadbc");
  EXPECT_TRUE(m.explicit_default_drivers.empty());
}

TEST(PluginMetadata, StarDriverServesEveryDialect) {
  const PluginMetadata m = parse_ok(
                               "abi=1.0\nname=odbc\nversion=1\nkinds=driver\ndrivers=odbc\n"
                               "driver.odbc.dialects=*\n")
                               .metadata;
  EXPECT_TRUE(m.provides_driver_for("odbc", "mssql"));
  EXPECT_TRUE(m.provides_driver_for("odbc", "anything"));
  EXPECT_FALSE(m.provides_driver_for("other", "mssql"));
  EXPECT_THAT(m.info.schemes, ElementsAre("*+odbc"));
}

TEST(PluginMetadata, NamesEachMissingRequiredKey) {
  const std::string full = "abi=1.0\nname=x\nversion=1\nkinds=type\ntypes=money\n";
  for (const std::string key : {"abi", "name", "version", "kinds"}) {
    std::string text = full;
    const auto at = text.find(key + "=");
    text.erase(at, text.find('\n', at) - at + 1);
    EXPECT_EQ(error_of(text), "missing required key '" + key + "'");
  }
  EXPECT_EQ(error_of("abi=1.0\nname=\nversion=1\nkinds=type\ntypes=t\n"),
            "line 2: 'name' is empty");
}

TEST(PluginMetadata, RefusesAnotherAbiMajorButKeepsWhatTheNoteClaims) {
  const MetadataParseResult r = parse_plugin_metadata(
      "abi=2.0\nname=future\nversion=2.0.0\nkinds=dialect,teleport\ndialects=future\n"
      "package=libretort2-plugin-future\n");
  EXPECT_EQ(r.status, Status::kIncompatible);
  EXPECT_EQ(r.error, "built for Retort plugin ABI 2.0; this host speaks 1.x");
  EXPECT_EQ(r.metadata.info.name, "future");
  EXPECT_THAT(r.metadata.info.dialects, ElementsAre("future"));
  EXPECT_EQ(r.metadata.info.package, "libretort2-plugin-future");
  EXPECT_EQ(parse_plugin_metadata("abi=0.9\nname=old\n").status, Status::kIncompatible);
}

TEST(PluginMetadata, AcceptsANewerMinorAndItsUnknownKinds) {
  const MetadataParseResult r = parse_plugin_metadata(
      "abi=1.7\nname=n\nversion=1\nkinds=dialect,teleport\ndialects=d\n"
      "dialect.d.default_driver=elsewhere\n");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.metadata.abi_minor, 7u);
  EXPECT_EQ(r.metadata.kind_bits, uint32_t{RETORT_KIND_DIALECT});
}

TEST(PluginMetadata, RefusesAMalformedAbi) {
  for (const char* abi : {"1", "1.", ".0", "1.x", "one.0", "1.0.0", "-1.0", "99999999.0"}) {
    EXPECT_THAT(error_of(std::string("name=x\nabi=") + abi + "\n"),
                HasSubstr("line 2: invalid abi '"))
        << abi;
  }
}

TEST(PluginMetadata, RefusesSyntaxErrorsWithTheLineNumber) {
  EXPECT_EQ(error_of("abi=1.0\n\njust words\n"), "line 3: expected key=value, got 'just words'");
  EXPECT_EQ(error_of("abi=1.0\nname=a\nversion=1\nname=b\n"),
            "line 4: duplicate key 'name' (first on line 2)");
  EXPECT_EQ(error_of("abi=1.0\n=value\n"), "line 2: empty key");
  EXPECT_EQ(error_of(std::string("abi=1.0\nname=a\x01\n")), "line 2: control character 0x01");
}

TEST(PluginMetadata, RefusesInvalidNamesAndLists) {
  const std::string head = "abi=1.0\nversion=1\n";
  EXPECT_THAT(error_of(head + "name=two words\nkinds=type\ntypes=t\n"),
              HasSubstr("invalid plugin name 'two words'"));
  EXPECT_EQ(error_of(head + "name=p\nkinds=dialect\ndialects=a+b\n"),
            "line 5: invalid name 'a+b' in 'dialects'");
  EXPECT_EQ(error_of(head + "name=p\nkinds=dialect\ndialects=a,,b\n"),
            "line 5: empty item in 'dialects'");
  EXPECT_EQ(error_of(head + "name=p\nkinds=dialect\ndialects=a,a\n"),
            "line 5: 'a' appears twice in 'dialects'");
}

TEST(PluginMetadata, RequiresKindsToMatchTheLists) {
  const std::string head = "abi=1.0\nname=p\nversion=1\n";
  EXPECT_EQ(error_of(head + "kinds=dialect,sorcery\ndialects=d\n"),
            "line 4: unknown kind 'sorcery' (known: dialect, driver, type)");
  EXPECT_EQ(error_of(head + "kinds=dialect\n"),
            "line 4: kinds has 'dialect' but 'dialects' is missing or empty");
  EXPECT_EQ(error_of(head + "kinds=dialect\ndialects=d\ndrivers=x\n"),
            "line 6: 'drivers' is set but kinds lacks 'driver'");
}

TEST(PluginMetadata, RefusesPerNameKeysForUndeclaredNames) {
  const std::string head = "abi=1.0\nname=p\nversion=1\nkinds=dialect,driver\n";
  EXPECT_EQ(error_of(head + "dialects=d\ndrivers=v\ndriver.w.dialects=d\n"),
            "line 7: 'driver.w.dialects' names driver 'w', which is not in 'drivers'");
  EXPECT_EQ(error_of(head + "dialects=d\ndrivers=v\ndialect.e.default_driver=v\n"),
            "line 7: 'dialect.e.default_driver' names dialect 'e', which is not in 'dialects'");
  EXPECT_THAT(error_of("abi=1.0\nname=p\nversion=1\nkinds=driver\ndrivers=v\n"),
              HasSubstr("driver 'v' needs 'driver.v.dialects'"));
  EXPECT_THAT(error_of(head + "dialects=d\ndrivers=v\ndriver.v.dialects=other\n"),
              HasSubstr("dialect 'd' needs 'dialect.d.default_driver'"));
}

TEST(PluginMetadata, KnownDialectsMapToTheirPackages) {
  EXPECT_EQ(known_package("sqlite"), "libretort1-plugin-sqlite");
  EXPECT_EQ(known_package("postgresql"), "libretort1-plugin-postgresql");
  EXPECT_EQ(known_package("mysql"), "libretort1-plugin-mariadb");
  EXPECT_EQ(known_package("mariadb"), "libretort1-plugin-mariadb");
  EXPECT_EQ(known_package("odbc"), "libretort1-plugin-odbc");
  EXPECT_EQ(known_package("oracle"), "");
}

}  // namespace
}  // namespace retort::detail
