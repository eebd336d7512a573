#!/usr/bin/env bash
# outputs.html through a real browser: the demo (references, masking, normalisation) rendered with its
# page, the page opened by headless Chromium (Debian's chromium, installed here when missing) and
# screenshotted; every chart must be drawn (pixels of its own colour: tests/html/chart_pixels.py), the
# browser must report no error, and a second render (other block size and threads) must give the same
# bytes. A session without references or masking is the control: its spectrum and stereo charts are
# not drawn, and the same check fails on it.
# Usage: page_screenshot_test.sh MIXDOWN MAKE_DEMO_AUDIO SOURCE_DIR. Exit 77 (skipped) without Chromium.
set -euo pipefail
mixdown=$1
make_demo_audio=$2
source_dir=$3
fail() { echo "page test: $*" >&2; exit 1; }

if ! command -v chromium >/dev/null; then
  bash "$source_dir/scripts/install-packages.sh" chromium >&2 || { echo "page test: chromium cannot be installed: skipped" >&2; exit 77; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir/sessions" "$work/sessions"
"$make_demo_audio" "$work/sessions/audio" >/dev/null
cd "$work"
"$mixdown" render sessions/demo.json -o one -q --no-variants
"$mixdown" render sessions/demo.json -o two -q --no-variants -j 1
[ -s one/report.html ] || fail "the demo wrote no report.html"
cmp one/report.html two/report.html || fail "two renders of the demo wrote different pages"
if grep -q '<script' one/report.html; then fail "the page holds a script"; fi

shoot() {  # PAGE PNG: a full-page screenshot; fails on any error the browser reports about the page
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0 \
    --window-size=960,3800 --screenshot="$2" "file://$work/$1" >"$work/browser.log" 2>&1 || { cat "$work/browser.log" >&2; fail "chromium failed on $1"; }
  [ -s "$2" ] || fail "no screenshot of $1"
  if grep -E 'CONSOLE|Uncaught|Failed to load|ERR_FILE_NOT_FOUND' "$work/browser.log" >&2; then fail "the browser reported errors on $1"; fi
}
charts=(loudness=#1f5fa8:300 spectrum=#6a3d9a:300 masking=#a50f15:500 peaks=#2b8cbe:2000 reduction=#e6550d:300
        correlation=#2e8b57:2000 monoloss=#b8860b:200)
shoot one/report.html demo.png
python3 "$source_dir/tests/html/chart_pixels.py" demo.png "${charts[@]}" || fail "a chart of the demo's page is not drawn"

# The control: no references and no masking, so two of the charts are not there and the check says so.
python3 - "$work/sessions/demo.json" "$work/sessions/plain.json" <<'PY'
import json, sys
session = json.load(open(sys.argv[1]))
session.pop("references", None)
session.pop("insight", None)
session.pop("variants", None)
json.dump(session, open(sys.argv[2], "w"))
PY
"$mixdown" render sessions/plain.json -o plain -q
shoot plain/report.html plain.png
if python3 "$source_dir/tests/html/chart_pixels.py" plain.png spectrum=#6a3d9a:300 correlation=#2e8b57:2000; then
  fail "the check found charts that a page without references does not have"
fi
python3 "$source_dir/tests/html/chart_pixels.py" plain.png loudness=#1f5fa8:300 peaks=#2b8cbe:2000 ||
  fail "the charts every page has are not drawn on the plain page"
echo "page test: the demo's page draws every chart, the same bytes twice; the control lacks what it should"
