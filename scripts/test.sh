#!/usr/bin/env bash
# Runs every test: installs what is missing, then the whole workspace's test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export LDTCAT_PYTHON="$PWD/.venv/bin/python"
export LDTCAT_LDES_CLIENT="$PWD/tests/js"
cargo test --workspace --locked
