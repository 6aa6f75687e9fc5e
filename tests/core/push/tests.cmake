fleet_add_test(tst_pushparser SOURCES tst_pushparser.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_pushenvelope SOURCES tst_pushenvelope.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_pushreceiver SOURCES tst_pushreceiver.cpp LIBS Fleet::core LABELS integration TIMEOUT 180)
fleet_add_test(tst_pushinbox SOURCES tst_pushinbox.cpp LIBS Fleet::core LABELS unit)
