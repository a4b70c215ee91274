#!/usr/bin/env bash
# Installs what building and testing ldtcat needs on a fresh Debian machine with Rust:
# the Debian packages (libclang for Oxigraph's RocksDB bindings, a C++ compiler) and, with
# --test, the Python tools used by the interoperability tests (in .venv) and the npm LDES
# client read by the federation tests (in tests/js/node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
for package in libclang-dev clang g++ pkg-config python3-venv; do
  dpkg -s "$package" >/dev/null 2>&1 || need_packages+=("$package")
done
if ((${#need_packages[@]})); then
  echo "installing Debian packages: ${need_packages[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need_packages[@]}"
fi

if [[ "${1:-}" == "--test" && -f tests/python/requirements.txt ]]; then
  if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
  fi
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
fi

if [[ "${1:-}" == "--test" && -f tests/js/package-lock.json ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "installing Node.js and npm"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nodejs npm
  fi
  if [[ ! -d tests/js/node_modules/ldes-client ]]; then
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
  fi
fi
