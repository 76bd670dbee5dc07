#!/usr/bin/env bash
# Removes everything up.sh created (found by its label), whatever state it is in.
set -euo pipefail
ids="$(docker ps -aq --filter label=faultline.example=redis-same-switch)"
[ -n "$ids" ] && docker rm -f $ids >/dev/null
nets="$(docker network ls -q --filter label=faultline.example=redis-same-switch)"
[ -n "$nets" ] && docker network rm $nets >/dev/null
true
