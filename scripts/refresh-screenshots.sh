#!/usr/bin/env bash
# Rebuilds the storefront and runs the end-to-end tests with their
# screenshots written to tests/e2e/screenshots/, the ones the README shows.
# (The test command writes them under target/, leaving the tree clean.)
# Commit the changed pictures afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
E2E_SCREENSHOT_DIR="$PWD/tests/e2e/screenshots" exec scripts/test.sh build e2e
