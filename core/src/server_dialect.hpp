// core/src/server_dialect.hpp — private: the dialect an engine compiles with, adapted to its
// server once the server's version is known.
//
// An engine starts out compiling with the plugin's dialect as loaded.  On its first connection
// whose driver reports a server version (retort_driver.server_version), the engine makes a
// copy of the dialect with `server_version` set and `capabilities` replaced by what the
// dialect's `capabilities_for` says for that server, and compiles with the copy from then on.
// The compiled-statement cache keys on the dialect's address, so nothing compiled for the
// unadapted dialect is reused for the adapted one.
#ifndef RETORT_SRC_SERVER_DIALECT_HPP
#define RETORT_SRC_SERVER_DIALECT_HPP

#include <retort/plugin_abi.h>

#include <atomic>
#include <mutex>
#include <string>

namespace retort::detail {

class ServerDialect {
 public:
  /// `base` (the engine's loaded dialect) must outlive this object.
  explicit ServerDialect(const retort_dialect& base) noexcept : base_(base), current_(&base) {}
  ServerDialect(const ServerDialect&) = delete;
  ServerDialect& operator=(const ServerDialect&) = delete;

  /// The dialect to compile with now.  Thread-safe; the reference stays valid as long as
  /// this object.
  const retort_dialect& current() const noexcept {
    return *current_.load(std::memory_order_acquire);
  }
  /// The server version learned, or empty.  Thread-safe once learned.
  std::string version() const;

  /**
   * Asks `driver` for the server version of `connection` unless a version was learned
   * already (or the driver has no `server_version` slot), and adapts the dialect.  Never
   * throws: a driver error leaves the dialect as it is, and the next connection asks again.
   * Thread-safe.
   */
  void learn(const retort_driver& driver, retort_connection* connection) noexcept;

 private:
  const retort_dialect& base_;
  std::atomic<const retort_dialect*> current_;
  std::atomic<bool> done_{false};
  mutable std::mutex mutex_;
  std::string version_;
  retort_dialect adapted_{};
};

}  // namespace retort::detail

#endif  // RETORT_SRC_SERVER_DIALECT_HPP
