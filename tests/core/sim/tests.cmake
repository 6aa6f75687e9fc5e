
fleet_add_test(tst_simfleet SOURCES tst_simfleet.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_simserver SOURCES tst_simserver.cpp LIBS Fleet::core LABELS integration)
