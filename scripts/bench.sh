#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md: bundle sizes of the release build,
# then the browser benchmarks (tests/bench/bench.mjs) and the core's native
# simulation throughput (cargo bench-like release test binary).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
trunk build --release --locked >/dev/null 2>&1

echo "## Bundle (release build, dist/)"
echo
echo "| file | raw (bytes) | gzip -9 (bytes) | brotli -q 11 (bytes) |"
echo "| --- | ---: | ---: | ---: |"
total_raw=0; total_gz=0; total_br=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  echo "| ${f#dist/} | $raw | $gz | $br |"
done
echo "| **total** | $total_raw | $total_gz | $total_br |"
echo

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
cargo test -q --release -p mqtt-lab-core --locked -- --ignored --nocapture bench_ 2>/dev/null | grep '^|' || true
