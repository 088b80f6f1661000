#!/usr/bin/env bash
# Installs what is missing, builds the site, and serves it at http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
scripts/build.sh
echo "MQTT Lab at http://127.0.0.1:8080/ (rerun this script after a change)"
exec python3 -m http.server 8080 --bind 127.0.0.1 --directory dist
