#!/usr/bin/env bash
# Measures the shop's wasm size levers one at a time (README, "Performance"):
# each row builds the storefront bin a different way and weighs the wasm
# after wasm-bindgen (and wasm-opt where named), raw and brotli -q 11. Takes
# ~25 minutes on 2 cores.
source "$(dirname "$0")/bootstrap.sh"
ensure_build_tools
cd "$REPO_ROOT"
out="$REPO_ROOT/target/levers"
mkdir -p "$out"

weigh() { # name wasm [wasm-opt flags]
  local bindgen="$out/$1"
  wasm-bindgen --target web --no-typescript --out-dir "$bindgen" --out-name storefront "$2"
  local wasm="$bindgen/storefront_bg.wasm"
  if [ -n "${3:-}" ]; then
    # shellcheck disable=SC2086 # the flags are words
    wasm-opt $3 "$wasm" -o "$wasm.opt" && mv "$wasm.opt" "$wasm"
  fi
  printf '| %s | %d | %d |\n' "$1" "$(stat -c %s "$wasm")" "$(brotli -q 11 -c "$wasm" | wc -c)" >> "$out/table.md"
}

printf '| build | wasm raw | brotli |\n|---|---|---|\n' > "$out/table.md"
step "1. cargo's default release profile (O3, no LTO, 16 codegen units), no wasm-opt"
cargo build --target wasm32-unknown-unknown --release --features csr --bin storefront
weigh "default release" target/wasm32-unknown-unknown/release/storefront.wasm
step "2. the size profile (opt-level z, LTO, 1 codegen unit, panic=abort), no wasm-opt"
cargo build --target wasm32-unknown-unknown --profile wasm-release --features csr --bin storefront
weigh "size profile" target/wasm32-unknown-unknown/wasm-release/storefront.wasm
step "3. size profile + wasm-opt -Oz (binaryen 132)"
weigh "size profile + wasm-opt -Oz" target/wasm32-unknown-unknown/wasm-release/storefront.wasm -Oz
if ensure_nightly_wasm; then
  step "4. + nightly build-std, MVP target, panic=immediate-abort"
  RUSTUP_TOOLCHAIN=nightly CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Ctarget-cpu=mvp -Ctarget-feature=+mutable-globals,+sign-ext -Zunstable-options -Cpanic=immediate-abort" \
    cargo build --target wasm32-unknown-unknown --profile wasm-release --features csr --bin storefront
  weigh "+ nightly build-std, MVP, immediate-abort" target/wasm32-unknown-unknown/wasm-release/storefront.wasm -Oz
  # Each of the next rows changes one thing against row 4.
  wasm=target/wasm32-unknown-unknown/wasm-release/storefront.wasm
  step "5. row 4, wasm-opt -O4 then -Oz"
  weigh "row 4, wasm-opt -O4 -Oz" "$wasm" "-O4 -Oz"
  step "6. row 4, wasm-opt -Oz --converge"
  weigh "row 4, wasm-opt -Oz --converge" "$wasm" "-Oz --converge"
  step "7. row 4, opt-level s"
  RUSTUP_TOOLCHAIN=nightly CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=s \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Ctarget-cpu=mvp -Ctarget-feature=+mutable-globals,+sign-ext -Zunstable-options -Cpanic=immediate-abort" \
    cargo build --target wasm32-unknown-unknown --profile wasm-release --features csr --bin storefront
  weigh "row 4, opt-level s" "$wasm" -Oz
  step "8. row 4 + -Zfmt-debug=none -Zlocation-detail=none (what scripts/build-storefront.sh ships)"
  RUSTUP_TOOLCHAIN=nightly CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Ctarget-cpu=mvp -Ctarget-feature=+mutable-globals,+sign-ext -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none" \
    cargo build --target wasm32-unknown-unknown --profile wasm-release --features csr --bin storefront
  weigh "row 4 + fmt-debug/location-detail none" "$wasm" -Oz
fi
echo; cat "$out/table.md"
