#!/usr/bin/env bash
# Builds the static site into dist/: index.html with its small loader, main.css,
# public/, the service worker sw.js, and in dist/w/NAME/ one WebAssembly bundle per
# widget plus the gallery's, each built by trunk (wasm-bindgen, wasm-opt). A page
# loads only the bundle it shows. Expects the tools of scripts/setup.sh on PATH.
#
# BUNDLES="gallery demo" builds only those bundles (the gallery's and slugs of the
# registry); the page's loader still lists the whole registry. For a quick look at one
# widget, and for scripts/test.sh's scaffold stage; a site to deploy is built whole.
set -euo pipefail
cd "$(dirname "$0")/.."

# The widget registry (crates/core/src/widgets.rs) is the one list of widgets: the
# bundles built here and the loader's list in index.html both come from it.
registry() { cargo run -q --locked -p mqtt-lab-core --example registry -- "$@"; }
slugs=$(registry slugs)
mapfile -t SLUGS <<<"$slugs"
BINS=(gallery "${SLUGS[@]}")
if [ -n "${BUNDLES:-}" ]; then
  read -ra wanted <<<"$BUNDLES"
  for b in "${wanted[@]}"; do
    [[ " ${BINS[*]} " == *" $b "* ]] || { echo "scripts/build.sh: BUNDLES: '$b' is neither gallery nor a slug of the registry" >&2; exit 2; }
  done
  BINS=("${wanted[@]}")
fi

# One cargo run compiles the shared library once and links the binaries in parallel;
# the trunk runs below then find them built.
bin_args=()
for bin in "${BINS[@]}"; do bin_args+=(--bin "$bin"); done
cargo build --release --locked --target wasm32-unknown-unknown "${bin_args[@]}"

# The page itself is plain static files: trunk would add a Rust bundle to it.
rm -rf dist
mkdir -p dist/w
registry page <index.html >dist/index.html
cp style/main.css dist/
cp -r public dist/public
# One page per binary for trunk, in target/ (trunk resolves href from the page).
# wasm-opt --low-memory-unused: Rust never uses addresses below 1024 (the bottom of
# its 1 MB stack), so wasm-opt may fold constant offsets into loads and stores:
# 0.2-0.4 KB less brotli a page (BENCHMARKS.md, "Where the bytes go").
pages=target/trunk-pages
mkdir -p "$pages"
for bin in "${BINS[@]}"; do
  cat >"$pages/$bin.html" <<HTML
<!doctype html>
<html lang="en"><head><meta charset="utf-8" />
<link data-trunk rel="rust" href="../../Cargo.toml" data-bin="$bin" data-wasm-opt="z" data-wasm-opt-params="--converge --low-memory-unused" />
</head><body></body></html>
HTML
  if ! trunk build --release --locked --filehash false --public-url ./ --dist "dist/w/$bin" "$pages/$bin.html" >"$pages/$bin.log" 2>&1; then
    tail -20 "$pages/$bin.log" >&2
    exit 1
  fi
  # Only the script and the wasm are used; the generated page is not.
  rm -f "dist/w/$bin/$bin.html" "dist/w/$bin/index.html"
  # wasm-bindgen's glue comes unminified (about 49 KB); terser takes a quarter
  # of its brotli size off every page (BENCHMARKS.md).
  terser "dist/w/$bin/$bin.js" --module --compress --mangle -o "dist/w/$bin/$bin.js"
done

# The service worker names its cache after the build: a hash of every file it may
# cache, so that an unchanged build keeps its cache and a new one replaces it.
build_id=$(cd dist && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
sed "s/__MQTT_LAB_BUILD__/$build_id/" sw.js >dist/sw.js
grep -q "'$build_id'" dist/sw.js

# Each text and wasm file also precompressed at the highest levels (brotli 11, gzip 9),
# beside it, for hosts that serve such files (README, "Hosting"); a host that compresses
# on the fly does so at lower levels. The live page's wasm on 2026-12-04: gzip 6 243,183 B,
# gzip 9 241,695 B, brotli 5 219,515 B, brotli 11 193,256 B (BENCHMARKS.md).
find dist -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.wasm' -o -name '*.svg' -o -name '*.json' \) -print0 |
  while IFS= read -r -d '' f; do
    brotli -q 11 -f -k -o "$f.br" "$f"
    gzip -9 -n -f -k "$f"
  done
echo "build $build_id: $(ls dist/w | tr '\n' ' ')"
