fleet_add_test(tst_formcodec SOURCES tst_formcodec.cpp LIBS Fleet::core LABELS unit)
