// tests/integration/mariadb_backend.cpp — the Core conformance suite on MariaDB, through both
// dialects the mariadb plugin provides.
//
// The server is found through RETORT_TEST_MARIADB_URL (mariadb://test:pw@127.0.0.1:PORT/testdb);
// `eval "$(scripts/mariadb-server.sh start)"` starts a throwaway one.  The `mysql` backend is
// RETORT_TEST_MYSQL_URL when set (a real MySQL server), otherwise the MariaDB URL with the
// `mysql://` scheme (the mysql dialect against MariaDB).  Without either variable every test
// is skipped with a message saying so.
#include <retort/conformance/backend.hpp>

#include <cstdlib>
#include <string>

namespace {

void mariadb_types(retort::conformance::Backend& b) {
  b.type_double = "DOUBLE";
  // DATETIME(6): TIMESTAMP updates itself on MariaDB, and neither keeps microseconds
  // without a precision.
  b.type_timestamp = "DATETIME(6)";
  b.type_time = "TIME(6)";
  b.sqlstate_unique = "23000";
  b.sqlstate_not_null = "23000";
  b.sqlstate_cancel = "70100";
  b.type_autoincrement_pk = "INTEGER PRIMARY KEY AUTO_INCREMENT";
  // 10^10 rows of MariaDB's Sequence engine.
  b.long_running_query =
      "SELECT count(*) FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq > 0";
}

retort::conformance::Backend mariadb_backend() {
  retort::conformance::Backend b;
  b.name = "mariadb";
  b.url_env = "RETORT_TEST_MARIADB_URL";
  mariadb_types(b);
  return b;
}

retort::conformance::Backend mysql_backend() {
  retort::conformance::Backend b;
  b.name = "mysql";
  b.url_env = "RETORT_TEST_MYSQL_URL";
  if (const char* url = std::getenv("RETORT_TEST_MARIADB_URL"); url != nullptr) {
    const std::string s = url;
    if (s.rfind("mariadb", 0) == 0) b.default_url = "mysql" + s.substr(7);
  }
  mariadb_types(b);
  return b;
}

}  // namespace

RETORT_CONFORMANCE_BACKEND(Mariadb, (mariadb_backend()));
RETORT_CONFORMANCE_BACKEND(Mysql, (mysql_backend()));
