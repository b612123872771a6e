# Shared by the throwaway-server scripts (pg-server.sh, mariadb-server.sh).  Sourced, not run.
# The caller defines SERVER_TAG (the prefix of log lines) before sourcing.

log() { echo "${SERVER_TAG:-server}: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as root (directly, or through sudo).
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@" || sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Installs Debian packages, keeping their maintainer scripts from starting a system-wide
# service (a container usually has policy-rc.d already; if we add it, we remove it again).
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "$* missing and apt-get is not available"
  log "installing $*"
  local added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    added_policy=1
  fi
  local rc=0
  {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  } >&2 || rc=$?
  if [ "$added_policy" -eq 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
  [ "$rc" -eq 0 ] || die "apt-get install $* failed"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port that nothing listens on now (the server start retries if it is taken meanwhile).
pick_port() {
  local port i
  for i in $(seq 1 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# True while process $1 exists and is not a zombie.
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null || true)
  [ -n "$stat" ] && [ "${stat#Z}" = "$stat" ]
}

# Waits up to $2 tenths of a second for process $1 to end.
wait_gone() {
  local i
  for i in $(seq 1 "$2"); do
    alive "$1" || return 0
    sleep 0.1
  done
  ! alive "$1"
}

# A random password of 24 hex digits (safe in URLs and SQL literals).
random_password() {
  od -An -N12 -tx1 /dev/urandom | tr -d ' \n'
}

# Writes into DIR a throwaway certificate authority's certificate (ca.crt) and a server
# certificate it signed for 127.0.0.1 and localhost (server.crt, server.key), valid for two
# days, so tests can connect with full verification.  The CA's key is deleted at once:
# nothing else can ever be signed with it.  OWNER, when given, gets the server key (mode 600).
make_tls_files() {
  local dir=$1 owner=${2:-}
  command -v openssl >/dev/null || die "openssl is needed for the test server's TLS certificate"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Retort test CA" \
      -keyout ca.key -out ca.crt
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key \
      -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
      -extfile server.ext -out server.crt
    rm -f ca.key ca.srl server.csr server.ext
    chmod 600 server.key
    chmod 644 ca.crt server.crt
  ) >"$dir/openssl.log" 2>&1 || {
    cat "$dir/openssl.log" >&2
    die "creating the TLS certificate in $dir failed"
  }
  if [ -n "$owner" ]; then chown "$owner": "$dir/server.key"; fi
}
