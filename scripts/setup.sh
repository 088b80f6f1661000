#!/usr/bin/env bash
# Installs whatever this project needs and is missing; idempotent and quick when all is there.
# Every version here is pinned on purpose; the reason stands beside each pin:
#   wasm_split_cli_support 0.2.4
#                      the splitter of the split bundles (scripts/build.sh); its output
#                      is what the wasm_split_helpers in Cargo.lock (through leptos) loads;
#   wasm-bindgen CLI   must equal the wasm-bindgen in Cargo.lock (Cargo.toml pins it exactly),
#                      or the generated glue does not match the wasm;
#   binaryen 132 (npm) Debian's binaryen 108 writes wasm that fails at load
#                      ("WebAssembly.Table.set(): Argument 1 is invalid"), a blank page;
#   paho-mqtt 2.2.0    the newest 2.x; the snippet suite and the claims name it;
#   npm packages       pinned in package-lock.json (playwright-core drives Debian's Chromium:
#                      the `playwright` package would try to download a browser of its own).
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_SPLIT_VERSION=0.2.4       # the splitter; see the note above
BINARYEN_VERSION=132.0.0       # Debian's binaryen 108 silently breaks the wasm
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# --- Debian packages: browser (tests, driven over CDP by playwright-core), mosquitto (live
# broker tests), openssl (certificates for the wss:// tests), brotli (benchmarks)
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
command -v mosquitto_pub >/dev/null || need_apt+=(mosquitto-clients)
command -v brotli >/dev/null || need_apt+=(brotli)
command -v gzip >/dev/null || need_apt+=(gzip)
# The snippet suite: openssl for test certificates, g++ for the Arduino
# syntax check, python3-venv for paho-mqtt.
command -v openssl >/dev/null || need_apt+=(openssl)
command -v g++ >/dev/null || need_apt+=(g++)
python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
# The platform tests (issue 25): pandoc renders the example lesson with the Lua filter.
command -v pandoc >/dev/null || need_apt+=(pandoc)
# ejabberd 23.01, a broker of the interoperability matrix (tests/e2e/interop.test.mjs)
[ -x /usr/sbin/ejabberdctl ] || need_apt+=(ejabberd)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  # Do not let the packaged service hold port 1883; tests start their own broker.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop mosquitto ejabberd 2>/dev/null || true; fi
fi

# --- Rust wasm target
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# --- the wasm splitter (wasm-split-cli)
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (about 2 min on 2 cores)"
  cargo install wasm_split_cli_support --locked --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# --- wasm-bindgen CLI: must equal the wasm-bindgen in Cargo.lock
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  log "cargo install wasm-bindgen-cli $WB_VERSION (about 3 min)"
  # No --locked: its lockfile wants a webpki-roots release the crates registry lacks.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# --- wasm-opt, the browser-test packages (with ws for the live tests' fake brokers),
# mqtt-packet (the differential test's other codec) and scorm-again (the SCORM runtime the
# package is tested in) from npm, pinned in package-lock.json
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] \
   || [ ! -d node_modules/mqtt-packet ] || [ ! -d node_modules/ws ] || [ ! -x node_modules/.bin/terser ] \
   || [ ! -d node_modules/scorm-again ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci (binaryen $BINARYEN_VERSION, terser, playwright-core, axe-core, mqtt-packet, ws, scorm-again)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- paho-mqtt for the snippet suite, pinned, in a venv of this checkout (.venv, gitignored)
PAHO_VERSION=2.2.0             # the newest 2.x on PyPI; claims name 2.1 where it differs
if ! .venv/bin/python -c "import paho.mqtt as m, sys; sys.exit(m.__version__ != '$PAHO_VERSION')" 2>/dev/null; then
  log "python venv .venv with paho-mqtt $PAHO_VERSION"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "paho-mqtt==$PAHO_VERSION"
fi

# --- the interoperability matrix's other brokers (tests/interop/brokers.mjs), each from its
# registry: aedes from npm (tests/interop/package-lock.json), amqtt 0.12.1 from PyPI and
# rumqttd 0.20.0 from crates.io, the last two in ~/.cache/mqtt-lab (outside the checkout,
# so that a fresh clone on this machine, as CI's, finds them built).
if [ ! -d tests/interop/node_modules/aedes ] || [ tests/interop/package-lock.json -nt tests/interop/node_modules/.package-lock.json ]; then
  log "npm ci in tests/interop (aedes)"
  npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error
fi
AMQTT_VERSION=0.12.1
AMQTT_VENV="$HOME/.cache/mqtt-lab/amqtt-$AMQTT_VERSION"
if [ "$("$AMQTT_VENV/bin/amqtt" --version 2>/dev/null)" != "$AMQTT_VERSION" ]; then
  log "python venv $AMQTT_VENV with amqtt $AMQTT_VERSION (tests/interop/requirements-amqtt.txt)"
  rm -rf "$AMQTT_VENV"
  python3 -m venv "$AMQTT_VENV"
  "$AMQTT_VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/interop/requirements-amqtt.txt
fi
RUMQTTD_VERSION=0.20.0
RUMQTTD_ROOT="$HOME/.cache/mqtt-lab/rumqttd-$RUMQTTD_VERSION"
if ! "$RUMQTTD_ROOT/bin/rumqttd" --version 2>/dev/null | grep -qx "rumqttd $RUMQTTD_VERSION"; then
  log "cargo install rumqttd $RUMQTTD_VERSION into $RUMQTTD_ROOT (about 5 min on 2 cores, once a machine)"
  # No --locked: with its own lockfile it does not build on rustc 1.95 (issue 23). The
  # release profile at opt-level 1: 4.8 min here instead of about 8 at its opt-level 3, the
  # same code without debug assertions, fast enough for the matrix's few messages.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo install rumqttd --version "$RUMQTTD_VERSION" --root "$RUMQTTD_ROOT"
fi

log "tools ready: wasm_split_cli_support $WASM_SPLIT_VERSION, $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}')"
