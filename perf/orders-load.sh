#!/usr/bin/env bash
# Orders under load: POST /api/orders with wrk for 10 s at 1, 16 and 64
# connections, for each order-api binary given (default: this tree's release
# build), all in one run so the machine is the same for each. Beside each
# row: commits per second, the servers' CPU use, and, once, the disk's fsync
# rate. Each binary gets a fresh SQLite database (commits from its /metrics;
# a binary without the order writer commits once per order).
# With --postgres, the last binary also runs as two replicas behind HAProxy
# on the throwaway PostgreSQL cluster, here with fsync on (its column is
# WAL fsyncs/s, from pg_stat_wal; the CPU is the replicas' and HAProxy's,
# not PostgreSQL's).
#   perf/orders-load.sh [--postgres] [BIN...]
#   e.g. perf/orders-load.sh --postgres /tmp/order-api-before target/release/order-api
source "$(dirname "$0")/../scripts/bootstrap.sh"
source "$REPO_ROOT/scripts/postgres.sh"
apt_ensure wrk bc
cd "$REPO_ROOT"
postgres=""
[ "${1:-}" = --postgres ] && { postgres=1; shift; apt_ensure haproxy; }
if [ $# -eq 0 ]; then
  cargo build --release -p order-api
  set -- target/release/order-api
fi

work=$(mktemp -d)
servers=()
# `|| true`: under `set -e` a stopped server's status would end the cleanup early.
stop_servers() { for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; servers=(); }
cleanup() { stop_servers; [ -z "${PG_TEST_DIR:-}" ] || stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT
metrics_port=18096
ticks=$(getconf CLK_TCK)
export STATIC_DIR="$work/no-static" ADMIN_TOKEN=bench RUST_LOG=error SHUTDOWN_DRAIN_SECS=0 \
  RATE_LIMIT_ORDERS_PER_MINUTE=100000000 RATE_LIMIT_LOOKUPS_PER_MINUTE=100000000

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

cpu_ticks() { local total=0; for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done; echo "$total"; }
sqlite_commits() { # the order writer's commits so far, or nothing
  curl -sf "http://127.0.0.1:$metrics_port/metrics" | awk '$1 == "shop_order_commit_size_count" { print $2 }'
}
postgres_commits() { # WAL fsyncs (a commit's durability; concurrent commits can share one)
  psql -X -qAt "$DATABASE_URL" -c "SELECT wal_sync FROM pg_stat_wal"
}
wait_ready() { until curl -sf "http://$1/readyz" >/dev/null; do sleep 0.2; done; }
start_server() { # BIN PORT [ENV...]: a server on a fresh or given database
  env "${@:3}" BIND="127.0.0.1:$2" "$1" serve >/dev/null &
  servers+=($!)
  wait_ready "127.0.0.1:$2"
}

# measure LABEL URL COMMITS_FUNCTION: three rows against the servers running.
measure() {
  for c in 1 16 64; do
    local threads=$(( c < 2 ? 1 : 2 )) commits_before cpu_before start report seconds cpu_after commits_after
    commits_before=$($3); cpu_before=$(cpu_ticks "${servers[@]}"); start=$(date +%s.%N)
    report=$(wrk -t"$threads" -c"$c" -d10s --latency -s perf/order.lua "$2/api/orders" -- "c$c-$RANDOM")
    seconds=$(echo "$(date +%s.%N) - $start" | bc -l); cpu_after=$(cpu_ticks "${servers[@]}"); commits_after=$($3)
    local rps p50 p99 non2xx per_second cpu
    rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$report")
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$report")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$report")
    non2xx=$(awk '/Non-2xx/ { print " (non-2xx: " $NF ")" }' <<<"$report")
    if [ -n "$commits_after" ]; then
      per_second=$(printf '%.0f' "$(echo "($commits_after - ${commits_before:-0}) / $seconds" | bc -l)")
    else
      per_second="= orders/s"
    fi
    cpu=$(printf '%.0f%%' "$(echo "($cpu_after - $cpu_before) / $ticks / $seconds * 100" | bc -l)")
    echo "| $1 | $c | $rps$non2xx | $p50 | $p99 | $per_second | $cpu |"
  done
}

# Enough honey that every benchmarked order succeeds.
restock() { "$1" reseed >/dev/null; psql_or_sqlite "UPDATE variants SET stock = 100000000 WHERE sku = 'HONEY-WF-500'"; }
psql_or_sqlite() {
  case "$DATABASE_URL" in
    sqlite:*) python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()" "${DATABASE_URL#sqlite://}" "$1" ;;
    *) psql -X -q "$DATABASE_URL" -c "$1" >/dev/null ;;
  esac
}

echo
echo "| binary | connections | orders/s | p50 | p99 | commits/s | servers' CPU |"
echo "|---|---|---|---|---|---|---|"
for bin in "$@"; do
  export DATABASE_URL="sqlite://$work/$(basename "$bin")-$RANDOM.db"
  restock "$bin"
  start_server "$bin" 18097 METRICS_BIND="127.0.0.1:$metrics_port"
  measure "$bin" http://127.0.0.1:18097 sqlite_commits
  stop_servers
done

if [ -n "$postgres" ]; then
  bin="${*: -1}"
  PG_TEST_FSYNC=on start_throwaway_postgres >/dev/null
  trap cleanup EXIT # start_throwaway_postgres set its own
  export DATABASE_URL="$TEST_POSTGRES_URL"
  restock "$bin"
  start_server "$bin" 18097
  start_server "$bin" 18098
  cat > "$work/haproxy.cfg" <<CFG
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend shop
  bind 127.0.0.1:18099
  default_backend replicas
backend replicas
  balance roundrobin
  server a 127.0.0.1:18097
  server b 127.0.0.1:18098
CFG
  haproxy -db -f "$work/haproxy.cfg" &
  servers+=($!)
  wait_ready 127.0.0.1:18099
  measure "$bin, 2 replicas on PostgreSQL (fsync on) behind HAProxy" http://127.0.0.1:18099 postgres_commits
fi
