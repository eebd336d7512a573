#!/usr/bin/env bash
# scripts/check-layers.py on this repository (no upward include, no folder
# cycle), and on planted trees, where it must name what is wrong and fail.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
check="$root/scripts/check-layers.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$check"

plant() {  # plant TREE FILE INCLUDED_HEADER: FILE (under TREE) includes "mixdown/INCLUDED_HEADER"
  mkdir -p "$1/$(dirname "$2")"
  printf '#include "mixdown/%s"\n' "$3" >>"$1/$2"
}
expect_failure() {  # expect_failure TREE TEXT: the check fails on TREE and prints TEXT
  local output
  if output="$(python3 "$check" --root "$1")"; then
    echo "check-layers passed $1, which has: $2" >&2
    exit 1
  fi
  grep -qF "$2" <<<"$output" || { echo "check-layers did not say '$2' on $1:" >&2; echo "$output" >&2; exit 1; }
}

# An arrow upward: dsp (middle layer) includes graph (above it).
plant "$work/upward" src/dsp/eq.cpp graph/engine.h
expect_failure "$work/upward" "src/dsp/eq.cpp:1: dsp includes graph, a folder above it"

# Siblings of the middle layer in a cycle: dsp -> io -> dsp.
plant "$work/cycle" src/dsp/convolution.cpp io/resampler.h
plant "$work/cycle" include/mixdown/io/reader.h dsp/audio_block.h
expect_failure "$work/cycle" "folder cycle: dsp -> io -> dsp"

# The ground floor includes nothing above it: audio includes dsp.
plant "$work/ground" include/mixdown/audio/audio_block.h dsp/simd_lanes.h
expect_failure "$work/ground" "audio includes dsp, a folder above it"

# A folder in no layer.
plant "$work/unknown" src/vst3/host.cpp dsp/processor.h
expect_failure "$work/unknown" "folder 'vst3' is in no layer"

# A tree laid out well passes.
plant "$work/good" src/graph/engine.cpp dsp/processor.h
plant "$work/good" src/dsp/eq.cpp audio/audio_block.h
python3 "$check" --root "$work/good" >/dev/null
echo "check-layers: the repository passes; upward, cycle, ground-floor and unknown-folder trees fail"
