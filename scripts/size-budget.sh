#!/usr/bin/env bash
# The storefront's first-load weight: every html/js/wasm/css file a shopper
# downloads, raw, gzip -9 and brotli -q 11 (as served), against the 120 KB
# brotli goal. Fails when the brotli total grows past the committed ceiling
# in perf/size-ceiling.txt: a ratchet, lowered each time the bundle shrinks.
#   scripts/size-budget.sh           build the release storefront, then weigh it
#   scripts/size-budget.sh --no-build  weigh the dist/ that is there
source "$(dirname "$0")/bootstrap.sh"
cd "$REPO_ROOT"
[ "${1:-}" = "--no-build" ] || "$REPO_ROOT/scripts/build-storefront.sh"

GOAL=$((120 * 1024))
CEILING=$(tr -dc '0-9' < perf/size-ceiling.txt)

printf '\n%-44s %10s %10s %10s\n' "file (first load)" "raw" "gzip" "brotli"
total_raw=0 total_gz=0 total_br=0
for file in dist/*.html dist/*.js dist/*.wasm dist/*.css; do
  [ -f "$file" ] || continue
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  br=$(brotli -q 11 -c "$file" | wc -c)
  printf '%-44s %10d %10d %10d\n' "${file#dist/}" "$raw" "$gz" "$br"
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
done
printf '%-44s %10d %10d %10d\n' "total" "$total_raw" "$total_gz" "$total_br"
echo "built with: $(rustc +nightly -V 2>/dev/null || echo "no nightly toolchain (ALLOW_STABLE_WASM)"), wasm-opt $(wasm-opt --version 2>/dev/null | awk '{print $3}')"
awk -v t="$total_br" -v g="$GOAL" -v c="$CEILING" \
  'BEGIN { printf "\nbrotli total %.1f KB; goal %.0f KB; ceiling %.1f KB\n", t / 1024, g / 1024, c / 1024 }'

# Not in the first load: the checkout fetches it when its address form opens.
for file in dist/regions-*.json; do
  [ -f "$file" ] && printf '\n%-44s %10d %10d %10d  (when the address form opens)\n' "${file#dist/}" \
    "$(stat -c %s "$file")" "$(gzip -9 -c "$file" | wc -c)" "$(brotli -q 11 -c "$file" | wc -c)"
done

if [ "$total_br" -gt "$CEILING" ]; then
  echo "FAIL: the first load grew past the ceiling in perf/size-ceiling.txt" >&2
  exit 1
fi
[ "$total_br" -le "$GOAL" ] && echo "within the 120 KB goal" || echo "over the 120 KB goal by $(( (total_br - GOAL) / 1024 )) KB (the ceiling holds the line)"
