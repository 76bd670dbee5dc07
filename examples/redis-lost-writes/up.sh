#!/usr/bin/env bash
# Starts a Redis primary, a replica and three Sentinels in containers, on their own network rlw-net
# (10.214.40.0/24), with asynchronous replication.
#   ./up.sh           the primary acknowledges every write, replicated or not
#   ./up.sh bounded   the primary refuses writes (NOREPLICAS) once no replica has acknowledged for
#                     RLW_MAX_LAG seconds (min-replicas-to-write 1, min-replicas-max-lag RLW_MAX_LAG)
# Uses the locally built image faultline-test/base (busybox + redis), built here if missing.
# Extra labels for every container and the network: RLW_LABELS="key=value other=x".
# Sentinel timings (the defaults are what proved reliable on a loaded 2-core machine):
#   RLW_DOWN_AFTER_MS (1000), RLW_FAILOVER_TIMEOUT_MS (3000), RLW_MAX_LAG (2, seconds; bounded only)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
variant="${1:-unbounded}"
case "$variant" in unbounded|bounded) ;; *) echo "usage: up.sh [bounded]" >&2; exit 2 ;; esac
image="${RLW_IMAGE:-faultline-test/base:latest}"
down_after="${RLW_DOWN_AFTER_MS:-1000}"
failover_timeout="${RLW_FAILOVER_TIMEOUT_MS:-3000}"
max_lag="${RLW_MAX_LAG:-2}"
label_args=(--label faultline.example=redis-lost-writes --label "rlw.variant=$variant")
for l in ${RLW_LABELS:-}; do label_args+=(--label "$l"); done

. "$here/../../scripts/docker-networks.sh"
"$here/down.sh" >/dev/null 2>&1 || true
bash "$here/../../scripts/build-test-images.sh"

N=10.214.40
fl_net_create rlw-net "$N.0/24" "${label_args[@]}"

run() {
  local name="$1" ip="$2" role="$3"; shift 3
  docker run -d --name "$name" --hostname "$name" "${label_args[@]}" --label "role=$role" \
    --network rlw-net --ip "$N.$ip" "$image" "$@" >/dev/null
}

# No 5 s wait before a full resynchronisation (the default diskless delay): the old primary rejoins
# as soon as Sentinel has demoted it.
redis_args=(redis-server --port 6379 --save "" --appendonly no --protected-mode no --repl-diskless-sync-delay 0)
primary_args=()
[ "$variant" = bounded ] && primary_args=(--min-replicas-to-write 1 --min-replicas-max-lag "$max_lag")
run rlw-primary 10 redis "${redis_args[@]}" --replica-announce-ip "$N.10" "${primary_args[@]}"
run rlw-replica 11 redis "${redis_args[@]}" --replicaof "$N.10" 6379 --replica-announce-ip "$N.11"

for s in 1 2 3; do
  run "rlw-sentinel-$s" "2$s" sentinel sh -c "cat > /data/sentinel.conf <<CONF
port 26379
protected-mode no
sentinel announce-ip $N.2$s
sentinel monitor mymaster $N.10 6379 2
sentinel down-after-milliseconds mymaster $down_after
sentinel failover-timeout mymaster $failover_timeout
sentinel parallel-syncs mymaster 1
CONF
exec redis-sentinel /data/sentinel.conf"
done

# Ready when the replica is in sync and every Sentinel knows the replica and both other Sentinels.
sentinel_field() { docker exec "rlw-sentinel-$1" redis-cli -p 26379 sentinel master mymaster 2>/dev/null | awk -v f="$2" 'p{print; exit} $0==f{p=1}'; }
ready() {
  docker exec rlw-replica redis-cli role 2>/dev/null | grep -q '^connected$' || return 1
  local s
  for s in 1 2 3; do
    [ "$(sentinel_field "$s" num-other-sentinels)" = 2 ] && [ "$(sentinel_field "$s" num-slaves)" = 1 ] || return 1
  done
}
for _ in $(seq 1 150); do
  if ready; then
    echo "redis-lost-writes is up ($variant): primary $N.10, replica $N.11, Sentinels $N.21-23"
    exit 0
  fi
  sleep 0.2
done
echo "redis-lost-writes did not become ready; see docker logs rlw-sentinel-1" >&2
exit 1
