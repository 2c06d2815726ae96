#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io, docker-compose and debootstrap
# when missing and, when no engine runs, starts dockerd in the background (vfs storage: works in
# any container or VM, needs no overlay support) with its log in $KILN_DOCKERD_LOG.
# Used by .ci/run; safe to run again (does nothing when `docker info` already answers).
set -euo pipefail
log=${KILN_DOCKERD_LOG:-/var/log/kiln-dockerd.log}
driver=${KILN_DOCKER_STORAGE_DRIVER:-vfs}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi
echo "engine.sh: starting dockerd --storage-driver=$driver (log: $log)" >&2
# The daemon outlives this script: it must not inherit descriptors beyond 0-2 (a caller's flock
# lock, say, would otherwise stay held for as long as dockerd runs).
(
  for fd in /proc/$BASHPID/fd/*; do
    n=${fd##*/}
    if [ "$n" -gt 2 ] 2>/dev/null; then eval "exec $n>&-" 2>/dev/null || true; fi
  done
  exec nohup dockerd --storage-driver="$driver" >>"$log" 2>&1 </dev/null
) &
for _ in $(seq 1 120); do
  if docker info >/dev/null 2>&1; then
    echo "engine.sh: dockerd ready (pid $!)" >&2
    exit 0
  fi
  if ! kill -0 $! 2>/dev/null; then
    echo "engine.sh: dockerd exited; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "engine.sh: dockerd did not answer within 60 s; see $log" >&2
exit 1
