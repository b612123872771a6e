#!/usr/bin/env bash
# A throwaway MariaDB server for tests and benchmarks, on 127.0.0.1 and a free port, in a
# fresh temporary directory, run by an unprivileged user.  Same interface as pg-server.sh.
#
#   eval "$(scripts/mariadb-server.sh start)"   # installs MariaDB if missing, starts a server,
#                                               # prints only the export lines below
#   scripts/mariadb-server.sh status            # is the server of RETORT_MARIADB_STATE_DIR up?
#   scripts/mariadb-server.sh restart           # stops it and starts it again: same port, data
#   scripts/mariadb-server.sh stop              # stops it and removes its directory
#
# `start` prints, on stdout and nothing else:
#   export RETORT_TEST_MARIADB_URL=mariadb://test:<password>@127.0.0.1:<port>/testdb
#   export RETORT_MARIADB_STATE_DIR=/tmp/retort-mariadb.XXXXXX
#   export RETORT_TEST_MARIADB_CA=/tmp/retort-mariadb.XXXXXX/my/tls/ca.crt
# The server accepts TLS (and plain) connections with a certificate for 127.0.0.1 signed by a
# throwaway CA whose certificate is RETORT_TEST_MARIADB_CA (ssl_mode=verify_identity works).
# Everything else goes to stderr.  The user `test` (password-authenticated, from 127.0.0.1
# and localhost) owns the databases `testdb` and `test_schema` (a second schema for tests of
# schema-qualified names).
#
# As root, the server runs as the system user `mysql` (created when absent) through runuser;
# as any other user it runs as that user.  `stop` stops only the server recorded in the state
# directory (its PID file), never anything else.
#
# Settings are for speed, not durability (no binary log, InnoDB flushes once a second, no
# doublewrite): the data does not survive a crash of the machine.
set -euo pipefail
SERVER_TAG=mariadb-server
# shellcheck source=lib/server-common.sh
source "$(dirname "$0")/lib/server-common.sh"

# Our own calls must not be steered by the caller's client environment.
unset MYSQL_HOST MYSQL_TCP_PORT MYSQL_UNIX_PORT MYSQL_PWD MARIADB_HOST MARIADB_TCP_PORT \
  MARIADB_UNIX_PORT || true

server_user() {
  if is_root; then echo mysql; else id -un; fi
}

as_server() {
  if is_root; then
    (cd / && runuser -u mysql -- "$@")
  else
    (cd / && "$@")
  fi
}

find_mariadbd() {
  local b
  for b in /usr/sbin/mariadbd /usr/sbin/mysqld; do
    [ -x "$b" ] && { echo "$b"; return 0; }
  done
}

install_packages() {
  local missing=()
  [ -n "$(find_mariadbd)" ] && command -v mariadb-install-db >/dev/null 2>&1 ||
    missing+=(mariadb-server)
  command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
  package_installed libmariadb-dev || missing+=(libmariadb-dev)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_install "${missing[@]}"
  [ -n "$(find_mariadbd)" ] || die "mariadbd not found after installing mariadb-server"
}

ensure_server_user() {
  is_root || return 0
  if ! getent passwd mysql >/dev/null; then
    log "creating system user mysql"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin mysql
  fi
}

# Starts mariadbd on the state directory's datadir and port; waits until it answers.
launch() {
  local dir=$1 port=$2 bin
  bin=$(find_mariadbd)
  rm -f "$dir/my/mysqld.sock" "$dir/my/mysqld.pid"
  if is_root; then
    setsid runuser -u mysql -- "$bin" --no-defaults --datadir="$dir/my/data" \
      --socket="$dir/my/mysqld.sock" --port="$port" --bind-address=127.0.0.1 \
      --pid-file="$dir/my/mysqld.pid" --log-error="$dir/my/error.log" --skip-name-resolve \
      --skip-log-bin --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
      --max-connections=300 --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 \
      --innodb-doublewrite=0 --ssl-ca="$dir/my/tls/ca.crt" --ssl-cert="$dir/my/tls/server.crt" \
      --ssl-key="$dir/my/tls/server.key" </dev/null >>"$dir/my/stdout.log" 2>&1 &
  else
    setsid "$bin" --no-defaults --datadir="$dir/my/data" \
      --socket="$dir/my/mysqld.sock" --port="$port" --bind-address=127.0.0.1 \
      --pid-file="$dir/my/mysqld.pid" --log-error="$dir/my/error.log" --skip-name-resolve \
      --skip-log-bin --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
      --max-connections=300 --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 \
      --innodb-doublewrite=0 --ssl-ca="$dir/my/tls/ca.crt" --ssl-cert="$dir/my/tls/server.crt" \
      --ssl-key="$dir/my/tls/server.key" </dev/null >>"$dir/my/stdout.log" 2>&1 &
  fi
  local launcher=$! i
  for i in $(seq 1 300); do
    if mariadb-admin --no-defaults --protocol=socket -S "$dir/my/mysqld.sock" -uroot ping \
      >/dev/null 2>&1; then
      return 0
    fi
    if ! alive "$launcher" && [ ! -f "$dir/my/mysqld.pid" ]; then break; fi
    sleep 0.1
  done
  tail -n 5 "$dir/my/error.log" >&2 2>/dev/null || true
  return 1
}

root_sql() {
  mariadb --no-defaults --protocol=socket -S "$1/my/mysqld.sock" -uroot -e "$2"
}

cmd_start() {
  install_packages
  ensure_server_user
  local user
  user=$(server_user)
  local dir
  dir=$(mktemp -d /tmp/retort-mariadb.XXXXXX)
  chmod 755 "$dir"
  mkdir "$dir/my"
  if is_root; then chown mysql: "$dir/my"; fi
  echo "retort mariadb-server state directory" >"$dir/retort-mariadb-state"
  make_tls_files "$dir/my/tls" "$(is_root && echo mysql)"

  log "mariadb-install-db in $dir/my/data (as $user)"
  if ! as_server mariadb-install-db --no-defaults --user="$user" --datadir="$dir/my/data" \
    --auth-root-authentication-method=socket --skip-test-db --skip-name-resolve \
    >"$dir/install.log" 2>&1; then
    cat "$dir/install.log" >&2
    rm -rf "$dir"
    die "mariadb-install-db failed"
  fi

  local port="" attempt started=0
  for attempt in 1 2 3 4 5; do
    port=$(pick_port)
    log "starting on 127.0.0.1:$port (attempt $attempt)"
    if launch "$dir" "$port"; then
      started=1
      break
    fi
    log "start on port $port failed"
    local pid
    pid=$(cat "$dir/my/mysqld.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait_gone "$pid" 100 || true
  done
  if [ "$started" -ne 1 ]; then
    rm -rf "$dir"
    die "could not start MariaDB after 5 attempts"
  fi

  local password
  password=$(random_password)
  if ! root_sql "$dir" "
      CREATE DATABASE testdb CHARACTER SET utf8mb4;
      CREATE DATABASE test_schema CHARACTER SET utf8mb4;
      CREATE USER 'test'@'127.0.0.1' IDENTIFIED BY '$password';
      CREATE USER 'test'@'localhost' IDENTIFIED BY '$password';
      GRANT ALL ON testdb.* TO 'test'@'127.0.0.1';
      GRANT ALL ON testdb.* TO 'test'@'localhost';
      GRANT ALL ON test_schema.* TO 'test'@'127.0.0.1';
      GRANT ALL ON test_schema.* TO 'test'@'localhost';
      GRANT PROCESS ON *.* TO 'test'@'127.0.0.1';" >&2; then
    cmd_stop "$dir"
    die "creating user test and database testdb failed"
  fi
  printf 'port=%s\nuser=%s\n' "$port" "$user" >"$dir/retort-mariadb-state"
  log "ready: MariaDB $("$(find_mariadbd)" --version | awk '{print $3}') on 127.0.0.1:$port, state in $dir"

  echo "export RETORT_TEST_MARIADB_URL=mariadb://test:$password@127.0.0.1:$port/testdb"
  echo "export RETORT_MARIADB_STATE_DIR=$dir"
  echo "export RETORT_TEST_MARIADB_CA=$dir/my/tls/ca.crt"
}

state_dir() {
  local dir=${1:-${RETORT_MARIADB_STATE_DIR:-}}
  [ -n "$dir" ] || die "no state directory: set RETORT_MARIADB_STATE_DIR or pass it as an argument"
  [ -f "$dir/retort-mariadb-state" ] || die "$dir is not a mariadb-server.sh state directory"
  echo "$dir"
}

state_value() {
  sed -n "s/^$2=//p" "$1/retort-mariadb-state"
}

server_pid() {
  local f="$1/my/mysqld.pid"
  [ -f "$f" ] && head -n 1 "$f" || true
}

# Stops the server of state directory $1 (SIGTERM is a clean shutdown), keeping its files.
halt() {
  local pid
  pid=$(server_pid "$1")
  if [ -n "$pid" ] && alive "$pid"; then
    log "stopping MariaDB (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" 300; then
      log "mariadbd $pid ignored SIGTERM for 30 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 50 || true
    fi
  fi
}

cmd_stop() {
  local dir
  dir=$(state_dir "${1:-}")
  halt "$dir"
  rm -rf "$dir"
  log "stopped and removed $dir"
}

cmd_restart() {
  local dir
  dir=$(state_dir "${1:-}")
  local port
  port=$(state_value "$dir" port)
  halt "$dir"
  log "starting again on 127.0.0.1:$port"
  launch "$dir" "$port" || die "restart on port $port failed (see $dir/my/error.log)"
  log "restarted"
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
  restart) cmd_restart "${2:-}" ;;
  status) cmd_status "${2:-}" ;;
  *)
    echo "usage: $0 start | stop [STATE_DIR] | restart [STATE_DIR] | status [STATE_DIR]" >&2
    exit 2
    ;;
esac
