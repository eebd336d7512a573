#!/usr/bin/env bash
# Installs the Debian LV2 plugin packages the tests render with, only those missing
# (tests that need one skip with a message when it is absent). Small: about 5 MB to fetch.
#   lv2-examples     eg-amp (gain), the reference plugin of the LV2 specification
#   swh-lv2          fastLookaheadLimiter (reports latency)
#   x42-plugins      x42 dpl limiter (latency, urid:map, options)
#   lsp-plugins-lv2  LSP processors (urid:map, atom ports)
#   lilv-utils       lv2info: the independent reading of a plugin's description in the tests
set -euo pipefail

exec bash "$(dirname "$0")/install-packages.sh" lv2-examples swh-lv2 x42-plugins lsp-plugins-lv2 lilv-utils
