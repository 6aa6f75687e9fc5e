# ui/map: projection, viewport and tile sources
fleet_add_test(tst_geomath SOURCES tst_geomath.cpp LIBS Fleet::ui LABELS unit)
