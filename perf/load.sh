#!/usr/bin/env bash
# Load benchmark of the order API on SQLite (loopback only, bounded: 10 s a
# run, ~2.5 minutes in all), with wrk from Debian: GET /api/products,
# GET /api/products/{slug} and POST /api/orders at 1, 16 and 64 connections,
# beside the same product-list JSON served as a static file by the same
# server (the limit); then a product page rendered by the server (brotli
# quality 4 on the fly, no per-URL cache) beside the same page saved as a
# brotli-11 file, both asked for with `Accept-Encoding: br` (wrk sends none
# by default). Prints a Markdown table for the README.
source "$(dirname "$0")/../scripts/bootstrap.sh"
apt_ensure wrk
cd "$REPO_ROOT"
cargo build --release -p order-api

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/static"
# No drain delay on the stop at the end (nothing balances this one server).
export DATABASE_URL="sqlite://$work/shop.db" STATIC_DIR="$work/static" BIND=127.0.0.1:18099 ADMIN_TOKEN=bench RUST_LOG=error SHUTDOWN_DRAIN_SECS=0
# The benchmark's whole load comes from one loopback address.
export RATE_LIMIT_ORDERS_PER_MINUTE=100000000 RATE_LIMIT_LOOKUPS_PER_MINUTE=100000000
target/release/order-api reseed >/dev/null
# Enough honey that every benchmarked order succeeds.
python3 -c "import sqlite3; c = sqlite3.connect('$work/shop.db'); c.execute(\"UPDATE variants SET stock = 100000000 WHERE sku = 'HONEY-WF-500'\"); c.commit()"
target/release/order-api serve >/dev/null &
server=$!
until curl -sf http://127.0.0.1:18099/healthz >/dev/null; do sleep 0.2; done
curl -sf http://127.0.0.1:18099/api/products > "$work/static/products.json"
# The page template the server renders into; and the rendered product page
# as a precompressed file, the limit for serving it.
cp dist/index.html "$work/static/index.html"
curl -sf http://127.0.0.1:18099/products/jinjing-wildflower-honey > "$work/static/product.html"
brotli -q 11 -k "$work/static/product.html"

echo "| request | connections | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|"
for target in "static file /products.json" "GET /api/products" "GET /api/products/{slug}" "POST /api/orders" \
  "static file product.html (br)" "server-rendered /products/{slug} (br)"; do
  for c in 1 16 64; do
    threads=$(( c < 2 ? 1 : 2 ))
    case "$target" in
      "static file product.html (br)") args=(-H "Accept-Encoding: br" http://127.0.0.1:18099/product.html) ;;
      server-rendered*) args=(-H "Accept-Encoding: br" http://127.0.0.1:18099/products/jinjing-wildflower-honey) ;;
      static*) args=(http://127.0.0.1:18099/products.json) ;;
      "GET /api/products") args=(http://127.0.0.1:18099/api/products) ;;
      GET*) args=(http://127.0.0.1:18099/api/products/jinjing-wildflower-honey) ;;
      POST*) args=(-s perf/order.lua http://127.0.0.1:18099/api/orders -- "c$c") ;;
    esac
    report=$(wrk -t"$threads" -c"$c" -d10s --latency "${args[@]}")
    rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$report")
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$report")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$report")
    non2xx=$(awk '/Non-2xx/ { print " (non-2xx: " $NF ")" }' <<<"$report")
    echo "| $target | $c | $rps$non2xx | $p50 | $p99 |"
  done
done
