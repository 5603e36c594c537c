#!/usr/bin/env bash
# Installs every Debian 12 package teepnet needs to build, test, benchmark and fuzz.
# Idempotent: when everything is present it only checks, and never touches the network.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  g++ clang-14 libclang-rt-14-dev clang-format-14
  libssl-dev openssl
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libboost-dev libsqlite3-dev libgoogle-perftools-dev
  postgresql libpq-dev libseccomp-dev
  runc crun umoci tar
  qemu-system-x86 linux-image-amd64 busybox-static cpio
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
