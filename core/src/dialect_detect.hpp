// core/src/dialect_detect.hpp — private: resolving an engine's URL, including the
// pseudo-dialect `odbc`, whose real dialect is learnt from the database itself.
#ifndef RETORT_SRC_DIALECT_DETECT_HPP
#define RETORT_SRC_DIALECT_DETECT_HPP

#include "plugin_loader.hpp"

#include <retort/engine.hpp>
#include <retort/url.hpp>

namespace retort::detail {

/// The pseudo-dialect of `odbc://…` URLs.
inline constexpr const char* kDetectDialect = "odbc";

/**
 * Resolves `url` for create_engine.  An ordinary URL is resolve(url).  A URL whose dialect is
 * the pseudo-dialect `odbc` (`odbc://user:pw@DSN`, `odbc+odbc://…`, or `odbc+<driver>://…` for
 * another driver serving `"*"`) is resolved in two steps: the driver (`odbc` unless named) is
 * loaded, connected once with `options.connect_args` and retort_connect_params.dialect "odbc",
 * and asked for the dialect through its `dialect_name` slot; the connection is released and
 * the URL is resolved as `<dialect>+<driver>`.
 *
 * Throws: what resolve throws; the DBAPIError of a failed connect; NoSuchModuleError when the
 * database's dialect is not installed (naming it and listing the installed dialects) or the
 * driver cannot report its dialect (saying to name the dialect in the URL).
 */
Resolved resolve_engine(const URL& url, const EngineOptions& options);

}  // namespace retort::detail

#endif  // RETORT_SRC_DIALECT_DETECT_HPP
