#!/usr/bin/env bash
# Runs every test: installs what is missing (the test tools, and Virtuoso for the small
# performance suite), then the whole workspace's test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --perf
export LDTCAT_PYTHON="$PWD/.venv/bin/python"
export LDTCAT_PYCSW_PYTHON="$PWD/.venv-pycsw/bin/python"
export LDTCAT_LDES_CLIENT="$PWD/tests/js"
cargo test --workspace --locked
