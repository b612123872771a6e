// core/src/dialect_detect.cpp — resolving an engine's URL, including the pseudo-dialect `odbc`.
#include "dialect_detect.hpp"

#include "engine_impl.hpp"

#include <retort/exceptions.hpp>
#include <retort/plugins.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace retort::detail {
namespace {

// Every dialect an installed plugin provides, sorted.
std::string installed_dialects() {
  std::set<std::string> names;
  for (const PluginInfo& p : discover_plugins().plugins)
    names.insert(p.dialects.begin(), p.dialects.end());
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

// Connects once through `driver` and asks it which dialect the database speaks.
std::string detect_dialect(const URL& url, const DriverHandle& handle,
                           const EngineOptions& options) {
  const retort_driver& d = handle.driver;
  const std::string driver_name = d.name;
  if (!RETORT_HAS_FIELD(&d, retort_driver, dialect_name)) {
    throw NoSuchModuleError(fmt::format(
        "driver '{}' cannot tell which dialect its database speaks; name the dialect in the URL "
        "(postgresql+{}://…); installed dialects: {}",
        driver_name, driver_name, installed_dialects()));
  }
  std::vector<retort_option> query;
  for (const auto& [k, v] : url.query()) query.push_back({k.c_str(), v.c_str()});
  std::vector<retort_option> opts;
  for (const auto& [k, v] : options.connect_args) opts.push_back({k.c_str(), v.c_str()});
  retort_connect_params p{};
  p.struct_size = sizeof p;
  p.dialect = kDetectDialect;
  p.driver = d.name;
  p.username = url.username() ? url.username()->c_str() : nullptr;
  p.password = url.password() ? url.password()->c_str() : nullptr;
  p.host = url.host() ? url.host()->c_str() : nullptr;
  p.port = url.port() ? *url.port() : -1;
  p.database = url.database() ? url.database()->c_str() : nullptr;
  p.query = query.data();
  p.query_count = query.size();
  p.options = opts.data();
  p.option_count = opts.size();

  // The error paths reuse the engine's mapping of statuses to exception classes.
  EngineImpl raiser{url, options, Resolved{{}, handle}, kDetectDialect, driver_name, {}, {}, {}};
  retort_connection* conn = nullptr;
  retort_error err = make_error();
  retort_status st = d.connect(&p, &conn, &err);
  if (st != RETORT_OK) {
    raiser.raise(st, err,
                 fmt::format("connect to {} (to detect its dialect)", url.render_as_string(true)));
  }
  std::string name(64, '\0');
  size_t length = name.size();
  err = make_error();
  st = d.dialect_name(conn, name.data(), &length, &err);
  if (st == RETORT_INVALID_ARGUMENT && length > name.size()) {
    if (err.release != nullptr) err.release(&err);
    name.assign(length, '\0');
    err = make_error();
    st = d.dialect_name(conn, name.data(), &length, &err);
  }
  if (st != RETORT_OK) {
    d.connection_release(conn);
    raiser.raise(st, err, "detecting the dialect");
  }
  d.connection_release(conn);
  name.resize(strnlen(name.data(), name.size()));
  return name;
}

}  // namespace

Resolved resolve_engine(const URL& url, const EngineOptions& options) {
  if (url.get_backend_name() != kDetectDialect) return resolve(url);
  std::string driver = url.get_driver_name();
  if (driver.empty()) driver = "odbc";
  const DriverHandle handle = load_driver(driver);
  const std::string dialect = detect_dialect(url, handle, options);
  const URL resolved_url = URL::create(dialect + "+" + driver, url.username(), url.password(),
                                       url.host(), url.port(), url.database(), url.query());
  try {
    return resolve(resolved_url);
  } catch (const NoSuchModuleError& e) {
    throw NoSuchModuleError(fmt::format(
        "the database behind {} speaks dialect '{}' (as its driver '{}' reports), which no "
        "installed plugin provides; installed dialects: {}.  Install the plugin for '{}', or "
        "name an installed dialect in the URL ({}+{}://…)",
        url.render_as_string(true), dialect, driver, installed_dialects(), dialect, "<dialect>",
        driver));
  }
}

}  // namespace retort::detail
