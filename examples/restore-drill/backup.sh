#!/usr/bin/env bash
# Takes the drill's backup: pg_dump of the whole database to $DRILL_RUN/backup.sql (written aside
# and renamed, so a failed dump never replaces a good backup).
#   ./backup.sh          a good backup
#   ./backup.sh corrupt  the same dump, then torn in the middle of the table's data, as when a
#                        copy is cut short by a full disk: the restore "succeeds" (psql exits 0)
#                        but the table comes back empty
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/pg-env.sh"
mode="${1:-good}"

tmp="$BACKUP.partial"
"$PG_BIN/pg_dump" -h 127.0.0.1 -p "$DRILL_PORT" -U postgres -d postgres --no-owner -f "$tmp"
if [ "$mode" = corrupt ]; then
  # Keep everything before the middle row of the first table's data, then one byte of that row and
  # no newline: that row has no value column, so the whole COPY is rejected, and whatever follows
  # in the dump (constraints, other tables) is gone.
  torn="$(awk '/^COPY .* FROM stdin;$/ { c = 1; start = NR; next } c && $0 == "\\." { if (NR - start > 1) print start + 1 + int((NR - start - 1) / 2); exit }' "$tmp")"
  if [ -n "$torn" ]; then
    { head -n "$(( torn - 1 ))" "$tmp"; sed -n "${torn}p" "$tmp" | head -c 1; } >"$tmp.torn"
    mv "$tmp.torn" "$tmp"
  fi
fi
mv "$tmp" "$BACKUP"
echo "backup ($mode): $(wc -c <"$BACKUP") bytes in $BACKUP"
