#!/usr/bin/env bash
# Installs the Debian packages named as arguments, only those missing.
# Usable without a terminal (CI): no prompts; uses sudo only when not root.
set -euo pipefail

missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "mixdown: installing ${missing[*]}" >&2
run_as_root=()
[ "$(id -u)" -ne 0 ] && run_as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" apt-get update -qq
"${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
