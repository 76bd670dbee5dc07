# Sourced by bin/faultline (POSIX sh), with $self its resolved path; never returns to it. `run`,
# `validate` and `plan` start from the start-up snapshot (docs/start-up.md) when it is there, was made
# by this Node and from this build of dist/; anything else, or FAULTLINE_SNAPSHOT=0, or NODE_OPTIONS
# (a preload may not work in a process started from a snapshot), starts the plain way. Same
# behaviour either way. Every fork here costs about a millisecond of every command: builtins first.
root=${self%/*}
root=${root%/*}
node=$(command -v node) || { echo 'faultline: node is not on PATH' >&2; exit 127; }
case $# in 1) case $1 in --version | -V)
  # The manifest's version, as dist/cli/version.ts reads it, without starting Node for it.
  while IFS= read -r line; do
    case $line in *'"version":'*)
      line=${line#*\"version\": \"}
      printf '%s\n' "${line%%\"*}"
      exit 0
      ;;
    esac
  done <"$root/package.json"
  ;;
esac ;; esac
case $1 in
run | validate | plan)
  snap=$root/dist/snapshot
  if [ "${FAULTLINE_SNAPSHOT:-1}" != 0 ] && [ -z "${NODE_OPTIONS:-}" ]; then
    if [ -f "$snap/faultline.blob" ] && { IFS= read -r made_by && IFS= read -r node_file && IFS= read -r main_file; } <"$snap/faultline.blob.stamp" 2>/dev/null &&
      [ "$made_by" = "$(readlink -f -- "$node")" ] &&
      [ "$node_file
$main_file" = "$(stat -L -c '%s %Y' -- "$node" "$root/dist/cli/main.js" 2>/dev/null)" ]; then
      exec "$node" --snapshot-blob "$snap/faultline.blob" "$@"
    fi
    # None for this Node yet (npm runs no install script of a dependency unless allowed, and a Node
    # upgrade outdates it): made once, in the background, for the next start, where it can be written.
    if [ -f "$snap/faultline.cjs" ] && [ -w "$snap" ]; then
      nohup "$node" "$root/scripts/snapshot-blob.mjs" >/dev/null 2>&1 &
    fi
  fi
  ;;
esac
exec "$node" "$root/dist/cli/entry.js" "$@"
