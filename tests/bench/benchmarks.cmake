# Benchmarks are plain executables, not tests: they print figures and their
# baselines. Build them with a release preset; "benchmarks" builds them all.
add_custom_target(benchmarks)
function(fleet_add_benchmark name)
    add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp)
    target_link_libraries(${name} PRIVATE Fleet::core Fleet::sim Fleet::options)
    add_dependencies(benchmarks ${name})
endfunction()

fleet_add_benchmark(bench_api)
# The JSON parser of before simdjson, for comparison only.
target_sources(bench_api PRIVATE ${CMAKE_CURRENT_LIST_DIR}/legacyjson.cpp ${CMAKE_CURRENT_LIST_DIR}/legacyjson.h)
fleet_add_benchmark(bench_sim)
fleet_add_benchmark(bench_store)
fleet_add_benchmark(bench_sync)

# The map's vehicle layer painting offscreen frames (see bench_map.cpp).
fleet_add_benchmark(bench_map)
target_link_libraries(bench_map PRIVATE Fleet::ui)

# Live updates through the real main window: updateFleet + paint per frame (see bench_live.cpp).
fleet_add_benchmark(bench_live)
target_link_libraries(bench_live PRIVATE Fleet::ui)

# The webhook receiver under load, from a second process (see bench_push.cpp).
if(UNIX)
    fleet_add_benchmark(bench_push)
    target_link_libraries(bench_push PRIVATE fleet_pushload Qt6::Sql)
    target_compile_definitions(bench_push PRIVATE FLEET_INGEST_EXECUTABLE="$<TARGET_FILE:fleetdesk-ingest>")
    add_dependencies(bench_push fleetdesk-ingest)
endif()

# The desktop over a large store: start-up to the first painted map, memory.
fleet_add_benchmark(bench_startup)
target_link_libraries(bench_startup PRIVATE Fleet::ui)

# Trip and track playback: store to model, a million-point track, seeking,
# ten vehicles at 3600x, GPX export (see bench_playback.cpp).
fleet_add_benchmark(bench_playback)
target_link_libraries(bench_playback PRIVATE Fleet::ui)

# The alarm desk: a million stored alarms, filters, a flood of 200 a second,
# commit to row/sound/tray (see bench_alarms.cpp).
fleet_add_benchmark(bench_alarms)
target_link_libraries(bench_alarms PRIVATE Fleet::ui)

# The video player: first live frame against Qt Multimedia's default, nine
# streams at once (see bench_video.cpp).
fleet_add_benchmark(bench_video)
target_link_libraries(bench_video PRIVATE Fleet::player)

# The Cameras dock's GUI frames with nine live tiles, under Xvfb (see
# bench_videowall.cpp).
fleet_add_benchmark(bench_videowall)
target_link_libraries(bench_videowall PRIVATE Fleet::ui Fleet::player)

# Device commands: the Commands dock over 100,000 rows, locate now, a send to
# 500 vehicles (see bench_commands.cpp).
fleet_add_benchmark(bench_commands)
target_link_libraries(bench_commands PRIVATE Fleet::ui)

# Fence geometry: the spatial index over 10,000 fences against asking every
# fence (see bench_fences.cpp).
fleet_add_benchmark(bench_fences)
