#!/usr/bin/env bash
# Makes the base image debian:bookworm-slim where it cannot be pulled (air gap, no registry):
# debootstrap --variant=minbase bookworm, imported with `docker import`. Does nothing when the
# image exists. The Debian mirror is the host's own (first deb.debian.org-like URI of its apt
# sources) unless KILN_DEBIAN_MIRROR names one; deb.debian.org otherwise.
set -euo pipefail
image=${KILN_BASE_IMAGE:-debian:bookworm-slim}
if docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || { echo "base-image.sh: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }

mirror=${KILN_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  # deb822 (URIs: ...) and one-line (deb URI suite ...) sources; skip the security archive.
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}' | grep -v security | head -n 1 || true)
  if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' | grep -v security | head -n 1 || true)
  fi
fi
mirror=${mirror:-http://deb.debian.org/debian}

dir=$(mktemp -d /tmp/kiln-bookworm.XXXXXX)
trap 'rm -rf "$dir"' EXIT
echo "base-image.sh: debootstrap bookworm from $mirror" >&2
debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$dir.log" 2>&1 || { tail -n 30 "$dir.log" >&2; exit 1; }
rm -f "$dir.log"
# mktemp made the root 0700: the image's / must be 0755 (unprivileged users, the sandbox's uid).
chmod 0755 "$dir"
# What the slim image drops: apt lists and caches.
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
tar -C "$dir" -c . | docker import -c 'CMD ["bash"]' - "$image" >/dev/null
echo "base-image.sh: imported $image" >&2
