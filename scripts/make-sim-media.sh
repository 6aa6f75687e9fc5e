#!/bin/sh
# Makes the simulator's photo, thumbnail and clip (resources/simmedia), which
# fleetdesk-sim serves for every event file a dashcam "took"
# (/normal/get?fileKey=...). Our own: FFmpeg's test pattern, no third-party
# image. Run it again only to change them; the files are committed.
set -eu
out="$(dirname "$0")/../resources/simmedia"
mkdir -p "$out"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
ff -f lavfi -i "testsrc2=size=640x360:rate=1" -frames:v 1 -q:v 7 "$out/photo.jpg"
ff -f lavfi -i "testsrc2=size=160x90:rate=1" -frames:v 1 -q:v 7 "$out/thumb.jpg"
# 4 s, 320x180, 10 fps H.264 (constrained baseline, yuv420p) in MP4 with
# the index first, so any player (and Qt Multimedia) starts it at once.
ff -f lavfi -i "testsrc2=size=320x180:rate=10" -t 4 -c:v libx264 -profile:v baseline -pix_fmt yuv420p \
   -crf 35 -g 10 -movflags +faststart -an "$out/clip.mp4"
# The live and recorded streams: 4 s loops of 640x360 at 15 fps, H.264
# (constrained baseline, a keyframe every second, as dashcams send) and a
# quiet AAC tone, in FLV as the cloud serves it. Two looks, so that a road
# camera and a cabin camera are told apart in a grid. The simulator loops
# them with restamped timestamps.
for look in road:testsrc2 cabin:testsrc; do
    name=${look%%:*}
    src=${look#*:}
    ff -f lavfi -i "$src=size=640x360:rate=15" -f lavfi -t 4 -i "sine=frequency=440:sample_rate=16000" \
       -frames:v 60 -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 38 -g 15 -keyint_min 15 -sc_threshold 0 \
       -c:a aac -b:a 24k -ac 1 -af "volume=0.1" -f flv "$out/live-$name.flv"
done
ls -l "$out"
