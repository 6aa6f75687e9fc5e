# ui/app: the main window, and `fleetdesk --demo` as a user runs it
fleet_add_test(tst_mainwindow SOURCES tst_mainwindow.cpp LIBS Fleet::ui LABELS unit)

# A real X server: the window as the user sees it (install-deps installs Xvfb).
find_program(XVFB_RUN xvfb-run REQUIRED)
fleet_add_test(tst_demoscreenshot SOURCES tst_demoscreenshot.cpp LIBS Fleet::ui LABELS integration TIMEOUT 180
    WRAPPER ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")
target_compile_definitions(tst_demoscreenshot PRIVATE
    FLEETDESK_EXECUTABLE="$<TARGET_FILE:fleetdesk>"
    FLEET_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
add_dependencies(tst_demoscreenshot fleetdesk)
