// Tests for the ELF note reader (core/src/elf_note.*): every ELF flavour, both ways of finding
// the note, every refusal reason, and robustness against truncated or corrupted input.
#include "elf_note.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace retort::detail {
namespace {

using Status = ElfNoteResult::Status;
namespace fs = std::filesystem;

// Builds a minimal ELF shared object image: header, one PT_NOTE program header, a note
// section holding a foreign note then the Retort note, a section name table and section
// headers.
struct ElfSpec {
  int elf_class = 2;
  int data = 1;
  uint16_t machine = 62;
  uint16_t type = 3;
  bool sections = true;
  bool segments = true;
  bool extended_numbering = false;  // e_shnum = 0, count in section 0
  bool retort_note = true;
  std::string text = "abi=1.0\nname=synthetic\n";
};

class Writer {
 public:
  explicit Writer(int data) : big_(data == 2) {}
  std::vector<std::byte> bytes;
  void put(std::size_t at, uint64_t value, int width) {
    if (bytes.size() < at + width) bytes.resize(at + width);
    for (int i = 0; i < width; ++i) {
      const int shift = 8 * (big_ ? width - 1 - i : i);
      bytes[at + i] = static_cast<std::byte>((value >> shift) & 0xff);
    }
  }
  void put_bytes(std::size_t at, const void* data, std::size_t size) {
    if (bytes.size() < at + size) bytes.resize(at + size);
    std::memcpy(bytes.data() + at, data, size);
  }
  std::size_t align(std::size_t n) {
    bytes.resize((bytes.size() + n - 1) / n * n);
    return bytes.size();
  }

 private:
  bool big_;
};

void add_note(Writer& w, const std::string& owner, uint32_t type, const std::string& desc) {
  std::size_t at = w.bytes.size();
  w.put(at, owner.size() + 1, 4);
  w.put(at + 4, desc.size() + 1, 4);
  w.put(at + 8, type, 4);
  w.put_bytes(at + 12, owner.c_str(), owner.size() + 1);
  w.align(4);
  at = w.bytes.size();
  w.put_bytes(at, desc.c_str(), desc.size() + 1);
  w.align(4);
}

std::vector<std::byte> make_elf(const ElfSpec& s) {
  const bool is64 = s.elf_class == 2;
  const std::size_t ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32, shentsize = is64 ? 64 : 40;
  Writer w(s.data);
  w.bytes.resize(ehsize + phentsize);
  const unsigned char ident[] = {0x7f,
                                 'E',
                                 'L',
                                 'F',
                                 static_cast<unsigned char>(s.elf_class),
                                 static_cast<unsigned char>(s.data),
                                 1};
  w.put_bytes(0, ident, sizeof ident);
  w.put(16, s.type, 2);
  w.put(18, s.machine, 2);
  w.put(20, 1, 4);
  // The notes.
  const std::size_t notes_at = w.align(8);
  add_note(w, "GNU", 3, "0123456789abcdef");
  if (s.retort_note) add_note(w, "retort", 0x72740001u, s.text);
  const std::size_t notes_size = w.bytes.size() - notes_at;
  // Section names.
  const std::string names = std::string("\0.note.retort.plugin\0.shstrtab\0", 31);
  const std::size_t names_at = w.bytes.size();
  w.put_bytes(names_at, names.data(), names.size());
  // Section headers: null, the notes, the names.
  const std::size_t shoff = w.align(8);
  w.bytes.resize(shoff + 3 * shentsize);
  const auto section = [&](int i, uint32_t name, uint32_t type, uint64_t off, uint64_t size,
                           uint32_t link) {
    const std::size_t at = shoff + i * shentsize;
    w.put(at, name, 4);
    w.put(at + 4, type, 4);
    if (is64) {
      w.put(at + 24, off, 8);
      w.put(at + 32, size, 8);
      w.put(at + 40, link, 4);
      w.put(at + 48, 4, 8);
    } else {
      w.put(at + 16, off, 4);
      w.put(at + 20, size, 4);
      w.put(at + 24, link, 4);
      w.put(at + 32, 4, 4);
    }
  };
  section(0, 0, 0, 0, s.extended_numbering ? 3 : 0, 0);
  section(1, 1, 7, notes_at, notes_size, 0);
  section(2, 21, 3, names_at, names.size(), 0);
  // The program header.
  const std::size_t ph = ehsize;
  w.put(ph, 4, 4);
  if (is64) {
    w.put(ph + 8, notes_at, 8);
    w.put(ph + 32, notes_size, 8);
    w.put(ph + 48, 4, 8);
  } else {
    w.put(ph + 4, notes_at, 4);
    w.put(ph + 16, notes_size, 4);
    w.put(ph + 28, 4, 4);
  }
  // Header fields that point at the tables.
  const std::size_t f = is64 ? 32 : 28;  // e_phoff
  const int word = is64 ? 8 : 4;
  w.put(f, s.segments ? ph : 0, word);
  w.put(f + word, s.sections ? shoff : 0, word);
  const std::size_t h = is64 ? 52 : 40;  // e_ehsize
  w.put(h, ehsize, 2);
  w.put(h + 2, phentsize, 2);
  w.put(h + 4, s.segments ? 1 : 0, 2);
  w.put(h + 6, shentsize, 2);
  w.put(h + 8, s.extended_numbering ? 0 : 3, 2);
  w.put(h + 10, 2, 2);
  return w.bytes;
}

ElfSpec native_spec() {
  const ElfIdentity host = host_elf_identity();
  ElfSpec s;
  s.elf_class = host.elf_class;
  s.data = host.data;
  s.machine = host.machine != 0 ? host.machine : 62;
  return s;
}

std::string plugin_file(const std::string& test_case, const std::string& file) {
  return std::string(RETORT_TEST_PLUGIN_DIR) + "/" + test_case + "/" + file;
}

TEST(ElfNote, ReadsTheNoteOfEveryElfClassAndByteOrder) {
  for (const int cls : {1, 2}) {
    for (const int data : {1, 2}) {
      ElfSpec spec;
      spec.elf_class = cls;
      spec.data = data;
      spec.machine = 183;
      const auto image = make_elf(spec);
      const ElfNoteResult r = parse_plugin_note(image, /*require_native=*/false);
      ASSERT_TRUE(r.ok()) << "class " << cls << " data " << data << ": " << r.reason;
      EXPECT_EQ(r.text, spec.text);
      EXPECT_EQ(r.identity.elf_class, cls);
      EXPECT_EQ(r.identity.data, data);
      EXPECT_EQ(r.identity.machine, 183);
    }
  }
}

TEST(ElfNote, FindsTheNoteThroughProgramHeadersWhenSectionHeadersAreGone) {
  ElfSpec spec = native_spec();
  spec.sections = false;
  const ElfNoteResult r = parse_plugin_note(make_elf(spec));
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.text, spec.text);
}

TEST(ElfNote, FindsTheNoteThroughSectionHeadersAlone) {
  ElfSpec spec = native_spec();
  spec.segments = false;
  const ElfNoteResult r = parse_plugin_note(make_elf(spec));
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.text, spec.text);
}

TEST(ElfNote, HandlesExtendedSectionNumbering) {
  ElfSpec spec = native_spec();
  spec.segments = false;
  spec.extended_numbering = true;
  const ElfNoteResult r = parse_plugin_note(make_elf(spec));
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.text, spec.text);
}

TEST(ElfNote, ReadsTheNoteOfARealPluginWithoutLoadingIt) {
  const ElfNoteResult r = read_plugin_note(plugin_file("good", "retort_plugin_test_good.so"));
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_NE(r.text.find("name=testdb\n"), std::string::npos);
  EXPECT_NE(r.text.find("dialects=testdb\n"), std::string::npos);
  EXPECT_EQ(r.text.find('\0'), std::string::npos);
}

TEST(ElfNote, RefusesAFileThatIsNotElf) {
  const std::string text = "hello, this is text";
  const ElfNoteResult r = parse_plugin_note(std::as_bytes(std::span(text)));
  EXPECT_EQ(r.status, Status::kNotElf);
  EXPECT_EQ(r.reason, "not an ELF file");
  EXPECT_EQ(parse_plugin_note({}).status, Status::kNotElf);

  const ElfNoteResult file = read_plugin_note(plugin_file("not_elf", "retort_plugin_text.so"));
  EXPECT_EQ(file.status, Status::kNotElf);
  EXPECT_EQ(file.reason, "not an ELF file");
}

TEST(ElfNote, RefusesATruncatedHeader) {
  const auto image = make_elf(native_spec());
  for (const std::size_t size : {std::size_t{5}, std::size_t{16}, std::size_t{40}}) {
    const ElfNoteResult r = parse_plugin_note(std::span(image).first(size));
    EXPECT_EQ(r.status, Status::kCorrupt) << size;
    EXPECT_EQ(r.reason, "truncated ELF header") << size;
  }
}

TEST(ElfNote, RefusesATruncatedPluginWithAPreciseReason) {
  const ElfNoteResult r = read_plugin_note(plugin_file("truncated", "retort_plugin_truncated.so"));
  EXPECT_EQ(r.status, Status::kCorrupt);
  EXPECT_NE(r.reason.find("truncated or corrupted ELF file"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("extends past the end of the file (100 bytes)"), std::string::npos)
      << r.reason;
}

TEST(ElfNote, RefusesAnotherMachineNamingBoth) {
  const ElfIdentity host = host_elf_identity();
  if (host.machine == 0) GTEST_SKIP() << "host machine unknown at compile time";
  ElfSpec spec = native_spec();
  spec.machine = host.machine == 40 ? 62 : 40;
  const ElfNoteResult r = parse_plugin_note(make_elf(spec));
  EXPECT_EQ(r.status, Status::kForeign);
  const std::string expected = spec.machine == 40 ? "ELF for machine 40 (ARM), this host is " +
                                                        std::string(elf_machine_name(host.machine))
                                                  : "ELF for machine 62 (x86-64), this host is ARM";
  EXPECT_EQ(r.reason, expected);
}

TEST(ElfNote, RefusesAnotherClassOrByteOrder) {
  const ElfIdentity host = host_elf_identity();
  ElfSpec other_class = native_spec();
  other_class.elf_class = host.elf_class == 2 ? 1 : 2;
  const ElfNoteResult c = parse_plugin_note(make_elf(other_class));
  EXPECT_EQ(c.status, Status::kForeign);
  EXPECT_EQ(c.reason, host.elf_class == 2 ? "32-bit ELF (ELFCLASS32), this host is 64-bit"
                                          : "64-bit ELF (ELFCLASS64), this host is 32-bit");

  ElfSpec other_order = native_spec();
  other_order.data = host.data == 1 ? 2 : 1;
  const ElfNoteResult d = parse_plugin_note(make_elf(other_order));
  EXPECT_EQ(d.status, Status::kForeign);
  EXPECT_EQ(d.reason, host.data == 1 ? "big-endian ELF, this host is little-endian"
                                     : "little-endian ELF, this host is big-endian");
}

TEST(ElfNote, RefusesAnElfFileThatIsNotASharedObject) {
  ElfSpec spec = native_spec();
  spec.type = 1;
  const ElfNoteResult r = parse_plugin_note(make_elf(spec));
  EXPECT_EQ(r.status, Status::kForeign);
  EXPECT_EQ(r.reason, "ELF file of type 1 (relocatable object), not a shared library");
}

TEST(ElfNote, ReportsAValidElfFileWithoutTheNote) {
  ElfSpec spec = native_spec();
  spec.retort_note = false;
  const ElfNoteResult r = parse_plugin_note(make_elf(spec));
  EXPECT_EQ(r.status, Status::kNoNote);
  EXPECT_EQ(r.reason, "no Retort metadata note");
}

TEST(ElfNote, FallsBackToProgramHeadersWhenTheSectionTableIsCorrupt) {
  ElfSpec spec = native_spec();
  auto image = make_elf(spec);
  const ElfSpec no_segments = [&] {
    ElfSpec s = spec;
    s.segments = false;
    return s;
  }();
  // e_shoff far beyond the end of the file.
  const std::size_t shoff_at = spec.elf_class == 2 ? 40 : 32;
  Writer w(spec.data);
  w.bytes = image;
  w.put(shoff_at, 0x7fff0000, spec.elf_class == 2 ? 8 : 4);
  const ElfNoteResult r = parse_plugin_note(w.bytes);
  ASSERT_TRUE(r.ok()) << r.reason;

  w.bytes = make_elf(no_segments);
  w.put(shoff_at, 0x7fff0000, spec.elf_class == 2 ? 8 : 4);
  const ElfNoteResult bad = parse_plugin_note(w.bytes);
  EXPECT_EQ(bad.status, Status::kCorrupt);
  EXPECT_NE(bad.reason.find("section header table (offset 2147418112"), std::string::npos)
      << bad.reason;
}

TEST(ElfNote, RefusesNoteSizesThatOverflow) {
  ElfSpec spec = native_spec();
  spec.segments = false;
  Writer w(spec.data);
  w.bytes = make_elf(spec);
  // The first note's namesz and descsz, right after the ELF and program headers (8-aligned).
  const std::size_t notes_at = spec.elf_class == 2 ? 120 : 88;
  w.put(notes_at, 0xffffffffu, 4);
  ElfNoteResult r = parse_plugin_note(w.bytes);
  EXPECT_EQ(r.status, Status::kCorrupt);
  EXPECT_NE(r.reason.find("has a name of 4294967295 bytes"), std::string::npos) << r.reason;
  w.put(notes_at, 4, 4);
  w.put(notes_at + 4, 0xfffffff0u, 4);
  r = parse_plugin_note(w.bytes);
  EXPECT_EQ(r.status, Status::kCorrupt);
  EXPECT_NE(r.reason.find("bytes of data, past its section"), std::string::npos) << r.reason;
}

TEST(ElfNote, EveryTruncationOfAPluginIsRefusedCleanly) {
  std::ifstream in(plugin_file("good", "retort_plugin_test_good.so"), std::ios::binary);
  const std::vector<char> file((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(file.size(), 1000u);
  const auto bytes = std::as_bytes(std::span(file));
  for (std::size_t size = 0; size < file.size(); size += size < 4096 ? 1 : 509) {
    const ElfNoteResult r = parse_plugin_note(bytes.first(size));
    if (!r.ok()) {
      EXPECT_FALSE(r.reason.empty()) << size;
    }
  }
  EXPECT_TRUE(parse_plugin_note(bytes).ok());
}

TEST(ElfNote, RandomCorruptionNeverCrashes) {
  // Run under -fsanitize=address (RETORT_SANITIZE) to also prove no out-of-bounds read.
  std::mt19937 rng(20261123);
  for (const int cls : {1, 2}) {
    for (const int data : {1, 2}) {
      ElfSpec spec;
      spec.elf_class = cls;
      spec.data = data;
      const auto pristine = make_elf(spec);
      for (int round = 0; round < 3000; ++round) {
        auto image = pristine;
        const int flips = 1 + static_cast<int>(rng() % 8);
        for (int i = 0; i < flips; ++i) {
          image[rng() % image.size()] = static_cast<std::byte>(rng() & 0xff);
        }
        const ElfNoteResult r = parse_plugin_note(image, false);
        if (!r.ok()) {
          EXPECT_FALSE(r.reason.empty());
        }
      }
    }
  }
}

TEST(ElfNote, ReportsFilesThatCannotBeRead) {
  const ElfNoteResult missing = read_plugin_note("/nonexistent/retort_plugin_x.so");
  EXPECT_EQ(missing.status, Status::kIoError);
  EXPECT_EQ(missing.reason, "cannot open: No such file or directory");
  const ElfNoteResult dir = read_plugin_note(RETORT_TEST_PLUGIN_DIR);
  EXPECT_EQ(dir.status, Status::kIoError);
  EXPECT_EQ(dir.reason, "not a regular file");
}

}  // namespace
}  // namespace retort::detail
