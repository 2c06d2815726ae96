#!/usr/bin/env bash
# Builds Kiln's image (kiln:dev, or $KILN_IMAGE) from this repository: makes the Debian base first
# when it is missing (docker/base-image.sh). --host-ca: trust the CA certificates this host added
# locally (/usr/local/share/ca-certificates/*.crt), for a TLS-inspecting proxy in the way.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
image=${KILN_IMAGE:-kiln:dev}
if [ "${1:-}" = "--host-ca" ]; then
  for crt in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$crt" ] && cp "$crt" "$repo/docker/ca-certificates/"
  done
fi
"$repo/docker/base-image.sh"
# vfs (docker/engine.sh's default) stores every layer as a full copy: superseded builds fill the
# disk. Below 20 GiB free, drop the dangling ones first (the next build then downloads the
# Maven dependencies again).
root=$(docker info -f '{{.DockerRootDir}}' 2>/dev/null || echo /var/lib/docker)
if [ "$(df -Pk "$root" | awk 'NR == 2 {print $4}')" -lt $((20 * 1024 * 1024)) ]; then
  docker image prune -f >/dev/null
fi
docker build -t "$image" -f "$repo/docker/Dockerfile" "$repo"
