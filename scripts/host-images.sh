#!/usr/bin/env bash
# Build an image from binaries already on this host (no registry is needed): `tar | docker import`.
# Cached: an image whose tag is the content hash of its inputs is never rebuilt; REPO:latest points
# at the newest build.
#
#   host-images.sh tools REPO [LABEL=VALUE...]
#       busybox, curl, iptables (+save/restore), tc, ip: everything held Docker faults' holders and
#       helpers need (`faultline images --build-from-host` runs this; so do the test images)
#   host-images.sh base REPO [LABEL=VALUE...]
#       busybox applets, node, redis-server/-cli/-sentinel: the test suite's and examples' services
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
force="${FAULTLINE_REBUILD_IMAGES:-0}"

need() { command -v "$1" >/dev/null 2>&1 || { echo "host-images: $1 not found on this host (apt-get install $2)" >&2; exit 1; }; }

# Resolved path of a command, following symlinks so we copy the real file.
real() { readlink -f "$(command -v "$1")"; }

# Shared libraries a binary loads, as absolute paths (plus the loader itself).
libs_of() { ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}'; }

# Copy a file into the root at the same path, and every symlink leading to it too.
put() {
  local root="$1" src="$2" dst="${3:-$2}"
  mkdir -p "$root$(dirname "$dst")"
  cp -L "$src" "$root$dst"
}

put_libs() {
  local root="$1"; shift
  local f l
  for f in "$@"; do
    for l in $(libs_of "$f"); do
      [ -e "$root$l" ] || put "$root" "$l"
    done
  done
}

base_root() {
  local root="$1"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,data,root,var/run}
  chmod 1777 "$root/tmp"
  put "$root" "$(real busybox)" /bin/busybox
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  cat >"$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
redis:x:999:999:redis:/data:/bin/false
P
  cat >"$root/etc/group" <<'G'
root:x:0:
nogroup:x:65534:
redis:x:999:
G
  echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
  for f in /etc/protocols /etc/services; do [ -e "$f" ] && put "$root" "$f"; done
  true
}

build_base() {
  local root="$1"
  base_root "$root"
  put "$root" "$(real node)" /usr/bin/node
  put "$root" "$(real redis-server)" /usr/bin/redis-server
  put "$root" "$(real redis-cli)" /usr/bin/redis-cli
  # redis-server becomes a Sentinel when started under this name.
  ln -sf redis-server "$root/usr/bin/redis-sentinel"
  put_libs "$root" "$(real node)" "$(real redis-server)" "$(real redis-cli)"
}

build_tools() {
  local root="$1"
  base_root "$root"
  # curl talks to the engine's socket for the holders that end pause, stop, cpu and switch outages.
  put "$root" "$(real curl)" /usr/bin/curl
  local xt; xt="$(real iptables)"
  put "$root" "$xt" /usr/sbin/xtables-nft-multi
  local n
  for n in iptables iptables-save iptables-restore; do ln -sf xtables-nft-multi "$root/usr/sbin/$n"; done
  put "$root" "$(real tc)" /usr/sbin/tc
  # busybox has its own `ip`; the real one understands every qdisc and netns option.
  rm -f "$root/bin/ip" "$root/bin/tc"
  put "$root" "$(real ip)" /usr/sbin/ip
  local xtdir; xtdir="$(dirname "$(readlink -f "$(ldd "$xt" | awk '/libxtables/{print $3}')")")/xtables"
  [ -d "$xtdir" ] && { mkdir -p "$root$xtdir"; cp -L "$xtdir"/*.so "$root$xtdir/"; }
  put_libs "$root" "$xt" "$(real tc)" "$(real ip)" "$(real curl)" "$xtdir"/*.so
  [ -d /usr/lib/tc ] && { mkdir -p "$root/usr/lib/tc"; cp -L /usr/lib/tc/* "$root/usr/lib/tc/" 2>/dev/null || true; }
  true
}

# Content hash of what an image would contain: this script plus path, size and mtime of every
# host file that goes in. Cheap (no 100 MB reads) and changes whenever an input changes.
inputs_hash() {
  local kind="$1"; shift
  {
    sha256sum "$here/host-images.sh"
    echo "$kind"
    local f
    for f in "$@"; do stat -L -c '%n %s %Y' "$f"; done
  } | sha256sum | cut -c1-16
}

build() {
  local repo="$1" fn="$2"; shift 2
  local hash; hash="$(inputs_hash "$fn ${labels[*]}" "$@")"
  local tag="$repo:$hash"
  if [ "$force" != 1 ] && docker image inspect "$tag" >/dev/null 2>&1; then
    docker tag "$tag" "$repo:latest"
    echo "$repo:latest"
    return 0
  fi
  local root; root="$(mktemp -d)"
  trap 'rm -rf "$root"' RETURN
  "$fn" "$root"
  local changes=() l
  for l in "${labels[@]}"; do changes+=(--change "LABEL $l"); done
  tar -C "$root" -c . | docker import \
    "${changes[@]}" \
    --change "LABEL faultline.content-hash=$hash" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /data' \
    --change 'CMD ["/bin/sh"]' \
    - "$tag" >/dev/null
  docker tag "$tag" "$repo:latest"
  # Old builds of the same image are garbage once a new hash exists.
  docker images "$repo" --format '{{.Tag}}' | while read -r t; do
    case "$t" in "$hash"|latest) ;; *) docker rmi "$repo:$t" >/dev/null 2>&1 || true ;; esac
  done
  echo "$repo:latest"
}

kind="${1:-}" repo="${2:-}"
[ -n "$kind" ] && [ -n "$repo" ] || { echo "usage: host-images.sh tools|base REPO [LABEL=VALUE...]" >&2; exit 2; }
shift 2
labels=("faultline.built-from-host=1" "$@")
need busybox busybox-static
case "$kind" in
  tools)
    need curl curl
    need iptables iptables
    need tc iproute2
    need ip iproute2
    build "$repo" build_tools "$(real busybox)" "$(real curl)" "$(real iptables)" "$(real tc)" "$(real ip)"
    ;;
  base)
    need node nodejs
    need redis-server redis-server
    need redis-cli redis-tools
    build "$repo" build_base "$(real busybox)" "$(real node)" "$(real redis-server)" "$(real redis-cli)"
    ;;
  *) echo "host-images: unknown image kind $kind (tools or base)" >&2; exit 2 ;;
esac
