fleet_add_test(tst_formcodec SOURCES tst_formcodec.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_httpserver SOURCES tst_httpserver.cpp LIBS Fleet::core LABELS integration)
