#!/usr/bin/env bash
# The test command: every test in the repo, stopping at the first failure.
#   1. native unit and integration tests (shared crate; the order API on real
#      SQLite, then again on a throwaway PostgreSQL cluster)
#   2. the API contract: schemathesis against the running API's OpenAPI
#      document, on SQLite and on PostgreSQL
#   3. storefront components in headless Chromium (wasm-bindgen-test)
#   4. the release storefront build, its wasm checked for older engines, and
#      its size against the budget ceiling
#   5. browser end-to-end tests against the real server (playwright-core)
source "$(dirname "$0")/bootstrap.sh"
source "$(dirname "$0")/postgres.sh"
ensure_build_tools
apt_ensure chromium chromium-driver fonts-noto-cjk
npm_ensure "$REPO_ROOT/tests/e2e" "the end-to-end test tools (playwright-core)"
cd "$REPO_ROOT"

step "1/5 Native tests: shop-core and order-api (SQLite)"
cargo test -p shop-core -p order-api
step "1/5 The order-api tests again, on PostgreSQL"
start_throwaway_postgres
cargo test -p order-api

step "2/5 API contract: schemathesis against /api/openapi.json (SQLite, then PostgreSQL)"
"$REPO_ROOT/scripts/api-contract.sh"
API_CONTRACT_DATABASE_URL="$TEST_POSTGRES_URL" "$REPO_ROOT/scripts/api-contract.sh"

step "3/5 Storefront components in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
WASM_BINDGEN_TEST_WEBDRIVER_JSON="$REPO_ROOT/tests/webdriver.json" \
  cargo test --target wasm32-unknown-unknown -p storefront

step "4/5 Release storefront build, WebAssembly features and size budget"
"$REPO_ROOT/scripts/build-storefront.sh"
"$REPO_ROOT/scripts/wasm-features.sh"
"$REPO_ROOT/scripts/size-budget.sh" --no-build

step "5/5 Browser end-to-end tests at a phone viewport"
cargo build -p order-api
# The server the tests start: the build above, wherever CARGO_TARGET_DIR puts it.
export SHOP_SERVER_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/order-api"
(cd tests/e2e && node --test --test-concurrency=1)
