#!/usr/bin/env bash
# Keeps each build's hashed bundle files after the next build replaces dist/.
#
# Trunk empties dist/ on every build, but a phone whose WeChat kept the old
# index.html, or a page opened a minute before the deploy, still asks for the
# old build's wasm and JS. This copies the build's hashed files (never
# index.html) into ASSETS_DIR, which the server serves when dist/ lacks a
# file, and records them in a manifest per build (ASSETS_DIR/builds/). A file
# is deleted once no manifest of the newest ASSETS_KEEP_BUILDS builds lists it.
#
#   usage: scripts/publish-assets.sh [DIST_DIR]    (default: dist)
#   ASSETS_DIR           default data/assets (the server's default too)
#   ASSETS_KEEP_BUILDS   default 5
set -euo pipefail

dist="${1:-dist}"
assets="${ASSETS_DIR:-data/assets}"
keep="${ASSETS_KEEP_BUILDS:-5}"
manifests="$assets/builds"
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "ASSETS_KEEP_BUILDS must be at least 1, not '$keep'" >&2; exit 2; }
mkdir -p "$manifests"

# Trunk's hashed names: name-<hash>[_bg].ext, and their .br/.gz twins. The hash is
# a u64 in hex without leading zeros: 16 digits, fewer in one build of 16.
build_files="$(cd "$dist" && find . -type f -regextype posix-extended \
  -regex '.*-[0-9a-f]{12,16}(_bg)?\.[a-z]+(\.br|\.gz)?' -printf '%P\n' | sort)"
[ -n "$build_files" ] || { echo "no hashed files in $dist: is it a Trunk build?" >&2; exit 1; }

while read -r file; do
  # Same name, same content: a file already kept is never rewritten.
  if [ ! -e "$assets/$file" ]; then
    mkdir -p "$(dirname "$assets/$file")"
    cp "$dist/$file" "$assets/$file.tmp" && mv "$assets/$file.tmp" "$assets/$file"
  fi
done <<<"$build_files"

# One manifest per build, named by time so they sort oldest first; building
# the same tree twice records it once.
newest="$(ls "$manifests" | sort | tail -n 1)"
if [ -z "$newest" ] || [ "$(cat "$manifests/$newest")" != "$build_files" ]; then
  echo "$build_files" >"$manifests/$(date -u +%Y%m%dT%H%M%S.%N).txt"
fi

ls "$manifests" | sort | head -n "-$keep" | while read -r expired; do rm "$manifests/$expired"; done
kept_files="$(cat "$manifests"/*.txt | sort -u)"
(cd "$assets" && find . -path ./builds -prune -o -type f -printf '%P\n' | sort) |
  comm -23 - <(echo "$kept_files") |
  while read -r stale; do rm "$assets/$stale"; done
find "$assets" -mindepth 1 -type d -empty -delete

echo "kept the hashed files of the last $(ls "$manifests" | wc -l) build(s) in $assets"
