#!/usr/bin/env bash
# Builds QGP Desktop with its UI embedded and opens it. The database is created on first run in the
# platform data directory (~/.local/share/qgp-desktop), or in --data-dir DIR / $QGP_DATA_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tauri build --debug --no-bundle
exec ./target/debug/qgp-desktop "$@"
