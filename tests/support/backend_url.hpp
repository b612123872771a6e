// tests/support/backend_url.hpp — the database URL of a backend for parameterised
// integration tests: "sqlite" is a database file of this test program (removed when it
// exits), "postgresql" is RETORT_TEST_POSTGRESQL_URL, "mariadb" is RETORT_TEST_MARIADB_URL and
// "mysql" the same server through the mysql dialect (or RETORT_TEST_MYSQL_URL) — empty when
// unset: the test skips.
#ifndef RETORT_TESTS_SUPPORT_BACKEND_URL_HPP
#define RETORT_TESTS_SUPPORT_BACKEND_URL_HPP

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace retort::testing {

/// The environment variable that holds `backend`'s URL (for skip messages).
inline const char* backend_env(const std::string& backend) {
  if (backend == "mariadb") return "RETORT_TEST_MARIADB_URL";
  if (backend == "mysql") return "RETORT_TEST_MARIADB_URL (or RETORT_TEST_MYSQL_URL)";
  return "RETORT_TEST_POSTGRESQL_URL";
}

/// `stem` names the SQLite file (one per test file, so test programs can run in parallel).
inline std::string backend_url(const std::string& backend, const std::string& stem) {
  if (backend == "sqlite") {
    static struct Files {
      std::vector<std::filesystem::path> paths;
      ~Files() {
        for (const auto& p : paths) {
          std::error_code ec;
          std::filesystem::remove(p, ec);
        }
      }
    } files;
    const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                       ("retort-" + stem + "-" + std::to_string(getpid()) + ".db");
    if (std::find(files.paths.begin(), files.paths.end(), path) == files.paths.end()) {
      files.paths.push_back(path);
    }
    return "sqlite:///" + path.string();
  }
  if (backend == "mariadb" || backend == "mysql") {
    // "mysql": the mysql dialect, on RETORT_TEST_MYSQL_URL when set, else on the MariaDB server.
    if (backend == "mysql") {
      if (const char* url = std::getenv("RETORT_TEST_MYSQL_URL"); url != nullptr && *url) return url;
    }
    const char* url = std::getenv("RETORT_TEST_MARIADB_URL");
    std::string s = url != nullptr ? url : "";
    if (backend == "mysql" && s.rfind("mariadb", 0) == 0) s = "mysql" + s.substr(7);
    return s;
  }
  const char* url = std::getenv("RETORT_TEST_POSTGRESQL_URL");
  return url != nullptr ? url : "";
}

}  // namespace retort::testing

#endif  // RETORT_TESTS_SUPPORT_BACKEND_URL_HPP
