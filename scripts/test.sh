#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting, clippy on native and
# wasm32, the core's unit and property tests, the differential test and the fuzz run,
# the snippet suite (tests/snippets: every generated snippet run against paho-mqtt and
# mosquitto), the release build, and the browser end-to-end tests against it, served
# from 127.0.0.1 under a sub-path.
#
# Run one stage, or several, by name (README, "Working on it"):
#   scripts/test.sh                      every stage, in order (what CI runs)
#   scripts/test.sh core                 the core's unit and property tests
#   scripts/test.sh build e2e            the release build, then every browser test
#   scripts/test.sh e2e tests/e2e/qos.test.mjs [--test-name-pattern=stepping]
#                                        browser tests against the existing dist/
# Stages: fmt clippy core tools diff fuzz snippets build e2e. Arguments after `e2e`
# go to node's test runner (files, --test-name-pattern=...).
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(fmt clippy core tools diff fuzz snippets build e2e)
stages=()
e2e_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    fmt|clippy|core|tools|diff|fuzz|snippets|build) stages+=("$1"); shift ;;
    e2e) stages+=(e2e); shift; e2e_args=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "scripts/test.sh: unknown stage '$1' (stages: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=("${ALL[@]}")
wants() { local s; for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if wants fmt; then
  step "cargo fmt --check"
  cargo fmt --all -- --check
fi

if wants clippy; then
  step "clippy (native, all targets)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  step "clippy (wasm32)"
  cargo clippy --workspace --target wasm32-unknown-unknown --bins --locked -- -D warnings
fi

if wants core; then
  step "core unit and property tests"
  cargo test -p mqtt-lab-core -p mqtt-lab-fleet --locked
fi

# One native release build of the core's test tools (crates/core/examples: codec_json,
# diagram_rows, fuzz, write_snippets): about 40 s cold on 2 cores, seconds when warm.
# The stages after it use them; the browser tests ask diagram_rows for the model's rows.
if wants tools || wants diff || wants fuzz || wants snippets || wants e2e; then
  step "release build of the core's test tools (crates/core/examples)"
  cargo build --release -p mqtt-lab-core --examples --locked
fi

if wants diff; then
  step "differential test of the codec against mqtt-packet (tests/diff, about 10 s)"
  node tests/diff/diff.mjs
fi

if wants fuzz; then
  step "fuzz: 1,000,000 inputs over the decoder and the client, and linear time (about 10 s)"
  target/release/examples/fuzz
fi

if wants snippets; then
  step "snippet suite: every generated snippet and every Oracle claim against paho-mqtt and mosquitto"
  SNIPPET_WRITER=target/release/examples/write_snippets .venv/bin/python tests/snippets/run.py
fi

if wants build; then
  step "release build (one bundle per widget: scripts/build.sh)"
  scripts/build.sh
fi

if wants e2e; then
  [ -f dist/index.html ] || { echo "scripts/test.sh e2e: no dist/ yet; run 'scripts/test.sh build e2e'" >&2; exit 2; }
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
  if [ ${#e2e_args[@]} -gt 0 ]; then
    # Only options given: every file with them.
    has_file=0
    for a in "${e2e_args[@]}"; do [[ "$a" == -* ]] || has_file=1; done
    [ $has_file = 1 ] || e2e_args+=(tests/e2e/)
    node --test --test-concurrency=1 "${e2e_args[@]}"
  else
    node --test --test-concurrency=1 tests/e2e/
  fi
fi
