// retort/plugins.hpp — finding and registering plugins.
// SPDX-License-Identifier: MIT
//
// Plugins are shared libraries implementing retort/plugin_abi.h.  Discovery reads only the
// metadata note embedded in each file; a library is loaded (dlopen) only when an engine
// needs one of its dialects or drivers, and then once per process.  Libraries are never
// unloaded.
//
// Search order; the first plugin to define a name wins:
//   1. plugins registered in code (`register_plugin`, `register_plugin_file`);
//   2. every directory or file in RETORT_PLUGIN_PATH (colon-separated; ignored in setuid or
//      setgid programs);
//   3. the install directory, `<libdir>/retort/1/plugins`, found relative to the Retort core
//      library, then the directory configured at build time;
//   4. the build tree's plugin directory, in developer builds (RETORT_DEVELOPER_BUILD).
// RETORT_PLUGIN_PATH_ONLY=1 skips 3 and 4 (hermetic tests).
//
// Thread-safety: every function here may be called from any thread.
#ifndef RETORT_PLUGINS_HPP
#define RETORT_PLUGINS_HPP

#include <retort/plugin_abi.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

/// What a plugin's metadata says, and where it was found.
struct PluginInfo {
  std::string name;
  std::string version;
  std::string abi;                     ///< "1.0"
  std::vector<std::string> kinds;      ///< "dialect", "driver", "type"
  std::vector<std::string> dialects;
  std::vector<std::string> drivers;
  std::vector<std::string> types;
  std::vector<std::string> schemes;    ///< URL schemes it can serve: "sqlite", "sqlite+sqlite3"
  std::string package;                 ///< distribution package, if declared
  std::string path;                    ///< the file, or "<registered>" for one registered in code
  std::string source;                  ///< "registered", "RETORT_PLUGIN_PATH", "install", "build"
};

/// A file that looked like a plugin but was refused, and why.
struct RejectedPlugin {
  std::string path;
  std::string reason;
};

/// The result of a discovery scan.
struct DiscoveryReport {
  std::vector<PluginInfo> plugins;           ///< usable plugins, in search order
  std::vector<std::string> searched;         ///< every directory or file searched, in order
  std::vector<RejectedPlugin> rejected;      ///< files refused, with the reason
  std::vector<PluginInfo> shadowed;          ///< plugins hidden by an earlier one of that name
};

/// Scans the search path (cached after the first call; `rescan` forces a new scan).
DiscoveryReport discover_plugins(bool rescan = false);

/// Registers a plugin linked into the program.  `metadata` is its note text (the same
/// `key=value` lines as RETORT_PLUGIN_METADATA).  Throws PluginError when the metadata is
/// malformed.
void register_plugin(std::string_view metadata, retort_plugin_init_fn init);

/// Registers a plugin file outside the search path.  Throws PluginError when the file is
/// not a usable plugin, with the reason.
void register_plugin_file(const std::filesystem::path& path);

}  // namespace retort

#endif  // RETORT_PLUGINS_HPP
