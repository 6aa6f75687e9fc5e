# ui/devices: the fleet panel and the vehicle details
fleet_add_test(tst_vehicledetailswidget SOURCES tst_vehicledetailswidget.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_fleetpanel SOURCES tst_fleetpanel.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_deviceeditdialog SOURCES tst_deviceeditdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_localgroupslist SOURCES tst_localgroupslist.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_cloudgroupsdialog SOURCES tst_cloudgroupsdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_movedevicesdialog SOURCES tst_movedevicesdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_expirydialog SOURCES tst_expirydialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_appusersdialog SOURCES tst_appusersdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_admindemo SOURCES tst_admindemo.cpp LIBS Fleet::ui Fleet::demo Fleet::sim
    LABELS integration TIMEOUT 300 WRAPPER ${XVFB_RUN} -a -s "-screen 0 1600x1000x24")
target_compile_definitions(tst_admindemo PRIVATE FLEET_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots")
set_property(TEST tst_admindemo APPEND PROPERTY ENVIRONMENT_MODIFICATION
    "QT_QPA_PLATFORM=set:xcb" "ASAN_OPTIONS=string_append::strict_string_checks=0")
