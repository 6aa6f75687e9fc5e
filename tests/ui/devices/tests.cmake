# ui/devices: the fleet panel and the vehicle details
fleet_add_test(tst_vehicledetailswidget SOURCES tst_vehicledetailswidget.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_fleetpanel SOURCES tst_fleetpanel.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_deviceeditdialog SOURCES tst_deviceeditdialog.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_localgroupslist SOURCES tst_localgroupslist.cpp LIBS Fleet::ui LABELS unit)
