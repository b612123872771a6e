// core/src/elf_note.cpp — the plugin note reader.  See elf_note.hpp for the contract.
//
// The file is read piecewise through a ByteSource (pread on a file, or a memory span), so a
// multi-megabyte plugin costs a few small reads.  Every offset taken from the file goes
// through `in_bounds` before anything is read; arithmetic is done in uint64_t with explicit
// overflow checks.
#include "elf_note.hpp"

#include <retort/plugin_abi.h>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

namespace retort::detail {
namespace {

using Status = ElfNoteResult::Status;

constexpr uint16_t kEtDyn = 3;
constexpr uint32_t kShtNote = 7;
constexpr uint32_t kShtNobits = 8;
constexpr uint32_t kPtNote = 4;
constexpr uint16_t kShnXindex = 0xffff;
constexpr uint16_t kPnXnum = 0xffff;
// Bounds on what we are willing to read, whatever the file claims.
constexpr uint64_t kMaxSectionCount = 1u << 20;
constexpr uint64_t kMaxSectionNamesSize = 1u << 20;

struct ParseFailure {
  Status status;
  std::string reason;
};

[[noreturn]] void fail(Status status, std::string reason) {
  throw ParseFailure{status, std::move(reason)};
}

// [offset, offset + length) lies within [0, size).
bool in_bounds(uint64_t offset, uint64_t length, uint64_t size) noexcept {
  return offset <= size && length <= size - offset;
}

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const noexcept = 0;
  // Reads exactly `length` bytes; the caller has checked the bounds.  Throws on I/O errors.
  virtual void read(uint64_t offset, void* out, std::size_t length) const = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::span<const std::byte> bytes) : bytes_(bytes) {}
  uint64_t size() const noexcept override { return bytes_.size(); }
  void read(uint64_t offset, void* out, std::size_t length) const override {
    if (!in_bounds(offset, length, bytes_.size())) fail(Status::kCorrupt, "read out of bounds");
    if (length != 0) std::memcpy(out, bytes_.data() + offset, length);
  }

 private:
  std::span<const std::byte> bytes_;
};

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  uint64_t size() const noexcept override { return size_; }
  void read(uint64_t offset, void* out, std::size_t length) const override {
    auto* dest = static_cast<char*>(out);
    while (length > 0) {
      const ssize_t n = ::pread(fd_, dest, length, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(Status::kIoError, fmt::format("cannot read: {}", std::strerror(errno)));
      // The file shrank under us: treat like a truncated file.
      if (n == 0) fail(Status::kCorrupt, "file ended while reading (truncated)");
      dest += n;
      offset += static_cast<uint64_t>(n);
      length -= static_cast<std::size_t>(n);
    }
  }

 private:
  int fd_;
  uint64_t size_;
};

// Decodes little- or big-endian integers from bytes already read.
class Decoder {
 public:
  explicit Decoder(bool big_endian) : big_(big_endian) {}
  uint64_t get(const unsigned char* p, int width) const noexcept {
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
      const int index = big_ ? i : width - 1 - i;
      v = (v << 8) | p[index];
    }
    return v;
  }
  uint16_t u16(const unsigned char* p) const noexcept { return static_cast<uint16_t>(get(p, 2)); }
  uint32_t u32(const unsigned char* p) const noexcept { return static_cast<uint32_t>(get(p, 4)); }
  uint64_t u64(const unsigned char* p) const noexcept { return get(p, 8); }

 private:
  bool big_;
};

struct Header {
  ElfIdentity id;
  uint64_t phoff = 0, shoff = 0;
  uint32_t phentsize = 0, phnum = 0, shentsize = 0, shnum = 0, shstrndx = 0;
};

struct Section {
  uint32_t name = 0;
  uint32_t type = 0;
  uint64_t offset = 0, size = 0, align = 0;
  uint32_t link = 0, info = 0;
};

class NoteReader {
 public:
  explicit NoteReader(const ByteSource& src) : src_(src), size_(src.size()) {}

  const Header& read_header() {
    std::array<unsigned char, 64> h{};
    if (size_ < 4) fail(Status::kNotElf, "not an ELF file (shorter than the ELF magic)");
    src_.read(0, h.data(), 4);
    if (h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
      fail(Status::kNotElf, "not an ELF file");
    }
    if (size_ < 16) fail(Status::kCorrupt, "truncated ELF header");
    src_.read(4, h.data() + 4, 12);
    const int cls = h[4], data = h[5];
    if (cls != 1 && cls != 2) fail(Status::kCorrupt, fmt::format("invalid ELF class {}", cls));
    if (data != 1 && data != 2) {
      fail(Status::kCorrupt, fmt::format("invalid ELF data encoding {}", data));
    }
    is64_ = cls == 2;
    dec_ = Decoder(data == 2);
    const uint64_t header_size = is64_ ? 64 : 52;
    if (size_ < header_size) fail(Status::kCorrupt, "truncated ELF header");
    src_.read(16, h.data() + 16, header_size - 16);
    const unsigned char* p = h.data();
    hdr_.id = {cls, data, dec_.u16(p + 16), dec_.u16(p + 18)};
    if (is64_) {
      hdr_.phoff = dec_.u64(p + 32);
      hdr_.shoff = dec_.u64(p + 40);
      p += 54;
    } else {
      hdr_.phoff = dec_.u32(p + 28);
      hdr_.shoff = dec_.u32(p + 32);
      p += 42;
    }
    hdr_.phentsize = dec_.u16(p);
    hdr_.phnum = dec_.u16(p + 2);
    hdr_.shentsize = dec_.u16(p + 4);
    hdr_.shnum = dec_.u16(p + 6);
    hdr_.shstrndx = dec_.u16(p + 8);
    return hdr_;
  }

  // Looks through section headers, then program headers.  A structural error in one place
  // is reported only when the note is found nowhere.
  std::string find_note() {
    std::optional<std::string> text;
    try {
      text = find_in_sections();
    } catch (const ParseFailure& f) {
      if (f.status != Status::kCorrupt) throw;
      remember(f.reason);
    }
    if (!text) {
      try {
        text = find_in_segments();
      } catch (const ParseFailure& f) {
        if (f.status != Status::kCorrupt) throw;
        remember(f.reason);
      }
    }
    if (text) return *std::move(text);
    if (!first_error_.empty()) {
      fail(Status::kCorrupt, "truncated or corrupted ELF file: " + first_error_);
    }
    fail(Status::kNoNote, "no Retort metadata note");
  }

 private:
  void remember(const std::string& reason) {
    if (first_error_.empty()) first_error_ = reason;
  }

  // Reads `count` fixed-size table entries at `offset`, after checking they fit in the file.
  std::vector<unsigned char> read_table(const char* what, uint64_t offset, uint64_t count,
                                        uint64_t entsize, uint64_t min_entsize) {
    if (entsize < min_entsize) {
      fail(Status::kCorrupt,
           fmt::format("{} entry size {} is smaller than {}", what, entsize, min_entsize));
    }
    if (count > kMaxSectionCount || !in_bounds(offset, count * entsize, size_)) {
      fail(Status::kCorrupt,
           fmt::format("{} (offset {}, {} entries of {} bytes) extends past the end of the file "
                       "({} bytes)",
                       what, offset, count, entsize, size_));
    }
    std::vector<unsigned char> table(static_cast<std::size_t>(count * entsize));
    src_.read(offset, table.data(), table.size());
    return table;
  }

  Section decode_section(const unsigned char* p) const noexcept {
    Section s;
    s.name = dec_.u32(p);
    s.type = dec_.u32(p + 4);
    if (is64_) {
      s.offset = dec_.u64(p + 24);
      s.size = dec_.u64(p + 32);
      s.link = dec_.u32(p + 40);
      s.info = dec_.u32(p + 44);
      s.align = dec_.u64(p + 48);
    } else {
      s.offset = dec_.u32(p + 16);
      s.size = dec_.u32(p + 20);
      s.link = dec_.u32(p + 24);
      s.info = dec_.u32(p + 28);
      s.align = dec_.u32(p + 32);
    }
    return s;
  }

  std::optional<std::string> find_in_sections() {
    if (hdr_.shoff == 0) return std::nullopt;
    const uint64_t entsize = hdr_.shentsize, min_entsize = is64_ ? 64 : 40;
    uint64_t count = hdr_.shnum;
    uint64_t strndx = hdr_.shstrndx;
    // Extended numbering: the real count and string table index live in section 0.
    if (count == 0 || strndx == kShnXindex) {
      const auto first = read_table("section header table", hdr_.shoff, 1, entsize, min_entsize);
      const Section s0 = decode_section(first.data());
      if (count == 0) count = s0.size;
      if (strndx == kShnXindex) strndx = s0.link;
    }
    const auto table = read_table("section header table", hdr_.shoff, count, entsize, min_entsize);
    std::vector<Section> sections;
    sections.reserve(static_cast<std::size_t>(count));
    for (uint64_t i = 0; i < count; ++i) {
      sections.push_back(decode_section(table.data() + i * entsize));
    }
    const std::vector<char> names = section_names(sections, strndx);
    for (std::size_t i = 0; i < sections.size(); ++i) {
      const Section& s = sections[i];
      const bool named = s.name < names.size() &&
                         std::strcmp(names.data() + s.name, RETORT_PLUGIN_NOTE_SECTION) == 0;
      if ((s.type != kShtNote && !named) || s.type == kShtNobits) continue;
      if (!in_bounds(s.offset, s.size, size_)) {
        remember(
            fmt::format("note section {} (offset {}, {} bytes) extends past the end of the "
                        "file ({} bytes)",
                        i, s.offset, s.size, size_));
        continue;
      }
      if (auto text = scan_notes(s.offset, s.size, s.align)) return text;
    }
    return std::nullopt;
  }

  // The section name string table, NUL-terminated, or empty when it is unusable (names
  // then do not matter: SHT_NOTE sections are still scanned).
  std::vector<char> section_names(const std::vector<Section>& sections, uint64_t strndx) {
    if (strndx == 0 || strndx >= sections.size()) return {};
    const Section& s = sections[static_cast<std::size_t>(strndx)];
    if (s.size == 0 || s.size > kMaxSectionNamesSize || !in_bounds(s.offset, s.size, size_)) {
      return {};
    }
    std::vector<char> names(static_cast<std::size_t>(s.size) + 1, '\0');
    src_.read(s.offset, names.data(), static_cast<std::size_t>(s.size));
    return names;
  }

  std::optional<std::string> find_in_segments() {
    if (hdr_.phoff == 0) return std::nullopt;
    const uint64_t entsize = hdr_.phentsize, min_entsize = is64_ ? 56 : 32;
    uint64_t count = hdr_.phnum;
    if (count == kPnXnum && hdr_.shoff != 0) {
      const auto first =
          read_table("section header table", hdr_.shoff, 1, hdr_.shentsize, is64_ ? 64 : 40);
      count = decode_section(first.data()).info;
    }
    const auto table = read_table("program header table", hdr_.phoff, count, entsize, min_entsize);
    for (uint64_t i = 0; i < count; ++i) {
      const unsigned char* p = table.data() + i * entsize;
      if (dec_.u32(p) != kPtNote) continue;
      const uint64_t offset = is64_ ? dec_.u64(p + 8) : dec_.u32(p + 4);
      const uint64_t filesz = is64_ ? dec_.u64(p + 32) : dec_.u32(p + 16);
      const uint64_t align = is64_ ? dec_.u64(p + 48) : dec_.u32(p + 28);
      if (!in_bounds(offset, filesz, size_)) {
        remember(
            fmt::format("PT_NOTE segment {} (offset {}, {} bytes) extends past the end of "
                        "the file ({} bytes)",
                        i, offset, filesz, size_));
        continue;
      }
      if (auto text = scan_notes(offset, filesz, align)) return text;
    }
    return std::nullopt;
  }

  // Walks the notes in [offset, offset + size), already checked to lie within the file.
  std::optional<std::string> scan_notes(uint64_t offset, uint64_t size, uint64_t align_field) {
    // Notes are 4-byte aligned, except in sections/segments aligned to 8 (gABI for ELF64,
    // e.g. .note.gnu.property).
    const uint64_t align = align_field == 8 ? 8 : 4;
    const auto pad = [align](uint64_t n) { return (n + align - 1) & ~(align - 1); };
    constexpr std::string_view owner = RETORT_PLUGIN_NOTE_OWNER;
    uint64_t pos = offset;
    const uint64_t end = offset + size;
    while (end - pos >= 12) {
      unsigned char nh[12];
      src_.read(pos, nh, sizeof nh);
      const uint64_t namesz = dec_.u32(nh), descsz = dec_.u32(nh + 4);
      const uint32_t type = dec_.u32(nh + 8);
      const uint64_t name_at = pos + 12;
      const uint64_t name_len = pad(namesz);  // namesz < 2^32, so no overflow
      if (name_len > end - name_at) {
        remember(
            fmt::format("note at offset {} has a name of {} bytes, past its section", pos, namesz));
        return std::nullopt;
      }
      const uint64_t desc_at = name_at + name_len;
      if (descsz > end - desc_at) {
        remember(
            fmt::format("note at offset {} has {} bytes of data, past its section", pos, descsz));
        return std::nullopt;
      }
      if (type == RETORT_PLUGIN_NOTE_TYPE &&
          (namesz == owner.size() + 1 || namesz == owner.size())) {
        char name[8] = {};
        src_.read(name_at, name, static_cast<std::size_t>(namesz));
        if (std::string_view(name, owner.size()) == owner && name[owner.size()] == '\0') {
          if (descsz > kMaxPluginNoteSize) {
            fail(Status::kCorrupt, fmt::format("Retort metadata note is {} bytes (limit {})",
                                               descsz, kMaxPluginNoteSize));
          }
          std::string text(static_cast<std::size_t>(descsz), '\0');
          src_.read(desc_at, text.data(), text.size());
          text.resize(std::strlen(text.c_str()));
          return text;
        }
      }
      // The last note may omit its trailing padding.
      pos = desc_at + std::min(pad(descsz), end - desc_at);
    }
    return std::nullopt;
  }

  const ByteSource& src_;
  uint64_t size_;
  bool is64_ = true;
  Decoder dec_{false};
  Header hdr_;
  std::string first_error_;
};

std::string describe_machine(uint16_t machine) {
  const std::string_view name = elf_machine_name(machine);
  return name.empty() ? fmt::format("{}", machine) : fmt::format("{} ({})", machine, name);
}

std::string_view type_name(uint16_t type) noexcept {
  if (type == 1) return "relocatable object";
  if (type == 2) return "executable";
  if (type == 4) return "core dump";
  return "unknown type";
}

// Why this process cannot load a file with identity `id`, or "" when it can.
std::string foreign_reason(const ElfIdentity& id) {
  const ElfIdentity host = host_elf_identity();
  const std::string_view host_name = elf_machine_name(host.machine);
  if (host.machine != 0 && id.machine != host.machine) {
    return fmt::format(
        "ELF for machine {}, this host is {}", describe_machine(id.machine),
        host_name.empty() ? fmt::format("{}", host.machine) : std::string(host_name));
  }
  if (id.elf_class != host.elf_class) {
    return fmt::format("{}-bit ELF (ELFCLASS{}), this host is {}-bit", id.elf_class * 32,
                       id.elf_class * 32, host.elf_class * 32);
  }
  if (id.data != host.data) {
    return fmt::format("{}-endian ELF, this host is {}-endian", id.data == 2 ? "big" : "little",
                       host.data == 2 ? "big" : "little");
  }
  if (id.type != kEtDyn) {
    return fmt::format("ELF file of type {} ({}), not a shared library", id.type,
                       type_name(id.type));
  }
  return {};
}

ElfNoteResult parse(const ByteSource& src, bool require_native) {
  ElfNoteResult result;
  try {
    NoteReader reader(src);
    result.identity = reader.read_header().id;
    if (require_native) {
      if (std::string reason = foreign_reason(result.identity); !reason.empty()) {
        fail(Status::kForeign, std::move(reason));
      }
    }
    result.text = reader.find_note();
    result.status = Status::kOk;
  } catch (const ParseFailure& f) {
    result.status = f.status;
    result.reason = f.reason;
  } catch (const std::bad_alloc&) {
    result.status = Status::kCorrupt;
    result.reason = "out of memory while reading the ELF headers";
  }
  return result;
}

}  // namespace

std::string_view elf_machine_name(uint16_t machine) noexcept {
  static constexpr std::pair<uint16_t, std::string_view> kNames[] = {
      {2, "SPARC"},       {3, "x86"},        {4, "m68k"},    {8, "MIPS"},      {15, "PA-RISC"},
      {20, "PowerPC"},    {21, "PowerPC64"}, {22, "S/390"},  {40, "ARM"},      {42, "SuperH"},
      {43, "SPARC V9"},   {50, "IA-64"},     {62, "x86-64"}, {183, "AArch64"}, {243, "RISC-V"},
      {258, "LoongArch"}, {0x9026, "Alpha"}};
  for (const auto& [value, name] : kNames) {
    if (value == machine) return name;
  }
  return {};
}

ElfIdentity host_elf_identity() noexcept {
  ElfIdentity id;
  id.elf_class = sizeof(void*) == 8 ? 2 : 1;
  id.data = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 2 : 1;
  id.type = kEtDyn;
#if defined(__x86_64__)
  id.machine = 62;  // also x32, told apart by the class
#elif defined(__i386__)
  id.machine = 3;
#elif defined(__aarch64__)
  id.machine = 183;
#elif defined(__arm__)
  id.machine = 40;
#elif defined(__riscv)
  id.machine = 243;
#elif defined(__powerpc64__)
  id.machine = 21;
#elif defined(__powerpc__)
  id.machine = 20;
#elif defined(__s390__) || defined(__s390x__)
  id.machine = 22;
#elif defined(__mips__)
  id.machine = 8;
#elif defined(__loongarch__)
  id.machine = 258;
#elif defined(__sparc__)
  id.machine = sizeof(void*) == 8 ? 43 : 2;
#elif defined(__hppa__)
  id.machine = 15;
#elif defined(__ia64__)
  id.machine = 50;
#elif defined(__alpha__)
  id.machine = 0x9026;
#elif defined(__m68k__)
  id.machine = 4;
#elif defined(__sh__)
  id.machine = 42;
#endif
  return id;
}

ElfNoteResult parse_plugin_note(std::span<const std::byte> image, bool require_native) {
  return parse(MemorySource(image), require_native);
}

ElfNoteResult read_plugin_note(const std::filesystem::path& path) {
  ElfNoteResult result;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    result.reason = fmt::format("cannot open: {}", std::strerror(errno));
    return result;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    result.reason = fmt::format("cannot stat: {}", std::strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    result.reason = "not a regular file";
  } else {
    result = parse(FileSource(fd, static_cast<uint64_t>(st.st_size)), true);
  }
  ::close(fd);
  return result;
}

}  // namespace retort::detail
