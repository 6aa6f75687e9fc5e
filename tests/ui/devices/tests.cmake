# ui/devices: the fleet panel and the vehicle details
fleet_add_test(tst_vehicledetailswidget SOURCES tst_vehicledetailswidget.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_fleetpanel SOURCES tst_fleetpanel.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_deviceeditdialog SOURCES tst_deviceeditdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_localgroupslist SOURCES tst_localgroupslist.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_cloudgroupsdialog SOURCES tst_cloudgroupsdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_movedevicesdialog SOURCES tst_movedevicesdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_expirydialog SOURCES tst_expirydialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_appusersdialog SOURCES tst_appusersdialog.cpp LIBS Fleet::ui LABELS unit)
