// plugins/postgresql/tests/entry_test.cpp — negotiation, metadata note, dialect and driver
// tables.  Needs no server.
// SPDX-License-Identifier: MIT
#include "plugin_fixture.hpp"

#include <retort/plugin_abi.h>

#include <gtest/gtest.h>

#include <elf.h>

#include <cctype>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

namespace retort::postgresql::test {
namespace {

constexpr char kExpectedNote[] =
    "abi=1.0\nname=postgresql\nversion=0.1.0\nkinds=dialect,driver\ndialects=postgresql\n"
    "drivers=libpq\ndriver.libpq.dialects=postgresql\ndialect.postgresql.default_driver=libpq\n"
    "schemes=postgresql,postgresql+libpq\npackage=libretort1-plugin-postgresql\n";

retort_status init(uint32_t host_version, retort_plugin& out, uint32_t capacity, ErrorBox& error) {
  return loaded_plugin().init(host_version, &host_api(), &out, capacity, error.get());
}

// Reads the description of the retort note straight from the file, as discovery does.
std::string read_note(const char* path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> file((std::istreambuf_iterator<char>(in)), {});
  if (file.size() < sizeof(Elf64_Ehdr)) return {};
  Elf64_Ehdr eh;
  std::memcpy(&eh, file.data(), sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64) {
    return {};
  }
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  std::memcpy(sections.data(), file.data() + eh.e_shoff, eh.e_shnum * sizeof(Elf64_Shdr));
  const char* names = file.data() + sections[eh.e_shstrndx].sh_offset;
  for (const Elf64_Shdr& sh : sections) {
    if (std::string(names + sh.sh_name) != RETORT_PLUGIN_NOTE_SECTION) continue;
    Elf64_Nhdr nh;
    std::memcpy(&nh, file.data() + sh.sh_offset, sizeof nh);
    const char* name = file.data() + sh.sh_offset + sizeof nh;
    if (nh.n_type != RETORT_PLUGIN_NOTE_TYPE || std::string(name) != RETORT_PLUGIN_NOTE_OWNER) {
      return {};
    }
    const char* desc = name + ((nh.n_namesz + 3u) & ~3u);
    return std::string(desc, strnlen(desc, nh.n_descsz));
  }
  return {};
}

// The names of the symbols the file defines and exports (.dynsym, not undefined, not local).
std::set<std::string> exported_symbols(const char* path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> file((std::istreambuf_iterator<char>(in)), {});
  std::set<std::string> names;
  if (file.size() < sizeof(Elf64_Ehdr)) return names;
  Elf64_Ehdr eh;
  std::memcpy(&eh, file.data(), sizeof eh);
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  std::memcpy(sections.data(), file.data() + eh.e_shoff, eh.e_shnum * sizeof(Elf64_Shdr));
  for (const Elf64_Shdr& sh : sections) {
    if (sh.sh_type != SHT_DYNSYM) continue;
    const char* strings = file.data() + sections[sh.sh_link].sh_offset;
    for (size_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      std::memcpy(&sym, file.data() + sh.sh_offset + off, sizeof sym);
      if (sym.st_shndx == SHN_UNDEF || ELF64_ST_BIND(sym.st_info) == STB_LOCAL) continue;
      names.insert(strings + sym.st_name);
    }
  }
  return names;
}

TEST(PluginEntry, ExportsOnlyTheEntrySymbol) {
  EXPECT_EQ(exported_symbols(RETORT_POSTGRESQL_PLUGIN_PATH),
            std::set<std::string>{RETORT_PLUGIN_ENTRY_V1});
}

TEST(PluginEntry, NegotiationFillsPluginWithOneDialectAndOneDriver) {
  const retort_plugin& p = loaded_plugin().plugin;
  EXPECT_EQ(p.struct_size, sizeof(retort_plugin));
  EXPECT_EQ(p.abi_version, RETORT_ABI_VERSION_CURRENT);
  EXPECT_STREQ(p.name, "postgresql");
  EXPECT_STREQ(p.version, "0.1.0");
  EXPECT_EQ(p.kinds, RETORT_KIND_DIALECT | RETORT_KIND_DRIVER);
  ASSERT_EQ(p.dialect_count, 1u);
  ASSERT_EQ(p.driver_count, 1u);
  EXPECT_EQ(p.type_count, 0u);
  EXPECT_STREQ(p.dialects[0]->name, "postgresql");
  EXPECT_STREQ(p.drivers[0]->name, "libpq");
}

TEST(PluginEntry, NewerHostMinorNegotiatesThePluginMinor) {
  retort_plugin out{};
  ErrorBox error;
  ASSERT_EQ(init(RETORT_ABI_VERSION(1, 7), out, sizeof out, error), RETORT_OK);
  EXPECT_EQ(out.abi_version, RETORT_ABI_VERSION(1, RETORT_ABI_MINOR));
}

TEST(PluginEntry, HostMajorTwoIsRefusedWithNotImplemented) {
  retort_plugin out{};
  ErrorBox error;
  EXPECT_EQ(init(RETORT_ABI_VERSION(2, 0), out, sizeof out, error), RETORT_NOT_IMPLEMENTED);
  EXPECT_EQ(error.status(), RETORT_NOT_IMPLEMENTED);
  EXPECT_NE(error.message().find("ABI"), std::string::npos) << error.message();
  EXPECT_EQ(out.name, nullptr);
}

TEST(PluginEntry, SmallCapacityIsNeverOverrun) {
  constexpr uint32_t kCapacity = offsetof(retort_plugin, private_data);
  std::vector<unsigned char> memory(sizeof(retort_plugin), 0xAB);
  std::memset(memory.data(), 0, kCapacity);
  auto* out = reinterpret_cast<retort_plugin*>(memory.data());
  ErrorBox error;
  ASSERT_EQ(init(RETORT_ABI_VERSION_CURRENT, *out, kCapacity, error), RETORT_OK);
  EXPECT_LE(out->struct_size, kCapacity);
  EXPECT_STREQ(out->name, "postgresql");
  for (size_t i = kCapacity; i < memory.size(); ++i) ASSERT_EQ(memory[i], 0xAB) << i;
}

TEST(PluginEntry, MetadataNoteMatchesTheEntry) {
  EXPECT_EQ(read_note(RETORT_POSTGRESQL_PLUGIN_PATH), kExpectedNote);
}

TEST(PostgresqlDialect, DescribesPostgresqlsFlavour) {
  const retort_dialect& d = *loaded_plugin().dialect;
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
                RETORT_CAP_NATIVE_UUID | RETORT_CAP_NATIVE_ENUM);
}

TEST(PostgresqlDialect, ReservedWordsArePostgresqlsReservedKeyWordsInLowerCase) {
  std::set<std::string> words;
  for (const char* const* w = loaded_plugin().dialect->reserved_words; *w != nullptr; ++w) {
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
        (const void*)d.rollback_to_savepoint, (const void*)d.cancel,
        (const void*)d.server_version, (const void*)d.ping}) {
    EXPECT_NE(slot, nullptr);
  }
}

}  // namespace
}  // namespace retort::postgresql::test
