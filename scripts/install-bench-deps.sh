#!/usr/bin/env bash
# The peers `make bench` measures mixdown against (not needed to build or
# test): SoX, FFmpeg and ecasound, from Debian packages, and GNU time, which
# reports each run's peak memory.
set -euo pipefail
missing=()
for package in sox ffmpeg ecasound time; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
run_as_root=()
[ "$(id -u)" -ne 0 ] && run_as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" apt-get update -qq
"${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
