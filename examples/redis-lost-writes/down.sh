#!/usr/bin/env bash
# Removes everything up.sh created (found by its label), whatever state it is in.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/docker-networks.sh"
fl_remove_containers $(docker ps -aq --filter label=faultline.example=redis-lost-writes)
for net in $(docker network ls -q --filter label=faultline.example=redis-lost-writes); do
  fl_net_remove "$net"
done
true
