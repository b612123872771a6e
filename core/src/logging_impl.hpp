// core/src/logging_impl.hpp — private: writing log records.
#ifndef RETORT_SRC_LOGGING_IMPL_HPP
#define RETORT_SRC_LOGGING_IMPL_HPP

#include <retort/logging.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace retort::detail {

/// Masks passwords in URLs (`scheme://user:secret@`) and `password=` / `pwd=` keywords
/// (exceptions.cpp; the same masking DBAPIError applies).
void mask_passwords(std::string& text);

/// Masks passwords in `message` and writes it to `sink`, or to the default sink when null.
void log_to(const std::shared_ptr<LogSink>& sink, LogLevel level, std::string_view logger,
            std::string message) noexcept;

}  // namespace retort::detail

#endif  // RETORT_SRC_LOGGING_IMPL_HPP
