// core/src/plugin_loader.hpp — private: loading plugins and resolving a URL to a dialect and
// a driver.  The engine talks to plugins only through the handles defined here.
#ifndef RETORT_SRC_PLUGIN_LOADER_HPP
#define RETORT_SRC_PLUGIN_LOADER_HPP

#include <retort/plugin_abi.h>
#include <retort/plugins.hpp>
#include <retort/url.hpp>

#include <memory>
#include <string>

namespace retort::detail {

/// A loaded, initialised plugin library.  Never destroyed in practice: the registry keeps
/// every loaded library for the life of the process.
struct LoadedPlugin {
  PluginInfo info;
  retort_plugin plugin{};  // host copy; fields past plugin.struct_size are zero
  // The library handle lives here too (type-erased so this header needs no Boost).
  std::shared_ptr<void> library;
};

/// A dialect, with a host-side copy of its table: every field the plugin did not write is
/// zero, so optional slots read as NULL.
struct DialectHandle {
  std::shared_ptr<const LoadedPlugin> plugin;
  retort_dialect dialect{};
};

/// A driver, likewise copied; required slots have been checked.
struct DriverHandle {
  std::shared_ptr<const LoadedPlugin> plugin;
  retort_driver driver{};
};

struct Resolved {
  DialectHandle dialect;
  DriverHandle driver;
};

/// Resolves `url`'s scheme to a dialect and a driver, loading only the libraries that provide
/// them.  Throws NoSuchModuleError when no plugin provides them (the message lists the plugins
/// found, every path searched, rejected files and the package to install) and PluginError
/// when the plugin exists but cannot be loaded or initialised.
Resolved resolve(const URL& url);

/// The dialect named `name` (loading its library), for compiling without an engine.
DialectHandle load_dialect(const std::string& name);

/// The driver named `name` that serves any dialect (`"*"`), loading its library; for URLs
/// naming the pseudo-dialect `odbc` (see dialect_detect.hpp).  Throws NoSuchModuleError when
/// no plugin provides it.
DriverHandle load_driver(const std::string& name);

struct TypeHandle {
  std::shared_ptr<const LoadedPlugin> plugin;
  retort_type_def type{};  // host copy; fields past type.struct_size are zero
};

/// Finds and loads the plugin providing type `name`.  Throws NoSuchModuleError (naming the
/// searched paths) or PluginError.
TypeHandle load_type(const std::string& name);

/// Copies a plugin-filled error into an exception-ready message and releases it.
std::string take_error_message(retort_error& error);

}  // namespace retort::detail

#endif  // RETORT_SRC_PLUGIN_LOADER_HPP
