#!/usr/bin/env bash
# Builds the static site into dist/: index.html with its small loader, main.css,
# public/, the service worker sw.js, and in dist/w/NAME/ one WebAssembly bundle per
# widget plus the gallery's (cargo, wasm-bindgen, wasm-opt; some split in two). A page
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

# A bundle is split when Cargo.toml has a feature `split-NAME`: its first part holds
# what the page needs to be usable, and what its `split-NAME` code marks
# (src/components/later.rs) comes in chunks loaded right after the first paint
# (BENCHMARKS.md, "Split bundles"). Each is built alone with
# its own feature: a split-off part is an export of whatever binary links it, and
# would ride along in every other bundle. The splitter (wasm_split_cli_support)
# reads the linker's relocations, which --emit-relocs keeps.
split_bundle() { grep -q "^split-$1 = " Cargo.toml; }
split=()
plain=()
for bin in "${BINS[@]}"; do
  if split_bundle "$bin"; then split+=("$bin"); else plain+=("$bin"); fi
done
# One cargo run compiles the shared library once and links the other binaries in
# parallel.
if [ ${#plain[@]} -gt 0 ]; then
  bin_args=()
  for bin in "${plain[@]}"; do bin_args+=(--bin "$bin"); done
  cargo build --release --locked --target wasm32-unknown-unknown "${bin_args[@]}"
fi
for bin in "${split[@]}"; do
  cargo rustc --release --locked --target wasm32-unknown-unknown --bin "$bin" --features "split-$bin" -- -C link-args=--emit-relocs
done

# The page itself is plain static files.
rm -rf dist
mkdir -p dist/w
registry page <index.html >dist/index.html
cp style/main.css dist/
cp -r public dist/public
# Each bundle: the glue of wasm-bindgen (the CLI of the version in Cargo.lock) and
# every wasm file through wasm-opt -Oz --converge, as trunk 0.21 ran them before.
# --low-memory-unused: Rust never uses addresses below 1024 (the bottom of its 1 MB
# stack), so wasm-opt may fold constant offsets into loads and stores: 0.2-0.4 KB
# less brotli a page (BENCHMARKS.md, "Where the bytes go").
opt() { wasm-opt --output="$2" -Oz "$1" --converge --low-memory-unused; }
# Cargo's target directory, wherever CARGO_TARGET_DIR or a config puts it.
target=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
for bin in "${BINS[@]}"; do
  work=$target/bundles/$bin
  out=dist/w/$bin
  wasm=$target/wasm32-unknown-unknown/release/$bin.wasm
  keep=()
  rm -rf "$work"
  mkdir -p "$work/split" "$out"
  if split_bundle "$bin"; then
    # The first part, the chunks, and __wasm_split.js, which loads a chunk when its
    # code is first called; wasm-bindgen must keep the exports the chunks import.
    wasm-split-cli "$wasm" "$work/split" --target web --out-name "$bin"
    wasm="$work/split/$bin.wasm"
    keep=(--keep-lld-exports)
    for chunk in "$work"/split/*.wasm; do
      [ "$chunk" = "$wasm" ] || opt "$chunk" "$out/$(basename "$chunk")"
    done
    terser "$work/split/__wasm_split.js" --module --compress --mangle -o "$out/__wasm_split.js"
  fi
  wasm-bindgen --target=web --out-dir="$work" --out-name="$bin" --no-typescript "${keep[@]}" "$wasm"
  opt "$work/${bin}_bg.wasm" "$out/${bin}_bg.wasm"
  # wasm-bindgen's glue comes unminified (about 49 KB); terser takes a quarter
  # of its brotli size off every page (BENCHMARKS.md).
  terser "$work/$bin.js" --module --compress --mangle -o "$out/$bin.js"
done

# The backoff page's fleet worker (crates/fleet-worker, src/widgets/backoff/workers.rs),
# beside the page's bundle, loaded once the fleet first runs: the fleet's four
# strategies side by side. All simulation, so compiled for speed, the core it links
# too, and wasm-opt -O3 rather than -Oz (BENCHMARKS.md, "The fleet in workers").
if [[ " ${BINS[*]} " == *" backoff "* ]]; then
  cargo build --release --locked --target wasm32-unknown-unknown -p mqtt-lab-fleet-worker \
    --config 'profile.release.package.mqtt-lab-core.opt-level=3'
  work=$target/bundles/fleet_sim
  rm -rf "$work"
  mkdir -p "$work"
  wasm-bindgen --target=web --out-dir="$work" --out-name=fleet_sim --no-typescript "$target/wasm32-unknown-unknown/release/mqtt_lab_fleet_worker.wasm"
  wasm-opt --output=dist/w/backoff/fleet_sim_bg.wasm -O3 "$work/fleet_sim_bg.wasm" --low-memory-unused
  terser "$work/fleet_sim.js" --module --compress --mangle -o dist/w/backoff/fleet_sim.js
  terser crates/fleet-worker/worker.js --module --compress --mangle -o dist/w/backoff/fleet_worker.js
fi

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
