#!/usr/bin/env bash
# Authenticode-signs one Windows file in place with osslsigncode, when a certificate is
# provided: SMARTDIAL_SIGN_PFX (a .pfx/.p12 file), SMARTDIAL_SIGN_PASSWORD (its password,
# optional) and SMARTDIAL_SIGN_TIMESTAMP_URL (optional: a timestamp server, needs network).
# .ci/release calls it for both exes, and makensis for the setup exe and its uninstaller.
set -euo pipefail
file="$1"
[ -n "${SMARTDIAL_SIGN_PFX:-}" ] || { echo "sign.sh: SMARTDIAL_SIGN_PFX is not set" >&2; exit 1; }
args=(sign -pkcs12 "$SMARTDIAL_SIGN_PFX" -h sha256 -n "智能外呼助手 SmartDial")
pass_file=""
if [ -n "${SMARTDIAL_SIGN_PASSWORD:-}" ]; then
  # A file, not an argument: arguments show in the process list.
  pass_file=$(mktemp)
  trap 'rm -f "$pass_file"' EXIT
  printf '%s' "$SMARTDIAL_SIGN_PASSWORD" > "$pass_file"
  args+=(-readpass "$pass_file")
fi
[ -n "${SMARTDIAL_SIGN_TIMESTAMP_URL:-}" ] && args+=(-ts "$SMARTDIAL_SIGN_TIMESTAMP_URL")
osslsigncode "${args[@]}" -in "$file" -out "$file.signed" >/dev/null
mv -f "$file.signed" "$file"
echo "signed $(basename "$file")"
