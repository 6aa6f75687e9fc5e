#!/usr/bin/env bash
# Installs what is missing, builds FleetDesk (release) and starts it in demo
# mode on the built-in simulated cloud: no account, no network needed.
# Extra arguments are passed to fleetdesk (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

export CCACHE_DIR="${CCACHE_DIR:-$PWD/build/.ccache}"
# Its own build folder, so the release preset's tests and benchmarks stay configured.
cmake --preset release -B build/app -DFLEET_BUILD_TESTS=OFF -DFLEET_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/app --parallel "$(nproc)" --target fleetdesk fleetdesk-sim
if [ $# -eq 0 ]; then
    set -- --demo
fi
exec ./build/app/app/fleetdesk/fleetdesk "$@"
