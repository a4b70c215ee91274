#!/usr/bin/env bash
# Installs what building and testing ldtcat needs on a fresh Debian machine with Rust:
# the Debian packages (libclang for Oxigraph's RocksDB bindings, a C++ compiler) and, with
# --test, the Python tools used by the interoperability tests (in .venv; pycsw in .venv-pycsw) and the npm LDES
# client read by the federation tests and playwright-core with axe-core for the browser tests
# (in tests/js/node_modules), and Debian's chromium, which the browser tests drive. --perf does all that --test
# does and also installs Virtuoso 7 (Debian's virtuoso-opensource), which the performance
# suite (tests/perf) loads and queries as a private instance on loopback; the package's own
# system service is kept stopped and disabled.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
test_tools=false
[[ "$mode" == "--test" || "$mode" == "--perf" ]] && test_tools=true

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

if [[ "$test_tools" == true && -f tests/python/requirements.txt ]]; then
  if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
  fi
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
fi
if [[ "$test_tools" == true && -f tests/python/requirements-pycsw.txt ]]; then
  if [[ ! -x .venv-pycsw/bin/python ]]; then
    python3 -m venv .venv-pycsw
  fi
  .venv-pycsw/bin/pip install --quiet --disable-pip-version-check \
    -r tests/python/requirements-pycsw.txt
fi

if [[ "$test_tools" == true && -f tests/js/package-lock.json ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "installing Node.js and npm"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nodejs npm
  fi
  if [[ ! -d tests/js/node_modules/ldes-client || ! -d tests/js/node_modules/playwright-core \
        || ! -d tests/js/node_modules/axe-core ]]; then
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
  fi
fi

# The browser tests (tests/browser.rs) drive Debian's Chromium through playwright-core; no
# browser is downloaded by npm.
if [[ "$test_tools" == true ]] && ! dpkg -s chromium >/dev/null 2>&1; then
  echo "installing Chromium (Debian's chromium)"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core
fi

if [[ "$mode" == "--perf" ]]; then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  if ! dpkg -s virtuoso-opensource >/dev/null 2>&1; then
    echo "installing Virtuoso (virtuoso-opensource)"
    # The package asks for the DBA password of its system instance; an empty answer makes
    # its postinst leave that instance disabled (RUN=no in /etc/default/virtuoso-opensource-7).
    printf '%s\n' \
      'virtuoso-opensource-7 virtuoso-opensource-7/dba-password password' \
      'virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password' \
      'virtuoso-opensource-7 virtuoso-opensource-7/register-odbc-dsn boolean false' \
      'virtuoso-opensource virtuoso-opensource/primary-server select virtuoso-opensource-7' |
      "${sudo_cmd[@]}" debconf-set-selections
    # The postinst starts the system instance (to set that password) through invoke-rc.d;
    # where the machine has no policy-rc.d, one that forbids service actions is put in place
    # for the install only, so nothing is started (with or without systemd).
    added_policy=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
      "${sudo_cmd[@]}" chmod 755 /usr/sbin/policy-rc.d
      added_policy=true
    fi
    "${sudo_cmd[@]}" apt-get update -qq
    install_status=0
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      virtuoso-opensource || install_status=$?
    if [[ "$added_policy" == true ]]; then
      "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
    fi
    ((install_status == 0)) || exit "$install_status"
  fi
  # Whatever the postinst did, the system instance stays stopped and does not start at boot:
  # the suite starts its own instance, with its own database, on ports it picks.
  if [[ -f /etc/default/virtuoso-opensource-7 ]]; then
    "${sudo_cmd[@]}" sed -i 's/^RUN=yes/RUN=no/' /etc/default/virtuoso-opensource-7
  fi
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    "${sudo_cmd[@]}" systemctl disable --now virtuoso-opensource-7 >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/virtuoso-opensource-7 ]]; then
    "${sudo_cmd[@]}" /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
  fi
  if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
    echo "virtuoso-opensource is installed but virtuoso-t or isql-vt is not on PATH" >&2
    exit 1
  fi
fi
