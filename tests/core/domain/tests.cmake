# core/domain tests
fleet_add_test(tst_vehiclestatus SOURCES tst_vehiclestatus.cpp LIBS Fleet::core LABELS unit)
