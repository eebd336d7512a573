#!/usr/bin/env bash
# The version-control loop of examples/version_control/README.md, non-interactively:
# a song repository with the session and its report.json under git (not the
# audio), a change to the session, a second render, then `mixdown diff` on the
# two renders and `git diff` on the report.
#
# Run from the repository root after `make demo`:
#   examples/version_control/run.sh [WORK_DIR]
# WORK_DIR (default: a new folder under $TMPDIR or /tmp) must not exist yet or be
# empty; nothing outside it is written. MIXDOWN names the binary (default build/mixdown).
set -euo pipefail

repo_root=$(pwd)
mixdown_binary=${MIXDOWN:-build/mixdown}
if [[ ! -x $mixdown_binary || ! -f sessions/demo.json || ! -f sessions/audio/lead.wav ]]; then
  echo "run this from the repository root after 'make demo' (needs $mixdown_binary and sessions/audio/)" >&2
  exit 2
fi
mixdown_binary=$(realpath "$mixdown_binary")
mixdown() { "$mixdown_binary" "$@"; }
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/mixdown-version-control-XXXXXX")}
mkdir -p "$work"
if [[ -n $(ls -A "$work") ]]; then
  echo "$work is not empty" >&2
  exit 2
fi

show() {  # print a command as a shell prompt would, then run it
  echo "\$ $*"
  "$@"
}

cd "$work"
git init --quiet song
cd song
git config user.name "mixdown example"
git config user.email "example@mixdown.invalid"
# Fixed commit dates, so the commit ids printed below repeat from run to run.
export GIT_AUTHOR_DATE="2025-01-01T12:00:00Z" GIT_COMMITTER_DATE="2025-01-01T12:00:00Z"

# The session is versioned; the multitrack stays where make demo wrote it, and the
# renders are not versioned, except report.json, copied beside the session.
cp "$repo_root/sessions/demo.json" song.json
# A fixed tail instead of "auto": an automatic tail follows the level of the mix,
# so a louder lead would lengthen every file and no two renders would line up frame by frame.
sed -i 's/"tail_s": "auto",/"tail_s": 2,/' song.json
grep -q '"tail_s": 2,' song.json || { echo 'song.json: no "tail_s": "auto" to pin' >&2; exit 1; }
ln -s "$repo_root/sessions/audio" audio
printf 'audio\nrenders/\n' > .gitignore
# Hunk headers of `git diff report.json` name the output file or node a change is
# in: the nearest "file" or "name" line above it (6 spaces in), or the top-level key.
echo 'report.json diff=mixdown-report' > .gitattributes
git config diff.mixdown-report.xfuncname '^(( {2}"[a-z_]+"| {6}"(name|file)"): .*)$'

echo "== 1. render the session as it is, commit the session and its report"
show mixdown render song.json -o renders/v1 --no-variants --quiet
cp renders/v1/report.json report.json
git add .gitignore .gitattributes song.json report.json
git commit --quiet -m "demo song, first mix"
git log --oneline

echo
echo "== 2. change one value in the session: the lead's trim from -6 dB to -5 dB (the lead 1 dB louder)"
# The gain_db after the name "trim" is the trim's (the only insert of that name in the demo).
sed -i '/"name": "trim",/,/"gain_db"/ s/"gain_db": -6.0/"gain_db": -5.0/' song.json
if git diff --quiet song.json; then
  echo "song.json has no \"trim\" insert at -6 dB any more: change another value in this script" >&2
  exit 1
fi
show git diff --stat song.json
show git diff --unified=0 song.json

echo
echo "== 3. render again, into a second folder"
show mixdown render song.json -o renders/v2 --no-variants --quiet

echo
echo "== 4. what changed in the audio (exit status 1: the renders differ)"
status=0
show mixdown diff renders/v1 renders/v2 || status=$?
echo "(exit status $status)"

echo
echo "== 5. what changed in the report"
cp renders/v2/report.json report.json
show git diff --unified=0 report.json

git commit --quiet -am "lead +1 dB"
echo
git log --oneline
echo
echo "The song repository is in $work/song"
