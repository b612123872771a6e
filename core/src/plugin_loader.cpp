// core/src/plugin_loader.cpp — plugin discovery, loading and URL resolution.  Contracts are
// in retort/plugins.hpp and plugin_loader.hpp.
//
// One process-wide registry, guarded by one mutex, holds the registrations, the cached
// discovery index and every library loaded.  It is allocated once and never destroyed, so
// libraries are never unloaded, not even at exit (plugin objects may outlive static
// destructors).  Plugin entries run under that mutex, as the ABI promises.
#include "plugin_loader.hpp"

#include "elf_note.hpp"
#include "logging_impl.hpp"
#include "plugin_metadata.hpp"

#include <retort/exceptions.hpp>

// clang-format off
// Boost.DLL 1.73/1.74/1.77 with BOOST_DLL_USE_STD_FS miss these includes (plugin-abi.md 3.5).
#include <string>
#include <system_error>
#include <vector>
#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>
// clang-format on
#include <fmt/format.h>

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <type_traits>

namespace retort::detail {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Environment, debug output, host services
// ---------------------------------------------------------------------------------------------

std::string env(const char* name) {
  // secure_getenv: RETORT_PLUGIN_PATH & co. are ignored in setuid/setgid programs.
  const char* value = ::secure_getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

bool env_flag(const char* name) {
  const std::string v = env(name);
  return !v.empty() && v != "0" && v != "false" && v != "no" && v != "off";
}

std::atomic<bool> g_debug{false};

template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  if (!g_debug.load(std::memory_order_relaxed)) return;
  const std::string line = fmt::format(format, std::forward<Args>(args)...);
  std::fprintf(stderr, "retort: plugins: %s\n", line.c_str());
}

int32_t log_threshold() {
  static const int32_t threshold = [] {
    const std::string v = env("RETORT_LOG_LEVEL");
    if (v == "debug") return int32_t{RETORT_LOG_DEBUG};
    if (v == "info") return int32_t{RETORT_LOG_INFO};
    if (v == "error") return int32_t{RETORT_LOG_ERROR};
    if (v == "off" || v == "none") return int32_t{1000};
    if (!v.empty() && v.size() < 5 &&
        std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return static_cast<int32_t>(std::atoi(v.c_str()));
    }
    return int32_t{RETORT_LOG_WARNING};
  }();
  return threshold;
}

// Plugin messages go to the default log sink (logging.hpp), as `retort.plugin.<name>`.
void host_log(void* /*ctx*/, int32_t level, const char* plugin, const char* message) noexcept {
  if (level < log_threshold()) return;
  const LogLevel l = level >= RETORT_LOG_ERROR     ? LogLevel::error
                     : level >= RETORT_LOG_WARNING ? LogLevel::warning
                     : level >= RETORT_LOG_INFO    ? LogLevel::info
                                                   : LogLevel::debug;
  try {
    const std::string logger =
        std::string("retort.plugin.") + (plugin != nullptr ? plugin : "plugin");
    log_to(nullptr, l, logger, message != nullptr ? message : "");
  } catch (...) {
    // Out of memory: a log line is not worth failing the plugin's call.
  }
}

const retort_host_api kHostApi = {sizeof(retort_host_api), RETORT_ABI_VERSION_CURRENT, nullptr,
                                  &host_log};

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

struct Registration {
  fs::path file;            // a registered file, or
  PluginMetadata metadata;  // an in-code plugin's metadata and entry
  retort_plugin_init_fn init = nullptr;
};

// A loaded library with host-side copies of its tables.
struct Loaded {
  std::shared_ptr<LoadedPlugin> plugin;
  std::vector<retort_dialect> dialects;
  std::vector<retort_driver> drivers;
  std::vector<retort_type_def> types;
};

struct Registry {
  std::mutex mutex;
  std::vector<Registration> registrations;
  std::optional<DiscoveryIndex> index;
  std::map<std::string, std::shared_ptr<const Loaded>> loaded;        // by load key
  std::map<std::string, std::pair<std::string, std::string>> failed;  // key → message, path
  std::vector<std::shared_ptr<void>> kept;  // every library ever opened, failed ones too
};

Registry& registry() {
  static Registry* const r = new Registry;  // never destroyed: libraries stay mapped
  return *r;
}

// ---------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------

std::optional<fs::path> core_library_dir() {
  static const char anchor = 0;
  Dl_info info{};
  if (::dladdr(&anchor, &info) == 0 || info.dli_fname == nullptr || *info.dli_fname == '\0') {
    return std::nullopt;
  }
  std::error_code ec;
  const fs::path lib = fs::absolute(info.dli_fname, ec);
  if (ec) return std::nullopt;
  return lib.parent_path();
}

std::string canonical_key(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal().string() : c.string();
}

class Scanner {
 public:
  void add_registration(const Registration& r) {
    if (!r.file.empty()) {
      place(r.file.string(), "registered", true);
      add_file(r.file, "registered");
      return;
    }
    Candidate c{r.metadata, r.init};
    c.metadata.info.path = "<registered>";
    c.metadata.info.source = "registered";
    debug("registered in code: plugin '{}'", c.metadata.info.name);
    add_candidate(std::move(c));
  }

  void add_path_entry(const std::string& entry, const char* source) {
    std::error_code ec;
    const fs::path p = fs::absolute(entry, ec).lexically_normal();
    if (fs::is_directory(p, ec)) {
      add_dir(p, source);
    } else if (fs::exists(p, ec)) {
      place(p.string(), source, true);
      add_file(p, source);
    } else {
      place(p.string(), source, false);
      debug("{} entry {} does not exist", source, p.string());
    }
  }

  void add_dir(const fs::path& dir, const char* source) {
    if (!seen_dirs_.insert(canonical_key(dir)).second) {
      debug("{} directory {} already searched", source, dir.string());
      return;
    }
    std::error_code ec;
    const bool exists = fs::is_directory(dir, ec);
    place(dir.string(), source, exists);
    if (!exists) {
      debug("{} directory {} does not exist", source, dir.string());
      return;
    }
    debug("searching {} directory {}", source, dir.string());
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code fec;
      const fs::path& p = it->path();
      if (p.extension() == ".so" && fs::is_regular_file(p, fec)) files.push_back(p);
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    for (const fs::path& f : files) add_file(f, source);
  }

  DiscoveryIndex take() { return std::move(index_); }

 private:
  void place(std::string path, const char* source, bool exists) {
    index_.report.searched.push_back(path);
    index_.places.push_back({std::move(path), source, exists});
  }

  void add_file(const fs::path& file, const char* source) {
    const std::string path = file.string();
    if (!seen_files_.insert(canonical_key(file)).second) {
      debug("{} already considered", path);
      return;
    }
    const ElfNoteResult note = read_plugin_note(file);
    if (!note.ok()) {
      reject(path, note.reason);
      return;
    }
    MetadataParseResult parsed = parse_plugin_metadata(note.text);
    if (!parsed.ok()) {
      const bool incompatible = parsed.status == MetadataParseResult::Status::kIncompatible;
      reject(path, incompatible ? parsed.error : "invalid Retort metadata: " + parsed.error);
      index_.near_misses.push_back(
          {path, incompatible ? "was " + parsed.error : "its metadata is invalid: " + parsed.error,
           std::move(parsed.metadata)});
      return;
    }
    Candidate c{std::move(parsed.metadata), nullptr};
    c.metadata.info.path = path;
    c.metadata.info.source = source;
    debug("found plugin '{}' {} at {} (dialects: {}; drivers: {})", c.metadata.info.name,
          c.metadata.info.version, path, join(c.metadata.info.dialects),
          join(c.metadata.info.drivers));
    add_candidate(std::move(c));
  }

  void reject(const std::string& path, const std::string& reason) {
    debug("rejected {}: {}", path, reason);
    index_.report.rejected.push_back({path, reason});
  }

  void add_candidate(Candidate c) {
    const auto winner = std::find_if(
        index_.candidates.begin(), index_.candidates.end(),
        [&](const Candidate& w) { return w.metadata.info.name == c.metadata.info.name; });
    if (winner != index_.candidates.end()) {
      debug("plugin '{}' at {} is shadowed by the one at {}", c.metadata.info.name,
            c.metadata.info.path, winner->metadata.info.path);
      index_.report.shadowed.push_back(c.metadata.info);
      index_.shadowed.push_back(std::move(c));
      return;
    }
    index_.report.plugins.push_back(c.metadata.info);
    index_.candidates.push_back(std::move(c));
  }

  DiscoveryIndex index_;
  std::set<std::string> seen_dirs_;
  std::set<std::string> seen_files_;
};

DiscoveryIndex scan(const std::vector<Registration>& registrations) {
  g_debug = env_flag("RETORT_DEBUG_PLUGINS");
  Scanner scanner;
  for (const Registration& r : registrations) scanner.add_registration(r);
  const std::string path = env("RETORT_PLUGIN_PATH");
  for (std::size_t begin = 0; begin <= path.size();) {
    const std::size_t colon = std::min(path.find(':', begin), path.size());
    if (colon > begin) {
      scanner.add_path_entry(path.substr(begin, colon - begin), "RETORT_PLUGIN_PATH");
    }
    begin = colon + 1;
  }
  if (env_flag("RETORT_PLUGIN_PATH_ONLY")) {
    debug("RETORT_PLUGIN_PATH_ONLY is set: skipping the install and build directories");
  } else {
    if (const auto dir = core_library_dir()) {
      scanner.add_dir(*dir / RETORT_PLUGIN_INSTALL_SUBDIR, "install");
    }
    scanner.add_dir(RETORT_PLUGIN_INSTALL_FULLDIR, "install");
#ifdef RETORT_BUILD_TREE_PLUGIN_DIR
    scanner.add_dir(RETORT_BUILD_TREE_PLUGIN_DIR, "build");
#endif
  }
  return scanner.take();
}

// Call with the registry locked.
const DiscoveryIndex& current_index(Registry& r) {
  if (!r.index) r.index = scan(r.registrations);
  return *r.index;
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

const char* status_name(retort_status status) noexcept {
  static constexpr const char* kNames[] = {"RETORT_OK",
                                           "RETORT_NOT_IMPLEMENTED",
                                           "RETORT_NOT_FOUND",
                                           "RETORT_INVALID_ARGUMENT",
                                           "RETORT_INVALID_STATE",
                                           "RETORT_INVALID_DATA",
                                           "RETORT_INTEGRITY",
                                           "RETORT_INTERNAL",
                                           "RETORT_IO",
                                           "RETORT_CANCELLED",
                                           "RETORT_TIMEOUT",
                                           "RETORT_UNAUTHENTICATED",
                                           "RETORT_UNAUTHORIZED",
                                           "RETORT_DISCONNECTED",
                                           "RETORT_SYNTAX",
                                           "RETORT_TRANSACTION_ROLLBACK"};
  if (status >= 0 && static_cast<std::size_t>(status) < std::size(kNames)) return kNames[status];
  return "unknown status";
}

[[noreturn]] void refuse(const Candidate& c, const std::string& why) {
  throw PluginError(fmt::format("Can't load plugin '{}' from {}: {}", c.metadata.info.name,
                                c.metadata.info.path, why),
                    c.metadata.info.path);
}

void check_exports_entry(const Candidate& c) {
  std::vector<std::string> symbols;
  try {
    boost::dll::library_info info(fs::path(c.metadata.info.path), false);
    symbols = info.symbols();
  } catch (const std::exception& e) {
    refuse(c, fmt::format("cannot read its symbol table: {}", e.what()));
  }
  if (std::find(symbols.begin(), symbols.end(), RETORT_PLUGIN_ENTRY_V1) == symbols.end()) {
    refuse(c, "it does not export " RETORT_PLUGIN_ENTRY_V1 " (is it a Retort ABI-1 plugin?)");
  }
}

retort_plugin_init_fn open_library(Registry& r, const Candidate& c,
                                   std::shared_ptr<void>& library) {
  check_exports_entry(c);
  namespace dll = boost::dll;
  std::shared_ptr<dll::shared_library> lib;
  try {
    debug("loading {}", c.metadata.info.path);
    lib = std::make_shared<dll::shared_library>(
        fs::path(c.metadata.info.path), dll::load_mode::rtld_now | dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    refuse(c, fmt::format("dlopen failed: {}", e.what()));
  }
  r.kept.push_back(lib);  // never unloaded, even if initialisation fails below
  library = lib;
  if (!lib->has(RETORT_PLUGIN_ENTRY_V1)) {
    refuse(c, "it does not export " RETORT_PLUGIN_ENTRY_V1 " (is it a Retort ABI-1 plugin?)");
  }
  return &lib->get<std::remove_pointer_t<retort_plugin_init_fn>>(RETORT_PLUGIN_ENTRY_V1);
}

// Copies a plugin table into a zero-initialised host struct: fields the plugin did not write
// (an older minor) read as zero / NULL.
template <typename T>
T copy_table(const T* source) {
  T copy{};
  const std::size_t size = std::min<std::size_t>(source->struct_size, sizeof(T));
  std::memcpy(&copy, source, size);
  copy.struct_size = static_cast<uint32_t>(size);
  return copy;
}

template <typename T>
std::vector<T> copy_tables(const Candidate& c, const char* what, const T* const* items,
                           std::size_t count) {
  constexpr std::size_t kMaxEntries = 4096;
  if (count == 0) return {};
  if (count > kMaxEntries) refuse(c, fmt::format("its entry reports {} {}", count, what));
  if (items == nullptr) refuse(c, fmt::format("its entry reports {} {} but no table", count, what));
  std::vector<T> out;
  for (std::size_t i = 0; i < count; ++i) {
    if (items[i] == nullptr) refuse(c, fmt::format("{} entry #{} is NULL", what, i));
    out.push_back(copy_table(items[i]));
  }
  return out;
}

void check_slots(const Candidate& c, const char* what, const char* name,
                 std::initializer_list<std::pair<const char*, bool>> slots) {
  for (const auto& [slot, present] : slots) {
    if (!present) refuse(c, fmt::format("{} '{}' lacks required slot '{}'", what, name, slot));
  }
}

void validate_dialect(const Candidate& c, const retort_dialect& d) {
  if (d.name == nullptr) refuse(c, "a dialect lacks required field 'name'");
  check_slots(c, "dialect", d.name,
              {{"default_driver", d.default_driver != nullptr},
               {"paramstyle", d.paramstyle != 0},
               {"quote_open", d.quote_open != nullptr},
               {"quote_close", d.quote_close != nullptr}});
  if (d.paramstyle > RETORT_PARAMSTYLE_FORMAT) {
    refuse(c, fmt::format("dialect '{}' uses paramstyle {}, unknown to this host", d.name,
                          d.paramstyle));
  }
  const auto& defaults = c.metadata.explicit_default_drivers;
  if (std::find(defaults.begin(), defaults.end(), d.name) != defaults.end()) {
    const std::string& noted = c.metadata.default_drivers.at(d.name);
    if (noted != d.default_driver) {
      refuse(c, fmt::format("dialect '{}' has default driver '{}' but its metadata note says '{}'",
                            d.name, d.default_driver, noted));
    }
  }
}

void validate_driver(const Candidate& c, const retort_driver& d) {
  if (d.name == nullptr) refuse(c, "a driver lacks required slot 'name'");
  check_slots(c, "driver", d.name,
              {{"connect", d.connect != nullptr},
               {"connection_release", d.connection_release != nullptr},
               {"prepare", d.prepare != nullptr},
               {"execute", d.execute != nullptr},
               {"describe", d.describe != nullptr},
               {"fetch", d.fetch != nullptr},
               {"statement_release", d.statement_release != nullptr},
               {"begin", d.begin != nullptr},
               {"commit", d.commit != nullptr},
               {"rollback", d.rollback != nullptr}});
}

void validate_type(const Candidate& c, const retort_type_def& t) {
  if (t.name == nullptr) refuse(c, "a type lacks required field 'name'");
  check_slots(c, "type", t.name, {{"render_ddl", t.render_ddl != nullptr}});
  if (t.storage_type == RETORT_TYPE_NULL || t.storage_type > RETORT_TYPE_JSON) {
    refuse(c, fmt::format("type '{}' has storage type {}, unknown to this host", t.name,
                          t.storage_type));
  }
}

// Every name the note declares must be in the tables; resolution trusted the note.
template <typename T>
void check_declared(const Candidate& c, const char* what, const std::vector<std::string>& noted,
                    const std::vector<T>& tables) {
  std::vector<std::string> provided;
  for (const T& t : tables) provided.emplace_back(t.name);
  for (const std::string& name : noted) {
    if (std::find(provided.begin(), provided.end(), name) == provided.end()) {
      refuse(c, fmt::format("its metadata note declares {} '{}' but its entry provides no such {} "
                            "(it provides: {})",
                            what, name, what, provided.empty() ? "none" : join(provided)));
    }
  }
}

std::shared_ptr<const Loaded> initialise(Registry& r, const Candidate& c) {
  std::shared_ptr<void> library;
  retort_plugin_init_fn init = c.init != nullptr ? c.init : open_library(r, c, library);
  retort_plugin out{};
  retort_error error{};
  error.struct_size = sizeof error;
  retort_status status = RETORT_INTERNAL;
  debug("initialising plugin '{}'", c.metadata.info.name);
  try {
    status = init(RETORT_ABI_VERSION_CURRENT, &kHostApi, &out, sizeof out, &error);
  } catch (...) {
    // The SDK never lets an exception out; a hand-written entry might.
    refuse(c, RETORT_PLUGIN_ENTRY_V1 " threw a C++ exception across the C ABI");
  }
  if (status != RETORT_OK) {
    const std::string message = take_error_message(error);
    refuse(c, fmt::format("initialisation failed ({}): {}", status_name(status),
                          message.empty() ? "no message" : message));
  }
  if (error.release != nullptr) error.release(&error);
  if (out.struct_size > sizeof out) {
    refuse(c, fmt::format("its entry wrote {} bytes into a {}-byte retort_plugin", out.struct_size,
                          sizeof out));
  }
  if (out.struct_size < offsetof(retort_plugin, private_data)) {
    refuse(c, fmt::format("its entry filled only {} bytes of retort_plugin (ABI 1.0 needs {})",
                          out.struct_size, offsetof(retort_plugin, private_data)));
  }
  std::memset(reinterpret_cast<char*>(&out) + out.struct_size, 0, sizeof out - out.struct_size);
  if (RETORT_ABI_VERSION_MAJOR(out.abi_version) != RETORT_ABI_MAJOR) {
    refuse(c, fmt::format("its entry negotiated ABI {}.{}; this host speaks {}.x",
                          RETORT_ABI_VERSION_MAJOR(out.abi_version),
                          RETORT_ABI_VERSION_MINOR(out.abi_version), RETORT_ABI_MAJOR));
  }
  const std::string reported = out.name != nullptr ? out.name : "";
  if (reported != c.metadata.info.name) {
    refuse(c, fmt::format("its entry reports name '{}' but its metadata note says '{}'", reported,
                          c.metadata.info.name));
  }
  constexpr uint32_t kKnownKinds = RETORT_KIND_DIALECT | RETORT_KIND_DRIVER | RETORT_KIND_TYPE;
  if ((out.kinds & kKnownKinds) != c.metadata.kind_bits) {
    refuse(c, fmt::format("its entry reports kinds '{}' but its metadata note says '{}'",
                          kinds_text(out.kinds), kinds_text(c.metadata.kind_bits)));
  }
  auto loaded = std::make_shared<Loaded>();
  loaded->dialects = copy_tables(c, "dialects", out.dialects, out.dialect_count);
  loaded->drivers = copy_tables(c, "drivers", out.drivers, out.driver_count);
  loaded->types = copy_tables(c, "types", out.types, out.type_count);
  for (const auto& d : loaded->dialects) validate_dialect(c, d);
  for (const auto& d : loaded->drivers) validate_driver(c, d);
  for (const auto& t : loaded->types) validate_type(c, t);
  check_declared(c, "dialect", c.metadata.info.dialects, loaded->dialects);
  check_declared(c, "driver", c.metadata.info.drivers, loaded->drivers);
  check_declared(c, "type", c.metadata.info.types, loaded->types);

  auto plugin = std::make_shared<LoadedPlugin>();
  plugin->info = c.metadata.info;
  plugin->plugin = out;
  plugin->library = std::move(library);
  loaded->plugin = std::move(plugin);
  debug("plugin '{}' ready ({} dialects, {} drivers, {} types)", c.metadata.info.name,
        loaded->dialects.size(), loaded->drivers.size(), loaded->types.size());
  return loaded;
}

// Loads and initialises a candidate once per process; a failure is remembered, so an entry
// that failed is not called again.  Call with the registry locked.
std::shared_ptr<const Loaded> load(Registry& r, const Candidate& c) {
  const std::string key =
      c.init != nullptr ? "<registered>:" + c.metadata.info.name : c.metadata.info.path;
  if (const auto it = r.loaded.find(key); it != r.loaded.end()) return it->second;
  if (const auto it = r.failed.find(key); it != r.failed.end()) {
    throw PluginError(it->second.first, it->second.second);
  }
  try {
    auto loaded = initialise(r, c);
    r.loaded.emplace(key, loaded);
    return loaded;
  } catch (const PluginError& e) {
    debug("{}", e.what());
    r.failed.emplace(key, std::make_pair(std::string(e.what()), e.path()));
    throw;
  }
}

DialectHandle dialect_handle(const Loaded& loaded, const std::string& name) {
  for (const retort_dialect& d : loaded.dialects) {
    if (name == d.name) return DialectHandle{loaded.plugin, d};
  }
  throw PluginError(fmt::format("plugin '{}' lost dialect '{}'", loaded.plugin->info.name, name),
                    loaded.plugin->info.path);  // unreachable: check_declared ran
}

DriverHandle driver_handle(const Loaded& loaded, const std::string& name) {
  for (const retort_driver& d : loaded.drivers) {
    if (name == d.name) return DriverHandle{loaded.plugin, d};
  }
  throw PluginError(fmt::format("plugin '{}' lost driver '{}'", loaded.plugin->info.name, name),
                    loaded.plugin->info.path);
}

const Candidate* find_dialect(const DiscoveryIndex& index, const std::string& dialect) {
  for (const Candidate& c : index.candidates) {
    if (c.metadata.provides_dialect(dialect)) return &c;
  }
  return nullptr;
}

const Candidate* find_driver(const DiscoveryIndex& index, const std::string& driver,
                             const std::string& dialect) {
  for (const Candidate& c : index.candidates) {
    if (c.metadata.provides_driver_for(driver, dialect)) return &c;
  }
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Private API
// ---------------------------------------------------------------------------------------------

Resolved resolve(const URL& url) {
  const std::string dialect = url.get_backend_name();
  const std::string explicit_driver = url.get_driver_name();
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  const DiscoveryIndex& index = current_index(r);
  const Candidate* dialect_provider = find_dialect(index, dialect);
  if (dialect_provider == nullptr) throw_missing_dialect(index, dialect, url.drivername());
  const std::string driver = explicit_driver.empty()
                                 ? dialect_provider->metadata.default_drivers.at(dialect)
                                 : explicit_driver;
  const Candidate* driver_provider = find_driver(index, driver, dialect);
  if (driver_provider == nullptr) {
    throw_missing_driver(index, dialect, driver, url.drivername(), explicit_driver.empty());
  }
  const auto dialect_lib = load(r, *dialect_provider);
  const auto driver_lib =
      driver_provider == dialect_provider ? dialect_lib : load(r, *driver_provider);
  return Resolved{dialect_handle(*dialect_lib, dialect), driver_handle(*driver_lib, driver)};
}

DialectHandle load_dialect(const std::string& name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  const DiscoveryIndex& index = current_index(r);
  const Candidate* provider = find_dialect(index, name);
  if (provider == nullptr) throw_missing_dialect(index, name, name);
  return dialect_handle(*load(r, *provider), name);
}

DriverHandle load_driver(const std::string& name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  const DiscoveryIndex& index = current_index(r);
  // Only drivers serving every dialect ("*") match "*".
  const Candidate* provider = find_driver(index, name, "*");
  if (provider == nullptr) throw_missing_driver(index, "odbc", name, "odbc+" + name, false);
  return driver_handle(*load(r, *provider), name);
}

TypeHandle load_type(const std::string& name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  const DiscoveryIndex& index = current_index(r);
  const Candidate* provider = nullptr;
  for (const Candidate& c : index.candidates) {
    const auto& types = c.metadata.info.types;
    if (std::find(types.begin(), types.end(), name) != types.end()) {
      provider = &c;
      break;
    }
  }
  if (provider == nullptr) throw_missing_type(index, name);
  const auto loaded = load(r, *provider);
  for (const retort_type_def& t : loaded->types) {
    if (name == t.name) return TypeHandle{loaded->plugin, t};
  }
  throw PluginError(fmt::format("plugin '{}' lost type '{}'", loaded->plugin->info.name, name),
                    loaded->plugin->info.path);  // unreachable: check_declared ran
}

std::string take_error_message(retort_error& error) {
  std::string message = error.message != nullptr ? error.message : "";
  const std::string_view sqlstate(error.sqlstate, strnlen(error.sqlstate, 5));
  if (!sqlstate.empty()) {
    message += message.empty() ? fmt::format("SQLSTATE {}", sqlstate)
                               : fmt::format(" (SQLSTATE {})", sqlstate);
  }
  if (error.release != nullptr) error.release(&error);
  error.message = nullptr;
  error.release = nullptr;
  return message;
}

}  // namespace retort::detail

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

namespace retort {

DiscoveryReport discover_plugins(bool rescan) {
  detail::Registry& r = detail::registry();
  std::lock_guard lock(r.mutex);
  if (rescan) r.index.reset();
  return detail::current_index(r).report;
}

void register_plugin(std::string_view metadata, retort_plugin_init_fn init) {
  detail::MetadataParseResult parsed = detail::parse_plugin_metadata(metadata);
  const std::string name = parsed.metadata.info.name.empty() ? "?" : parsed.metadata.info.name;
  if (!parsed.ok()) {
    throw PluginError(fmt::format("Can't register plugin '{}': {}", name, parsed.error),
                      "<registered>");
  }
  if (init == nullptr) {
    throw PluginError(fmt::format("Can't register plugin '{}': no entry function", name),
                      "<registered>");
  }
  detail::Registry& r = detail::registry();
  std::lock_guard lock(r.mutex);
  for (const detail::Registration& existing : r.registrations) {
    if (existing.init == init && existing.metadata.info.name == parsed.metadata.info.name) return;
  }
  r.registrations.push_back({{}, std::move(parsed.metadata), init});
  r.index.reset();
}

void register_plugin_file(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::path file = std::filesystem::absolute(path, ec).lexically_normal();
  const std::string shown = file.string();
  const detail::ElfNoteResult note = detail::read_plugin_note(file);
  if (!note.ok()) {
    throw PluginError(fmt::format("Can't register plugin file {}: {}", shown, note.reason), shown);
  }
  detail::MetadataParseResult parsed = detail::parse_plugin_metadata(note.text);
  if (!parsed.ok()) {
    throw PluginError(fmt::format("Can't register plugin file {}: {}", shown, parsed.error), shown);
  }
  detail::Candidate candidate{std::move(parsed.metadata), nullptr};
  candidate.metadata.info.path = shown;
  detail::check_exports_entry(candidate);
  detail::Registry& r = detail::registry();
  std::lock_guard lock(r.mutex);
  for (const detail::Registration& existing : r.registrations) {
    if (existing.file == file) return;
  }
  r.registrations.push_back({file, {}, nullptr});
  r.index.reset();
}

}  // namespace retort
