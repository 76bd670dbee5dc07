#!/usr/bin/env bash
# Everything the test suite needs that npm cannot install: host binaries the local test images are
# built from, a running Docker engine, and the images themselves. Idempotent; fast when all is there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v tc >/dev/null 2>&1 || missing+=(iproute2)
command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v prometheus-pushgateway >/dev/null 2>&1 || missing+=(prometheus-pushgateway)
# The live console's browser test drives Debian's chromium through puppeteer-core.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >/dev/null
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# redis-server's package starts a system service on port 6379; the tests never use it.
# postgresql's likewise starts a cluster on 5432; workload tests start their own. prometheus,
# prometheus-alertmanager and prometheus-pushgateway likewise (9090, 9093, 9091); the detection and
# telemetry tests start their own on free ports.
if command -v systemctl >/dev/null 2>&1; then systemctl stop redis-server postgresql prometheus prometheus-alertmanager prometheus-pushgateway >/dev/null 2>&1 || true; fi

bash "$here/ensure-docker.sh"
bash "$here/build-test-images.sh"
