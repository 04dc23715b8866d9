#!/usr/bin/env bash
# Builds the release storefront into dist/ (and the admin area into
# dist/admin/) with Trunk, then precompresses it
# (brotli -q 11 and gzip -9) so the server sends the smallest bytes without
# compressing on every request.
source "$(dirname "$0")/bootstrap.sh"
ensure_build_tools
cd "$REPO_ROOT"

# The release wasm is built with nightly's build-std: the standard library
# recompiled for the MVP feature set plus mutable-globals and sign-ext (so it
# loads on Chrome ≥ 74 / Safari ≥ 14.1 and older WeChat engines, where a
# stable build needs Chrome ≥ 96), and with panics aborting at once, which
# drops the panic-formatting code (about 8% of the wasm). Without a nightly
# toolchain (with rust-src and the wasm target) the build stops: a stable
# wasm would quietly shut out those engines. ALLOW_STABLE_WASM=1 builds one
# anyway, for a machine that cannot have nightly. `{:?}` formatting and
# panic locations are compiled out too (-Zfmt-debug=none,
# -Zlocation-detail=none): nobody reads them in a release wasm that aborts.
if ensure_nightly_wasm; then
  export RUSTUP_TOOLCHAIN=nightly CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Ctarget-cpu=mvp -Ctarget-feature=+mutable-globals,+sign-ext -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
  # Trunk runs cargo offline; this first (online) build fetches std's own
  # dependencies, and leaves Trunk's cargo call nothing to do.
  step "Compiling the shop, order pages and admin wasm (nightly, build-std)"
  cargo build --target wasm32-unknown-unknown --profile wasm-release --features csr --bins
elif [ "${ALLOW_STABLE_WASM:-}" = 1 ]; then
  echo "ALLOW_STABLE_WASM=1: building with stable; the wasm then needs Chrome >= 96 / Safari >= 15" >&2
else
  echo "FAIL: the release storefront needs a nightly toolchain with rust-src and the wasm32 target" >&2
  echo "(rustup toolchain install nightly --component rust-src --target wasm32-unknown-unknown)," >&2
  echo "or ALLOW_STABLE_WASM=1 for a stable build that older WeChat engines cannot run." >&2
  exit 1
fi

step "Building the storefront (release wasm, size profile)"
trunk build --release
step "Building the order pages (cart, checkout, orders: their own wasm, under dist/order-app/)"
trunk build order-app/index.html --release --dist dist/order-app --public-url /order-app/
step "Building the admin area (its own wasm, under dist/admin/)"
trunk build admin/index.html --release --dist dist/admin --public-url /admin/

step "Naming the region file by its content (cached for a year, like the wasm)"
orders=dist/order-app
regions_hash="$(sha256sum "$orders/regions.json" | cut -c1-16)"
mv "$orders/regions.json" "$orders/regions-$regions_hash.json"
sed -i "s|/order-app/regions.json|/order-app/regions-$regions_hash.json|" "$orders/index.html"
grep -q "regions-$regions_hash.json" "$orders/index.html" || { echo "FAIL: $orders/index.html does not name the region file" >&2; exit 1; }

step "Naming the order pages' JS and wasm in the shop's page, for its idle prefetch"
prefetch="$(cd "$orders" && ls order-app-*.js order-app-*_bg.wasm | sed 's|^|/order-app/|' | tr '\n' ' ' | sed 's/ $//')"
[ "$(wc -w <<< "$prefetch")" = 2 ] || { echo "FAIL: expected one JS and one wasm in $orders, found: $prefetch" >&2; exit 1; }
# The whole tag, however the minifier wrote the empty one.
sed -i -E "s#<meta [^>]*xq-prefetch[^>]*>#<meta name=\"xq-prefetch\" content=\"$prefetch\">#" dist/index.html
grep -q "$prefetch" dist/index.html || { echo "FAIL: dist/index.html does not name the order pages' files" >&2; exit 1; }

step "Precompressing dist/"
find dist -type f \( -name '*.html' -o -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' -o -name '*.json' -o -name '*.ico' \) |
  while read -r file; do
    brotli -q 11 -f -o "$file.br" "$file"
    gzip -9 -k -f "$file"
  done

step "Keeping this build's hashed files for pages still open from earlier builds"
"$REPO_ROOT/scripts/publish-assets.sh" dist
