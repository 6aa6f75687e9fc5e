fleet_add_test(tst_jsondom SOURCES tst_jsondom.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_clock SOURCES tst_clock.cpp LIBS Fleet::core LABELS unit)
