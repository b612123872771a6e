// core/src/elf_note.hpp — private: reads a plugin's metadata note from an ELF file without
// loading it.
//
// The reader parses the ELF header (32- and 64-bit, either byte order), then looks for the
// note with owner RETORT_PLUGIN_NOTE_OWNER and type RETORT_PLUGIN_NOTE_TYPE, first through the
// section headers, then, when those are missing or hold no such note (a `strip`ped or
// `sstrip`ped file), through PT_NOTE program headers.  Every offset and size read from the
// file is bounds-checked against the file size: a truncated or corrupted file yields a reason,
// never a crash or an out-of-bounds read.  Nothing is mapped or executed.
#ifndef RETORT_SRC_ELF_NOTE_HPP
#define RETORT_SRC_ELF_NOTE_HPP

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace retort::detail {

/// What the ELF header says about a file's target.
struct ElfIdentity {
  int elf_class = 0;     ///< 1 = ELFCLASS32, 2 = ELFCLASS64
  int data = 0;          ///< 1 = little-endian, 2 = big-endian
  uint16_t type = 0;     ///< e_type: 3 = ET_DYN (shared object)
  uint16_t machine = 0;  ///< e_machine: 62 = x86-64, 183 = AArch64, …
};

/// The outcome of looking for the plugin note.
struct ElfNoteResult {
  enum class Status {
    kOk,       ///< `text` holds the note
    kNotElf,   ///< the file does not start with the ELF magic
    kCorrupt,  ///< truncated, or an offset or size points outside the file
    kForeign,  ///< a valid ELF file for another machine, class or byte order, or not a
               ///< shared object
    kNoNote,   ///< a valid ELF file without the Retort note
    kIoError,  ///< the file cannot be opened or read
  };
  Status status = Status::kIoError;
  /// The note's text up to its first NUL (the SDK stores a terminating NUL), when kOk.
  std::string text;
  /// Why there is no note, when not kOk: "not an ELF file", "truncated ELF header",
  /// "ELF for machine 40 (ARM), this host is x86-64", "no Retort metadata note", …
  std::string reason;
  /// Filled once the ELF header has been read.
  ElfIdentity identity;

  bool ok() const noexcept { return status == Status::kOk; }
};

/// The note's largest accepted size; a bigger one is reported as corrupt.
inline constexpr std::size_t kMaxPluginNoteSize = 64 * 1024;

/// Reads the plugin note of the file at `path`, refusing files that do not target this host
/// (machine, class, byte order) or are not shared objects.  Reads only the headers and the
/// note sections, never the whole file.
ElfNoteResult read_plugin_note(const std::filesystem::path& path);

/// Same, on an in-memory image of a file (for tests and fuzzing).  With `require_native` false
/// an ELF file for another target is parsed too (its identity is reported in `identity`).
ElfNoteResult parse_plugin_note(std::span<const std::byte> image, bool require_native = true);

/// A human name for an ELF e_machine value ("x86-64", "AArch64"), or "" when unknown.
std::string_view elf_machine_name(uint16_t machine) noexcept;

/// The identity of ELF files this process can load.  `machine` is 0 when the host
/// architecture is unknown at compile time (the machine is then not checked).
ElfIdentity host_elf_identity() noexcept;

}  // namespace retort::detail

#endif  // RETORT_SRC_ELF_NOTE_HPP
