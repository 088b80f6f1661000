#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md: bundle sizes of the release build,
# then the browser benchmarks (tests/bench/bench.mjs: first render, update
# latency, simulations, and the live page under a flood from a fake broker and
# from a mosquitto it starts on 127.0.0.1) and the core's native simulation
# throughput (cargo bench-like release test binary).
# `scripts/bench.sh --sizes` prints the bundle table only, for the build in dist/.
# `scripts/bench.sh --phone [--brotli | --precompressed] [--cache] [--timeline] [--only=gallery,qos,lesson]` loads every page
# of the build in dist/ on a slow phone profile (tests/bench/phone.mjs, issue 24).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes_only=false
[ "${1:-}" = "--sizes" ] && sizes_only=true
scripts/setup.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
if [ "${1:-}" = "--phone" ]; then
  shift
  exec node tests/bench/phone.mjs dist "$@"
fi
$sizes_only || scripts/build.sh >/dev/null 2>&1

br() { brotli -q 11 -c "$1" | wc -c; }
gz() { gzip -9c "$1" | wc -c; }
echo "## Bundle (release build, dist/)"
echo
echo "A page loads index.html ($(br dist/index.html) B brotli), main.css and one bundle: the widget's, or the"
echo "gallery's. Once it has loaded, the browser fetches the service worker sw.js ($(br dist/sw.js) B brotli)"
echo "in the background. A course page that embeds widgets adds public/embed.js ($(stat -c %s dist/public/embed.js) B, $(br dist/public/embed.js) B brotli)."
echo
echo "A split bundle (README, \"To build\") loads its first part, with __wasm_split.js, and then its"
echo "chunks, right after the first paint: 'first' is what the page needs before it is usable,"
echo "'in all' what it has loaded once its chunks are in."
echo
echo "| page | wasm raw | wasm gzip | wasm brotli | js brotli | css brotli | first: wasm + js + css + html, brotli | chunks brotli | in all brotli |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
css=$(br dist/main.css); html=$(br dist/index.html)
for dir in dist/w/*/; do
  bin=$(basename "$dir"); wasm="$dir/${bin}_bg.wasm"; js="$dir/${bin}.js"
  wasmb=$(br "$wasm"); jsb=$(br "$js")
  [ -f "$dir/__wasm_split.js" ] && jsb=$(( jsb + $(br "$dir/__wasm_split.js") ))
  first=$(( wasmb + jsb + css + html ))
  chunks=0
  for chunk in "$dir"/*.wasm; do
    [ "$chunk" = "$wasm" ] || chunks=$(( chunks + $(br "$chunk") ))
  done
  echo "| \`$bin\` | $(stat -c %s "$wasm") | $(gz "$wasm") | $wasmb | $jsb | $css | $first | $chunks | $(( first + chunks )) |"
done
echo
$sizes_only && exit 0

work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/site/widgets"; cp -r dist "$work/site/widgets/mqtt"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
server=$!
sleep 0.5
echo "## Browser (headless Chromium $(chromium --version 2>/dev/null | awk '{print $2}'), this machine)"
echo
E2E_BASE_URL="http://127.0.0.1:$port/widgets/mqtt/" node tests/bench/bench.mjs
echo
echo "## Core, native (cargo test --release, ignored benchmark tests)"
echo
echo "| measurement | median (ms) | throughput |"
echo "| --- | ---: | ---: |"
cargo test -q --release -p mqtt-lab-core -p mqtt-lab-fleet --locked -- --ignored --nocapture --test-threads=1 bench_ 2>/dev/null | grep -o '| .*|$' || true
echo
echo "## Core, native: fuzzing and linear time (crates/core/examples/fuzz.rs, release build)"
echo
cargo build -q --release -p mqtt-lab-core --examples --locked
echo '```'
target/release/examples/fuzz
echo '```'
