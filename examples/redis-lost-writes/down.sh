#!/usr/bin/env bash
# Removes everything up.sh created (found by its label), whatever state it is in.
set -euo pipefail
ids="$(docker ps -aq --filter label=faultline.example=redis-lost-writes)"
[ -n "$ids" ] && docker rm -f $ids >/dev/null
for net in $(docker network ls -q --filter label=faultline.example=redis-lost-writes); do
  docker network rm "$net" >/dev/null
done
true
