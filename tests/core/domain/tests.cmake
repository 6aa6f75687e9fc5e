# core/domain tests
fleet_add_test(tst_vehiclestatus SOURCES tst_vehiclestatus.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_gcj02 SOURCES tst_gcj02.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_timespan SOURCES tst_timespan.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_alarmseverities SOURCES tst_alarmseverities.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_recordingat SOURCES tst_recordingat.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_commandcatalog SOURCES tst_commandcatalog.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_commandtracking SOURCES tst_commandtracking.cpp LIBS Fleet::core LABELS unit)
