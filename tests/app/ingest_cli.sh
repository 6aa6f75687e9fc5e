#!/usr/bin/env bash
# fleetdesk-ingest as a user runs it, against fleetdesk-sim in another
# process: --once twice (the second finds what the first stored; the fleet
# moves on in real time, so "adds nothing" is checked in-process by
# tst_storesink), then a long run stopped with SIGTERM must flush and exit 0.
# Arguments after the two programs go to fleetdesk-sim (e.g. --token-lifetime 60).
set -euo pipefail
SIM="$1"
INGEST="$2"
shift 2
WORK="$(mktemp -d)"
trap 'kill "$SIM_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$SIM" --listen 127.0.0.1:0 --vehicles 20 --seed 3 "$@" > "$WORK/sim.out" 2> "$WORK/sim.err" &
SIM_PID=$!
for _ in $(seq 100); do
    grep -q '^FLEETDESK_SIM_INSTRUCT_URL=' "$WORK/sim.out" 2>/dev/null && break
    sleep 0.1
done
value() { grep "^$1=" "$WORK/sim.out" | cut -d= -f2-; }

cat > "$WORK/ingest.ini" <<INI
[api]
base_url = $(value FLEETDESK_SIM_URL)
app_key = $(value FLEETDESK_SIM_APP_KEY)
user_id = $(value FLEETDESK_SIM_USER_ID)
[store]
database = fleet.db
[sync]
backfill_hours = 12
fleet_sweep = 1s
INI
export FLEETDESK_APP_SECRET="$(value FLEETDESK_SIM_APP_SECRET)"
export FLEETDESK_PASSWORD_MD5="$(value FLEETDESK_SIM_PASSWORD_MD5)"

"$INGEST" --config "$WORK/ingest.ini" --once 2> "$WORK/first.log" || { cat "$WORK/first.log"; exit 1; }
grep -Eq 'position_history: +[1-9][0-9]* new' "$WORK/first.log" || { echo "first run stored no positions"; cat "$WORK/first.log"; exit 1; }

"$INGEST" --config "$WORK/ingest.ini" --once 2> "$WORK/second.log" || { cat "$WORK/second.log"; exit 1; }
grep -Eq 'position_history *: .* [1-9][0-9]* already stored' "$WORK/second.log" || {
    echo "second run did not recognise the stored positions"; cat "$WORK/second.log"; exit 1; }

"$INGEST" --config "$WORK/ingest.ini" 2> "$WORK/long.log" &
INGEST_PID=$!
sleep 3
kill -TERM "$INGEST_PID"
if ! wait "$INGEST_PID"; then
    echo "SIGTERM did not end fleetdesk-ingest with exit code 0"; cat "$WORK/long.log"; exit 1
fi
grep -q '^summary:' "$WORK/long.log" || { echo "no summary after SIGTERM"; cat "$WORK/long.log"; exit 1; }
echo "fleetdesk-ingest: --once twice and SIGTERM behave"
