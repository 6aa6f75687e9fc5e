# ui/video: the Cameras dock in a real main window on the demo cloud, and
# (under Xvfb) the picture of a 2x2 wall.
fleet_add_test(tst_videowall SOURCES tst_videowall.cpp LIBS Fleet::ui Fleet::player Fleet::demo Fleet::sim
    LABELS integration TIMEOUT 300 WRAPPER ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")
target_compile_definitions(tst_videowall PRIVATE FLEET_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
set_property(TEST tst_videowall APPEND PROPERTY ENVIRONMENT_MODIFICATION
    "QT_QPA_PLATFORM=set:xcb" "ASAN_OPTIONS=string_append::strict_string_checks=0")
# "Video at this moment" of a track in the playback, kept in step with it.
fleet_add_test(tst_momentvideo SOURCES tst_momentvideo.cpp LIBS Fleet::ui Fleet::player Fleet::demo Fleet::sim
    LABELS integration TIMEOUT 300)
# An event clip in FleetDesk's own player.
fleet_add_test(tst_clipplayerdialog SOURCES tst_clipplayerdialog.cpp LIBS Fleet::ui Fleet::player Fleet::sim
    LABELS unit)
