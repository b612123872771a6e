// tests/integration/backends.cpp — the Core conformance suite on every in-tree backend.
//
// SQLite runs always, on a temporary file (several tests open a second connection, which an
// in-memory database would not share).  Server backends join here as their plugins land;
// each is found through its RETORT_TEST_*_URL variable.
#include <retort/conformance/backend.hpp>

#include <unistd.h>

#include <filesystem>

namespace {

std::string sqlite_file_url() {
  static const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                            ("retort-conformance-" + std::to_string(getpid()) + ".db");
  // Removed when the test program exits.
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
      std::filesystem::remove(path.string() + "-journal", ec);
    }
  } cleanup;
  return "sqlite:///" + path.string();
}

retort::conformance::Backend sqlite_backend() {
  retort::conformance::Backend b;
  b.name = "sqlite";
  b.url_env = "RETORT_TEST_SQLITE_URL";
  b.default_url = sqlite_file_url();
  b.type_double = "DOUBLE";
  return b;
}

}  // namespace

RETORT_CONFORMANCE_BACKEND(Sqlite, (sqlite_backend()));
