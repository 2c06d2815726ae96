#!/usr/bin/env bash
# bench/fetch-source.sh PACKAGE DEST - download a Debian source package and unpack its pristine
# upstream sources (Debian's patches are not applied) into DEST/PACKAGE-VERSION, with the link
# DEST/PACKAGE pointing at it; prints DEST/PACKAGE. Nothing is fetched when DEST/PACKAGE exists.
#
# Sources come through this machine's own apt configuration: every `deb` entry of
# /etc/apt/sources.list and /etc/apt/sources.list.d/*.{list,sources} is repeated as `deb-src` in a
# private apt state under $KILN_APT_DIR (default ${TMPDIR:-/tmp}/kiln-apt-src), so the same mirror,
# proxy and keyrings are used and the system's apt lists are left alone. Needs apt and dpkg-dev.
set -euo pipefail
pkg=${1:?usage: bench/fetch-source.sh PACKAGE DEST}
dest=${2:?usage: bench/fetch-source.sh PACKAGE DEST}
state=${KILN_APT_DIR:-${TMPDIR:-/tmp}/kiln-apt-src}

if [ -e "$dest/$pkg" ]; then echo "$dest/$pkg"; exit 0; fi
command -v dpkg-source >/dev/null || { echo "fetch-source.sh: dpkg-source is missing (apt-get install dpkg-dev)" >&2; exit 2; }

mkdir -p "$state/parts" "$state/lists/partial" "$state/cache/partial" "$dest"
# deb-src twins of the machine's deb entries: one-line format and deb822 stanzas.
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] && sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f"
done > "$state/parts/kiln-src.list"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  awk '/^Types:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) $0 = "Types: deb-src"; else $0 = "Types: none" } { print }' "$f"
  echo
done > "$state/parts/kiln-src.sources"
# Stanzas that were not `deb` are dropped whole (apt refuses an unknown type).
awk 'BEGIN { RS = ""; ORS = "\n\n" } !/Types: none/' "$state/parts/kiln-src.sources" > "$state/parts/kiln-src.sources.tmp"
mv "$state/parts/kiln-src.sources.tmp" "$state/parts/kiln-src.sources"

apt=(apt-get -q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$state/parts"
     -o Dir::State::Lists="$state/lists" -o Dir::Cache::Archives="$state/cache" -o APT::Sandbox::User=root)
# The source index is refreshed at most once a day; a repository without sources only warns.
if [ -z "$(find "$state/lists" -maxdepth 1 -name '*Sources*' -mtime -1 -print -quit)" ]; then
  "${apt[@]}" update >&2 || echo "fetch-source.sh: apt-get update reported errors; trying anyway" >&2
fi

dl="$dest/.download-$pkg"
rm -rf "$dl"; mkdir -p "$dl"
(cd "$dl" && "${apt[@]}" source --download-only "$pkg" >&2)
dsc=$(ls "$dl"/*.dsc | head -1)
version=$(sed -n 's/^Version: //p' "$dsc" | head -1)
upstream=${version#*:}; upstream=${upstream%-*}
tree="$dest/$pkg-$upstream"
rm -rf "$tree.partial"
dpkg-source --no-check --skip-patches -x "$dsc" "$tree.partial" >&2
rm -rf "$tree"; mv "$tree.partial" "$tree"
ln -sfn "$(basename "$tree")" "$dest/$pkg"
rm -rf "$dl" "$dest/${pkg}_"*.orig.tar.*
echo "$dest/$pkg"
