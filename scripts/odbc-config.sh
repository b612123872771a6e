#!/usr/bin/env bash
# A private unixODBC configuration for tests and benchmarks: odbcinst.ini and odbc.ini in a
# fresh temporary directory (never /etc), with DSNs for the running test servers.
#
#   eval "$(scripts/odbc-config.sh start)"   # after pg-server.sh / mariadb-server.sh start
#   scripts/odbc-config.sh stop              # removes RETORT_ODBC_STATE_DIR
#
# `start` reads RETORT_TEST_POSTGRESQL_URL and RETORT_TEST_MARIADB_URL (each optional; a DSN
# is written only for the servers that are set and whose ODBC driver is installed) and
# prints, on stdout and nothing else:
#   export ODBCSYSINI=<dir>                    # unixODBC reads <dir>/odbcinst.ini
#   export ODBCINI=<dir>/odbc.ini
#   export RETORT_ODBC_STATE_DIR=<dir>
#   export RETORT_TEST_ODBC_POSTGRESQL_URL=postgresql+odbc://test:<pw>@retort_pg
#   export RETORT_TEST_ODBC_MARIADB_URL=mariadb+odbc://test:<pw>@retort_mariadb
#   export RETORT_TEST_ODBC_SQLITE_URL=sqlite+odbc://retort_sqlite      (a file in <dir>)
# The DSNs hold server, port and database; user and password travel in the URLs (so the
# plugin's UID/PWD handling is exercised).  For the error tests there is also a driver
# `Retort Missing Library` whose Driver= file does not exist, and a DSN `retort_missing_lib`
# that uses it.  Everything else goes to stderr.
set -euo pipefail

log() { echo "odbc-config: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

libdir=${RETORT_ODBC_DRIVER_DIR:-/usr/lib/x86_64-linux-gnu/odbc}
if [ ! -d "$libdir" ]; then
  multiarch=$(gcc -print-multiarch 2>/dev/null || true)
  [ -n "$multiarch" ] && libdir=/usr/lib/$multiarch/odbc
fi

# Splits scheme://user:password@host:port/database into the variables u_*.
# (Test URLs only: no percent-decoding, no IPv6.)
split_url() {
  local rest=${1#*://}
  rest=${rest%%\?*}
  local auth=${rest%%@*} hostpart=${rest#*@}
  u_user=${auth%%:*}
  u_password=${auth#*:}
  local hostport=${hostpart%%/*}
  u_database=${hostpart#*/}
  if [ "$u_database" = "$hostpart" ]; then u_database=; fi
  u_host=${hostport%%:*}
  u_port=${hostport#*:}
  if [ "$u_port" = "$hostport" ]; then u_port=; fi
}

cmd_start() {
  command -v odbcinst >/dev/null 2>&1 || die "unixODBC is not installed (apt-get install unixodbc)"
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/retort-odbc.XXXXXX")
  : >"$dir/odbcinst.ini"
  : >"$dir/odbc.ini"
  local exports=()

  if [ -n "${RETORT_TEST_POSTGRESQL_URL:-}" ]; then
    if [ -f "$libdir/psqlodbcw.so" ]; then
      split_url "$RETORT_TEST_POSTGRESQL_URL"
      # The driver name has a space, so URLs and connection strings must quote it.
      cat >>"$dir/odbcinst.ini" <<INI
[Retort PostgreSQL Unicode]
Driver=$libdir/psqlodbcw.so
DontDLClose=1

INI
      cat >>"$dir/odbc.ini" <<INI
[retort_pg]
Driver=Retort PostgreSQL Unicode
Servername=$u_host
Port=${u_port:-5432}
Database=$u_database

INI
      exports+=("export RETORT_TEST_ODBC_POSTGRESQL_URL=postgresql+odbc://$u_user:$u_password@retort_pg")
      exports+=("export RETORT_ODBC_PG_DRIVER='Retort PostgreSQL Unicode'")
    else
      log "psqlODBC not found ($libdir/psqlodbcw.so; apt-get install odbc-postgresql): no PostgreSQL DSN"
    fi
  fi

  if [ -n "${RETORT_TEST_MARIADB_URL:-}" ]; then
    if [ -f "$libdir/libmaodbc.so" ]; then
      split_url "$RETORT_TEST_MARIADB_URL"
      cat >>"$dir/odbcinst.ini" <<INI
[Retort MariaDB Unicode]
Driver=$libdir/libmaodbc.so
DontDLClose=1

INI
      # localhost would mean the Unix socket to Connector/ODBC: always an address.
      if [ "$u_host" = localhost ]; then u_host=127.0.0.1; fi
      cat >>"$dir/odbc.ini" <<INI
[retort_mariadb]
Driver=Retort MariaDB Unicode
Server=$u_host
Port=${u_port:-3306}
Database=$u_database
CharacterSet=utf8mb4

INI
      exports+=("export RETORT_TEST_ODBC_MARIADB_URL=mariadb+odbc://$u_user:$u_password@retort_mariadb")
    else
      log "MariaDB Connector/ODBC not found ($libdir/libmaodbc.so; apt-get install odbc-mariadb): no MariaDB DSN"
    fi
  fi

  if [ -f "$libdir/libsqlite3odbc.so" ]; then
    cat >>"$dir/odbcinst.ini" <<INI
[Retort SQLite3]
Driver=$libdir/libsqlite3odbc.so
DontDLClose=1

INI
    cat >>"$dir/odbc.ini" <<INI
[retort_sqlite]
Driver=Retort SQLite3
Database=$dir/test.sqlite3
Timeout=10000

INI
    exports+=("export RETORT_TEST_ODBC_SQLITE_URL=sqlite+odbc://retort_sqlite")
  else
    log "SQLite ODBC not found ($libdir/libsqlite3odbc.so; apt-get install libsqliteodbc): no SQLite DSN"
  fi

  # A registered driver whose library is missing (tests of the "could not be loaded" error).
  cat >>"$dir/odbcinst.ini" <<INI
[Retort Missing Library]
Driver=$dir/libretort-missing-odbc.so

INI
  cat >>"$dir/odbc.ini" <<INI
[retort_missing_lib]
Driver=Retort Missing Library
Database=nothing

INI

  echo "export ODBCSYSINI=$dir"
  echo "export ODBCINI=$dir/odbc.ini"
  echo "export RETORT_ODBC_STATE_DIR=$dir"
  local line
  for line in "${exports[@]}"; do echo "$line"; done
  log "ready: $(grep '^\[' "$dir/odbc.ini" | grep -vc '^\[retort_missing_lib\]') DSN(s) in $dir/odbc.ini"
}

cmd_stop() {
  local dir=${1:-${RETORT_ODBC_STATE_DIR:-}}
  [ -n "$dir" ] || die "no state directory (set RETORT_ODBC_STATE_DIR or pass it)"
  case "$dir" in
    */retort-odbc.*) ;;
    *) die "refusing to remove $dir: not a directory made by odbc-config.sh" ;;
  esac
  rm -rf "$dir"
  log "removed $dir"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  *)
    echo "usage: $0 start | stop [STATE_DIR]" >&2
    exit 2
    ;;
esac
