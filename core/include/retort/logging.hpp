// retort/logging.hpp — where Retort's log records go: `echo`, `echo_pool` and plugin messages.
// SPDX-License-Identifier: MIT
//
//   // Route everything into the application's logger:
//   retort::set_default_log_sink(retort::make_log_sink([](const retort::LogRecord& r) {
//     spdlog::info("{}: {}", r.logger, r.message);
//   }));
//   auto engine = retort::create_engine(url, {.echo = true});   // SQL, parameters, timing
//
// Records come from three places, each with the logger name SQLAlchemy would use:
//
//   retort.engine.Engine     SQL statements, their parameters (unless `hide_parameters`) and
//                            timing, BEGIN/COMMIT/ROLLBACK — when `EngineOptions::echo` is on
//   retort.pool.<PoolClass>  connects, checkouts, checkins, resets, invalidations, dispose —
//                            when `EngineOptions::echo_pool` is on
//   retort.plugin.<name>     messages a plugin logs through `retort_host_api.log` (server
//                            notices, warnings), at or above RETORT_LOG_LEVEL (default warning)
//
// An engine writes to `EngineOptions::log_sink`, or to the default sink when that is null;
// plugin messages always go to the default sink (a plugin has no engine).  The default sink
// writes lines to stderr until `set_default_log_sink` replaces it.
//
// No record ever contains a password: URLs are rendered masked and driver messages pass the
// same masking as exception messages.
//
// Thread-safety: sinks are called from any thread, concurrently; a sink must be thread-safe
// (the stderr sink and `make_log_sink`'s wrapper serialise calls with a mutex).
// `set_default_log_sink` may be called at any time from any thread.
#ifndef RETORT_LOGGING_HPP
#define RETORT_LOGGING_HPP

#include <functional>
#include <memory>
#include <string_view>

namespace retort {

/// Levels, numerically equal to the plugin ABI's RETORT_LOG_* and Python's logging levels.
enum class LogLevel : int { debug = 10, info = 20, warning = 30, error = 40 };

/// One log record.  The views are valid only during the `LogSink::write` call.
struct LogRecord {
  LogLevel level = LogLevel::info;
  /// `retort.engine.Engine`, `retort.pool.QueuePool`, `retort.plugin.postgresql`, …
  std::string_view logger;
  std::string_view message;
};

/// Receives log records.  Implementations must be thread-safe and must not throw (an
/// exception thrown by a sink is swallowed); they should not call back into the engine that
/// logs.
class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void write(const LogRecord& record) noexcept = 0;
};

/// The sink writing `retort [logger] level: message` lines to stderr.
std::shared_ptr<LogSink> stderr_log_sink();

/// A sink calling `fn` for every record, one call at a time (the wrapper holds a mutex), so
/// `fn` itself need not be thread-safe.  Exceptions from `fn` are swallowed.
std::shared_ptr<LogSink> make_log_sink(std::function<void(const LogRecord&)> fn);

/// Replaces the default sink (used by engines without `log_sink`, and for plugin messages).
/// nullptr restores the stderr sink.
void set_default_log_sink(std::shared_ptr<LogSink> sink);
/// The current default sink (never null).
std::shared_ptr<LogSink> default_log_sink();

/// Human-readable level name: "debug", "info", "warning", "error".
std::string_view to_string(LogLevel level) noexcept;

}  // namespace retort

#endif  // RETORT_LOGGING_HPP
