#!/usr/bin/env bash
# Install the Debian packages gantty needs, only those that are missing.
# Quiet and quick when everything is present; safe to run again.
set -euo pipefail

pkgs=(
  build-essential cmake pkg-config
  libuv1-dev libcurl4-openssl-dev libncurses-dev libcmocka-dev
  libmicrohttpd-dev libyajl-dev libgmp-dev libxml2-dev zlib1g-dev
  tmux libxml2-utils
  clang libclang-rt-14-dev llvm  # clang builds, libFuzzer, llvm-symbolizer
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
