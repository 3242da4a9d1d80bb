#!/usr/bin/env bash
# Runs every test: formatting, lints, Rust unit/integration/CLI tests, generated-types check,
# TypeScript type check and lint, UI tests, and the end-to-end suite against the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_INCREMENTAL=0
bash scripts/setup.sh

echo "== rustfmt";            cargo fmt --all --check
echo "== core has no tauri";  if cargo tree -p qgp-core -i tauri 2>/dev/null | grep -q tauri; then echo "qgp-core depends on tauri" >&2; exit 1; fi
echo "== UI build";           npm run build
echo "== clippy";             cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== rust tests";         cargo test --workspace --locked
echo "== bindings current";   git diff --exit-code -- ui/src/api/bindings.ts
echo "== typescript lint";    npm run lint
echo "== UI tests";           npm run test:ui
echo "== desktop build";      npx tauri build --debug --no-bundle
echo "== end-to-end";         dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/run.mjs
