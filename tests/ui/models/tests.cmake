# models tests
fleet_add_test(tst_fleettreemodel SOURCES tst_fleettreemodel.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_fleetfiltermodel SOURCES tst_fleetfiltermodel.cpp LIBS Fleet::ui LABELS unit)
