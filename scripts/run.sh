#!/usr/bin/env bash
# The run command: install what is missing, build, and serve the shop with
# seeded data at http://127.0.0.1:8080/ (BIND changes the address), taking
# payments through the local WeChat Pay simulator at http://127.0.0.1:8090/
# (WECHAT_SIM_BIND changes it; PAYMENT_PROVIDER=wechat, with a merchant's
# settings, uses the real WeChat Pay instead).
source "$(dirname "$0")/bootstrap.sh"
source "$(dirname "$0")/wechat-pay-sim.sh"
"$REPO_ROOT/scripts/build-storefront.sh"
cd "$REPO_ROOT"
step "Building the order API (release)"
cargo build --release -p order-api
export PAYMENT_PROVIDER="${PAYMENT_PROVIDER:-simulator}"
if [ "$PAYMENT_PROVIDER" = simulator ]; then
  step "Starting the WeChat Pay simulator (loopback only)"
  export WECHAT_SIMULATOR_DIR="${WECHAT_SIMULATOR_DIR:-$REPO_ROOT/data/wechat-sim}"
  start_wechat_pay_sim "$WECHAT_SIMULATOR_DIR" "${WECHAT_SIM_BIND:-127.0.0.1:8090}" release
fi
step "Starting the shop"
# Not exec: the simulator stops with the shop (the EXIT trap).
target/release/order-api serve
