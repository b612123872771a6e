// core/src/plugin_metadata.cpp — the metadata note parser, and the "can't load plugin"
// diagnostics built from a discovery index.  See plugin_metadata.hpp.
#include "plugin_metadata.hpp"

#include <retort/exceptions.hpp>
#include <retort/plugin_abi.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

namespace retort::detail {
namespace {

using Status = MetadataParseResult::Status;

struct Invalid {
  std::string message;
};

[[noreturn]] void invalid(std::string message) {
  throw Invalid{std::move(message)};
}

constexpr std::string_view kWhitespace = " \t\r";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kWhitespace);
  return s.substr(first, last - first + 1);
}

// Names end up in URL schemes (`dialect+driver`) and comma lists, so they exclude `+`, `,`,
// `=`, `:` and whitespace.
bool valid_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

std::string quoted_excerpt(std::string_view s) {
  constexpr std::size_t kMax = 60;
  return s.size() <= kMax ? fmt::format("'{}'", s) : fmt::format("'{}…'", s.substr(0, kMax));
}

struct Entry {
  std::string value;
  int line;
};

class Parser {
 public:
  explicit Parser(std::string_view text) { split_lines(text); }

  // Fills what can be read without validating, so a rejected note still says which
  // plugin it was and what it claimed to provide.
  void fill_best_effort(PluginMetadata& m) const {
    m.info.name = get("name");
    m.info.version = get("version");
    m.info.abi = get("abi");
    m.info.package = get("package");
    m.info.kinds = loose_list("kinds");
    m.info.dialects = loose_list("dialects");
    m.info.drivers = loose_list("drivers");
    m.info.types = loose_list("types");
  }

  // Returns the major and minor, or throws; sets `incompatible` for another major.
  std::pair<uint32_t, uint32_t> abi() const {
    const Entry* e = find("abi");
    if (e == nullptr) invalid("missing required key 'abi'");
    const std::string_view v = e->value;
    const auto dot = v.find('.');
    uint32_t major = 0, minor = 0;
    const auto parse = [](std::string_view digits, uint32_t& out) {
      if (digits.empty() || digits.size() > 5) return false;
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
      return ec == std::errc() && ptr == digits.data() + digits.size() && out <= 0xFFFF;
    };
    if (dot == std::string_view::npos || !parse(v.substr(0, dot), major) ||
        !parse(v.substr(dot + 1), minor)) {
      invalid(fmt::format("line {}: invalid abi {}: expected MAJOR.MINOR such as {}.{}", e->line,
                          quoted_excerpt(v), RETORT_ABI_MAJOR, RETORT_ABI_MINOR));
    }
    return {major, minor};
  }

  void validate(PluginMetadata& m) const {
    for (const char* key : {"name", "version", "kinds"}) {
      if (find(key) == nullptr) invalid(fmt::format("missing required key '{}'", key));
      if (get(key).empty()) invalid(fmt::format("line {}: '{}' is empty", find(key)->line, key));
    }
    if (!valid_name(m.info.name)) {
      invalid(fmt::format("line {}: invalid plugin name {}: use letters, digits, '_', '-' and '.'",
                          find("name")->line, quoted_excerpt(m.info.name)));
    }
    m.info.kinds = strict_list("kinds", false);
    m.info.dialects = strict_list("dialects", false);
    m.info.drivers = strict_list("drivers", false);
    m.info.types = strict_list("types", false);
    validate_kinds(m);
    validate_per_name_keys(m);
    fill_defaults(m);
    for (const std::string& dialect : m.info.dialects) m.info.schemes.push_back(dialect);
    for (const std::string& driver : m.info.drivers) {
      for (const std::string& dialect : m.driver_dialects[driver]) {
        m.info.schemes.push_back(dialect + "+" + driver);
      }
    }
  }

 private:
  void split_lines(std::string_view text) {
    int line_no = 0;
    while (!text.empty()) {
      ++line_no;
      const auto nl = text.find('\n');
      std::string_view raw = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      for (const char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t' && c != '\r') || u == 0x7f) {
          invalid(fmt::format("line {}: control character 0x{:02x}", line_no, u));
        }
      }
      const std::string_view line = trim(raw);
      if (line.empty() || line.front() == '#') continue;
      const auto eq = line.find('=');
      if (eq == std::string_view::npos) {
        invalid(fmt::format("line {}: expected key=value, got {}", line_no, quoted_excerpt(line)));
      }
      const std::string key(trim(line.substr(0, eq)));
      if (key.empty()) invalid(fmt::format("line {}: empty key", line_no));
      if (entries_.count(key) != 0) {
        invalid(fmt::format("line {}: duplicate key '{}' (first on line {})", line_no, key,
                            entries_.at(key).line));
      }
      entries_.emplace(key, Entry{std::string(trim(line.substr(eq + 1))), line_no});
    }
  }

  const Entry* find(std::string_view key) const {
    const auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }
  std::string get(std::string_view key) const {
    const Entry* e = find(key);
    return e == nullptr ? std::string() : e->value;
  }

  static std::vector<std::string> split(std::string_view value, bool strict, std::string_view key,
                                        int line) {
    std::vector<std::string> items;
    if (trim(value).empty()) return items;
    while (true) {
      const auto comma = value.find(',');
      const std::string_view item = trim(value.substr(0, comma));
      if (item.empty()) {
        if (strict) invalid(fmt::format("line {}: empty item in '{}'", line, key));
      } else {
        items.emplace_back(item);
      }
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
    return items;
  }

  std::vector<std::string> loose_list(std::string_view key) const {
    const Entry* e = find(key);
    return e == nullptr ? std::vector<std::string>() : split(e->value, false, key, e->line);
  }

  // A validated list of names (or `*` when `allow_star`), without duplicates.
  std::vector<std::string> strict_list(std::string_view key, bool allow_star) const {
    const Entry* e = find(key);
    if (e == nullptr) return {};
    std::vector<std::string> items = split(e->value, true, key, e->line);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!(allow_star && items[i] == "*") && !valid_name(items[i])) {
        invalid(fmt::format("line {}: invalid name {} in '{}'", e->line, quoted_excerpt(items[i]),
                            key));
      }
      if (std::find(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(i), items[i]) !=
          items.begin() + static_cast<std::ptrdiff_t>(i)) {
        invalid(fmt::format("line {}: '{}' appears twice in '{}'", e->line, items[i], key));
      }
    }
    return items;
  }

  void validate_kinds(PluginMetadata& m) const {
    const int line = find("kinds")->line;
    for (const std::string& kind : m.info.kinds) {
      if (kind == "dialect") {
        m.kind_bits |= RETORT_KIND_DIALECT;
      } else if (kind == "driver") {
        m.kind_bits |= RETORT_KIND_DRIVER;
      } else if (kind == "type") {
        m.kind_bits |= RETORT_KIND_TYPE;
      } else if (m.abi_minor <= RETORT_ABI_MINOR) {
        // A plugin built for a newer minor may declare kinds this host does not know yet.
        invalid(
            fmt::format("line {}: unknown kind '{}' (known: dialect, driver, type)", line, kind));
      }
    }
    const struct {
      uint32_t bit;
      const char* kind;
      const char* key;
      const std::vector<std::string>& names;
    } checks[] = {{RETORT_KIND_DIALECT, "dialect", "dialects", m.info.dialects},
                  {RETORT_KIND_DRIVER, "driver", "drivers", m.info.drivers},
                  {RETORT_KIND_TYPE, "type", "types", m.info.types}};
    for (const auto& c : checks) {
      const bool has_kind = (m.kind_bits & c.bit) != 0;
      if (has_kind && c.names.empty()) {
        invalid(fmt::format("line {}: kinds has '{}' but '{}' is missing or empty", line, c.kind,
                            c.key));
      }
      if (!has_kind && !c.names.empty()) {
        invalid(fmt::format("line {}: '{}' is set but kinds lacks '{}'", find(c.key)->line, c.key,
                            c.kind));
      }
    }
  }

  void validate_per_name_keys(PluginMetadata& m) const {
    constexpr std::string_view kDriverPrefix = "driver.", kDriverSuffix = ".dialects";
    constexpr std::string_view kDialectPrefix = "dialect.", kDialectSuffix = ".default_driver";
    const auto middle = [](std::string_view key, std::string_view prefix,
                           std::string_view suffix) -> std::optional<std::string_view> {
      if (key.size() <= prefix.size() + suffix.size() || !key.starts_with(prefix) ||
          !key.ends_with(suffix)) {
        return std::nullopt;
      }
      return key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
    };
    const auto contains = [](const std::vector<std::string>& v, std::string_view s) {
      return std::find(v.begin(), v.end(), s) != v.end();
    };
    for (const auto& [key, entry] : entries_) {
      if (auto driver = middle(key, kDriverPrefix, kDriverSuffix)) {
        if (!contains(m.info.drivers, *driver)) {
          invalid(fmt::format("line {}: '{}' names driver '{}', which is not in 'drivers'",
                              entry.line, key, *driver));
        }
        std::vector<std::string> served = strict_list(key, true);
        if (served.empty()) invalid(fmt::format("line {}: '{}' is empty", entry.line, key));
        m.driver_dialects.emplace(std::string(*driver), std::move(served));
      } else if (auto dialect = middle(key, kDialectPrefix, kDialectSuffix)) {
        if (!contains(m.info.dialects, *dialect)) {
          invalid(fmt::format("line {}: '{}' names dialect '{}', which is not in 'dialects'",
                              entry.line, key, *dialect));
        }
        if (!valid_name(entry.value)) {
          invalid(fmt::format("line {}: invalid driver name {} in '{}'", entry.line,
                              quoted_excerpt(entry.value), key));
        }
        m.default_drivers.emplace(std::string(*dialect), entry.value);
        m.explicit_default_drivers.emplace_back(*dialect);
      }
    }
  }

  static void fill_defaults(PluginMetadata& m) {
    for (const std::string& driver : m.info.drivers) {
      if (m.driver_dialects.count(driver) != 0) continue;
      if (m.info.dialects.empty()) {
        invalid(
            fmt::format("driver '{}' needs 'driver.{}.dialects' (the plugin provides no "
                        "dialect for it to serve by default)",
                        driver, driver));
      }
      m.driver_dialects.emplace(driver, m.info.dialects);
    }
    for (const std::string& dialect : m.info.dialects) {
      if (m.default_drivers.count(dialect) != 0) continue;
      const auto it =
          std::find_if(m.info.drivers.begin(), m.info.drivers.end(),
                       [&](const std::string& d) { return m.provides_driver_for(d, dialect); });
      if (it == m.info.drivers.end()) {
        invalid(
            fmt::format("dialect '{}' needs 'dialect.{}.default_driver' (no driver of this "
                        "plugin serves it)",
                        dialect, dialect));
      }
      m.default_drivers.emplace(dialect, *it);
    }
  }

  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace

bool PluginMetadata::provides_dialect(std::string_view dialect) const {
  return std::find(info.dialects.begin(), info.dialects.end(), dialect) != info.dialects.end();
}

bool PluginMetadata::provides_driver(std::string_view driver) const {
  return std::find(info.drivers.begin(), info.drivers.end(), driver) != info.drivers.end();
}

bool PluginMetadata::provides_driver_for(std::string_view driver, std::string_view dialect) const {
  if (!provides_driver(driver)) return false;
  const auto it = driver_dialects.find(driver);
  if (it == driver_dialects.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const std::string& d) { return d == "*" || d == dialect; });
}

MetadataParseResult parse_plugin_metadata(std::string_view text) {
  MetadataParseResult result;
  try {
    const Parser parser(text);
    parser.fill_best_effort(result.metadata);
    const auto [major, minor] = parser.abi();
    result.metadata.abi_major = major;
    result.metadata.abi_minor = minor;
    if (major != RETORT_ABI_MAJOR) {
      result.status = Status::kIncompatible;
      result.error = fmt::format("built for Retort plugin ABI {}.{}; this host speaks {}.x", major,
                                 minor, RETORT_ABI_MAJOR);
      return result;
    }
    parser.validate(result.metadata);
    result.status = Status::kOk;
  } catch (const Invalid& e) {
    result.status = Status::kMalformed;
    result.error = e.message;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------------------

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string kinds_text(uint32_t kind_bits) {
  std::vector<std::string> kinds;
  if ((kind_bits & RETORT_KIND_DIALECT) != 0) kinds.emplace_back("dialect");
  if ((kind_bits & RETORT_KIND_DRIVER) != 0) kinds.emplace_back("driver");
  if ((kind_bits & RETORT_KIND_TYPE) != 0) kinds.emplace_back("type");
  if ((kind_bits & ~uint32_t{RETORT_KIND_DIALECT | RETORT_KIND_DRIVER | RETORT_KIND_TYPE}) != 0) {
    kinds.push_back(fmt::format("0x{:x}", kind_bits));
  }
  return kinds.empty() ? "none" : join(kinds, ",");
}

std::string_view known_package(std::string_view dialect) noexcept {
  if (dialect == "sqlite") return "libretort1-plugin-sqlite";
  if (dialect == "postgresql") return "libretort1-plugin-postgresql";
  if (dialect == "mysql" || dialect == "mariadb") return "libretort1-plugin-mariadb";
  if (dialect == "odbc") return "libretort1-plugin-odbc";
  return {};
}

namespace {

// One item inline, several on their own indented lines.
std::string list_block(std::string_view label, const std::vector<std::string>& items) {
  if (items.empty()) return fmt::format("{}: none", label);
  if (items.size() == 1) return fmt::format("{}: {}", label, items.front());
  return fmt::format("{}:\n  {}", label, join(items, "\n  "));
}

std::string describe_plugin(const PluginInfo& info) {
  std::vector<std::string> parts;
  if (!info.dialects.empty()) parts.push_back("dialects: " + join(info.dialects));
  if (!info.drivers.empty()) parts.push_back("drivers: " + join(info.drivers));
  if (!info.types.empty()) parts.push_back("types: " + join(info.types));
  return fmt::format("{} ({}) at {}", info.name, join(parts, "; "), info.path);
}

// The lines every "can't load" message shares: plugins found, places searched, rejections.
std::vector<std::string> search_summary(const DiscoveryIndex& index) {
  std::vector<std::string> plugins, places, rejected;
  for (const Candidate& c : index.candidates) plugins.push_back(describe_plugin(c.metadata.info));
  for (const SearchedPlace& p : index.places) {
    places.push_back(p.exists ? fmt::format("{} ({})", p.path, p.source)
                              : fmt::format("{} ({}, does not exist)", p.path, p.source));
  }
  for (const RejectedPlugin& r : index.report.rejected) {
    rejected.push_back(fmt::format("{}: {}", r.path, r.reason));
  }
  std::vector<std::string> lines = {list_block("Plugins found", plugins),
                                    list_block("Searched", places)};
  if (!rejected.empty()) lines.push_back(list_block("Rejected", rejected));
  return lines;
}

const Candidate* winner_named(const DiscoveryIndex& index, const std::string& name) {
  for (const Candidate& c : index.candidates) {
    if (c.metadata.info.name == name) return &c;
  }
  return nullptr;
}

// Near misses and shadowed plugins that would have provided `what`; the first near miss's
// path, if any, is stored in `near_miss_path`.
template <typename Provides>
void explain_near_misses(const DiscoveryIndex& index, const std::string& what, Provides provides,
                         std::vector<std::string>& lines, std::string& near_miss_path,
                         std::string& package) {
  for (const NearMiss& m : index.near_misses) {
    if (!provides(m.metadata)) continue;
    lines.push_back(fmt::format("{} provides {} but {}.", m.path, what, m.why));
    if (near_miss_path.empty()) near_miss_path = m.path;
    if (package.empty()) package = m.metadata.info.package;
  }
  for (const Candidate& s : index.shadowed) {
    if (!provides(s.metadata)) continue;
    const Candidate* winner = winner_named(index, s.metadata.info.name);
    lines.push_back(fmt::format("{} provides {} but is shadowed by plugin '{}' at {}.",
                                s.metadata.info.path, what, s.metadata.info.name,
                                winner != nullptr ? winner->metadata.info.path : "?"));
    if (package.empty()) package = s.metadata.info.package;
  }
}

[[noreturn]] void throw_with(const std::vector<std::string>& lines,
                             const std::string& near_miss_path) {
  const std::string message = join(lines, "\n");
  if (!near_miss_path.empty()) throw PluginError(message, near_miss_path);
  throw NoSuchModuleError(message);
}

constexpr std::string_view kPathHint =
    "or add the directory holding its .so to RETORT_PLUGIN_PATH.";

}  // namespace

void throw_missing_dialect(const DiscoveryIndex& index, std::string_view dialect,
                           std::string_view scheme) {
  std::vector<std::string> lines = {
      fmt::format("Can't load plugin: no Retort plugin provides dialect '{}' (URL scheme '{}').",
                  dialect, scheme)};
  for (std::string& line : search_summary(index)) lines.push_back(std::move(line));
  std::string near_miss_path, package(known_package(dialect));
  explain_near_misses(
      index, fmt::format("dialect '{}'", dialect),
      [&](const PluginMetadata& m) { return m.provides_dialect(dialect); }, lines, near_miss_path,
      package);
  lines.push_back(
      package.empty()
          ? fmt::format("To use '{}', install the Retort plugin that provides it "
                        "(usually packaged as libretort{}-plugin-{}), {}",
                        dialect, RETORT_ABI_MAJOR, dialect, kPathHint)
          : fmt::format("To use '{}', install the package {}, {}", dialect, package, kPathHint));
  throw_with(lines, near_miss_path);
}

void throw_missing_type(const DiscoveryIndex& index, std::string_view type) {
  std::vector<std::string> lines = {
      fmt::format("Can't load plugin: no Retort plugin provides type '{}'.", type)};
  for (std::string& line : search_summary(index)) lines.push_back(std::move(line));
  std::string near_miss_path, package;
  explain_near_misses(
      index, fmt::format("type '{}'", type),
      [&](const PluginMetadata& m) {
        return std::find(m.info.types.begin(), m.info.types.end(), type) != m.info.types.end();
      },
      lines, near_miss_path, package);
  lines.push_back(fmt::format("To use type '{}', install the Retort plugin that provides it "
                              "(its note lists `types={}`), {}",
                              type, type, kPathHint));
  throw_with(lines, near_miss_path);
}

void throw_missing_driver(const DiscoveryIndex& index, std::string_view dialect,
                          std::string_view driver, std::string_view scheme, bool implicit) {
  std::vector<std::string> lines = {
      implicit ? fmt::format("Can't load plugin: dialect '{}' defaults to driver '{}', but no "
                             "Retort plugin provides it (URL scheme '{}').",
                             dialect, driver, scheme)
               : fmt::format("Can't load plugin: no Retort plugin provides driver '{}' for "
                             "dialect '{}' (URL scheme '{}').",
                             driver, dialect, scheme)};
  std::string default_driver;
  const PluginMetadata* dialect_provider = nullptr;
  for (const Candidate& c : index.candidates) {
    if (c.metadata.provides_dialect(dialect)) {
      default_driver = c.metadata.default_drivers.at(std::string(dialect));
      dialect_provider = &c.metadata;
      break;
    }
  }
  std::vector<std::string> available;
  for (const Candidate& c : index.candidates) {
    for (const std::string& d : c.metadata.info.drivers) {
      if (!c.metadata.provides_driver_for(d, dialect)) continue;
      available.push_back(fmt::format("{} ({}plugin '{}' at {})", d,
                                      d == default_driver ? "default; " : "", c.metadata.info.name,
                                      c.metadata.info.path));
    }
  }
  lines.push_back(
      list_block(fmt::format("Drivers available for dialect '{}'", dialect), available));
  for (std::string& line : search_summary(index)) lines.push_back(std::move(line));
  for (const Candidate& c : index.candidates) {
    if (c.metadata.provides_driver(driver) && !c.metadata.provides_driver_for(driver, dialect)) {
      lines.push_back(fmt::format("{} provides driver '{}' but only for dialects: {}.",
                                  c.metadata.info.path, driver,
                                  join(c.metadata.driver_dialects.at(std::string(driver)))));
    }
  }
  std::string near_miss_path, package;
  explain_near_misses(
      index, fmt::format("driver '{}'", driver),
      [&](const PluginMetadata& m) { return m.provides_driver(driver); }, lines, near_miss_path,
      package);
  if (package.empty() && implicit) package = known_package(dialect);
  if (!package.empty() && dialect_provider != nullptr &&
      dialect_provider->info.package == package) {
    // The package is installed already and has the dialect but not the driver (a plugin may
    // ship dialects before their driver): telling the user to install it would not help.
    lines.push_back(fmt::format(
        "The installed plugin '{}' (package {}) provides dialect '{}' but not driver '{}'. To "
        "use it, install a version of {} that includes the driver or another Retort plugin "
        "that provides it, {}",
        dialect_provider->info.name, package, dialect, driver, package, kPathHint));
  } else {
    lines.push_back(package.empty()
                        ? fmt::format("To use driver '{}', install the Retort plugin that "
                                      "provides it, {}",
                                      driver, kPathHint)
                        : fmt::format("To use driver '{}', install the package {}, {}", driver,
                                      package, kPathHint));
  }
  throw_with(lines, near_miss_path);
}

}  // namespace retort::detail
