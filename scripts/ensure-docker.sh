#!/usr/bin/env bash
# Make a Docker engine answer `docker info`, installing and starting one only when needed.
# Idempotent and quiet: on a machine that already runs Docker it does nothing.
set -euo pipefail

log_file="${FAULTLINE_DOCKERD_LOG:-/tmp/faultline-dockerd.log}"
wait_s="${FAULTLINE_DOCKERD_WAIT:-60}"

answers() { docker info >/dev/null 2>&1; }

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

if answers; then exit 0; fi

missing=()
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  sudo_if_needed apt-get update -qq >/dev/null
  sudo_if_needed apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
fi

# An engine may still be starting (another test runner called us a moment ago): give it a chance
# before starting a second one, which would fail on the pid file anyway.
if ! pgrep -x dockerd >/dev/null 2>&1; then
  if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
    echo "ensure-docker: DOCKER_HOST=$DOCKER_HOST does not answer and is not a local socket; not starting dockerd" >&2
    exit 1
  fi
  sudo_if_needed sh -c "nohup dockerd >>'$log_file' 2>&1 </dev/null &"
fi

for _ in $(seq 1 $((wait_s * 10))); do
  if answers; then exit 0; fi
  sleep 0.1
done
echo "ensure-docker: no Docker engine answered within ${wait_s}s; dockerd log: $log_file" >&2
tail -n 20 "$log_file" >&2 2>/dev/null || true
exit 1
