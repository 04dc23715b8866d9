#!/usr/bin/env bash
# The API contract check: starts the order API on a free loopback port with a
# throwaway SQLite database, validates the OpenAPI document it serves
# (/api/openapi.json) against the OpenAPI 3.1 schema, points schemathesis at
# it, and fails on an invalid document, any 5xx, any answer that breaks the
# document (status, content type, headers, body schema), any request the
# document forbids that the API accepts, and on fewer than 1,000 requests or
# an operation left untested. Part of scripts/test.sh; run alone with
#   scripts/api-contract.sh [more schemathesis options, e.g. --seed 7 --max-examples 200]
# API_CONTRACT_DATABASE_URL runs it against another database than a
# throwaway SQLite file (an empty PostgreSQL database, say).
source "$(dirname "$0")/bootstrap.sh"
source "$(dirname "$0")/wechat-pay-sim.sh"
ensure_schemathesis
apt_ensure curl
cd "$REPO_ROOT"

cargo build -p order-api
server_bin="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/order-api"
work="$(mktemp -d)"
admin_token="contract-check-admin-token"
server_pid=""
stop_server() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "${WECHAT_PAY_SIM_PID:-}" ] && kill "$WECHAT_PAY_SIM_PID" 2>/dev/null
  rm -rf "$work"
}
# The payment endpoints answer through the WeChat Pay simulator.
start_wechat_pay_sim "$work/wechat-sim"
trap stop_server EXIT

# Schemathesis sends thousands of requests from one address, many with wrong
# or no tokens on purpose: the per-address limits would soon answer 429.
BIND=127.0.0.1:0 \
ADDR_FILE="$work/addr" \
PAYMENT_PROVIDER=simulator \
WECHAT_SIMULATOR_DIR="$work/wechat-sim" \
DATABASE_URL="${API_CONTRACT_DATABASE_URL:-sqlite://$work/shop.db}" \
STATIC_DIR="$work/no-storefront" \
ADMIN_TOKEN="$admin_token" \
ADMIN_TOKEN_FILE="$work/admin-token" \
ADMIN_AUTH_MAX_FAILURES=1000000 \
RATE_LIMIT_ORDERS_PER_MINUTE=1000000 \
RATE_LIMIT_LOOKUPS_PER_MINUTE=1000000 \
SHUTDOWN_DRAIN_SECS=0 \
RUST_LOG=error \
  "$server_bin" serve >"$work/server.out" &
server_pid=$!
url=""
for _ in $(seq 100); do
  [ -s "$work/addr" ] && url="http://$(cat "$work/addr")" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.out"; echo "the server exited" >&2; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { echo "the server did not start within 20 s" >&2; exit 1; }

step "The document at $url/api/openapi.json against the OpenAPI 3.1 schema"
curl -sf "$url/api/openapi.json" >"$work/openapi.json"
"$SCHEMATHESIS_VENV/bin/openapi-spec-validator" "$work/openapi.json"

step "schemathesis against $url/api/openapi.json"
# Every check but positive_data_acceptance: the document cannot say that a SKU
# must exist or a phone must be a mainland mobile number, so requests that fit
# the schema may still rightly be refused (409, 422).
# A fixed seed and no example database make each run the same requests.
schemathesis_status=0
(cd "$work" && "$SCHEMATHESIS_VENV/bin/schemathesis" run "$url/api/openapi.json" \
  --checks all --exclude-checks positive_data_acceptance \
  --header "Authorization: Bearer $admin_token" \
  --max-examples 50 --seed 1 --generation-database none \
  --report har --report-har-path "$work/requests.har" \
  "$@") || schemathesis_status=$?

# How many requests reached each documented operation, and how many of them
# got past validation to a 2xx (shown even after a failure).
"$SCHEMATHESIS_VENV/bin/python" - "$work/requests.har" "$work/openapi.json" <<'PY'
import json, re, sys
from collections import Counter
from urllib.parse import urlsplit

entries = json.load(open(sys.argv[1]))["log"]["entries"]
paths = json.load(open(sys.argv[2]))["paths"]
operations = {
    f"{method.upper()} {path}": re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]*", path) + "$")
    for path, item in paths.items() for method in item
}
# Schemathesis reads the document itself when it loads it, not as a test case.
del operations["GET /api/openapi.json"]
counts = Counter({name: 0 for name in operations})
successes = Counter()
for entry in entries:
    method, path = entry["request"]["method"], urlsplit(entry["request"]["url"]).path
    name = next((n for n, rx in operations.items() if n.startswith(method + " ") and rx.match(path)), None)
    name = name or "undocumented methods (the unsupported_method check)"
    counts[name] += 1
    successes[name] += 200 <= entry["response"]["status"] < 300
print("requests    2xx  operation")
for name, n in sorted(counts.items()):
    print(f"{n:8} {successes[name]:6}  {name}")
print(f"{len(entries):8} {sum(successes.values()):6}  in all")
untested = [name for name in operations if counts[name] == 0]
if len(entries) < 1000:
    sys.exit(f"only {len(entries)} requests; the contract check wants at least 1,000")
if untested:
    sys.exit(f"operations no request reached: {', '.join(untested)}")
PY
exit "$schemathesis_status"
