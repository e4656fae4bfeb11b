#!/usr/bin/env bash
# Screenshots of the Windows installer's pages, taken from the real setup exe under wine and
# Xvfb, into docs/screenshots/installer-*.png. Run after `bash .ci/release` (it uses
# dist/SmartDial_*_x64-setup.exe). Needs wine64, xvfb, xdotool, imagemagick.
#   bash packaging/windows/screenshots.sh [zh|en]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
LANG_CODE=${1:-zh}
case "$LANG_CODE" in
  zh) LOCALE=zh_CN ;;
  en) LOCALE=en_US ;;
  *) echo "usage: $0 [zh|en]" >&2; exit 2 ;;
esac
SETUP=${SETUP:-$(ls dist/SmartDial_*_x64-setup.exe | head -1)}
OUT=$ROOT/docs/screenshots
mkdir -p "$OUT"
for t in wine64 Xvfb xdotool import; do command -v "$t" >/dev/null || [ -x /usr/lib/wine/wine64 ] \
  || { echo "missing $t" >&2; exit 1; }; done
WINE=/usr/lib/wine/wine64
wineserver() { /usr/lib/wine/wineserver "$@"; }

WORK=$(mktemp -d)
# Wine takes Windows' display language from the Linux locale, which must exist: build it
# into a private folder (no change to the system's locales).
mkdir -p "$WORK/locale"
localedef -i "$LOCALE" -f UTF-8 "$WORK/locale/$LOCALE.UTF-8" 2>/dev/null || true
export LOCPATH=$WORK/locale LANG=$LOCALE.UTF-8
export WINEPREFIX=$WORK/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" HOME=$WORK/home
mkdir -p "$HOME"
DISPLAY_NUM=:$((90 + RANDOM % 9))
Xvfb "$DISPLAY_NUM" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
export DISPLAY=$DISPLAY_NUM
cleanup() { wineserver -k 2>/dev/null || true; kill "$XVFB" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
sleep 1
"$WINE" wineboot -i >/dev/null 2>&1
wineserver -w
# Wine's dialog font has no Chinese glyphs (Windows has them, in English too): map it to the
# CJK font Debian ships.
if true; then
  cat > "$WORK/fonts.reg" <<'EOF'
REGEDIT4

[HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\FontSubstitutes]
"MS Shell Dlg"="Noto Sans CJK SC"
"MS Shell Dlg 2"="Noto Sans CJK SC"
"Tahoma"="Noto Sans CJK SC"
"SimSun"="Noto Sans CJK SC"
"宋体"="Noto Sans CJK SC"
EOF
  "$WINE" regedit "$WORK/fonts.reg" >/dev/null 2>&1
  wineserver -w
fi

# Waits for a top-level window whose title matches $1, prints its id.
wait_window() {
  for _ in $(seq 100); do
    id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | tail -1 || true)
    [ -n "$id" ] && { sleep 0.8; echo "$id"; return; }
    sleep 0.2
  done
  echo "no window '$1'" >&2
  return 1
}
shot() { import -window "$1" "$OUT/installer-$LANG_CODE-$2.png"; echo "  $OUT/installer-$LANG_CODE-$2.png"; }
next() { xdotool windowactivate --sync "$1" 2>/dev/null || true; xdotool key --window "$1" Return; sleep 1; }

"$WINE" "$SETUP" &
win=$(wait_window "SmartDial")
shot "$win" 1-welcome; next "$win"
shot "$win" 2-components; next "$win"
shot "$win" 3-folder; next "$win"
# Wine has no WebView2 runtime: the installer explains what is missing.
for _ in $(seq 150); do
  [ "$(xdotool search --onlyvisible --name SmartDial | wc -l)" -ge 2 ] && break
  sleep 0.2
done
sleep 0.8
box=$(xdotool search --onlyvisible --name "SmartDial" | tail -1)
shot "$box" 4-webview2
# "No" (否), the box's second button. Wine ignores synthetic key presses here, and xdotool's
# window-relative moves need a window manager: click it at screen coordinates.
read -r x y w h < <(xdotool getwindowgeometry "$box" | tr -c '0-9\n' ' ' | xargs | awk '{print $2, $3, $5, $6}')
xdotool mousemove $((x + w * 63 / 100)) $((y + h - 25)) click 1
for _ in $(seq 50); do
  [ "$(xdotool search --onlyvisible --name SmartDial | wc -l)" -lt 2 ] && break
  sleep 0.2
done
sleep 1
shot "$win" 5-finish
# The files are in place once the finish page shows; WebView2 cannot run under wine, so
# close the installer instead of letting it open the app.
wineserver -k
sleep 1

UNINST=$(find "$WINEPREFIX/drive_c/users" -path '*Programs/SmartDial/uninstall.exe' | head -1)
"$WINE" "$UNINST" &
win=$(wait_window "SmartDial")
shot "$win" 6-uninstall-confirm; next "$win"
shot "$win" 7-uninstall-components
wineserver -k
echo "done: $(ls "$OUT"/installer-"$LANG_CODE"-*.png | wc -l) screenshots"
