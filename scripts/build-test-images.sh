#!/usr/bin/env bash
# Build the images faultline's Docker tests and examples run, from binaries already on this host
# (no registry is needed), with host-images.sh (the same builder `faultline images
# --build-from-host` uses). The tests point faultline at them explicitly (vitest.config.ts):
#
#   faultline-test/base      busybox applets, node, redis-server/-cli/-sentinel: the services
#   faultline-test/tools     busybox, curl, iptables, tc, ip: the holder and helper image
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/host-images.sh" base faultline-test/base faultline.test=1 >/dev/null
bash "$here/host-images.sh" tools faultline-test/tools faultline.test=1 >/dev/null
