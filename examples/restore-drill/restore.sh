#!/usr/bin/env bash
# The documented restore procedure, run as the drill's revert:
#   1. initdb a new cluster aside ($DRILL_RUN/data.restoring);
#   2. start it with no TCP listener, so that no client writes into a half-restored database;
#   3. psql < backup.sql, the way many runbooks do it: without ON_ERROR_STOP, so psql exits 0 even
#      when statements of the dump fail (their errors are in restore.log);
#   4. stop it and move it into place: the supervised service starts on it, open to clients;
#   5. wait until the server accepts connections on 127.0.0.1:$DRILL_PORT (at most 60s).
# Idempotent: a second run restores again from the same backup.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/pg-env.sh"

if [ ! -r "$BACKUP" ]; then echo "restore-drill: no backup at $BACKUP" >&2; exit 1; fi
staging="$DRILL_RUN/data.restoring"
sockets="$DRILL_RUN/restore-socket"
started=$(date +%s%N)

if [ -r "$staging/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$staging" stop -m immediate >/dev/null 2>&1 || true; fi
rm -rf "$staging"
pg_dir "$sockets"
init_cluster "$staging"
as_pg "$PG_BIN/pg_ctl" -D "$staging" -w -t 60 -l "$DRILL_RUN/restore-server.log" \
  -o "-c listen_addresses='' -c unix_socket_directories='$sockets'" start >/dev/null
"$PG_BIN/psql" -X -h "$sockets" -p "$DRILL_PORT" -U postgres -d postgres -f "$BACKUP" >"$DRILL_RUN/restore.log" 2>&1
as_pg "$PG_BIN/pg_ctl" -D "$staging" -w -t 60 -m fast stop >/dev/null

# A server killed by destroy.sh may still have a backend exiting: it holds no files we need.
rm -rf "$PGDATA"
mv "$staging" "$PGDATA"
for _ in $(seq 1 600); do
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$DRILL_PORT" -U postgres; then
    errors="$(grep -c 'ERROR' "$DRILL_RUN/restore.log" || true)"
    echo "restored from $BACKUP in $(( ($(date +%s%N) - started) / 1000000 )) ms; psql reported $errors error(s) (see $DRILL_RUN/restore.log)"
    exit 0
  fi
  sleep 0.1
done
echo "restore-drill: restored, but the server did not come back on 127.0.0.1:$DRILL_PORT within 60s (is the service supervised with restart: always?)" >&2
exit 1
