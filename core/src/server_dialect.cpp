// core/src/server_dialect.cpp — the dialect an engine compiles with, adapted to its server.
#include "server_dialect.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace retort::detail {

std::string ServerDialect::version() const {
  std::lock_guard lock(mutex_);
  return version_;
}

void ServerDialect::learn(const retort_driver& driver, retort_connection* connection) noexcept {
  if (done_.load(std::memory_order_acquire)) return;
  std::lock_guard lock(mutex_);
  if (done_.load(std::memory_order_relaxed)) return;
  // RETORT_HAS_FIELD spelled out: `driver` is a reference, never NULL.
  if (driver.struct_size < offsetof(retort_driver, server_version) + sizeof driver.server_version ||
      driver.server_version == nullptr) {
    done_.store(true, std::memory_order_release);
    return;
  }
  try {
    std::string buffer(64, '\0');
    for (int attempt = 0;; ++attempt) {
      std::size_t length = buffer.size();
      retort_error error{};
      error.struct_size = sizeof error;
      const retort_status st = driver.server_version(connection, buffer.data(), &length, &error);
      if (error.release != nullptr) error.release(&error);
      if (st == RETORT_OK) {
        buffer.resize(strnlen(buffer.data(), std::min(length, buffer.size())));
        break;
      }
      if (st == RETORT_NOT_IMPLEMENTED) {
        done_.store(true, std::memory_order_release);
        return;
      }
      if (st != RETORT_INVALID_ARGUMENT || attempt > 0 || length <= buffer.size()) return;
      buffer.assign(length, '\0');
    }
    version_ = std::move(buffer);
    // The host's copy of the dialect is a full retort_dialect (zero past the plugin's fields).
    std::memcpy(&adapted_, &base_, std::min<std::size_t>(base_.struct_size, sizeof adapted_));
    adapted_.struct_size = sizeof adapted_;
    adapted_.server_version = version_.c_str();
    if (base_.struct_size >=
            offsetof(retort_dialect, capabilities_for) + sizeof base_.capabilities_for &&
        base_.capabilities_for != nullptr) {
      adapted_.capabilities = base_.capabilities_for(version_.c_str(), base_.capabilities);
    }
    current_.store(&adapted_, std::memory_order_release);
    done_.store(true, std::memory_order_release);
  } catch (...) {
    // Out of memory: keep compiling with the dialect as loaded; a later connection retries.
  }
}

}  // namespace retort::detail
