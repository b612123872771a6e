// tests/integration/postgresql_backend.cpp — the Core conformance suite on PostgreSQL.
//
// The server is found through RETORT_TEST_POSTGRESQL_URL (a Retort URL,
// postgresql://test:pw@127.0.0.1:PORT/testdb); `eval "$(scripts/pg-server.sh start)"` starts a
// throwaway one.  Without the variable every test is skipped with a message saying so.
#include <retort/conformance/backend.hpp>

namespace {

retort::conformance::Backend pg_backend() {
  retort::conformance::Backend b;
  b.name = "postgresql";
  b.url_env = "RETORT_TEST_POSTGRESQL_URL";
  b.default_url = "";  // a server is never assumed
  b.type_bytes = "BYTEA";
  b.type_double = "DOUBLE PRECISION";
  b.lastrowid = false;  // PostgreSQL has no last insert id: use RETURNING
  return b;
}

}  // namespace

RETORT_CONFORMANCE_BACKEND(Postgresql, (pg_backend()));
