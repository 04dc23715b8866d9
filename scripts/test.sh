#!/usr/bin/env bash
# The test command: every test in the repo, stopping at the first failure.
#   scripts/test.sh                  all five steps, in order
#   scripts/test.sh wasm e2e         only the steps named
# The steps:
#   native    formatting, clippy and module cycles of the native crates; the
#             shared crate's, the WeChat Pay simulator's and the order API's
#             tests on real SQLite, then the API's again on a throwaway
#             PostgreSQL cluster
#   contract  schemathesis against the running API's OpenAPI document, on
#             SQLite and on PostgreSQL
#   wasm      clippy for the storefront's wasm, and its components in
#             headless Chromium (wasm-bindgen-test)
#   build     the release storefront, its wasm checked for older engines, and
#             its size against the budget ceiling
#   e2e       browser end-to-end tests against the real server (playwright-core)
# It ends with each step's time and counts. Screenshots go to
# target/e2e-screenshots/ (scripts/refresh-screenshots.sh updates the
# committed ones), so a run leaves the work tree as it found it.
source "$(dirname "$0")/bootstrap.sh"
source "$(dirname "$0")/postgres.sh"
cd "$REPO_ROOT"

ALL_STEPS=(native contract wasm build e2e)
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=("${ALL_STEPS[@]}")
for s in "${steps[@]}"; do
  [[ " ${ALL_STEPS[*]} " == *" $s "* ]] || { echo "unknown step '$s'; the steps are: ${ALL_STEPS[*]}" >&2; exit 2; }
done

LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT
SUMMARY=()
# Runs step $1 (the function step_$1) in a subshell that stops at its first
# failing command, its output shown and kept for the counts.
run_step() {
  local name="$1" started=$SECONDS status counts
  step "$name"
  set +e
  (set -e; "step_$name") 2>&1 | tee "$LOGS/$name.log"
  status=${PIPESTATUS[0]}
  set -e
  counts="$("count_$name" "$LOGS/$name.log")"
  SUMMARY+=("$(printf '%-9s %4ds  %s' "$name" $((SECONDS - started)) "$counts")")
  if [ "$status" -ne 0 ]; then
    print_summary
    echo "FAILED in step '$name'" >&2
    exit "$status"
  fi
}
print_summary() {
  printf '\n\033[1m%-9s %5s  %s\033[0m\n' "step" "time" "counts"
  printf '%s\n' "${SUMMARY[@]}"
}
# Tests passed and failed, summed over every `cargo test` result line.
cargo_counts() {
  awk '/^test result:/ { pass += $4; fail += $6 } END { printf "%d tests passed, %d failed", pass, fail }' "$1"
}

step_native() {
  ensure_build_tools
  cargo fmt --all --check
  cargo clippy -p shop-core -p order-api -p wechat-pay-sim --all-targets -- -D warnings
  # The storefront as the server renders it (its wasm side is linted in step_wasm).
  cargo clippy -p storefront --features ssr --lib -- -D warnings
  python3 scripts/module-cycles.py
  echo "== shop-core, the WeChat Pay simulator, and order-api on SQLite"
  cargo test -p shop-core -p wechat-pay-sim -p order-api
  start_throwaway_postgres
  echo "== order-api on PostgreSQL"
  cargo test -p order-api
}
count_native() { cargo_counts "$1"; }

step_contract() {
  echo "== on SQLite"
  scripts/api-contract.sh
  start_throwaway_postgres
  echo "== on PostgreSQL"
  API_CONTRACT_DATABASE_URL="$TEST_POSTGRES_URL" scripts/api-contract.sh
}
# The requests and 2xx answers of each run (SQLite, then PostgreSQL).
count_contract() {
  awk '/ in all$/ { runs = runs sep $1 " requests (" $2 " 2xx)"; sep = "; " } END { print runs }' "$1"
}

step_wasm() {
  ensure_build_tools
  apt_ensure chromium chromium-driver fonts-noto-cjk
  cargo clippy --target wasm32-unknown-unknown -p storefront --features csr --all-targets -- -D warnings
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$REPO_ROOT/tests/webdriver.json" \
    cargo test --target wasm32-unknown-unknown -p storefront --features csr
}
count_wasm() { cargo_counts "$1"; }

step_build() {
  scripts/build-storefront.sh
  scripts/wasm-features.sh
  scripts/size-budget.sh --no-build
}
count_build() {
  awk '/^brotli total/ { n++; printf "%s%s %s KB brotli (ceiling %s)", (n > 1 ? "; " : ""), (n == 1 ? "shop" : "order pages"), $3, $6 }' "$1"
}

step_e2e() {
  ensure_build_tools
  apt_ensure chromium chromium-driver fonts-noto-cjk
  npm_ensure "$REPO_ROOT/tests/e2e" "the end-to-end test tools (playwright-core)"
  [ -f dist/index.html ] || scripts/build-storefront.sh
  cargo build -p order-api -p wechat-pay-sim
  # The server and simulator the tests start: the build above, wherever CARGO_TARGET_DIR puts it.
  export SHOP_SERVER_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/order-api"
  export WECHAT_PAY_SIM_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/wechat-pay-sim"
  (cd tests/e2e && node --test --test-concurrency=1)
}
count_e2e() {
  awk '/^# (pass|fail) / { n[$2] = $3 } END { printf "%d tests passed, %d failed", n["pass"], n["fail"] }' "$1"
}

for s in "${steps[@]}"; do
  run_step "$s"
done
print_summary
