# Sourced by the examples' up.sh and down.sh: create and remove their Docker networks.
#
# Docker 20.10 can keep a stale endpoint count for a network whose containers are all gone
# (moby/moby#42119): `docker network rm` then answers "has active endpoints" until dockerd
# restarts, and the next `docker network create` of that name fails. It happened in a CI run here
# after a switch outage. So removal is patient, and an empty network that Docker refuses to remove
# is reused, with a note, rather than failing every later up.sh.

# fl_net_remove NAME: removes the network, or leaves it with a note when Docker keeps it stuck.
fl_net_remove() {
  local net="$1" ep attempt
  # Endpoints Docker still lists (as a container name, or ep-<id> for a container long gone).
  for ep in $(docker network inspect "$net" -f '{{range $k, $v := .Containers}}{{$v.Name}} {{end}}' 2>/dev/null); do
    docker network disconnect -f "$net" "$ep" >/dev/null 2>&1 || true
  done
  # The engine can release a removed container's endpoint a little later: retry for up to 20 s.
  for attempt in $(seq 1 40); do
    docker network rm "$net" >/dev/null 2>&1 && return 0
    docker network inspect "$net" >/dev/null 2>&1 || return 0
    sleep 0.5
  done
  if [ "$(docker network inspect "$net" -f '{{len .Containers}}')" = 0 ]; then
    echo "note: Docker will not remove the empty network $(docker network inspect "$net" -f '{{.Name}}') (a stale endpoint count, moby/moby#42119; restarting dockerd clears it). up.sh reuses it." >&2
    return 0
  fi
  docker network rm "$net" >/dev/null
}

# fl_net_create NAME SUBNET [docker network create options...]: creates the network, or reuses an
# empty one of that name and subnet that Docker would not remove.
fl_net_create() {
  local net="$1" subnet="$2"
  shift 2
  if [ "$(docker network inspect "$net" -f '{{len .Containers}} {{range .IPAM.Config}}{{.Subnet}}{{end}}' 2>/dev/null)" = "0 $subnet" ]; then
    echo "note: reusing the empty network $net that Docker would not remove (moby/moby#42119)" >&2
    return 0
  fi
  docker network create "$@" --subnet "$subnet" "$net" >/dev/null
}

# fl_remove_containers ID...: one at a time. Removing several containers of one network at once is
# where Docker's endpoint count has been seen to go stale.
fl_remove_containers() {
  local id
  for id in "$@"; do docker rm -f "$id" >/dev/null 2>&1 || docker rm -f "$id" >/dev/null; done
}
