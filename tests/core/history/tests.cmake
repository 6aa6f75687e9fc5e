# core/history tests
fleet_add_test(tst_trackanalysis SOURCES tst_trackanalysis.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_trackexport SOURCES tst_trackexport.cpp LIBS Fleet::core LABELS unit)
