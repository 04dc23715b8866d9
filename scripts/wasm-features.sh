#!/usr/bin/env bash
# Proves the shipped wasm runs on older engines: validates every
# dist/**/*.wasm with wasm-tools (the Bytecode Alliance's validator, which
# checks the instructions themselves and ignores the `target_features`
# section) against the MVP plus exactly the two features the release build
# enables, and checks that the pages start it without a top-level await.
# README, "Older engines", says which browser versions that means.
#
# First it checks the checker: tests/wasm-features/allowed.wat, which uses
# both features, must pass, and each module in tests/wasm-features/rejected/
# (one later feature each) must fail.
source "$(dirname "$0")/bootstrap.sh"
ensure_wasm_tools
cd "$REPO_ROOT"

FEATURES=mvp,mutable-global,sign-extension
validate() { wasm-tools validate --features "$FEATURES" "$1"; }

validate tests/wasm-features/allowed.wat
for module in tests/wasm-features/rejected/*.wat; do
  if validate "$module" 2>/dev/null; then
    echo "FAIL: the validator accepted $module, which needs a feature beyond $FEATURES" >&2
    exit 1
  fi
done

shopt -s globstar nullglob
shipped=(dist/**/*.wasm)
[ ${#shipped[@]} -gt 0 ] || { echo "FAIL: no .wasm in dist/: build it first (scripts/build-storefront.sh)" >&2; exit 1; }
for wasm in "${shipped[@]}"; do
  validate "$wasm" || { echo "FAIL: $wasm needs a WebAssembly feature beyond $FEATURES" >&2; exit 1; }
  echo "ok: $wasm uses only $FEATURES"
done

# The loader must not need more than the wasm does: no top-level await in
# the pages' module scripts (Trunk.toml's pattern_script), and no other loader.
for page in dist/index.html dist/order-app/index.html dist/admin/index.html; do
  if grep -q 'await init(' "$page" || ! grep -q 'module_or_path: wasm' "$page"; then
    echo "FAIL: $page does not start the wasm with the shop's loader (Trunk.toml), or does with a top-level await (Chrome 89 / Safari 15)" >&2
    exit 1
  fi
  echo "ok: $page starts the wasm without a top-level await"
done
