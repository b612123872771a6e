// core/src/logging.cpp — the default sink and the stderr sink.
#include "logging_impl.hpp"

#include <retort/logging.hpp>

#include <cstdio>
#include <mutex>
#include <string>

namespace retort {

namespace {

class StderrSink final : public LogSink {
 public:
  void write(const LogRecord& r) noexcept override {
    std::lock_guard lock(mutex_);
    std::fprintf(stderr, "retort [%.*s] %.*s: %.*s\n", static_cast<int>(r.logger.size()),
                 r.logger.data(), static_cast<int>(to_string(r.level).size()),
                 to_string(r.level).data(), static_cast<int>(r.message.size()), r.message.data());
  }

 private:
  std::mutex mutex_;
};

class FunctionSink final : public LogSink {
 public:
  explicit FunctionSink(std::function<void(const LogRecord&)> fn) : fn_(std::move(fn)) {}
  void write(const LogRecord& r) noexcept override {
    std::lock_guard lock(mutex_);
    try {
      if (fn_) fn_(r);
    } catch (...) {
      // A logger must never turn a database call into a failure.
    }
  }

 private:
  std::mutex mutex_;
  std::function<void(const LogRecord&)> fn_;
};

struct DefaultSink {
  std::mutex mutex;
  std::shared_ptr<LogSink> sink = stderr_log_sink();
};

DefaultSink& default_sink_state() {
  static DefaultSink* state = new DefaultSink;  // never destroyed: plugins may log at exit
  return *state;
}

}  // namespace

std::shared_ptr<LogSink> stderr_log_sink() {
  static const std::shared_ptr<LogSink> sink = std::make_shared<StderrSink>();
  return sink;
}

std::shared_ptr<LogSink> make_log_sink(std::function<void(const LogRecord&)> fn) {
  return std::make_shared<FunctionSink>(std::move(fn));
}

void set_default_log_sink(std::shared_ptr<LogSink> sink) {
  DefaultSink& s = default_sink_state();
  std::lock_guard lock(s.mutex);
  s.sink = sink != nullptr ? std::move(sink) : stderr_log_sink();
}

std::shared_ptr<LogSink> default_log_sink() {
  DefaultSink& s = default_sink_state();
  std::lock_guard lock(s.mutex);
  return s.sink;
}

std::string_view to_string(LogLevel level) noexcept {
  const int l = static_cast<int>(level);
  return l >= 40 ? "error" : l >= 30 ? "warning" : l >= 20 ? "info" : "debug";
}

namespace detail {

void log_to(const std::shared_ptr<LogSink>& sink, LogLevel level, std::string_view logger,
            std::string message) noexcept {
  mask_passwords(message);
  const LogRecord record{level, logger, message};
  if (sink != nullptr) {
    sink->write(record);
  } else {
    default_log_sink()->write(record);
  }
}

}  // namespace detail

}  // namespace retort
