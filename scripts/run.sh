#!/usr/bin/env bash
# The run command: install what is missing, build, and serve the shop with
# seeded data at http://127.0.0.1:8080/ (BIND changes the address).
source "$(dirname "$0")/bootstrap.sh"
"$REPO_ROOT/scripts/build-storefront.sh"
cd "$REPO_ROOT"
step "Building the order API (release)"
cargo build --release -p order-api
step "Starting the shop"
exec target/release/order-api serve
