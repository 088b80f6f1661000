#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting, clippy on native and
# wasm32, the core's unit and property tests, the snippet suite (tests/snippets:
# every generated snippet run against paho-mqtt and mosquitto), and the browser
# end-to-end tests against the release build served from 127.0.0.1 under a sub-path.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32)"
cargo clippy --workspace --target wasm32-unknown-unknown --bins --locked -- -D warnings

step "core unit and property tests"
cargo test -p mqtt-lab-core -p mqtt-lab-fleet --locked

# One native release build of the core's test tools (crates/core/examples: codec_json, fuzz,
# write_snippets): about 40 s cold on 2 cores, seconds when warm.
step "release build of the core's test tools (crates/core/examples)"
cargo build --release -p mqtt-lab-core --examples --locked
step "differential test of the codec against mqtt-packet (tests/diff, about 10 s)"
node tests/diff/diff.mjs
step "fuzz: 1,000,000 inputs over the decoder and the client, and linear time (about 10 s)"
target/release/examples/fuzz
step "snippet suite: every generated snippet and every Oracle claim against paho-mqtt and mosquitto"
SNIPPET_WRITER=target/release/examples/write_snippets .venv/bin/python tests/snippets/run.py

step "release build (one bundle per widget: scripts/build.sh)"
scripts/build.sh

step "browser end-to-end tests"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Serve under a sub-path, as course sites do (/widgets/mqtt/).
mkdir -p "$work/site/widgets"
cp -r dist "$work/site/widgets/mqtt"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >"$work/http.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/widgets/mqtt/" >/dev/null 2>&1 && break
  sleep 0.1
done
export E2E_BASE_URL="http://127.0.0.1:$port/widgets/mqtt/"
node --test --test-concurrency=1 tests/e2e/
