#!/usr/bin/env bash
# Installs the Debian packages the build needs, and nothing when they are all present.
#
#   cmake, nasm  libjpeg-turbo (bundled by the turbojpeg crate) is built with CMake, and its
#                SIMD code, which the workspace requires ("require-simd"), is assembled by NASM.
#   gcc, make    the C compiler and build tool CMake drives.
#   xorriso      the tests' independent reader of the disc images printlab builds (M32).
#
# Extra package names given as arguments are installed too (scripts/bench.sh uses this).
# apt-get update runs only when something must be installed. Uses sudo when not root.
set -euo pipefail

packages=(cmake nasm gcc make xorriso "$@")

missing=()
for package in "${packages[@]}"; do
    if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
else
    sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
