#!/usr/bin/env bash
# The storefront's weight, app by app: every html/js/wasm/css file a shopper
# downloads for it, raw, gzip -9 and brotli -q 11 (as served).
#   - the shop (dist/): the first load, against the 120 KB brotli goal and
#     the ceiling in perf/size-ceiling.txt;
#   - the order pages (dist/order-app/: cart, checkout, orders), which the
#     shop prefetches when idle, against perf/size-ceiling-order-app.txt.
# Fails when an app grows past its ceiling: a ratchet, lowered each time an
# app shrinks, raised only in a commit of its own that says why. (The admin
# area, a staff tool, is not weighed.)
#   scripts/size-budget.sh           build the release storefront, then weigh it
#   scripts/size-budget.sh --no-build  weigh the dist/ that is there
source "$(dirname "$0")/bootstrap.sh"
cd "$REPO_ROOT"
[ "${1:-}" = "--no-build" ] || "$REPO_ROOT/scripts/build-storefront.sh"

GOAL=$((120 * 1024))
failed=0

# weigh TITLE DIR CEILING_FILE: prints the table, sets $total_br.
weigh() {
  local title=$1 dir=$2 ceiling
  ceiling=$(tr -dc '0-9' < "$3")
  printf '\n%-44s %10s %10s %10s\n' "$title" "raw" "gzip" "brotli"
  local total_raw=0 total_gz=0 raw gz br
  total_br=0
  for file in "$dir"/*.html "$dir"/*.js "$dir"/*.wasm "$dir"/*.css; do
    [ -f "$file" ] || continue
    raw=$(stat -c %s "$file")
    gz=$(gzip -9 -c "$file" | wc -c)
    br=$(brotli -q 11 -c "$file" | wc -c)
    printf '%-44s %10d %10d %10d\n' "${file#dist/}" "$raw" "$gz" "$br"
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  done
  printf '%-44s %10d %10d %10d\n' "total" "$total_raw" "$total_gz" "$total_br"
  awk -v t="$total_br" -v c="$ceiling" 'BEGIN { printf "brotli total %.1f KB; ceiling %.1f KB\n", t / 1024, c / 1024 }'
  if [ "$total_br" -gt "$ceiling" ]; then
    echo "FAIL: $title grew past the ceiling in $3" >&2
    failed=1
  fi
}

weigh "the shop (first load)" dist perf/size-ceiling.txt
first_load=$total_br
weigh "the order pages (prefetched when idle)" dist/order-app perf/size-ceiling-order-app.txt

# Not in either load: the checkout fetches it when its address form opens.
for file in dist/order-app/regions-*.json; do
  [ -f "$file" ] && printf '\n%-44s %10d %10d %10d  (when the address form opens)\n' "${file#dist/}" \
    "$(stat -c %s "$file")" "$(gzip -9 -c "$file" | wc -c)" "$(brotli -q 11 -c "$file" | wc -c)"
done
echo "built with: $(rustc +nightly -V 2>/dev/null || echo "no nightly toolchain (ALLOW_STABLE_WASM)"), wasm-opt $(wasm-opt --version 2>/dev/null | awk '{print $3}')"

[ "$failed" = 0 ] || exit 1
[ "$first_load" -le "$GOAL" ] && echo "first load within the 120 KB goal" ||
  echo "first load over the 120 KB goal by $(( (first_load - GOAL) / 1024 )) KB (the ceiling holds the line)"
