#!/usr/bin/env bash
# The fault drill (README, "Operating the shop"): HAProxy in front of two
# order-api replicas on one PostgreSQL, the WeChat Pay simulator behind
# them, mixed traffic for DRILL_SECS (default 180), and during it: SIGKILL
# of one replica and its restart, a rolling restart (SIGTERM) of the other,
# a PostgreSQL restart (pg_ctl restart -m fast) and a 5-second pause of the
# database (SIGSTOP/SIGCONT to the postmaster and every backend). At the
# end it checks, from the database and the clients' records, that nothing
# was lost or doubled, and prints each fault's in-flight requests, error
# rate and longest outage. Loopback only; a few minutes; not in the test
# command. The storefront pages are browsed when dist/ is built.
source "$(dirname "$0")/../scripts/bootstrap.sh"
source "$REPO_ROOT/scripts/postgres.sh"
source "$REPO_ROOT/scripts/wechat-pay-sim.sh"
apt_ensure haproxy
apt_ensure nodejs
cd "$REPO_ROOT"
cargo build --release -p order-api

work="$(mktemp -d /tmp/xq-shop-drill.XXXXXX)"
start_throwaway_postgres
start_wechat_pay_sim "$work/wechat-sim" 127.0.0.1:0 release
# The traps of both helpers, and the work directory.
trap 'kill "$WECHAT_PAY_SIM_PID" 2>/dev/null || true; stop_throwaway_postgres; rm -rf "$work"' EXIT

DRILL_PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)" \
DRILL_PG_DATA="$PG_TEST_DIR/data" \
DRILL_DATABASE_URL="$TEST_POSTGRES_URL" \
DRILL_WORK="$work" \
DRILL_SERVER_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/order-api" \
DRILL_SIM_DIR="$work/wechat-sim" \
  node perf/fault-drill.mjs
