# The local WeChat Pay simulator (crates/wechat-pay-sim), for the scripts
# that run the shop. Sourced after bootstrap.sh.
#   start_wechat_pay_sim DIR [BIND] [PROFILE]
# builds it (the dev profile unless PROFILE is `release`), starts it on BIND
# (default 127.0.0.1:0, a free port) writing its keys and simulator.json into
# DIR, waits until they are there, and stops it when the calling script exits.
# The shop reads DIR with PAYMENT_PROVIDER=simulator WECHAT_SIMULATOR_DIR=DIR.

start_wechat_pay_sim() {
  local dir="$1" bind="${2:-127.0.0.1:0}" profile="${3:-dev}" bin
  if [ "$profile" = release ]; then
    cargo build --release -p wechat-pay-sim
    bin="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/wechat-pay-sim"
  else
    cargo build -p wechat-pay-sim
    bin="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/wechat-pay-sim"
  fi
  rm -f "$dir/simulator.json"
  "$bin" "$bind" "$dir" >"$dir.log" 2>&1 &
  WECHAT_PAY_SIM_PID=$!
  trap 'kill "$WECHAT_PAY_SIM_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 150); do
    [ -s "$dir/simulator.json" ] && break
    kill -0 "$WECHAT_PAY_SIM_PID" 2>/dev/null || { cat "$dir.log" >&2; echo "the WeChat Pay simulator exited" >&2; return 1; }
    sleep 0.2
  done
  [ -s "$dir/simulator.json" ] || { echo "the WeChat Pay simulator did not start within 30 s" >&2; return 1; }
  echo "WeChat Pay simulator: $(cat "$dir.log" | head -1)"
}
