#!/usr/bin/env bash
# Tauri's beforeBundleCommand on Linux: puts the `smartdial` CLI where the .deb and .rpm take
# it from (bundle.linux.*.files in tauri.conf.json: /usr/bin/smartdial).
# `tauri build` has just built the workspace's default members, the CLI among them: reuse
# that binary when it is newer than every source file; otherwise build it.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=$(cargo metadata --format-version 1 --no-deps | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
profile=release
[ "${TAURI_ENV_DEBUG:-false}" = "true" ] && profile=debug
exe=$target/$profile/smartdial
if [ ! -x "$exe" ] || [ -n "$(find Cargo.lock Cargo.toml src-tauri/cli src-tauri/core/src src-tauri/core/Cargo.toml -newer "$exe" -print -quit)" ]; then
  flags=(--release)
  [ "$profile" = debug ] && flags=()
  cargo build "${flags[@]}" -p smartdial-cli --bin smartdial
fi
mkdir -p target/cli-stage
cp "$exe" target/cli-stage/smartdial
echo "stage-cli: $exe -> target/cli-stage/smartdial"
