#!/usr/bin/env bash
# The acceptance's fresh-install check: `cmake --install` of this build into a DESTDIR (what
# `make install DESTDIR=...` runs), then the installed mixdown alone renders the demo without a
# warning, and `mixdown init` on a folder of generated files writes a session that renders.
# Usage: installed_test.sh BUILD_DIR SOURCE_DIR MAKE_DEMO_AUDIO
set -euo pipefail
build_dir=$1 source_dir=$2 make_demo_audio=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "installed_test: $*" >&2; exit 1; }

DESTDIR="$work/stage" cmake --install "$build_dir" --prefix /usr >/dev/null
prefix="$work/stage/usr"
for file in bin/mixdown share/man/man1/mixdown.1 share/bash-completion/completions/mixdown share/mixdown/session.schema.json; do
  [ -f "$prefix/$file" ] || fail "not installed: $file"
done
mixdown="$prefix/bin/mixdown"
"$mixdown" --version | grep -Eq '^mixdown [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]{12}(-modified)?|unknown)\)$' ||
  fail "--version: $("$mixdown" --version)"
"$mixdown" schema | cmp -s - "$prefix/share/mixdown/session.schema.json" || fail "the installed schema is not mixdown schema's"

# The demo, as a user runs it first: no warning.
mkdir "$work/demo"
cp "$source_dir/sessions/demo.json" "$work/demo/"
"$make_demo_audio" "$work/demo/audio" >/dev/null
(cd "$work/demo" && "$mixdown" render demo.json -o out 2>"$work/demo.err") || { cat "$work/demo.err" >&2; fail "the demo failed"; }
if grep -q "warning" "$work/demo.err"; then cat "$work/demo.err" >&2; fail "the demo warns"; fi
[ -f "$work/demo/out/mix.wav" ] && [ -f "$work/demo/out/variants/instrumental/mix.wav" ] || fail "the demo's mixes are missing"

# init on a folder of generated files (a mono pair, a stereo file, a file at another rate), then render it as it is.
mkdir -p "$work/song/audio"
for file in guitar_l guitar_r keys hats; do cp "$work/demo/audio/$file.wav" "$work/song/audio/"; done
(cd "$work/song" && "$mixdown" init audio -o song.json) || fail "init failed"
(cd "$work/song" && "$mixdown" validate song.json >/dev/null) || fail "init's session does not validate"
(cd "$work/song" && "$mixdown" render song.json 2>"$work/song.err") || { cat "$work/song.err" >&2; fail "init's session does not render"; }
[ -f "$work/song/renders/song/mix.wav" ] || fail "no mix from init's session"
[ "$(ls "$work/song/renders/song/stems" | wc -l)" -eq 4 ] || fail "not one stem per file"
echo "installed_test: ok"
