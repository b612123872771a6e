#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks, on 127.0.0.1 and a free port, in a
# fresh temporary directory, run by an unprivileged user.
#
#   eval "$(scripts/pg-server.sh start)"   # installs PostgreSQL if missing, starts a cluster,
#                                          # prints only the export lines below
#   scripts/pg-server.sh status            # is the cluster of RETORT_PG_STATE_DIR running?
#   scripts/pg-server.sh restart           # restarts it: same port, same data, same password
#                                          # (clients see their sessions end; for failure tests)
#   scripts/pg-server.sh stop              # stops it and removes its directory
#
# `start` prints, on stdout and nothing else:
#   export RETORT_TEST_POSTGRESQL_URL=postgresql://test:<password>@127.0.0.1:<port>/testdb
#   export RETORT_PG_STATE_DIR=/tmp/retort-pg.XXXXXX
#   export RETORT_TEST_POSTGRESQL_CA=/tmp/retort-pg.XXXXXX/pg/tls/ca.crt
# The server accepts TLS (and plain) connections with a certificate for 127.0.0.1 signed by a
# throwaway CA whose certificate is RETORT_TEST_POSTGRESQL_CA (sslmode=verify-full works).
# Everything else (progress, pg_ctl chatter, errors) goes to stderr.
#
# As root, the server runs as the system user `postgres` (created when absent) through
# runuser, since PostgreSQL refuses to run as root.  As any other user it runs as that user;
# sudo is needed only to install missing Debian packages.  `stop` stops only the server
# recorded in the state directory (its postmaster PID), never anything else.
#
# Settings are for speed, not durability: fsync, synchronous_commit and full_page_writes are
# off, so the data does not survive a crash of the machine.  Nothing matters after `stop`.
set -euo pipefail
SERVER_TAG=pg-server
# shellcheck source=lib/server-common.sh
source "$(dirname "$0")/lib/server-common.sh"

# Our own calls must not be steered by the caller's libpq environment.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGDATABASE PGDATA PGOPTIONS PGSERVICE \
  PGSERVICEFILE PGSSLMODE PGPASSFILE PGAPPNAME PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS || true

# The user the server runs as.
server_user() {
  if is_root; then echo postgres; else id -un; fi
}

# Runs a command as the server user, from a directory it can read.
as_server() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# The newest PostgreSQL server bin directory, or nothing.
find_pgbin() {
  local best=""
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] || continue
    if [ -z "$best" ] || [ "$(basename "$(dirname "$d")")" -gt "$(basename "$(dirname "$best")")" ] 2>/dev/null; then
      best=$d
    fi
  done
  echo "$best"
}

# Installs the server (Debian's `postgresql`) and libpq-dev when missing.  Idempotent.
install_packages() {
  local missing=()
  [ -n "$(find_pgbin)" ] || missing+=(postgresql)
  package_installed libpq-dev || missing+=(libpq-dev)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_install "${missing[@]}"
  [ -n "$(find_pgbin)" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql after install"
}

ensure_server_user() {
  is_root || return 0
  if ! getent passwd postgres >/dev/null; then
    log "creating system user postgres"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
}

cmd_start() {
  install_packages
  ensure_server_user
  local pgbin
  pgbin=$(find_pgbin)
  local user
  user=$(server_user)

  local dir
  dir=$(mktemp -d /tmp/retort-pg.XXXXXX)
  chmod 755 "$dir"  # the server user must be able to traverse it
  mkdir "$dir/pg"
  if is_root; then chown postgres: "$dir/pg"; fi
  echo "retort pg-server state directory" >"$dir/retort-pg-state"
  make_tls_files "$dir/pg/tls" "$(is_root && echo postgres)"

  log "initdb in $dir/pg/data ($pgbin, as $user)"
  if ! as_server "$pgbin/initdb" -D "$dir/pg/data" -U postgres -E UTF8 --locale=C -N \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed"
  fi

  local port="" attempt started=0
  for attempt in 1 2 3 4 5; do
    port=$(pick_port)
    log "starting on 127.0.0.1:$port (attempt $attempt)"
    if as_server "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c ssl=on -c ssl_cert_file=$dir/pg/tls/server.crt -c ssl_key_file=$dir/pg/tls/server.key" \
      start >&2; then
      started=1
      break
    fi
    log "start on port $port failed; server log:"
    tail -n 5 "$dir/pg/server.log" >&2 || true
  done
  if [ "$started" -ne 1 ]; then
    rm -rf "$dir"
    die "could not start PostgreSQL after 5 attempts"
  fi

  local password
  password=$(random_password)
  if ! as_server "$pgbin/psql" -X -q -h "$dir/pg" -p "$port" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE test LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE testdb OWNER test" >&2; then
    as_server "$pgbin/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
    die "creating role test and database testdb failed"
  fi
  printf 'pgbin=%s\nport=%s\nuser=%s\n' "$pgbin" "$port" "$user" >"$dir/retort-pg-state"
  log "ready: PostgreSQL $("$pgbin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port, state in $dir"

  echo "export RETORT_TEST_POSTGRESQL_URL=postgresql://test:$password@127.0.0.1:$port/testdb"
  echo "export RETORT_PG_STATE_DIR=$dir"
  echo "export RETORT_TEST_POSTGRESQL_CA=$dir/pg/tls/ca.crt"
}

# The state directory: the argument, else RETORT_PG_STATE_DIR.  Refuses anything that is not
# one of ours.
state_dir() {
  local dir=${1:-${RETORT_PG_STATE_DIR:-}}
  [ -n "$dir" ] || die "no state directory: set RETORT_PG_STATE_DIR or pass it as an argument"
  [ -f "$dir/retort-pg-state" ] || die "$dir is not a pg-server.sh state directory"
  echo "$dir"
}

state_value() {
  sed -n "s/^$2=//p" "$1/retort-pg-state"
}

# The postmaster PID recorded by the server, or nothing.
server_pid() {
  local f="$1/pg/data/postmaster.pid"
  [ -f "$f" ] && head -n 1 "$f" || true
}

cmd_stop() {
  local dir
  dir=$(state_dir "${1:-}")
  local pgbin
  pgbin=$(state_value "$dir" pgbin)
  local pid
  pid=$(server_pid "$dir")
  if [ -n "$pid" ] && alive "$pid"; then
    log "stopping PostgreSQL (pid $pid)"
    if [ -n "$pgbin" ] && [ -x "$pgbin/pg_ctl" ]; then
      as_server "$pgbin/pg_ctl" -D "$dir/pg/data" -m fast -w -t 30 stop >&2 || true
    fi
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      local i
      for i in $(seq 1 100); do
        alive "$pid" || break
        sleep 0.1
      done
    fi
    if alive "$pid"; then
      log "postmaster $pid ignored SIGTERM; sending SIGQUIT"
      kill -QUIT "$pid" 2>/dev/null || true
      sleep 1
    fi
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
}

# Stops the server (fast shutdown: sessions are terminated) and starts it again with the
# options of the previous run (pg_ctl keeps them in postmaster.opts): same port, same data.
cmd_restart() {
  local dir
  dir=$(state_dir "${1:-}")
  local pgbin
  pgbin=$(state_value "$dir" pgbin)
  local pid
  pid=$(server_pid "$dir")
  [ -n "$pid" ] && alive "$pid" || die "the server of $dir is not running"
  log "restarting PostgreSQL (pid $pid) on port $(state_value "$dir" port)"
  as_server "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -m fast -w -t 60 restart >&2 ||
    die "pg_ctl restart failed; see $dir/pg/server.log"
  log "restarted: pid $(server_pid "$dir")"
}

cmd_status() {
  local dir
  dir=$(state_dir "${1:-}")
  local pid
  pid=$(server_pid "$dir")
  if [ -n "$pid" ] && alive "$pid"; then
    echo "running: pid $pid, port $(state_value "$dir" port), state $dir"
  else
    echo "not running (state $dir)"
    return 1
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  status) cmd_status "${2:-}" ;;
  restart) cmd_restart "${2:-}" ;;
  *)
    echo "usage: $0 start | stop [STATE_DIR] | status [STATE_DIR] | restart [STATE_DIR]" >&2
    exit 2
    ;;
esac
