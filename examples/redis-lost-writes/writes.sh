#!/bin/sh
# One write, the way a Sentinel-aware client does it: ask any Sentinel that answers where the
# primary is, then SET there. Exit 0 only when the write was accepted. This is the recovery probe:
# it says when *the service* takes writes again, whichever node is primary.
# Arguments: the Sentinel addresses to ask, in order.
for s in "$@"; do
  addr="$(timeout 0.3 redis-cli -h "$s" -p 26379 --raw sentinel get-master-addr-by-name mymaster 2>/dev/null | head -n 1)"
  [ -n "$addr" ] || continue
  out="$(timeout 0.4 redis-cli -h "$addr" -p 6379 --raw set faultline:probe "$$" 2>&1)"
  [ "$out" = OK ] && exit 0
  echo "write to $addr (from sentinel $s) failed: ${out:-timed out}" >&2
  exit 1
done
echo "no Sentinel answered" >&2
exit 1
