#!/usr/bin/env bash
# `retort schema` and `retort copy` beyond tables: views, standalone sequences, identity
# columns, and the types that have no equivalent on another dialect.  On SQLite always; on
# PostgreSQL when RETORT_TEST_POSTGRESQL_URL is set (and to MariaDB when RETORT_TEST_MARIADB_URL
# is set too).  Usage: schema_objects_test.sh path/to/retort
set -uo pipefail
retort=$1
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# SQLite: a view and a partial index survive schema and copy
src="sqlite:///$dir/src.db"
"$retort" query "$src" \
  "CREATE TABLE sov_t (id INTEGER PRIMARY KEY, code VARCHAR(20), n INTEGER)" \
  "CREATE INDEX sov_ix_code ON sov_t (code) WHERE n > 0" \
  "CREATE VIEW sov_v AS SELECT id, code FROM sov_t WHERE n > 1" \
  "INSERT INTO sov_t VALUES (1, 'a', 1), (2, 'b', 2)" >/dev/null || fail "setting up SQLite"
out=$("$retort" schema "$src" 2>&1)
expect_match sqlite_schema_keeps_partial_index "$out" 'CREATE INDEX sov_ix_code ON sov_t \(code\) WHERE n > 0;'
expect_match sqlite_schema_emits_views_after_tables "$(tr '\n' ' ' <<<"$out")" 'CREATE TABLE sov_t .*CREATE VIEW "sov_v" AS SELECT id, code FROM sov_t WHERE n > 1;'
out=$("$retort" schema "$src" --dialect mysql 2>&1) && fail "a partial index for MySQL succeeded"
expect_match partial_index_for_mysql_is_named "$out" 'cannot render CREATE INDEX sov_ix_code: it has no partial indexes'
dst="sqlite:///$dir/dst.db"
out=$("$retort" copy "$src" "$dst" 2>&1) || fail "copy sqlite → sqlite: $out"
out=$("$retort" query "$dst" "SELECT code FROM sov_v" --format csv)
expect_match sqlite_copy_carries_views "$out" $'^code\r?\nb'

if [ -n "${RETORT_TEST_POSTGRESQL_URL:-}" ]; then
  # A schema of its own (other tests share the database): the search path picks it.
  base=$RETORT_TEST_POSTGRESQL_URL
  case "$base" in *\?*) sep='&' ;; *) sep='?' ;; esac
  pg="$base${sep}options=-csearch_path%3Dsov_src"
  pgdst="$base${sep}options=-csearch_path%3Dsov_dst"
  "$retort" query "$base" "DROP SCHEMA IF EXISTS sov_src CASCADE" "CREATE SCHEMA sov_src" \
    "DROP SCHEMA IF EXISTS sov_dst CASCADE" "CREATE SCHEMA sov_dst" >/dev/null \
    || fail "cleaning PostgreSQL"
  "$retort" query "$pg" \
    "CREATE TABLE sov_t (id INTEGER GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 10) PRIMARY KEY, n INTEGER, during int4range)" \
    "CREATE TABLE sov_arr (id INTEGER PRIMARY KEY, tags INTEGER[])" \
    "CREATE SEQUENCE sov_seq START WITH 5 INCREMENT BY 3" \
    "SELECT nextval('sov_seq')" "SELECT nextval('sov_seq')" \
    "CREATE VIEW sov_v AS SELECT id, n::text AS t FROM sov_t" \
    "INSERT INTO sov_t (n) VALUES (1), (2)" "INSERT INTO sov_arr VALUES (1, '{1,2}')" >/dev/null \
    || fail "setting up PostgreSQL"

  out=$("$retort" schema "$pg" --tables sov_t,sov_arr 2>&1) || fail "schema of postgresql: $out"
  expect_match pg_schema_keeps_identity "$out" 'id INTEGER GENERATED ALWAYS AS IDENTITY \(START WITH 10 INCREMENT BY 10\) NOT NULL'
  expect_match pg_schema_keeps_arrays "$out" 'tags INTEGER\[\]'
  expect_match pg_schema_keeps_ranges_verbatim "$out" 'during int4range'

  out=$("$retort" schema "$pg" --tables sov_arr --dialect sqlite 2>&1) && fail "an array for SQLite succeeded"
  expect_match array_for_sqlite_names_table_column_type "$out" "table 'sov_arr', column 'tags': The 'sqlite' dialect cannot render plugin type 'int4_array'"
  out=$("$retort" schema "$pg" --tables sov_t --dialect mariadb 2>&1) && fail "a range for MariaDB succeeded"
  expect_match range_for_mariadb_names_table_column_type "$out" "table 'sov_t', column 'during': The 'mariadb' dialect cannot render type 'int4range'"

  "$retort" query "$pg" "DROP TABLE sov_arr" "ALTER TABLE sov_t DROP COLUMN during" >/dev/null
  out=$("$retort" schema "$pg" 2>&1) || fail "schema of postgresql: $out"
  expect_match pg_schema_emits_sequences "$out" 'CREATE SEQUENCE sov_seq INCREMENT BY 3 START WITH 5;'
  expect_match pg_schema_emits_views "$out" 'CREATE VIEW "sov_v" AS SELECT sov_t.id,'
  expect_no_match pg_schema_skips_owned_sequences "$out" 'CREATE SEQUENCE sov_t_id_seq'
  out=$("$retort" schema "$pg" --dialect sqlite 2>&1) || fail "schema postgresql → sqlite: $out"
  expect_match sqlite_warns_sequence_left_out "$out" "retort: warning: sequence 'sov_seq' left out"
  expect_match sqlite_warns_view_left_out "$out" "retort: warning: view 'sov_v' left out: its postgresql definition cannot be carried verbatim to sqlite \(it has PostgreSQL '::' casts\)"

  # copy into a fresh schema: identity, sequence position and view come along
  out=$("$retort" copy "$pg" "$pgdst" 2>&1) || fail "copy postgresql → postgresql: $out"
  out=$("$retort" query "$pgdst" "INSERT INTO sov_t (n) VALUES (3) RETURNING id" --format csv 2>&1)
  expect_match pg_copy_identity_continues "$out" $'^id\r?\n30'
  out=$("$retort" query "$pgdst" "INSERT INTO sov_t (id, n) VALUES (99, 4)" 2>&1) && fail "ALWAYS identity took a value"
  expect_match pg_copy_identity_stays_always "$out" 'non-DEFAULT value'
  out=$("$retort" query "$pgdst" "SELECT nextval('sov_seq') AS v" --format csv 2>&1)
  expect_match pg_copy_sequence_continues "$out" $'^v\r?\n11'
  out=$("$retort" query "$pgdst" "SELECT count(*) AS n FROM sov_v" --format csv 2>&1)
  expect_match pg_copy_carries_views "$out" $'^n\r?\n3'

  if [ -n "${RETORT_TEST_MARIADB_URL:-}" ]; then
    my=$RETORT_TEST_MARIADB_URL
    "$retort" query "$my" "DROP TABLE IF EXISTS sov_t" "DROP SEQUENCE IF EXISTS sov_seq" >/dev/null
    out=$("$retort" copy "$pg" "$my" 2>&1) || fail "copy postgresql → mariadb: $out"
    expect_match mariadb_warns_view_left_out "$out" "warning: view 'sov_v' left out"
    out=$("$retort" query "$my" "SELECT NEXTVAL(sov_seq) AS v" --format csv 2>&1)
    expect_match mariadb_copy_sequence_continues "$out" $'^v\r?\n11'
    "$retort" query "$my" "DROP TABLE IF EXISTS sov_t" "DROP SEQUENCE IF EXISTS sov_seq" >/dev/null
  fi
  "$retort" query "$base" "DROP SCHEMA sov_dst CASCADE" "DROP SCHEMA sov_src CASCADE" >/dev/null
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "schema objects: all checks passed"
