#!/usr/bin/env bash
# Removes everything up.sh created (found by its label), whatever state it is in.
set -euo pipefail
ids="$(docker ps -aq --filter label=faultline.example=redis-same-switch)"
[ -n "$ids" ] && docker rm -f $ids >/dev/null
for net in $(docker network ls -q --filter label=faultline.example=redis-same-switch); do
  # A container removed while it was being disconnected or reconnected (a switch outage under
  # way) can leave a stale endpoint behind that blocks `network rm`; force-disconnecting the names
  # up.sh uses clears it even though the containers are gone.
  for name in rss-primary rss-replica rss-sentinel-1 rss-sentinel-2 rss-sentinel-3; do
    docker network disconnect -f "$net" "$name" >/dev/null 2>&1 || true
  done
  # The engine releases a removed container's endpoints asynchronously: retry for up to 10s.
  for attempt in $(seq 1 20); do
    docker network rm "$net" >/dev/null 2>&1 && break
    [ "$attempt" = 20 ] && docker network rm "$net" >/dev/null
    sleep 0.5
  done
done
true
