#!/usr/bin/env bash
# Builds the release storefront into dist/ (and the admin area into
# dist/admin/) with Trunk, then precompresses it
# (brotli -q 11 and gzip -9) so the server sends the smallest bytes without
# compressing on every request.
source "$(dirname "$0")/bootstrap.sh"
ensure_build_tools
cd "$REPO_ROOT"

step "Building the storefront (release wasm, size profile)"
trunk build --release
step "Building the admin area (its own wasm, under dist/admin/)"
trunk build admin/index.html --release --dist dist/admin --public-url /admin/

step "Precompressing dist/"
find dist -type f \( -name '*.html' -o -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \) |
  while read -r file; do
    brotli -q 11 -f -o "$file.br" "$file"
    gzip -9 -k -f "$file"
  done
