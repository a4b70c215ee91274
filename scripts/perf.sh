#!/usr/bin/env bash
# The performance suite: installs what it compares against (Virtuoso 7, rdflib), builds the
# release binaries, and runs the suite at each N (default 100,000 and 1,000,000 datasets).
# The report goes to target/perf-report/ (report.md, figures.csv, figures.json).
#
#   scripts/perf.sh                 # N = 100,000 and 1,000,000 (about an hour on 2 cores)
#   scripts/perf.sh --n 10000       # any options of ldtcat-perf (see --help)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --perf
cargo build --release --locked -p ldtcat -p ldtcat-perf
exec target/release/ldtcat-perf --ldtcat target/release/ldtcat "$@"
