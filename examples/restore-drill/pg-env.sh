# Sourced by every script of the drill: where things are, and how to run a PostgreSQL program as
# the postgres user (the server refuses to run as root).
#   DRILL_RUN   the run directory: data/, backup.sql, logs, sockets (default /tmp/faultline-restore-drill;
#               it and its parents must be traversable by the postgres user)
#   DRILL_PORT  the server's TCP port on 127.0.0.1 (default 26432)
DRILL_RUN="${DRILL_RUN:-/tmp/faultline-restore-drill}"
DRILL_PORT="${DRILL_PORT:-26432}"
PGDATA="$DRILL_RUN/data"
BACKUP="$DRILL_RUN/backup.sql"

# Debian installs each major version under /usr/lib/postgresql/<version>/bin; take the newest.
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then
  echo "restore-drill: no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 3
fi

# As root, drop to postgres with setpriv, which execs (no extra parent process that would have to
# forward signals); as anyone else, run as yourself. An array, so that `"${AS_PG[@]}" prog &`
# makes $! the program itself.
if [ "$(id -u)" -eq 0 ]; then AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --); else AS_PG=(); fi
as_pg() { "${AS_PG[@]}" "$@"; }

# A directory the postgres user owns (when we are root and can give it away).
pg_dir() {
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$1"; fi
  chmod 700 "$1"
}

# initdb into $1 with what the drill needs: trust on loopback, the server on 127.0.0.1 only, its
# Unix socket in the run directory (not /var/run/postgresql, which may not exist or be someone else's).
init_cluster() {
  local dir="$1"
  pg_dir "$dir"
  as_pg "$PG_BIN/initdb" -D "$dir" -U postgres -A trust --no-sync -E UTF8 --locale=C >"$DRILL_RUN/initdb.log" 2>&1 || {
    cat "$DRILL_RUN/initdb.log" >&2
    return 1
  }
  cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $DRILL_PORT
unix_socket_directories = '$DRILL_RUN'
CONF
}
