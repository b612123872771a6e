// Tests for plugin discovery, loading and URL resolution (retort/plugins.hpp and
// core/src/plugin_loader.hpp), against the good and broken plugins of tests/plugins.
//
// Each test points RETORT_PLUGIN_PATH at exactly the test-plugin directories it needs, with
// RETORT_PLUGIN_PATH_ONLY=1, and rescans.  Loaded libraries are cached per process; tests
// only rely on that cache for plugins no other test loads from another path.
#include "plugin_loader.hpp"

#include "../plugins/test_plugin.hpp"

#include <retort/exceptions.hpp>
#include <retort/plugins.hpp>
#include <retort/url.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace retort {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

std::string case_dir(const std::string& test_case) {
  return std::string(RETORT_TEST_PLUGIN_DIR) + "/" + test_case;
}
std::string case_file(const std::string& test_case, const std::string& file) {
  return case_dir(test_case) + "/" + file;
}

bool is_mapped(const std::string& file_name) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    if (line.find(file_name) != std::string::npos) return true;
  }
  return false;
}

const PluginInfo* find_plugin(const std::vector<PluginInfo>& plugins, const std::string& name) {
  const auto it = std::find_if(plugins.begin(), plugins.end(),
                               [&](const PluginInfo& p) { return p.name == name; });
  return it == plugins.end() ? nullptr : &*it;
}

std::optional<std::string> rejection(const DiscoveryReport& report, const std::string& path) {
  for (const RejectedPlugin& r : report.rejected) {
    if (r.path == path) return r.reason;
  }
  return std::nullopt;
}

// Runs `fn`, expecting exception type E, and returns it for inspection.
template <typename E, typename Fn>
E expect_throw(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    throw;
  }
  ADD_FAILURE() << "no exception thrown";
  throw std::logic_error("no exception");
}

class PluginLoader : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVariables) {
      const char* value = std::getenv(name);
      saved_.push_back(value ? std::optional<std::string>(value) : std::nullopt);
    }
  }
  void TearDown() override {
    for (std::size_t i = 0; i < std::size(kVariables); ++i) {
      if (saved_[i]) {
        ::setenv(kVariables[i], saved_[i]->c_str(), 1);
      } else {
        ::unsetenv(kVariables[i]);
      }
    }
    discover_plugins(true);
  }

  // Searches exactly these entries (test-case names or paths starting with '/').
  DiscoveryReport use(const std::vector<std::string>& entries) {
    std::string path;
    for (const std::string& e : entries) {
      if (!path.empty()) path += ':';
      path += e.starts_with('/') ? e : case_dir(e);
    }
    ::setenv("RETORT_PLUGIN_PATH", path.c_str(), 1);
    ::setenv("RETORT_PLUGIN_PATH_ONLY", "1", 1);
    return discover_plugins(true);
  }

  static constexpr const char* kVariables[] = {"RETORT_PLUGIN_PATH", "RETORT_PLUGIN_PATH_ONLY",
                                               "RETORT_DEBUG_PLUGINS"};
  std::vector<std::optional<std::string>> saved_;
};

// Runs the test driver's fixed query through a resolved driver table.
int64_t count_rows(const retort_driver& d) {
  retort_connect_params params{};
  params.struct_size = sizeof params;
  params.port = -1;
  retort_connection* conn = nullptr;
  retort_error error{};
  error.struct_size = sizeof error;
  EXPECT_EQ(d.connect(&params, &conn, &error), RETORT_OK);
  retort_statement* stmt = nullptr;
  const std::string sql = "SELECT id, label FROM t";
  EXPECT_EQ(d.prepare(conn, sql.data(), sql.size(), &stmt, &error), RETORT_OK);
  retort_exec_info info{};
  info.struct_size = sizeof info;
  EXPECT_EQ(d.execute(stmt, nullptr, &info, &error), RETORT_OK);
  EXPECT_EQ(info.column_count, 2);
  int64_t rows = 0;
  for (;;) {
    retort_batch batch{};
    EXPECT_EQ(d.fetch(stmt, 100, &batch, &error), RETORT_OK);
    rows += batch.row_count;
    if (batch.release) batch.release(&batch);
    if (batch.row_count == 0) break;
  }
  d.statement_release(stmt);
  d.connection_release(conn);
  return rows;
}

TEST_F(PluginLoader, ResolvesADialectAndItsDefaultDriverFromTheNote) {
  const DiscoveryReport report = use({"good"});
  const PluginInfo* info = find_plugin(report.plugins, "testdb");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->path, case_file("good", "retort_plugin_test_good.so"));
  EXPECT_EQ(info->source, "RETORT_PLUGIN_PATH");
  EXPECT_EQ(info->version, "1.0.0");
  EXPECT_THAT(info->schemes, ::testing::ElementsAre("testdb", "testdb+testdrv"));

  const detail::Resolved r = detail::resolve(make_url("testdb://"));
  EXPECT_STREQ(r.dialect.dialect.name, "testdb");
  EXPECT_EQ(r.dialect.dialect.paramstyle, uint32_t{RETORT_PARAMSTYLE_QMARK});
  EXPECT_STREQ(r.dialect.dialect.quote_open, "\"");
  EXPECT_STREQ(r.driver.driver.name, "testdrv");
  EXPECT_EQ(r.driver.driver.savepoint, nullptr);  // optional slot the test driver lacks
  EXPECT_EQ(r.dialect.plugin, r.driver.plugin);
  EXPECT_EQ(r.driver.plugin->info.path, info->path);
  EXPECT_STREQ(r.driver.plugin->plugin.name, "testdb");
  EXPECT_EQ(count_rows(r.driver.driver), 3);
  EXPECT_TRUE(is_mapped("retort_plugin_test_good.so"));
}

TEST_F(PluginLoader, ResolvesAnExplicitDriverFromAnotherPlugin) {
  use({"good", "any_driver"});
  const detail::Resolved r = detail::resolve(make_url("testdb+anydrv://"));
  EXPECT_EQ(r.dialect.plugin->info.name, "testdb");
  EXPECT_EQ(r.driver.plugin->info.name, "anydrv");
  EXPECT_STREQ(r.driver.driver.name, "anydrv");
  EXPECT_EQ(count_rows(r.driver.driver), 3);
  EXPECT_STREQ(detail::resolve(make_url("testdb+testdrv://")).driver.driver.name, "testdrv");
}

TEST_F(PluginLoader, UnknownSchemeListsPluginsSearchedPathsRejectionsAndThePackage) {
  const std::string missing_dir = case_dir("no_such_case");
  use({"good", "not_elf", missing_dir});
  const auto e = expect_throw<NoSuchModuleError>(
      [] { detail::resolve(make_url("postgresql+libpq://localhost/db")); });
  const std::string message = e.what();
  EXPECT_THAT(message, HasSubstr("Can't load plugin: no Retort plugin provides dialect "
                                 "'postgresql' (URL scheme 'postgresql+libpq')."));
  // Plugins registered in code by other tests may be listed too.
  EXPECT_THAT(message, HasSubstr("\nPlugins found:"));
  EXPECT_THAT(message, HasSubstr("testdb (dialects: testdb; drivers: testdrv) at " +
                                 case_file("good", "retort_plugin_test_good.so")));
  EXPECT_THAT(message, HasSubstr("  " + case_dir("good") + " (RETORT_PLUGIN_PATH)\n"));
  EXPECT_THAT(message, HasSubstr("  " + case_dir("not_elf") + " (RETORT_PLUGIN_PATH)\n"));
  EXPECT_THAT(message, HasSubstr(missing_dir + " (RETORT_PLUGIN_PATH, does not exist)"));
  EXPECT_THAT(message, HasSubstr("\nRejected: " + case_file("not_elf", "retort_plugin_text.so") +
                                 ": not an ELF file\n"));
  EXPECT_THAT(message, EndsWith("To use 'postgresql', install the package "
                                "libretort1-plugin-postgresql, or add the directory holding its "
                                ".so to RETORT_PLUGIN_PATH."));

  const auto generic =
      expect_throw<NoSuchModuleError>([] { detail::resolve(make_url("frobdb://")); });
  EXPECT_THAT(generic.what(), HasSubstr("(usually packaged as libretort1-plugin-frobdb)"));
}

TEST_F(PluginLoader, UnknownDriverForAKnownDialectNamesTheAvailableDrivers) {
  use({"good"});
  const auto e =
      expect_throw<NoSuchModuleError>([] { detail::resolve(make_url("testdb+nodrv://")); });
  EXPECT_THAT(e.what(), HasSubstr("no Retort plugin provides driver 'nodrv' for dialect 'testdb' "
                                  "(URL scheme 'testdb+nodrv')."));
  EXPECT_THAT(e.what(), HasSubstr("Drivers available for dialect 'testdb': testdrv (default; "
                                  "plugin 'testdb' at " +
                                  case_file("good", "retort_plugin_test_good.so") + ")"));
}

TEST_F(PluginLoader, WrongAbiMajorIsRefusedBeforeLoading) {
  const std::string file = case_file("wrong_abi", "retort_plugin_test_wrong_abi.so");
  const DiscoveryReport report = use({"wrong_abi"});
  EXPECT_EQ(find_plugin(report.plugins, "future"), nullptr);
  EXPECT_EQ(rejection(report, file), "built for Retort plugin ABI 2.0; this host speaks 1.x");

  const auto e = expect_throw<PluginError>([] { detail::resolve(make_url("future://")); });
  EXPECT_EQ(e.path(), file);
  EXPECT_THAT(e.what(), HasSubstr(file + " provides dialect 'future' but was built for Retort "
                                         "plugin ABI 2.0; this host speaks 1.x."));
  EXPECT_THAT(e.what(), HasSubstr("install the package libretort2-plugin-future"));
  EXPECT_THROW(register_plugin_file(file), PluginError);
  EXPECT_FALSE(is_mapped("retort_plugin_test_wrong_abi.so"));
}

TEST_F(PluginLoader, LibraryWithoutEntrySymbolIsRefusedWithoutLoading) {
  const std::string file = case_file("no_entry", "retort_plugin_test_no_entry.so");
  use({"no_entry"});
  const auto e = expect_throw<PluginError>([] { detail::resolve(make_url("noentry://")); });
  EXPECT_EQ(e.path(), file);
  EXPECT_EQ(std::string(e.what()),
            "Can't load plugin 'noentry' from " + file +
                ": it does not export retort_plugin_init_v1 (is it a Retort ABI-1 plugin?)");
  EXPECT_FALSE(is_mapped("retort_plugin_test_no_entry.so"));
  const auto reg = expect_throw<PluginError>([&] { register_plugin_file(file); });
  EXPECT_THAT(reg.what(), HasSubstr("does not export retort_plugin_init_v1"));
}

TEST_F(PluginLoader, TruncatedFileIsRejectedWithTheReason) {
  const std::string file = case_file("truncated", "retort_plugin_truncated.so");
  const DiscoveryReport report = use({"truncated"});
  EXPECT_TRUE(report.plugins.empty() || find_plugin(report.plugins, "testdb") == nullptr);
  const auto reason = rejection(report, file);
  ASSERT_TRUE(reason.has_value());
  EXPECT_THAT(*reason, HasSubstr("truncated or corrupted ELF file"));
  const auto e = expect_throw<NoSuchModuleError>([] { detail::resolve(make_url("testdb://")); });
  EXPECT_THAT(e.what(), HasSubstr("Rejected: " + file + ": truncated or corrupted ELF file"));
  const auto reg = expect_throw<PluginError>([&] { register_plugin_file(file); });
  EXPECT_EQ(reg.path(), file);
  EXPECT_THAT(reg.what(), HasSubstr("truncated or corrupted ELF file"));
}

TEST_F(PluginLoader, NonElfFileIsRejectedWithTheReason) {
  const std::string file = case_file("not_elf", "retort_plugin_text.so");
  const DiscoveryReport report = use({"not_elf"});
  EXPECT_EQ(rejection(report, file), "not an ELF file");
  const auto reg = expect_throw<PluginError>([&] { register_plugin_file(file); });
  EXPECT_EQ(std::string(reg.what()), "Can't register plugin file " + file + ": not an ELF file");
}

TEST_F(PluginLoader, InitialisationFailureCarriesThePluginMessage) {
  const std::string file = case_file("init_fails", "retort_plugin_test_init_fails.so");
  use({"init_fails"});
  const auto e = expect_throw<PluginError>([] { detail::resolve(make_url("initfails://")); });
  EXPECT_EQ(e.path(), file);
  EXPECT_EQ(std::string(e.what()),
            "Can't load plugin 'initfails' from " + file +
                ": initialisation failed (RETORT_IO): test plugin refuses to start: licence file "
                "missing (SQLSTATE 58030)");
  // The entry is not called again: the failure is remembered.
  const auto again = expect_throw<PluginError>([] { detail::resolve(make_url("initfails://")); });
  EXPECT_STREQ(again.what(), e.what());
}

TEST_F(PluginLoader, ExceptionInInitialisationIsCaughtBySdkGuard) {
  use({"init_throws"});
  const auto e = expect_throw<PluginError>([] { detail::resolve(make_url("initthrows://")); });
  EXPECT_THAT(e.what(), HasSubstr("initialisation failed (RETORT_INTERNAL): plugin "
                                  "initialisation threw"));
}

TEST_F(PluginLoader, MissingRequiredDriverSlotIsNamed) {
  const std::string file = case_file("missing_slot", "retort_plugin_test_missing_slot.so");
  use({"missing_slot"});
  const auto e = expect_throw<PluginError>([] { detail::resolve(make_url("missingslot://")); });
  EXPECT_EQ(e.path(), file);
  EXPECT_EQ(std::string(e.what()), "Can't load plugin 'missingslot' from " + file +
                                       ": driver 'msdrv' lacks required slot 'fetch'");
}

TEST_F(PluginLoader, EntryNameDifferentFromTheNoteIsRefusedNamingBoth) {
  use({"name_mismatch"});
  const auto e = expect_throw<PluginError>([] { detail::resolve(make_url("namemismatch://")); });
  EXPECT_THAT(e.what(), HasSubstr("its entry reports name 'impostor' but its metadata note says "
                                  "'namemismatch'"));
}

TEST_F(PluginLoader, FirstPluginOfANameWinsAndLaterOnesAreShadowed) {
  const std::string good = case_file("good", "retort_plugin_test_good.so");
  const std::string shadow = case_file("shadow", "retort_plugin_test_shadow.so");
  const DiscoveryReport report = use({"good", "shadow"});
  ASSERT_EQ(report.shadowed.size(), 1u);
  EXPECT_EQ(report.shadowed[0].name, "testdb");
  EXPECT_EQ(report.shadowed[0].path, shadow);
  EXPECT_EQ(report.shadowed[0].version, "9.9.9");
  const PluginInfo* winner = find_plugin(report.plugins, "testdb");
  ASSERT_NE(winner, nullptr);
  EXPECT_EQ(winner->path, good);
  EXPECT_EQ(detail::resolve(make_url("testdb://")).dialect.plugin->info.path, good);
  EXPECT_FALSE(is_mapped("retort_plugin_test_shadow.so"));
}

TEST_F(PluginLoader, SameFileFoundTwiceIsConsideredOnce) {
  const std::string good = case_file("good", "retort_plugin_test_good.so");
  const DiscoveryReport report = use({"good", good, case_dir("good") + "/."});
  EXPECT_EQ(std::count_if(report.plugins.begin(), report.plugins.end(),
                          [](const PluginInfo& p) { return p.name == "testdb"; }),
            1);
  EXPECT_TRUE(report.shadowed.empty());
}

// An in-code plugin, defined here: dialect `inproc`, driver `inprocdrv`.
RETORT_TEST_DIALECT_DRIVER_SPEC("inproc", "inproc", "inprocdrv")

retort_status inproc_init(uint32_t host_abi, const retort_host_api* host, retort_plugin* out,
                          uint32_t capacity, retort_error* error) {
  return retort::sdk::init_plugin(spec(), host_abi, host, out, capacity, error);
}

TEST_F(PluginLoader, PluginRegisteredInCodeIsFoundFirstAndResolves) {
  register_plugin(
      "abi=1.0\nname=inproc\nversion=0.0.1\nkinds=dialect,driver\ndialects=inproc\n"
      "drivers=inprocdrv\n",
      &inproc_init);
  register_plugin(
      "abi=1.0\nname=inproc\nversion=0.0.1\nkinds=dialect,driver\ndialects=inproc\n"
      "drivers=inprocdrv\n",
      &inproc_init);  // registering the same plugin twice is harmless
  const DiscoveryReport report = use({"good"});
  ASSERT_FALSE(report.plugins.empty());
  const PluginInfo* info = find_plugin(report.plugins, "inproc");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->path, "<registered>");
  EXPECT_EQ(info->source, "registered");
  EXPECT_LT(info - report.plugins.data(),
            find_plugin(report.plugins, "testdb") - report.plugins.data());

  const detail::Resolved r = detail::resolve(make_url("inproc+inprocdrv://"));
  EXPECT_STREQ(r.dialect.dialect.name, "inproc");
  EXPECT_EQ(r.driver.plugin->library, nullptr);
  EXPECT_EQ(count_rows(r.driver.driver), 3);

  const auto bad = expect_throw<PluginError>(
      [] { register_plugin("abi=1.0\nname=broken\nkinds=dialect\n", &inproc_init); });
  EXPECT_EQ(std::string(bad.what()),
            "Can't register plugin 'broken': missing required key 'version'");
  EXPECT_THROW(register_plugin("abi=1.0\nname=n\nversion=1\nkinds=type\ntypes=t\n", nullptr),
               PluginError);
}

TEST_F(PluginLoader, PluginFileRegisteredOutsideTheSearchPathResolves) {
  const std::string file = case_file("registered_file", "retort_plugin_test_registered_file.so");
  register_plugin_file(file);
  register_plugin_file(file);  // registering twice is harmless
  const DiscoveryReport report = use({"good"});
  const PluginInfo* info = find_plugin(report.plugins, "regfile");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->path, file);
  EXPECT_EQ(info->source, "registered");
  EXPECT_EQ(report.searched.front(), file);
  EXPECT_STREQ(detail::resolve(make_url("regfile://")).driver.driver.name, "regfiledrv");
}

TEST_F(PluginLoader, HostCarriesOnAfterEveryKindOfFailure) {
  use({"good", "wrong_abi", "no_entry", "init_fails", "init_throws", "missing_slot",
       "name_mismatch", "truncated", "not_elf"});
  for (const char* scheme : {"future://", "noentry://", "initfails://", "initthrows://",
                             "missingslot://", "namemismatch://", "nosuch://"}) {
    EXPECT_THROW(detail::resolve(make_url(scheme)), Error) << scheme;
  }
  const detail::Resolved r = detail::resolve(make_url("testdb://"));
  EXPECT_EQ(count_rows(r.driver.driver), 3);
}

TEST_F(PluginLoader, RescanRereadsTheEnvironment) {
  EXPECT_NE(find_plugin(use({"good"}).plugins, "testdb"), nullptr);
  EXPECT_EQ(find_plugin(use({"not_elf"}).plugins, "testdb"), nullptr);
  EXPECT_THROW(detail::resolve(make_url("testdb://")), NoSuchModuleError);
}

TEST_F(PluginLoader, PathOnlySkipsTheInstallDirectories) {
  // Files registered by other tests come first; the path entry is last.
  const DiscoveryReport only = use({"good"});
  ASSERT_FALSE(only.searched.empty());
  EXPECT_EQ(only.searched.back(), case_dir("good"));
  ::unsetenv("RETORT_PLUGIN_PATH_ONLY");
  const DiscoveryReport all = discover_plugins(true);
  const auto at = std::find(all.searched.begin(), all.searched.end(), case_dir("good"));
  ASSERT_NE(at, all.searched.end());
  ASSERT_NE(at + 1, all.searched.end());
  // Next: the install directory next to the core library, <libdir>/retort/1/plugins.
  EXPECT_THAT(*(at + 1), EndsWith("retort/1/plugins"));
}

TEST_F(PluginLoader, LoadDialectLoadsOnlyTheDialect) {
  use({"good"});
  const detail::DialectHandle d = detail::load_dialect("testdb");
  EXPECT_STREQ(d.dialect.default_driver, "testdrv");
  EXPECT_THROW(detail::load_dialect("nosuch"), NoSuchModuleError);
}

TEST_F(PluginLoader, DebugOutputExplainsEveryDecision) {
  ::setenv("RETORT_DEBUG_PLUGINS", "1", 1);
  ::testing::internal::CaptureStderr();
  use({"good", "not_elf"});
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(log, HasSubstr("retort: plugins: found plugin 'testdb' 1.0.0 at "));
  EXPECT_THAT(log, HasSubstr("retort: plugins: rejected " +
                             case_file("not_elf", "retort_plugin_text.so") + ": not an ELF file"));
  ::unsetenv("RETORT_DEBUG_PLUGINS");
  ::testing::internal::CaptureStderr();
  use({"good"});
  EXPECT_THAT(::testing::internal::GetCapturedStderr(), Not(HasSubstr("retort: plugins:")));
}

TEST(TakeErrorMessage, CopiesMessageAndSqlstateThenReleases) {
  retort_error error{};
  error.struct_size = sizeof error;
  retort::sdk::set_error(&error, RETORT_SYNTAX, "near \"FROM\": syntax error", "42601");
  ASSERT_NE(error.release, nullptr);
  EXPECT_EQ(detail::take_error_message(error), "near \"FROM\": syntax error (SQLSTATE 42601)");
  EXPECT_EQ(error.release, nullptr);
  EXPECT_EQ(error.message, nullptr);
  EXPECT_EQ(error.status, RETORT_SYNTAX);

  retort_error plain{};
  plain.struct_size = sizeof plain;
  retort::sdk::set_error(&plain, RETORT_IO, "disk full");
  EXPECT_EQ(detail::take_error_message(plain), "disk full");
}

}  // namespace
}  // namespace retort
