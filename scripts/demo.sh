#!/usr/bin/env bash
# Runs the catalogue on the bundled demo federation: http://localhost:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec cargo run --release -p ldtcat -- serve --demo --bind "${LDTCAT_BIND:-0.0.0.0:8080}" --data-dir "${LDTCAT_DATA_DIR:-data/demo}"
