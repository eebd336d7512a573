#!/bin/bash
# A render stuck in a plugin that never returns, sent SIGTERM: it ends with
# status 143 within the 5 s grace (plus a margin), and leaves no output
# folder and no process behind.
# Usage: stopped_stuck_render_test.sh MIXDOWN TEST_LV2_DIR
set -u
mixdown=$1
lv2_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
mkdir audio
python3 - <<'PYTHON'
import struct, wave
with wave.open("audio/tone.wav", "wb") as out:
    out.setnchannels(1); out.setsampwidth(2); out.setframerate(48000)
    out.writeframes(b"".join(struct.pack("<h", (i * 37) % 2000 - 1000) for i in range(48000)))
PYTHON
cat > hang.json <<'JSON'
{ "mixdown": 1, "tail_s": 0,
  "tracks": [ { "name": "stuck", "source": "audio/tone.wav",
                "inserts": [ { "type": "lv2", "uri": "http://mixdown.test/lv2/misbehaving#hang",
                               "controls": { "after_frames": 4800 } } ] } ],
  "outputs": { "mix": { "file": "mix.wav" } } }
JSON
LV2_PATH="$lv2_dir" "$mixdown" render hang.json -o out 2> stderr.txt &
pid=$!
sleep 1.5
kill -TERM "$pid"
started=$(date +%s)
wait "$pid"
status=$?
elapsed=$(( $(date +%s) - started ))
cat stderr.txt
fail=0
[ "$status" -eq 143 ] || { echo "FAIL: exit status $status, expected 143"; fail=1; }
[ "$elapsed" -le 12 ] || { echo "FAIL: took ${elapsed} s to stop"; fail=1; }
[ ! -e out ] || { echo "FAIL: the output folder was left:"; ls -la out; fail=1; }
grep -q "render interrupted (SIGTERM); its outputs were not written" stderr.txt || { echo "FAIL: no stop message"; fail=1; }
if pgrep -f "$work" > /dev/null; then echo "FAIL: a process is left"; fail=1; fi
exit $fail
