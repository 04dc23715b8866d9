#!/usr/bin/env bash
# Orders under load: POST /api/orders with wrk for 10 s at 1, 16 and 64
# connections, for each order-api binary given (default: this tree's release
# build), all in one run so the machine is the same for each. Beside each
# row: commits per second (from the server's /metrics; a binary without the
# order writer commits once per order), the server's CPU use, and, once,
# the disk's fsync rate. Each binary gets a fresh SQLite database.
#   perf/orders-load.sh [BIN...]     e.g. perf/orders-load.sh /tmp/order-api-before target/release/order-api
source "$(dirname "$0")/../scripts/bootstrap.sh"
apt_ensure wrk
cd "$REPO_ROOT"
if [ $# -eq 0 ]; then
  cargo build --release -p order-api
  set -- target/release/order-api
fi

work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
port=18097
metrics_port=18096
ticks=$(getconf CLK_TCK)

# What the disk allows: 4 KB writes, each followed by fdatasync, for 3 s.
fsyncs=$(python3 - "$work/fsync-probe" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
n, start = 0, time.monotonic()
while time.monotonic() - start < 3:
    os.write(fd, b"x" * 4096)
    os.fdatasync(fd)
    n += 1
print(round(n / (time.monotonic() - start)))
PY
)
echo "the disk: $fsyncs fdatasync calls/s (4 KB writes, 3 s)"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
commits() { # the order writer's commits so far, or nothing
  curl -sf "http://127.0.0.1:$metrics_port/metrics" | awk '$1 == "shop_order_commit_size_count" { print $2 }'
}

echo
echo "| binary | connections | orders/s | p50 | p99 | commits/s | server CPU |"
echo "|---|---|---|---|---|---|---|"
for bin in "$@"; do
  db="$work/$(basename "$bin")-$RANDOM.db"
  export DATABASE_URL="sqlite://$db" STATIC_DIR="$work/no-static" BIND="127.0.0.1:$port" ADMIN_TOKEN=bench \
    RUST_LOG=error SHUTDOWN_DRAIN_SECS=0 METRICS_BIND="127.0.0.1:$metrics_port" \
    RATE_LIMIT_ORDERS_PER_MINUTE=100000000 RATE_LIMIT_LOOKUPS_PER_MINUTE=100000000
  "$bin" reseed >/dev/null
  python3 -c "import sqlite3; c = sqlite3.connect('$db'); c.execute(\"UPDATE variants SET stock = 100000000 WHERE sku = 'HONEY-WF-500'\"); c.commit()"
  "$bin" serve >/dev/null &
  server=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
  for c in 1 16 64; do
    threads=$(( c < 2 ? 1 : 2 ))
    commits_before=$(commits); cpu_before=$(cpu_ticks "$server"); start=$(date +%s.%N)
    report=$(wrk -t"$threads" -c"$c" -d10s --latency -s perf/order.lua "http://127.0.0.1:$port/api/orders" -- "c$c")
    seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'); cpu_after=$(cpu_ticks "$server"); commits_after=$(commits)
    rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$report")
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$report")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$report")
    non2xx=$(awk '/Non-2xx/ { print " (non-2xx: " $NF ")" }' <<<"$report")
    if [ -n "$commits_after" ]; then
      per_second=$(awk -v a="${commits_before:-0}" -v b="$commits_after" -v s="$seconds" 'BEGIN { printf "%.0f", (b - a) / s }')
    else
      per_second="= orders/s"
    fi
    cpu=$(awk -v a="$cpu_before" -v b="$cpu_after" -v t="$ticks" -v s="$seconds" 'BEGIN { printf "%.0f%%", (b - a) / t / s * 100 }')
    echo "| $bin | $c | $rps$non2xx | $p50 | $p99 | $per_second | $cpu |"
  done
  kill "$server"; wait "$server" 2>/dev/null; server=""
done
