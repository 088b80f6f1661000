#!/usr/bin/env bash
# Builds the static site into dist/: index.html with its small loader, main.css and
# public/, and in dist/w/NAME/ one WebAssembly bundle per widget plus the gallery's,
# each built by trunk (wasm-bindgen, wasm-opt). A page loads only the bundle it shows.
# Expects the tools of scripts/setup.sh on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binaries in src/bin/, one per widget slug, and the gallery.
BINS=(gallery capacity reason-codes backoff tls-timeout broker-cost qos debug battery live packets exercises)

# One cargo run compiles the shared library once and links the binaries in parallel;
# the trunk runs below then find them built.
cargo build --release --locked --target wasm32-unknown-unknown --bins

# The page itself is plain static files: trunk would add a Rust bundle to it.
rm -rf dist
mkdir -p dist/w
cp index.html style/main.css dist/
cp -r public dist/public
# One page per binary for trunk, in target/ (trunk resolves href from the page).
pages=target/trunk-pages
mkdir -p "$pages"
for bin in "${BINS[@]}"; do
  cat >"$pages/$bin.html" <<HTML
<!doctype html>
<html lang="en"><head><meta charset="utf-8" />
<link data-trunk rel="rust" href="../../Cargo.toml" data-bin="$bin" data-wasm-opt="z" data-wasm-opt-params="--converge" />
</head><body></body></html>
HTML
  if ! trunk build --release --locked --filehash false --public-url ./ --dist "dist/w/$bin" "$pages/$bin.html" >"$pages/$bin.log" 2>&1; then
    tail -20 "$pages/$bin.log" >&2
    exit 1
  fi
  # Only the script and the wasm are used; the generated page is not.
  rm -f "dist/w/$bin/$bin.html" "dist/w/$bin/index.html"
done
ls dist/w
