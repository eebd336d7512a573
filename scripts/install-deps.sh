#!/usr/bin/env bash
# Installs the Debian packages mixdown builds and tests with, only those missing.
# Usable without a terminal (CI): no prompts; uses sudo only when not root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  git                 # the revision `mixdown --version` names (cmake/BuildRevision.cmake) and its test
  libsndfile1-dev     # audio I/O (WAV/FLAC/AIFF/OGG)
  nlohmann-json3-dev  # session parsing
  libcli11-dev        # command line
  libeigen3-dev       # vectorized blocks
  doctest-dev         # tests
  libebur128-dev      # tests: the independent loudness reading (BS.1770-4)
  libsoxr-dev         # resampling
  libssl-dev          # SHA-256 of rendered audio (report audio_sha256)
  liblilv-dev lv2-dev # hosting LV2 plugins (the lv2 insert, mixdown plugins)
  python3 python3-jsonschema  # tests: an independent JSON Schema validator for `mixdown schema`
  clang libclang-rt-14-dev    # make fuzz: libFuzzer and the sanitizers of clang 14
)

exec bash "$(dirname "$0")/install-packages.sh" "${packages[@]}"
