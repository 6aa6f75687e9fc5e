# ui/alarms: the desk's model and panel offscreen (real mouse and keys), the
# whole path from the demo cloud to an acknowledged alarm, and (under Xvfb)
# the picture of the desk.
fleet_add_test(tst_alarmlistmodel SOURCES tst_alarmlistmodel.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_alarmdeskpanel SOURCES tst_alarmdeskpanel.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_alarmdeskdemo SOURCES tst_alarmdeskdemo.cpp LIBS Fleet::ui Fleet::demo Fleet::sim
    LABELS integration TIMEOUT 300 WRAPPER ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")
target_compile_definitions(tst_alarmdeskdemo PRIVATE FLEET_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
# As tst_playbackpanel: libxkbcommon-x11 under the asan preset.
set_property(TEST tst_alarmdeskdemo APPEND PROPERTY ENVIRONMENT_MODIFICATION
    "QT_QPA_PLATFORM=set:xcb" "ASAN_OPTIONS=string_append::strict_string_checks=0")
fleet_add_test(tst_alarmattention SOURCES tst_alarmattention.cpp LIBS Fleet::ui LABELS unit)
# Qt 6.4's audio needs a PulseAudio server: a private one with a null sink.
find_program(PULSEAUDIO pulseaudio REQUIRED)
fleet_add_test(tst_alarmsounds SOURCES tst_alarmsounds.cpp LIBS Fleet::ui Qt6::Multimedia LABELS unit
    WRAPPER ${CMAKE_CURRENT_LIST_DIR}/with_pulseaudio.sh)
fleet_add_test(tst_alarmsettingsdialog SOURCES tst_alarmsettingsdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_alarmmediastrip SOURCES tst_alarmmediastrip.cpp LIBS Fleet::ui Fleet::sim LABELS integration TIMEOUT 120)
