// core/src/plugin_metadata.hpp — private: parsing a plugin's metadata note, and the index of
// notes a discovery scan builds, with the diagnostics derived from it.
//
// The note (see RETORT_PLUGIN_METADATA in retort/plugin_abi.h) is UTF-8 `key=value` lines.
// Blank lines and lines starting with `#` are ignored, as is whitespace around keys, values
// and list items; `\r\n` line ends are accepted.  Unknown keys are ignored (later minors may
// add some); a repeated key is an error.  Lists are comma-separated.
//
// Keys: abi, name, version, kinds (required); dialects, drivers, types, package;
// driver.<driver>.dialects (`*` for any; defaults to the plugin's own dialects);
// dialect.<dialect>.default_driver (defaults to the plugin's first driver serving it).
#ifndef RETORT_SRC_PLUGIN_METADATA_HPP
#define RETORT_SRC_PLUGIN_METADATA_HPP

#include <retort/plugins.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace retort::detail {

/// Everything the note says, in the form discovery and resolution need.
struct PluginMetadata {
  /// name, version, abi, kinds, dialects, drivers, types, schemes and package; `path` and
  /// `source` are left for the caller.
  PluginInfo info;
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  /// RETORT_KIND_* bits for the kinds this host knows.
  uint32_t kind_bits = 0;
  /// Dialects each driver serves (`*` for any), for every driver in `info.drivers`.
  std::map<std::string, std::vector<std::string>, std::less<>> driver_dialects;
  /// Default driver of each dialect in `info.dialects`.
  std::map<std::string, std::string, std::less<>> default_drivers;
  /// Dialects whose default driver the note states explicitly (not inferred).
  std::vector<std::string> explicit_default_drivers;

  bool provides_dialect(std::string_view dialect) const;
  /// True when the plugin provides driver `driver` and it serves `dialect` (or `*`).
  bool provides_driver_for(std::string_view driver, std::string_view dialect) const;
  bool provides_driver(std::string_view driver) const;
};

/// The outcome of parsing a note.
struct MetadataParseResult {
  enum class Status {
    kOk,
    kMalformed,     ///< syntax error, missing or invalid key
    kIncompatible,  ///< well-formed `abi=` with another major than the host's
  };
  Status status = Status::kMalformed;
  /// Complete when kOk.  Otherwise whatever could be read (name, dialects, drivers,
  /// package), for diagnostics such as "x.so provides dialect 'x' but was built for ABI 2.0".
  PluginMetadata metadata;
  /// Why not kOk: "line 3: expected key=value, got 'foo'", "missing required key 'version'",
  /// "built for Retort plugin ABI 2.0; this host speaks 1.x".
  std::string error;

  bool ok() const noexcept { return status == Status::kOk; }
};

/// Parses and validates note text.  The host ABI is RETORT_ABI_MAJOR.RETORT_ABI_MINOR.
MetadataParseResult parse_plugin_metadata(std::string_view text);

// ---------------------------------------------------------------------------------------------
// The discovery index: what a scan of the notes found, and the diagnostics built from it.
// ---------------------------------------------------------------------------------------------

/// A usable plugin: its metadata (with `info.path` and `info.source` set) and, for one
/// registered in code, its entry function (NULL for a file).
struct Candidate {
  PluginMetadata metadata;
  retort_plugin_init_fn init = nullptr;
};

/// A rejected file whose note still said what it provides, for "x.so provides dialect 'x'
/// but was built for ABI 2.0".
struct NearMiss {
  std::string path;
  std::string why;  ///< completes "… provides dialect 'x' but …"
  PluginMetadata metadata;
};

/// A directory or file searched, and where it came from.
struct SearchedPlace {
  std::string path;
  std::string source;  ///< "registered", "RETORT_PLUGIN_PATH", "install", "build"
  bool exists = true;
};

/// Everything a discovery scan found.
struct DiscoveryIndex {
  DiscoveryReport report;
  std::vector<Candidate> candidates;  ///< parallel to report.plugins
  std::vector<Candidate> shadowed;    ///< parallel to report.shadowed
  std::vector<NearMiss> near_misses;
  std::vector<SearchedPlace> places;  ///< parallel to report.searched
};

/// Throws NoSuchModuleError: no plugin provides type `type`, with the searched paths.
[[noreturn]] void throw_missing_type(const DiscoveryIndex& index, std::string_view type);

/// Throws the error for a URL whose dialect no usable plugin provides: PluginError (naming
/// the file) when a rejected file declares the dialect, NoSuchModuleError otherwise.  The
/// message lists the plugins found, every place searched, the rejected files, near misses
/// and the package to install.
[[noreturn]] void throw_missing_dialect(const DiscoveryIndex& index, std::string_view dialect,
                                        std::string_view scheme);

/// Likewise for a known dialect whose driver no plugin provides; `implicit` when the URL
/// named no driver and `driver` is the dialect's default.  The message names the drivers
/// available for the dialect.
[[noreturn]] void throw_missing_driver(const DiscoveryIndex& index, std::string_view dialect,
                                       std::string_view driver, std::string_view scheme,
                                       bool implicit);

/// The distribution package known to ship `dialect` ("libretort1-plugin-postgresql"), or "".
std::string_view known_package(std::string_view dialect) noexcept;

/// "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

/// RETORT_KIND_* bits as "dialect,driver".
std::string kinds_text(uint32_t kind_bits);

}  // namespace retort::detail

#endif  // RETORT_SRC_PLUGIN_METADATA_HPP
