// tests/integration/odbc_backends.cpp — the Core conformance suite through the odbc driver.
//
// Each backend is a database reached through unixODBC with a `dialect+odbc://user:pw@DSN`
// URL; `eval "$(scripts/odbc-config.sh start)"` (after pg-server.sh / mariadb-server.sh
// start) writes a private odbcinst.ini/odbc.ini and exports the three variables.  Without a
// variable, that backend's tests are skipped with a message saying so.
#include <retort/conformance/backend.hpp>

namespace {

retort::conformance::Backend pg_odbc_backend() {
  retort::conformance::Backend b;
  b.name = "postgresql_odbc";
  b.url_env = "RETORT_TEST_ODBC_POSTGRESQL_URL";
  b.type_bytes = "BYTEA";
  b.type_double = "DOUBLE PRECISION";
  b.lastrowid = false;  // PostgreSQL has no last insert id: use RETURNING
  return b;
}

retort::conformance::Backend mariadb_odbc_backend() {
  retort::conformance::Backend b;
  b.name = "mariadb_odbc";
  b.url_env = "RETORT_TEST_ODBC_MARIADB_URL";
  b.type_bytes = "LONGBLOB";
  b.type_double = "DOUBLE";
  b.type_timestamp = "DATETIME(6)";
  b.type_time = "TIME(6)";
  // As the native mariadb backend says (MariaDB's own SQLSTATEs, passed through the driver).
  b.sqlstate_unique = "23000";
  b.sqlstate_not_null = "23000";
  b.sqlstate_cancel = "70100";
  b.type_autoincrement_pk = "INTEGER PRIMARY KEY AUTO_INCREMENT";
  // 10^10 rows of MariaDB's Sequence engine (a recursive CTE stops quietly at
  // max_recursive_iterations).
  b.long_running_query =
      "SELECT count(*) FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq > 0";
  return b;
}

retort::conformance::Backend sqlite_odbc_backend() {
  retort::conformance::Backend b;
  b.name = "sqlite_odbc";
  b.url_env = "RETORT_TEST_ODBC_SQLITE_URL";
  b.type_double = "DOUBLE";
  // libsqliteodbc reads every value as SQLite's text, which has 15 significant digits
  // (sqlite3_column_text), then converts it: 1/3 comes back as 0.333333333333333.
  b.exact_doubles = false;
  return b;
}

}  // namespace

RETORT_CONFORMANCE_BACKEND(PostgresqlOdbc, (pg_odbc_backend()));
RETORT_CONFORMANCE_BACKEND(MariadbOdbc, (mariadb_odbc_backend()));
RETORT_CONFORMANCE_BACKEND(SqliteOdbc, (sqlite_odbc_backend()));
