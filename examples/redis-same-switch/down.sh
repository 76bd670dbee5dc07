#!/usr/bin/env bash
# Removes everything up.sh created (found by its label), whatever state it is in.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/docker-networks.sh"
fl_remove_containers $(docker ps -aq --filter label=faultline.example=redis-same-switch)
for net in $(docker network ls -q --filter label=faultline.example=redis-same-switch); do
  # A container removed while it was being disconnected or reconnected (a switch outage under
  # way) can leave a stale endpoint behind; fl_net_remove force-disconnects what is still listed.
  fl_net_remove "$net"
done
true
