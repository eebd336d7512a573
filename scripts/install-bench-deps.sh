#!/usr/bin/env bash
# The peers `make bench` measures mixdown against (not needed to build or
# test): SoX, FFmpeg and ecasound, from Debian packages, and GNU time, which
# reports each run's peak memory.
set -euo pipefail
exec bash "$(dirname "$0")/install-packages.sh" sox ffmpeg ecasound time
