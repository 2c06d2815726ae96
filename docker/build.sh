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
docker build -t "$image" -f "$repo/docker/Dockerfile" "$repo"
