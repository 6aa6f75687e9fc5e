# ui/commands: the "Send command" dialog and the Commands dock offscreen (real
# mouse and keys), and the whole path in the demo (under Xvfb, with a picture).
fleet_add_test(tst_sendcommanddialog SOURCES tst_sendcommanddialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_commandsdemo SOURCES tst_commandsdemo.cpp LIBS Fleet::ui Fleet::demo Fleet::sim
    LABELS integration TIMEOUT 300 WRAPPER ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")
target_compile_definitions(tst_commandsdemo PRIVATE FLEET_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
set_property(TEST tst_commandsdemo APPEND PROPERTY ENVIRONMENT_MODIFICATION
    "QT_QPA_PLATFORM=set:xcb" "ASAN_OPTIONS=string_append::strict_string_checks=0")
