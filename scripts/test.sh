#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting, clippy on native and
# wasm32, the core's unit and property tests, the differential test and the fuzz run,
# the snippet suite (tests/snippets: every generated snippet run against paho-mqtt and
# mosquitto), the release build, the scaffold test (scripts/new-widget.sh in a temporary
# copy, built and tested there), and the browser end-to-end tests against the release
# build, served from 127.0.0.1 under a sub-path.
#
# Run one stage, or several, by name (README, "Working on it"):
#   scripts/test.sh                      every stage, in order (what CI runs)
#   scripts/test.sh core                 the core's unit and property tests
#   scripts/test.sh build e2e            the release build, then every browser test
#   scripts/test.sh e2e tests/e2e/qos.test.mjs [--test-name-pattern=stepping]
#                                        browser tests against the existing dist/
#   scripts/test.sh scaffold             scripts/new-widget.sh in a temporary copy, built
#                                        and tested there (about 1.5 min warm), then deleted
#   scripts/test.sh platforms            the course tools against the existing dist/: the
#                                        example lesson rendered by pandoc with the Quarto
#                                        extension's filter, the shortcode's harness, the
#                                        SCORM package in scorm-again (tests/platforms)
# Stages: fmt clippy core tools diff fuzz snippets build scaffold platforms e2e. Arguments
# after `e2e` go to node's test runner (files, --test-name-pattern=...).
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(fmt clippy core tools diff fuzz snippets build scaffold platforms e2e)
stages=()
e2e_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    fmt|clippy|core|tools|diff|fuzz|snippets|build|scaffold|platforms) stages+=("$1"); shift ;;
    e2e) stages+=(e2e); shift; e2e_args=("$@"); break ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "scripts/test.sh: unknown stage '$1' (stages: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=("${ALL[@]}")
wants() { local s; for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Servers and copies of the run, stopped and removed at exit.
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# serve DIST: a copy of the built site DIST under a sub-path, as course sites have it
# (/widgets/mqtt/), on a free port of 127.0.0.1; sets E2E_BASE_URL and $server.
serve() {
  local site
  site=$(mktemp -d "$work/site.XXXX")
  mkdir -p "$site/widgets"
  cp -r "$1" "$site/widgets/mqtt"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >"$site.log" 2>&1 &
  server=$!
  pids+=("$server")
  for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/widgets/mqtt/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  export E2E_BASE_URL="http://127.0.0.1:$port/widgets/mqtt/"
}

if wants fmt; then
  step "cargo fmt --check"
  cargo fmt --all -- --check
fi

if wants clippy; then
  step "clippy (native, all targets)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  step "clippy (wasm32)"
  cargo clippy --workspace --target wasm32-unknown-unknown --bins --locked -- -D warnings
  step "clippy (wasm32, the split bundles' features)"
  cargo clippy -p mqtt-lab --target wasm32-unknown-unknown --bins --all-features --locked -- -D warnings
fi

if wants core; then
  step "core unit and property tests"
  cargo test -p mqtt-lab-core -p mqtt-lab-fleet --locked
  # The app's own pure functions (chart bounds and ticks, ...), natively.
  step "app unit tests"
  cargo test -p mqtt-lab --lib --locked
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

# The issue-26 promise that a widget is one command away: scripts/new-widget.sh runs in a
# copy of the working tree (its tracked and new files; not target/, dist/ or node_modules/,
# which is linked), and what it writes must pass there: rustfmt and clippy (native and
# wasm32) on the new files; the core's tests of the new module, the registry and the
# texts (content files included); a release build of the
# gallery's and the new widget's bundles; the every-widget loop (gallery, axe-core, hostile
# input) and the generated browser test, against that build served under a sub-path. It
# builds in this tree's target directory, so only the workspace's own crates are compiled
# again (and once more by the next build here). The copy is deleted afterwards.
if wants scaffold; then
  step "scaffold: scripts/new-widget.sh demo \"Demo\" in a temporary copy, built and tested there"
  started=$SECONDS
  w=demo
  copy="$work/copy"
  mkdir -p "$copy"
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
      xargs -0 cp --parents -t "$copy"
  else # a tree without its .git
    tar -c --exclude=./target --exclude=./dist --exclude=./node_modules --exclude=./.venv . | tar -x -C "$copy"
  fi
  ln -s "$PWD/node_modules" "$copy/node_modules"
  target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
  (
    cd "$copy"
    export CARGO_TARGET_DIR="$target"
    scripts/new-widget.sh "$w" "Demo"
    new=("crates/core/src/$w.rs" "src/widgets/$w.rs" "src/bin/$w.rs")
    rustfmt --edition 2021 --check "${new[@]}"
    # Clippy on what the script wrote, natively with its tests and on wasm32; the clippy
    # stage covers the rest of the tree, whose work in progress must not fail this one.
    { cargo clippy --locked -p mqtt-lab-core --all-targets --message-format=short
      cargo clippy --locked --target wasm32-unknown-unknown --bin "$w" --message-format=short
    } 2>&1 | tee "$work/clippy.log" || true
    if grep -F -e "${new[0]}:" -e "${new[1]}:" -e "${new[2]}:" "$work/clippy.log"; then
      echo "scaffold: clippy finds the above in what scripts/new-widget.sh wrote" >&2
      exit 1
    fi
    cargo test --locked -p mqtt-lab-core -- "$w::" widgets:: claims::
    BUNDLES="gallery $w" scripts/build.sh
  )
  serve "$copy/dist"
  (cd "$copy" && E2E_WIDGETS=$w node --test --test-concurrency=1 tests/e2e/every-widget.test.mjs "tests/e2e/$w.test.mjs")
  kill "$server"
  rm -rf "$copy"
  echo "scaffold: passed in $((SECONDS - started)) s"
fi

# Issue 25: where courses are made. The example lesson (integrations/quarto/example) is
# rendered by Debian's pandoc with the extension's Lua filter and opened in Chromium from
# another origin; the shortcode runs under a harness (Quarto itself is not installable
# here); every widget takes every parameter of widgets.json; a SCORM package built by
# scripts/scorm.sh from dist/ is run in scorm-again. About a minute.
if wants platforms; then
  [ -f dist/index.html ] || { echo "scripts/test.sh platforms: no dist/ yet; run 'scripts/test.sh build platforms'" >&2; exit 2; }
  step "platforms: Quarto extension and pandoc filter, SCORM package (tests/platforms)"
  started=$SECONDS
  serve dist
  node --test --test-concurrency=1 tests/platforms/
  kill "$server"
  echo "platforms: passed in $((SECONDS - started)) s"
fi

if wants e2e; then
  [ -f dist/index.html ] || { echo "scripts/test.sh e2e: no dist/ yet; run 'scripts/test.sh build e2e'" >&2; exit 2; }
  step "browser end-to-end tests"
  serve dist
  # Node takes its options before the files (after a file, an option is read as
  # one more file); with no file given, every file.
  options=() files=()
  for a in "${e2e_args[@]}"; do
    if [[ "$a" == -* ]]; then options+=("$a"); else files+=("$a"); fi
  done
  [ ${#files[@]} -gt 0 ] || files=(tests/e2e/)
  node --test --test-concurrency=1 "${options[@]}" "${files[@]}"
fi
