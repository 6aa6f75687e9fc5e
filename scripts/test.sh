#!/usr/bin/env bash
# Installs what is missing, builds FleetDesk with the dev preset (warnings are
# errors) and runs the whole test suite. Exit code is the test result.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

export CCACHE_DIR="${CCACHE_DIR:-$PWD/build/.ccache}"
cmake --preset dev
cmake --build --preset dev --parallel "$(nproc)"
ctest --preset dev
