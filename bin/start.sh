# Sourced by bin/faultline (POSIX sh), which it never returns to. `run`, `validate` and `plan` start
# from the start-up snapshot (docs/start-up.md) when it is there, was made by this Node and from this
# build of dist/; anything else, or FAULTLINE_SNAPSHOT=0, or NODE_OPTIONS (a preload may not work in
# a process started from a snapshot), starts the plain way. Same behaviour either way.
root=$(dirname -- "$(dirname -- "$(readlink -f -- "$0")")")
node=$(command -v node) || { echo 'faultline: node is not on PATH' >&2; exit 127; }
case $1 in
run | validate | plan)
  blob=$root/dist/snapshot/faultline.blob
  if [ "${FAULTLINE_SNAPSHOT:-1}" != 0 ] && [ -z "${NODE_OPTIONS:-}" ] && [ -f "$blob" ] &&
    [ "$(cat -- "$blob.stamp" 2>/dev/null)" = "$(readlink -f -- "$node")
$(stat -L -c '%s %Y' -- "$node" "$root/dist/cli/main.js" 2>/dev/null)" ]; then
    exec "$node" --snapshot-blob "$blob" "$@"
  fi
  ;;
esac
exec "$node" "$root/dist/cli/entry.js" "$@"
