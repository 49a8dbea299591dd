#!/usr/bin/env bash
# Installs the toolchains needed by scripts/build-wasm.sh (Debian 12 / bookworm).
#
#   clang + lld + wasi-libc + libclang-rt-14-dev-wasm32 : C -> wasm32-wasi reactors
#   wabt                                               : wasm-validate / wasm-objdump
#   binaryen                                           : wasm-opt (optional post-processing)
#
# Node.js + npm must already be present; the AssemblyScript example's npm
# dependencies are installed by build-wasm.sh into its own folder (npm ci).
#
# Idempotent: packages already installed are skipped, apt-get is only invoked
# when something is missing. Must run as root (or via sudo).
set -euo pipefail

PACKAGES=(clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt binaryen)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "installing: ${missing[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
else
  echo "apt packages already installed: ${PACKAGES[*]}"
fi

for tool in clang wasm-ld wasm-validate wasm-objdump wasm-opt node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: '$tool' not found on PATH after install" >&2
    exit 1
  fi
done

echo "clang:   $(clang --version | head -n1)"
echo "wabt:    $(wasm-validate --version)"
echo "node:    $(node --version), npm $(npm --version)"
