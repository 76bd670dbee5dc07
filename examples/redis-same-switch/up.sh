#!/usr/bin/env bash
# Starts a Redis primary, a replica and three Sentinels in containers.
#   ./up.sh          all five on one network, rss-a (the "same switch")
#   ./up.sh split    the replica and two Sentinels (a quorum) also on a second network, rss-b
# Uses the locally built image faultline-test/base (busybox + redis), built here if missing.
# Extra labels for every container and network: RSS_LABELS="key=value other=x".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
layout="${1:-single}"
image="${RSS_IMAGE:-faultline-test/base:latest}"
label_args=(--label faultline.example=redis-same-switch)
for l in ${RSS_LABELS:-}; do label_args+=(--label "$l"); done

. "$here/../../scripts/docker-networks.sh"
"$here/down.sh" >/dev/null 2>&1 || true
bash "$here/../../scripts/build-test-images.sh"

A=10.213.10   # rss-a: everyone
B=10.213.20   # rss-b: the replica's and the quorum's second switch (split layout only)
fl_net_create rss-a "$A.0/24" "${label_args[@]}"
[ "$layout" = split ] && fl_net_create rss-b "$B.0/24" "${label_args[@]}"

# Containers known by their rss-b address in the split layout, so that the others (and clients)
# still find them while rss-a is down.
announce() { if [ "$layout" = split ]; then echo "$B.$1"; else echo "$A.$1"; fi; }

run() {
  local name="$1" ip="$2" role="$3" second="$4"; shift 4
  docker run -d --name "$name" --hostname "$name" "${label_args[@]}" --label "role=$role" \
    --network rss-a --ip "$A.$ip" "$image" "$@" >/dev/null
  if [ "$layout" = split ] && [ "$second" = yes ]; then docker network connect --ip "$B.$ip" rss-b "$name"; fi
}

redis_args=(redis-server --port 6379 --save "" --appendonly no --protected-mode no)
run rss-primary 10 redis no "${redis_args[@]}" --replica-announce-ip "$A.10"
run rss-replica 11 redis yes "${redis_args[@]}" --replicaof "$A.10" 6379 --replica-announce-ip "$(announce 11)"

sentinel() {
  local n="$1" ip="$2" announce_ip="$3"
  run "rss-sentinel-$n" "$ip" sentinel "$4" sh -c "cat > /data/sentinel.conf <<CONF
port 26379
protected-mode no
sentinel announce-ip $announce_ip
sentinel monitor mymaster $A.10 6379 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 2000
sentinel parallel-syncs mymaster 1
CONF
exec redis-sentinel /data/sentinel.conf"
}
sentinel 1 21 "$A.21" no
sentinel 2 22 "$(announce 22)" yes
sentinel 3 23 "$(announce 23)" yes

# Ready when the replica is in sync and every Sentinel knows the replica and both other Sentinels.
# (A function, so that a Sentinel not ready yet means "poll again", not "exit 1".)
ready() {
  docker exec rss-replica redis-cli role 2>/dev/null | grep -q '^connected$' || return 1
  local s
  for s in 1 2 3; do
    docker exec "rss-sentinel-$s" redis-cli -p 26379 sentinel master mymaster 2>/dev/null | awk 'p{print; exit} /^num-other-sentinels$/{p=1}' | grep -qx 2 || return 1
  done
}
for _ in $(seq 1 100); do
  if ready; then
    echo "redis-same-switch is up ($layout layout)"
    exit 0
  fi
  sleep 0.2
done
echo "redis-same-switch did not become ready; see docker logs rss-sentinel-1" >&2
exit 1
