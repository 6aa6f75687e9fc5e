# ui/app: the main window, and `fleetdesk --demo` as a user runs it
fleet_add_test(tst_mainwindow SOURCES tst_mainwindow.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_rejecteddatadialog SOURCES tst_rejecteddatadialog.cpp LIBS Fleet::ui LABELS unit)

# A real X server (XVFB_RUN, tests/CMakeLists.txt): the window as the user sees it.
fleet_add_test(tst_demoscreenshot SOURCES tst_demoscreenshot.cpp LIBS Fleet::ui LABELS integration TIMEOUT 180
    WRAPPER ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")
target_compile_definitions(tst_demoscreenshot PRIVATE
    FLEETDESK_EXECUTABLE="$<TARGET_FILE:fleetdesk>"
    FLEET_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
add_dependencies(tst_demoscreenshot fleetdesk)

# From start to a running window: the first-start choice, a configured
# account (secrets from a real keychain), secrets missing; and, without any
# session bus, the explicit "this session only" choice.
fleet_add_test(tst_desktoplauncher SOURCES tst_desktoplauncher.cpp LIBS Fleet::ui Fleet::sim Fleet::demo LABELS integration TIMEOUT 300
    WRAPPER ${FLEET_KEYRING_WRAPPER}
    ARGS firstStartOffersTheDemo firstStartCanQuit configuredAccountConnects wrongPasswordIsToldFixedAndConnected
         unusableWebhookAddressIsSaid missingSecretsAskAgain)
add_test(NAME tst_desktoplauncher_nokeychain COMMAND tst_desktoplauncher noKeychainOffersThisSessionOnly)
set_tests_properties(tst_desktoplauncher_nokeychain PROPERTIES
    LABELS integration TIMEOUT 120
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/fleetdesk-test-bus;HOME=${CMAKE_CURRENT_BINARY_DIR}/tst_desktoplauncher_nokeychain.home;XDG_CONFIG_HOME=${CMAKE_CURRENT_BINARY_DIR}/tst_desktoplauncher_nokeychain.home/config;XDG_DATA_HOME=${CMAKE_CURRENT_BINARY_DIR}/tst_desktoplauncher_nokeychain.home/data")
