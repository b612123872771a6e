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
  return b;
}

retort::conformance::Backend sqlite_odbc_backend() {
  retort::conformance::Backend b;
  b.name = "sqlite_odbc";
  b.url_env = "RETORT_TEST_ODBC_SQLITE_URL";
  b.type_double = "DOUBLE";
  return b;
}

}  // namespace

RETORT_CONFORMANCE_BACKEND(PostgresqlOdbc, (pg_odbc_backend()));
RETORT_CONFORMANCE_BACKEND(MariadbOdbc, (mariadb_odbc_backend()));
RETORT_CONFORMANCE_BACKEND(SqliteOdbc, (sqlite_odbc_backend()));
