#!/usr/bin/env bash
# Tauri's beforeBundleCommand on Linux: builds the `smartdial` CLI and puts it where the
# .deb and .rpm take it from (bundle.linux.*.files in tauri.conf.json: /usr/bin/smartdial).
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=(--release)
[ "${TAURI_ENV_DEBUG:-false}" = "true" ] && profile=()
exe=$(cargo build "${profile[@]}" -p smartdial-cli --bin smartdial --message-format=json-render-diagnostics \
  | sed -n 's/.*"executable":"\([^"]*\/smartdial\)".*/\1/p' | tail -1)
[ -x "$exe" ] || { echo "stage-cli: cargo did not report the smartdial binary" >&2; exit 1; }
mkdir -p target/cli-stage
cp "$exe" target/cli-stage/smartdial
echo "stage-cli: $exe -> target/cli-stage/smartdial"
