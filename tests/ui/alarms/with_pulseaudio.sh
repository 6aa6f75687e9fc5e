#!/bin/sh
# Runs a command beside a private PulseAudio server that plays into a null
# sink: Qt 6.4's audio needs a server, and a test must not use the machine's.
set -u
dir=$(mktemp -d)
export XDG_RUNTIME_DIR="$dir"
export PULSE_RUNTIME_PATH="$dir/pulse"
export PULSE_SERVER="unix:$dir/pulse/native"
pulseaudio --daemonize=no --exit-idle-time=-1 --disallow-exit -n --use-pid-file=no \
    --load="module-native-protocol-unix" --load="module-null-sink sink_name=fleetdesk_null" \
    --log-target=stderr --log-level=error 2>"$dir/pulse.log" &
pid=$!
# Wait for its socket (or for it to die), not for a time.
while [ ! -S "$dir/pulse/native" ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.05
done
if [ ! -S "$dir/pulse/native" ]; then
    echo "with_pulseaudio: the PulseAudio server did not start:" >&2
    cat "$dir/pulse.log" >&2
    rm -rf "$dir"
    exit 1
fi
"$@"
rc=$?
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$dir"
exit $rc
