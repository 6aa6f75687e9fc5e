# ui/playback: the model, the timeline and the map layer offscreen; the whole
# workflow against the demo cloud, offscreen and (for the picture) under Xvfb.
fleet_add_test(tst_playbackmodel SOURCES tst_playbackmodel.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_timelinewidget SOURCES tst_timelinewidget.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_tracklayer SOURCES tst_tracklayer.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_playbackpanel SOURCES tst_playbackpanel.cpp LIBS Fleet::ui Fleet::demo Fleet::sim
    LABELS integration TIMEOUT 300 WRAPPER ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")
target_compile_definitions(tst_playbackpanel PRIVATE FLEET_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
# Under the asan preset: libxkbcommon-x11 (the xcb platform's) strndup()s keymap
# names that are not NUL-terminated; not our code (as tst_demoscreenshot says).
set_property(TEST tst_playbackpanel APPEND PROPERTY ENVIRONMENT_MODIFICATION
    "QT_QPA_PLATFORM=set:xcb" "ASAN_OPTIONS=string_append::strict_string_checks=0")
fleet_add_test(tst_playbackranges SOURCES tst_playbackranges.cpp LIBS Fleet::ui LABELS unit)
set_property(TEST tst_playbackranges APPEND PROPERTY ENVIRONMENT_MODIFICATION "TZ=set:Europe/Paris")
