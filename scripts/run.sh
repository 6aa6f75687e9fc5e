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
if [ "$(uname)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "run.sh: FleetDesk is a desktop application and no display is set (DISPLAY/WAYLAND_DISPLAY)." >&2
    echo "        Run it in a graphical session, or headless: xvfb-run -a $0 $*" >&2
    exit 1
fi
exec ./build/app/app/fleetdesk/fleetdesk "$@"
