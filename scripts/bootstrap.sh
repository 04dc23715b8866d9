# Installs what building the storefront needs, skipping whatever is present.
# Sourced by scripts/run.sh and scripts/test.sh; safe to run again and again.
# Nothing is downloaded as a prebuilt binary: Rust tools are compiled from
# crates.io, wasm-opt comes from npm, system packages from Debian.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$REPO_ROOT/tools/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
WASM_TOOLS_VERSION=1.263.0

step() { printf '\n\033[1;33m==> %s\033[0m\n' "$*"; }

# apt-get install for the named packages that are missing (needs root, as on
# this machine and in CI). `apt-get update` runs at most once per script run.
apt_ensure() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "Installing Debian packages: ${missing[*]}"
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$REPO_ROOT/Cargo.lock"
}

ensure_build_tools() {
  apt_ensure brotli

  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown Rust target"
    rustup target add wasm32-unknown-unknown
  fi

  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    step "Compiling trunk $TRUNK_VERSION from crates.io (first time only: about 10 minutes on 2 cores)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi

  local wbg
  wbg="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    step "Compiling wasm-bindgen-cli $wbg, the version in Cargo.lock (first time only: about 5 minutes)"
    # Not --locked: its own lockfile names a crate version crates.io no longer serves.
    cargo install wasm-bindgen-cli --version "$wbg"
  fi

  npm_ensure "$REPO_ROOT/tools" "wasm-opt (binaryen 132)"
}

# wasm-tools, for its WebAssembly validator only (scripts/wasm-features.sh).
ensure_wasm_tools() {
  if [[ "$(wasm-tools --version 2>/dev/null)" != "wasm-tools $WASM_TOOLS_VERSION"* ]]; then
    step "Compiling wasm-tools $WASM_TOOLS_VERSION (validator only) from crates.io (first time only: about 5 minutes on 2 cores)"
    cargo install --locked wasm-tools --version "$WASM_TOOLS_VERSION" --no-default-features --features validate
  fi
}

# Nightly with rust-src and the wasm32 target, for the release wasm's
# build-std. Returns non-zero (and installs nothing) without a nightly toolchain.
ensure_nightly_wasm() {
  rustup run nightly rustc --version >/dev/null 2>&1 || return 1
  if ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
    step "Adding rust-src to the nightly toolchain"
    rustup component add rust-src --toolchain nightly || return 1
  fi
  if ! rustup target list --toolchain nightly --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32 target to the nightly toolchain"
    rustup target add wasm32-unknown-unknown --toolchain nightly || return 1
  fi
}

# `npm ci` in DIR unless its node_modules already match its package-lock.json.
npm_ensure() {
  local dir="$1" what="$2" stamp="$1/node_modules/.installed-from-lock"
  if ! cmp -s "$dir/package-lock.json" "$stamp"; then
    step "Installing $what from npm"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}

# schemathesis and openapi-spec-validator (PyPI), for scripts/api-contract.sh,
# in a venv inside the repo at exactly the versions in
# scripts/schemathesis-requirements.txt.
SCHEMATHESIS_VENV="$REPO_ROOT/.venv-schemathesis"
ensure_schemathesis() {
  local requirements="$REPO_ROOT/scripts/schemathesis-requirements.txt" stamp="$SCHEMATHESIS_VENV/.installed-from-requirements"
  # The venv's python must still run too: it links to the python3 that made it.
  cmp -s "$requirements" "$stamp" && "$SCHEMATHESIS_VENV/bin/python" -c '' 2>/dev/null && return 0
  apt_ensure python3 python3-venv
  step "Installing schemathesis from PyPI into .venv-schemathesis/"
  python3 -m venv --clear "$SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
}
