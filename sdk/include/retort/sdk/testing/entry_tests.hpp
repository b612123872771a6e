// retort/sdk/testing/entry_tests.hpp — ready-made tests of a plugin's entry, negotiation and
// metadata note, run against the built library file.
// SPDX-License-Identifier: MIT
//
// The Retort host refuses a plugin whose library exports more than it should, whose entry
// mishandles version negotiation, or whose entry reports names, kinds or tables its metadata
// note does not declare.  These tests catch each of those in the plugin's own unit tests:
//
//     #include <retort/sdk/testing/entry_tests.hpp>
//
//     RETORT_SDK_ENTRY_TESTS(MyDbEntry, my_host(), "mydb");
//
// stamps six GoogleTest tests into suite `MyDbEntry` (listed at the macro).  `host` is any
// expression giving the `retort::sdk::testing::PluginHost&` that loaded the plugin; it is
// evaluated inside each test.  The test bodies are also available one by one in namespace
// `retort::sdk::testing::entry_tests`, for authors who want only some of them, and the ELF
// readers behind them (`read_metadata_note`, `exported_symbols`) for tests of their own.
//
// Assumptions, which hold for plugins built with retort_add_plugin and RETORT_SDK_PLUGIN:
//   - the plugin is built against the same SDK version as its tests (so it negotiates
//     RETORT_ABI_MINOR and fills a `retort_plugin` of the size this header knows);
//   - its entry may be called again with the same host API (the ABI calls it once per
//     process; these tests call it once per test, through PluginHost::negotiate);
//   - the library is a native ELF file (ELF class and byte order of this process).
//
// Depends on retort/plugin_abi.h, plugin_host.hpp, the standard library, GoogleTest and the
// C library's <elf.h> (the ABI is ELF-only: see RETORT_PLUGIN_METADATA).
#ifndef RETORT_SDK_TESTING_ENTRY_TESTS_HPP
#define RETORT_SDK_TESTING_ENTRY_TESTS_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/testing/plugin_host.hpp>

#include <gtest/gtest.h>

#include <elf.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort::sdk::testing {

namespace detail {

// The ELF class and byte order of this process, which every library it can load shares.
inline constexpr bool kElf64 = sizeof(void*) == 8;
inline constexpr unsigned char kElfClass = kElf64 ? ELFCLASS64 : ELFCLASS32;
inline constexpr unsigned char kElfData =
    std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
using ElfEhdr = std::conditional_t<kElf64, Elf64_Ehdr, Elf32_Ehdr>;
using ElfShdr = std::conditional_t<kElf64, Elf64_Shdr, Elf32_Shdr>;
using ElfNhdr = std::conditional_t<kElf64, Elf64_Nhdr, Elf32_Nhdr>;
using ElfSym = std::conditional_t<kElf64, Elf64_Sym, Elf32_Sym>;

/// A native ELF file's bytes and section headers; `ok` is false for anything else (missing
/// file, another class, a truncated header or section table).
struct ElfSections {
  std::vector<char> bytes;
  std::vector<ElfShdr> sections;
  /// The index of the section holding the section names.
  size_t shstrndx = 0;
  bool ok = false;

  explicit ElfSections(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (bytes.size() < sizeof(ElfEhdr)) return;
    ElfEhdr eh;
    std::memcpy(&eh, bytes.data(), sizeof eh);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != kElfClass ||
        eh.e_ident[EI_DATA] != kElfData || eh.e_shentsize != sizeof(ElfShdr) ||
        !within(eh.e_shoff, eh.e_shnum * sizeof(ElfShdr))) {
      return;
    }
    sections.resize(eh.e_shnum);
    std::memcpy(sections.data(), bytes.data() + eh.e_shoff, eh.e_shnum * sizeof(ElfShdr));
    shstrndx = eh.e_shstrndx;
    ok = true;
  }
  /// True when [offset, offset + size) lies within the file.
  bool within(uint64_t offset, uint64_t size) const {
    return offset <= bytes.size() && size <= bytes.size() - offset;
  }
  /// The NUL-terminated string at `index` of string-table section `table`, or "".
  std::string_view string(size_t table, uint64_t index) const {
    if (table >= sections.size()) return {};
    const ElfShdr& s = sections[table];
    if (!within(s.sh_offset, s.sh_size) || index >= s.sh_size) return {};
    const char* begin = bytes.data() + s.sh_offset + index;
    return std::string_view(begin, strnlen(begin, s.sh_size - index));
  }
};

inline std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (comma != 0) out.emplace_back(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

inline std::multiset<std::string> names_of(const char* const* list) {
  std::multiset<std::string> out;
  for (; list != nullptr && *list != nullptr; ++list) out.insert(*list);
  return out;
}

template <typename T>
std::multiset<std::string> names_of(const T* const* tables, size_t count) {
  std::multiset<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    if (tables != nullptr && tables[i] != nullptr && tables[i]->name != nullptr) {
      out.insert(tables[i]->name);
    }
  }
  return out;
}

inline std::multiset<std::string> noted_list(const std::map<std::string, std::string>& note,
                                             const std::string& key) {
  const auto it = note.find(key);
  if (it == note.end()) return {};
  const std::vector<std::string> items = split_list(it->second);
  return std::multiset<std::string>(items.begin(), items.end());
}

}  // namespace detail

/**
 * The text of the plugin metadata note in the ELF file at `path` (section
 * RETORT_PLUGIN_NOTE_SECTION, owner RETORT_PLUGIN_NOTE_OWNER, type RETORT_PLUGIN_NOTE_TYPE),
 * without its trailing NUL padding, read from the file as discovery does, without loading
 * it; nullopt when the file is not a native ELF file or holds no such note.
 */
inline std::optional<std::string> read_metadata_note(const std::string& path) {
  const detail::ElfSections elf(path);
  if (!elf.ok) return std::nullopt;
  for (const detail::ElfShdr& sh : elf.sections) {
    if (sh.sh_type != SHT_NOTE || !elf.within(sh.sh_offset, sh.sh_size) ||
        elf.string(elf.shstrndx, sh.sh_name) != RETORT_PLUGIN_NOTE_SECTION) {
      continue;
    }
    // Walk the notes of the section: header, name and description, each padded to 4.
    const auto pad = [](uint64_t n) { return (n + 3u) & ~uint64_t{3}; };
    uint64_t pos = 0;
    while (sh.sh_size - pos >= sizeof(detail::ElfNhdr)) {
      detail::ElfNhdr nh;
      std::memcpy(&nh, elf.bytes.data() + sh.sh_offset + pos, sizeof nh);
      const uint64_t name_at = pos + sizeof nh;
      const uint64_t desc_at = name_at + pad(nh.n_namesz);
      if (desc_at > sh.sh_size || nh.n_descsz > sh.sh_size - desc_at) break;
      const char* base = elf.bytes.data() + sh.sh_offset;
      const std::string_view name(base + name_at, strnlen(base + name_at, nh.n_namesz));
      if (nh.n_type == RETORT_PLUGIN_NOTE_TYPE && name == RETORT_PLUGIN_NOTE_OWNER) {
        return std::string(base + desc_at, strnlen(base + desc_at, nh.n_descsz));
      }
      pos = desc_at + pad(nh.n_descsz);
    }
  }
  return std::nullopt;
}

/// The `key=value` lines of a metadata note as a map (a repeated key keeps its last value).
inline std::map<std::string, std::string> parse_metadata(std::string_view note) {
  std::map<std::string, std::string> out;
  while (!note.empty()) {
    const size_t newline = note.find('\n');
    const std::string_view line = note.substr(0, newline);
    if (const size_t eq = line.find('='); eq != std::string_view::npos) {
      out[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    }
    if (newline == std::string_view::npos) break;
    note.remove_prefix(newline + 1);
  }
  return out;
}

/// The names of the symbols the ELF file at `path` defines and exports (its .dynsym entries
/// that are neither undefined nor local); empty when it is not a native ELF file.
inline std::set<std::string> exported_symbols(const std::string& path) {
  const detail::ElfSections elf(path);
  std::set<std::string> names;
  if (!elf.ok) return names;
  for (const detail::ElfShdr& sh : elf.sections) {
    if (sh.sh_type != SHT_DYNSYM || !elf.within(sh.sh_offset, sh.sh_size)) continue;
    for (uint64_t off = 0; off + sizeof(detail::ElfSym) <= sh.sh_size;
         off += sizeof(detail::ElfSym)) {
      detail::ElfSym sym;
      std::memcpy(&sym, elf.bytes.data() + sh.sh_offset + off, sizeof sym);
      // ELF64_ST_BIND and ELF32_ST_BIND are the same: the high nibble of st_info.
      if (sym.st_shndx == SHN_UNDEF || ELF64_ST_BIND(sym.st_info) == STB_LOCAL) continue;
      names.emplace(elf.string(sh.sh_link, sym.st_name));
    }
  }
  return names;
}

/// The test bodies behind RETORT_SDK_ENTRY_TESTS; call them inside a TEST.
namespace entry_tests {

/// The library exports `retort_plugin_init_v1` and nothing else (retort_add_plugin's
/// version script and hidden visibility).
inline void exports_only_the_entry_symbol(const PluginHost& host) {
  EXPECT_EQ(exported_symbols(host.path()), std::set<std::string>{RETORT_PLUGIN_ENTRY_V1})
      << host.path();
}

/**
 * What the entry filled at load agrees with the metadata note, as the host checks after
 * loading: the name (which must be `expected_name`), version, kinds, the names of the
 * dialects, drivers and types, each dialect's default driver and each driver's dialects.
 * Also: the whole struct was filled and the current ABI version was negotiated.
 */
inline void negotiation_agrees_with_the_metadata_note(const PluginHost& host,
                                                      std::string_view expected_name) {
  const std::optional<std::string> text = read_metadata_note(host.path());
  ASSERT_TRUE(text.has_value()) << host.path() << " has no " RETORT_PLUGIN_NOTE_SECTION " note";
  const std::map<std::string, std::string> note = parse_metadata(*text);
  const auto noted = [&note](const std::string& key) {
    const auto it = note.find(key);
    return it != note.end() ? it->second : std::string();
  };
  const retort_plugin& p = host.plugin();
  EXPECT_EQ(p.struct_size, sizeof(retort_plugin));
  EXPECT_EQ(p.abi_version, RETORT_ABI_VERSION_CURRENT);
  ASSERT_NE(p.name, nullptr);
  EXPECT_EQ(p.name, expected_name);
  EXPECT_EQ(p.name, noted("name"));
  ASSERT_NE(p.version, nullptr);
  EXPECT_EQ(p.version, noted("version"));
  uint32_t kinds = 0;
  for (const std::string& kind : detail::split_list(noted("kinds"))) {
    if (kind == "dialect") kinds |= RETORT_KIND_DIALECT;
    if (kind == "driver") kinds |= RETORT_KIND_DRIVER;
    if (kind == "type") kinds |= RETORT_KIND_TYPE;
  }
  EXPECT_EQ(p.kinds, kinds) << "kinds=" << noted("kinds");
  EXPECT_EQ(detail::names_of(p.dialects, p.dialect_count), detail::noted_list(note, "dialects"));
  EXPECT_EQ(detail::names_of(p.drivers, p.driver_count), detail::noted_list(note, "drivers"));
  EXPECT_EQ(detail::names_of(p.types, p.type_count), detail::noted_list(note, "types"));
  for (size_t i = 0; i < p.dialect_count; ++i) {
    if (p.dialects[i] == nullptr || p.dialects[i]->name == nullptr) continue;
    const retort_dialect& d = *p.dialects[i];
    const std::string key = std::string("dialect.") + d.name + ".default_driver";
    if (note.count(key) != 0) {
      EXPECT_STREQ(d.default_driver, note.at(key).c_str()) << key;
    }
  }
  for (size_t i = 0; i < p.driver_count; ++i) {
    if (p.drivers[i] == nullptr || p.drivers[i]->name == nullptr) continue;
    const retort_driver& d = *p.drivers[i];
    const std::string key = std::string("driver.") + d.name + ".dialects";
    if (note.count(key) != 0) {
      EXPECT_EQ(detail::names_of(d.dialects), detail::noted_list(note, key)) << key;
    }
  }
}

/// A host with a newer minor gets the plugin's minor (min of the two).
inline void newer_host_minor_negotiates_the_plugin_minor(const PluginHost& host) {
  retort_plugin out{};
  ErrorBox error;
  ASSERT_EQ(host.negotiate(RETORT_ABI_VERSION(RETORT_ABI_MAJOR, RETORT_ABI_MINOR + 7), &out,
                           sizeof out, error),
            RETORT_OK)
      << error.message();
  EXPECT_EQ(out.abi_version, RETORT_ABI_VERSION_CURRENT);
}

/// A host of another major is refused with RETORT_NOT_IMPLEMENTED, an error that mentions
/// the ABI, and nothing written.
inline void host_major_two_is_refused(const PluginHost& host) {
  retort_plugin out{};
  ErrorBox error;
  EXPECT_EQ(host.negotiate(RETORT_ABI_VERSION(RETORT_ABI_MAJOR + 1, 0), &out, sizeof out, error),
            RETORT_NOT_IMPLEMENTED);
  EXPECT_EQ(error.status(), RETORT_NOT_IMPLEMENTED);
  EXPECT_NE(error.message().find("ABI"), std::string::npos) << error.message();
  EXPECT_EQ(out.name, nullptr);
}

/// An older host that knows only the ABI 1.0 fields (up to `type_count`) gets them, and not
/// one byte more is written.
inline void small_capacity_is_never_overrun(const PluginHost& host,
                                            std::string_view expected_name) {
  constexpr uint32_t kCapacity = offsetof(retort_plugin, private_data);
  std::vector<unsigned char> memory(sizeof(retort_plugin), 0xAB);
  std::memset(memory.data(), 0, kCapacity);
  auto* out = reinterpret_cast<retort_plugin*>(memory.data());
  ErrorBox error;
  ASSERT_EQ(host.negotiate(RETORT_ABI_VERSION_CURRENT, out, kCapacity, error), RETORT_OK)
      << error.message();
  EXPECT_LE(out->struct_size, kCapacity);
  ASSERT_NE(out->name, nullptr);
  EXPECT_EQ(out->name, expected_name);
  for (size_t i = kCapacity; i < memory.size(); ++i) ASSERT_EQ(memory[i], 0xAB) << i;
}

/// Every dialect and driver table has the size of this ABI and the fields and slots the
/// host requires (it refuses a plugin that lacks one).
inline void tables_have_every_required_field(const PluginHost& host) {
  const retort_plugin& p = host.plugin();
  for (size_t i = 0; i < p.dialect_count; ++i) {
    ASSERT_NE(p.dialects[i], nullptr) << "dialect #" << i;
    const retort_dialect& d = *p.dialects[i];
    EXPECT_EQ(d.struct_size, sizeof(retort_dialect));
    ASSERT_NE(d.name, nullptr) << "dialect #" << i;
    EXPECT_NE(d.default_driver, nullptr) << d.name;
    EXPECT_GE(d.paramstyle, static_cast<uint32_t>(RETORT_PARAMSTYLE_QMARK)) << d.name;
    EXPECT_LE(d.paramstyle, static_cast<uint32_t>(RETORT_PARAMSTYLE_FORMAT)) << d.name;
    EXPECT_NE(d.quote_open, nullptr) << d.name;
    EXPECT_NE(d.quote_close, nullptr) << d.name;
  }
  for (size_t i = 0; i < p.driver_count; ++i) {
    ASSERT_NE(p.drivers[i], nullptr) << "driver #" << i;
    const retort_driver& d = *p.drivers[i];
    EXPECT_EQ(d.struct_size, sizeof(retort_driver));
    ASSERT_NE(d.name, nullptr) << "driver #" << i;
    const std::pair<const char*, const void*> required[] = {
        {"connect", reinterpret_cast<const void*>(d.connect)},
        {"connection_release", reinterpret_cast<const void*>(d.connection_release)},
        {"prepare", reinterpret_cast<const void*>(d.prepare)},
        {"execute", reinterpret_cast<const void*>(d.execute)},
        {"describe", reinterpret_cast<const void*>(d.describe)},
        {"fetch", reinterpret_cast<const void*>(d.fetch)},
        {"statement_release", reinterpret_cast<const void*>(d.statement_release)},
        {"begin", reinterpret_cast<const void*>(d.begin)},
        {"commit", reinterpret_cast<const void*>(d.commit)},
        {"rollback", reinterpret_cast<const void*>(d.rollback)}};
    for (const auto& [slot, fn] : required) EXPECT_NE(fn, nullptr) << d.name << "." << slot;
  }
}

}  // namespace entry_tests

}  // namespace retort::sdk::testing

/**
 * Stamps the entry tests into GoogleTest suite `suite`:
 *
 *   ExportsOnlyTheEntrySymbol, NegotiationAgreesWithTheMetadataNote,
 *   NewerHostMinorNegotiatesThePluginMinor, HostMajorTwoIsRefusedWithNotImplemented,
 *   SmallCapacityIsNeverOverrun, TablesHaveEveryRequiredField.
 *
 * `host` is an expression giving the PluginHost& of the plugin under test, evaluated in each
 * test; `expected_name` the plugin name the entry must report (a string).  Use once per
 * suite name, at namespace scope.
 */
#define RETORT_SDK_ENTRY_TESTS(suite, host, expected_name)                                         \
  TEST(suite, ExportsOnlyTheEntrySymbol) {                                                         \
    ::retort::sdk::testing::entry_tests::exports_only_the_entry_symbol(host);                      \
  }                                                                                                \
  TEST(suite, NegotiationAgreesWithTheMetadataNote) {                                              \
    ::retort::sdk::testing::entry_tests::negotiation_agrees_with_the_metadata_note(host,           \
                                                                                   expected_name); \
  }                                                                                                \
  TEST(suite, NewerHostMinorNegotiatesThePluginMinor) {                                            \
    ::retort::sdk::testing::entry_tests::newer_host_minor_negotiates_the_plugin_minor(host);       \
  }                                                                                                \
  TEST(suite, HostMajorTwoIsRefusedWithNotImplemented) {                                           \
    ::retort::sdk::testing::entry_tests::host_major_two_is_refused(host);                          \
  }                                                                                                \
  TEST(suite, SmallCapacityIsNeverOverrun) {                                                       \
    ::retort::sdk::testing::entry_tests::small_capacity_is_never_overrun(host, expected_name);     \
  }                                                                                                \
  TEST(suite, TablesHaveEveryRequiredField) {                                                      \
    ::retort::sdk::testing::entry_tests::tables_have_every_required_field(host);                   \
  }                                                                                                \
  static_assert(true, "RETORT_SDK_ENTRY_TESTS needs a trailing semicolon")

#endif  // RETORT_SDK_TESTING_ENTRY_TESTS_HPP
